package game

import (
	"math"
	"testing"
)

func TestLayoutFitsMaxScreenSize(t *testing.T) {
	var queries []string
	g := newSmallGame(t, &queries)
	g.opts.Scale = 2
	limit := maxScreenSize()
	w, h := g.LayoutF(9000, 5000)
	if w > limit || h > limit {
		t.Errorf("LayoutF(9000, 5000) at scale 2 = %v × %v, want each side at most %v", w, h, limit)
	}
	if w != limit {
		t.Errorf("LayoutF(9000, 5000) at scale 2 has width %v, want the limit %v", w, limit)
	}
	if got, want := w/h, 9000.0/5000; math.Abs(got-want) > 1e-3 {
		t.Errorf("LayoutF(9000, 5000) aspect ratio = %v, want %v", got, want)
	}
	if g.width != 9000 || g.height != 5000 {
		t.Errorf("logical size = %v × %v, want the outside size 9000 × 5000", g.width, g.height)
	}
	if got, want := g.scale, w/9000; math.Abs(got-want) > 1e-9 {
		t.Errorf("scale = %v, want %v screen pixels per logical pixel", got, want)
	}
	iw, ih := g.Layout(9000, 5000)
	if float64(iw) > limit || float64(ih) > limit {
		t.Errorf("Layout(9000, 5000) at scale 2 = %d × %d, want each side at most %v", iw, ih, limit)
	}

	// Update lays the widgets out at the reduced scale, so the scene area
	// ends inside the screen.
	if err := g.Update(); err != nil {
		t.Fatal(err)
	}
	c := g.layout.Center
	if right := (c.X + c.W) * g.scale; right > w+1 {
		t.Errorf("the scene area ends at %v screen pixels, beyond the screen width %v", right, w)
	}
}

func TestLayoutKeepsSmallSize(t *testing.T) {
	var queries []string
	g := newSmallGame(t, &queries)
	g.opts.Scale = 2
	w, h := g.LayoutF(1000.5, 700)
	if w != 2001 || h != 1400 {
		t.Errorf("LayoutF(1000.5, 700) at scale 2 = %v × %v, want 2001 × 1400", w, h)
	}
	if g.scale != 2 {
		t.Errorf("scale = %v, want 2", g.scale)
	}
}

func TestLayoutExtremeAspect(t *testing.T) {
	var queries []string
	g := newSmallGame(t, &queries)
	g.opts.Scale = 1
	w, h := g.LayoutF(1e6, 1)
	if w > maxScreenSize() || h < 1 {
		t.Errorf("LayoutF(1e6, 1) = %v × %v, want a width within %v and a height of at least 1", w, h, maxScreenSize())
	}
}
