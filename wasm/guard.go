//go:build js && wasm

package main

import (
	"fmt"
	"math"
	"runtime/debug"
	"sync/atomic"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/neuromop/neuromop/game"
)

// crashAfterTicks makes Update panic on that tick when it is positive, so a
// browser test can check how a crash is reported. Only a build with the
// neuromop_crashtest tag sets it.
var crashAfterTicks int64

// guard runs a game and turns a panic in Update, Draw or LayoutF into the
// error that Update returns, because Ebitengine calls them on goroutines
// where a panic would end the program before the page could show it.
type guard struct {
	game  *game.Game
	err   error // from a panic in Draw or LayoutF, returned by the next Update
	ticks int64
	ready bool // signalReady has run after the first frame
	// firstFrame is the time of the first frame on the canvas as the bits
	// of a float64, in milliseconds since performance.timeOrigin, or 0
	// before that frame. The status() callback reads it on another
	// goroutine.
	firstFrame atomic.Uint64
}

var _ ebiten.FinalScreenDrawer = (*guard)(nil)

func newGuard(g *game.Game) *guard { return &guard{game: g} }

func (g *guard) Update() (err error) {
	defer recoverInto(&err)
	if g.err != nil {
		return g.err
	}
	g.ticks++
	if crashAfterTicks > 0 && g.ticks == crashAfterTicks {
		panic(fmt.Sprintf("crash test: deliberate panic on tick %d", g.ticks))
	}
	if err := g.game.Update(); err != nil {
		return err
	}
	if !g.ready && g.game.Status().Frames > 0 {
		g.ready = true
		signalReady()
	}
	return nil
}

func (g *guard) Draw(screen *ebiten.Image) {
	if g.err != nil {
		return
	}
	defer recoverInto(&g.err)
	g.game.Draw(screen)
}

// DrawFinalScreen draws the frame that Draw painted to the screen with
// game.Game's DrawFinalScreen. Ebitengine v2.10.4 calls it only for a
// frame that it presents, and sends the frame's drawing commands to the
// canvas's WebGL context right after it (drawGame and
// flushCommandsAndWait in internal/ui/context.go). So its first call sets
// the mark neuromop:first-frame.
func (g *guard) DrawFinalScreen(screen ebiten.FinalScreen, offscreen *ebiten.Image, geoM ebiten.GeoM) {
	g.game.DrawFinalScreen(screen, offscreen, geoM)
	if g.firstFrame.Load() == 0 {
		g.firstFrame.Store(math.Float64bits(mark(markFirstFrame)))
	}
}

// FirstFrameMS returns the time of the first frame on the canvas in
// milliseconds since performance.timeOrigin, or false before that frame.
func (g *guard) FirstFrameMS() (float64, bool) {
	bits := g.firstFrame.Load()
	return math.Float64frombits(bits), bits != 0
}

// LayoutF returns the outside size after a panic, because Ebitengine
// rejects a size that is not positive.
func (g *guard) LayoutF(outsideWidth, outsideHeight float64) (w, h float64) {
	defer func() {
		if r := recover(); r != nil {
			g.err = panicError(r)
			w, h = outsideWidth, outsideHeight
		}
	}()
	return g.game.LayoutF(outsideWidth, outsideHeight)
}

// Layout is never called, because guard implements ebiten.LayoutFer.
func (g *guard) Layout(outsideWidth, outsideHeight int) (int, int) {
	w, h := g.LayoutF(float64(outsideWidth), float64(outsideHeight))
	return int(w), int(h)
}

// recoverInto stores a recovered panic, with the stack of the panicking
// goroutine, in *err. It must be called directly by a deferred statement.
func recoverInto(err *error) {
	if r := recover(); r != nil {
		*err = panicError(r)
	}
}

// panicError returns an error with the panic value r and the stack of the
// current goroutine, which inside a deferred call still shows where the
// panic started.
func panicError(r any) error {
	return fmt.Errorf("panic: %v\n\n%s", r, debug.Stack())
}
