package ui

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
)

// The methods of this file record free drawing for scenes that widgets do
// not cover, such as trajectories and geometry. They go into the same draw
// list as the widgets, in call order, so Draw replays them with the rest.
// Colours are premultiplied by alpha, as color.RGBA is; Premultiply makes
// a translucent colour from an opaque one.

// FillRect records r filled with c.
func (u *UI) FillRect(r Rect, c color.RGBA) { u.fillRect(r, c) }

// StrokeRect records the outline of r, width logical pixels wide.
func (u *UI) StrokeRect(r Rect, width float64, c color.RGBA) { u.strokeRect(r, width, c) }

// Line records a straight line from (x0, y0) to (x1, y1), width logical
// pixels wide, without rounded ends.
func (u *UI) Line(x0, y0, x1, y1, width float64, c color.RGBA) {
	u.line(x0, y0, x1, y1, width, c)
}

// Image records img stretched over r without smoothing. The draw list keeps
// the pointer, so img must stay valid until the next Begin.
func (u *UI) Image(r Rect, img *ebiten.Image) { u.image(r, img) }

// Text records s with its top-left corner at (x, y).
func (u *UI) Text(x, y float64, s string, c color.RGBA) { u.text(x, y, s, c) }

// Measure returns the width and line height of s in logical pixels.
func (u *UI) Measure(s string) (w, h float64) { return u.measure(s) }

// Cover marks r as part of the UI, so that WantsPointer reports true while
// the pointer is over it, as it does over a Panel.
func (u *UI) Cover(r Rect) {
	if r.Contains(u.in.X, u.in.Y) {
		u.hovering = true
	}
}

// Premultiply returns the opaque colour c at opacity alpha in [0, 1], with
// its channels premultiplied as the draw list expects.
func Premultiply(c color.RGBA, alpha float64) color.RGBA {
	a := min(max(alpha, 0), 1)
	return color.RGBA{
		R: uint8(float64(c.R)*a + 0.5),
		G: uint8(float64(c.G)*a + 0.5),
		B: uint8(float64(c.B)*a + 0.5),
		A: uint8(255*a + 0.5),
	}
}
