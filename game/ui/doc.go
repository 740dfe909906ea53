// Package ui is a small immediate-mode widget kit for Ebitengine.
//
// A frame has two halves. In Update the caller passes one Input to Begin,
// calls widget methods such as Button and Slider, which return what the
// user did, and calls End. The widgets record their drawing into a draw
// list. In Draw the caller passes the screen to Draw, which replays that
// list and computes nothing.
//
// Layout works in logical pixels. UI.Scale converts them to screen pixels,
// so a game that renders at the device pixel ratio sets Scale to that ratio
// and lays out widgets as if the ratio were 1.
//
// Interactive widgets are identified by their label. A label that contains
// "##" is shown only up to the "##", and the whole label is the identity,
// so "Reset##left" and "Reset##right" are two buttons that both read Reset.
package ui
