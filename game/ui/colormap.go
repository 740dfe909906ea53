package ui

import (
	"image/color"
	"math"
)

// ColorMap maps a number in [0, 1] to a colour by linear interpolation in
// sRGB between evenly spaced stops.
type ColorMap struct {
	stops []color.RGBA
}

// NewColorMap returns a colour map through the given stops, the first at 0
// and the last at 1. It panics when given fewer than two stops.
func NewColorMap(stops ...color.RGBA) ColorMap {
	if len(stops) < 2 {
		panic("ui: NewColorMap needs at least two stops")
	}
	return ColorMap{stops: append([]color.RGBA(nil), stops...)}
}

// Colour maps used by heatmaps.
var (
	// Viridis is matplotlib's perceptually uniform map from dark purple to
	// yellow, sampled at nine stops.
	Viridis = NewColorMap(
		rgb(0x440154), rgb(0x472d7b), rgb(0x3b528b), rgb(0x2c728e), rgb(0x21918c),
		rgb(0x28ae80), rgb(0x5ec962), rgb(0xaddc30), rgb(0xfde725),
	)

	// Diverging runs from blue through near-white to red, ColorBrewer's RdBu
	// reversed, for signed values centred on zero.
	Diverging = NewColorMap(
		rgb(0x2166ac), rgb(0x67a9cf), rgb(0xd1e5f0), rgb(0xf7f7f7),
		rgb(0xfddbc7), rgb(0xef8a62), rgb(0xb2182b),
	)

	// Grayscale runs from black to white.
	Grayscale = NewColorMap(rgb(0x000000), rgb(0xffffff))
)

// At returns the colour for t. Values of t below 0 or above 1 are clamped,
// and NaN maps to transparent black so that missing data is visible as the
// background.
func (m ColorMap) At(t float64) color.RGBA {
	if math.IsNaN(t) || len(m.stops) == 0 {
		return color.RGBA{}
	}
	t = min(max(t, 0), 1)

	pos := t * float64(len(m.stops)-1)
	i := int(pos)
	if i >= len(m.stops)-1 {
		return m.stops[len(m.stops)-1]
	}
	f := pos - float64(i)
	a, b := m.stops[i], m.stops[i+1]
	return color.RGBA{
		R: lerp8(a.R, b.R, f),
		G: lerp8(a.G, b.G, f),
		B: lerp8(a.B, b.B, f),
		A: lerp8(a.A, b.A, f),
	}
}

func lerp8(a, b uint8, f float64) uint8 {
	return uint8(math.Round(float64(a) + (float64(b)-float64(a))*f))
}

// rgb returns the opaque colour with the hexadecimal value 0xRRGGBB.
func rgb(hex uint32) color.RGBA {
	return color.RGBA{R: uint8(hex >> 16), G: uint8(hex >> 8), B: uint8(hex), A: 0xff}
}
