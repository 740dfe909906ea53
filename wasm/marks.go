//go:build js && wasm

package main

import "syscall/js"

// The page sets User Timing marks at the milestones of its load, each at
// its time in milliseconds since performance.timeOrigin, the start of the
// navigation:
//
//   - neuromop:compiled, set by main.js once main.wasm is compiled and
//     instantiated;
//   - neuromop:main, when the Go program's main starts, after the Go
//     runtime and the packages have initialized;
//   - neuromop:first-frame, when Ebitengine draws the first frame of the
//     game to the canvas, see guard.DrawFinalScreen.
const (
	markMain       = "neuromop:main"
	markFirstFrame = "neuromop:first-frame"
)

// mark sets the User Timing mark name and returns its time in milliseconds
// since performance.timeOrigin. It returns 0 where the browser has no
// performance object.
func mark(name string) float64 {
	perf := js.Global().Get("performance")
	if perf.Type() != js.TypeObject {
		return 0
	}
	// Where mark() returns no entry, performance.now() is the time it
	// set.
	if m := perf.Call("mark", name); m.Type() == js.TypeObject {
		return m.Get("startTime").Float()
	}
	return perf.Call("now").Float()
}
