package ui

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
)

// InputReader turns Ebitengine's mouse, wheel and touch state into one
// Input per tick. While a finger is down it follows that touch and ignores
// the mouse, and other fingers are ignored until it lifts. The zero value is
// ready to use, and the reader must be called once in every Update.
type InputReader struct {
	touch    ebiten.TouchID
	touching bool
	ids      []ebiten.TouchID // scratch space reused between ticks
}

// Read returns the pointer state of this tick in the game's screen pixels,
// the units of the size that Layout returns.
func (r *InputReader) Read() Input {
	var in Input

	r.ids = inpututil.AppendJustPressedTouchIDs(r.ids[:0])
	if !r.touching && len(r.ids) > 0 {
		r.touch, r.touching = r.ids[0], true
		in.Pressed = true
	}
	if r.touching {
		if inpututil.IsTouchJustReleased(r.touch) {
			// A released touch has no position of its own any more.
			x, y := inpututil.TouchPositionInPreviousTick(r.touch)
			in.X, in.Y = float64(x), float64(y)
			in.Released = true
			r.touching = false
			return in
		}
		x, y := ebiten.TouchPosition(r.touch)
		in.X, in.Y = float64(x), float64(y)
		in.Down = true
		return in
	}

	x, y := ebiten.CursorPosition()
	in.X, in.Y = float64(x), float64(y)
	in.Down = ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft)
	in.Pressed = inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft)
	in.Released = inpututil.IsMouseButtonJustReleased(ebiten.MouseButtonLeft)
	_, in.WheelY = ebiten.Wheel()
	return in
}
