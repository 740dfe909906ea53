package ui

import (
	"fmt"
	"testing"
)

// holeCases are holes in the rectangle panelAroundRect: none, one like the
// readout plane of the single view, three like the planes of the compare
// view, and holes of different heights at fractional positions.
var (
	panelAroundRect = Rect{X: 262, Y: 42, W: 494, H: 592}
	holeCases       = [][]Rect{
		nil,
		{{X: 268, Y: 80, W: 482, H: 482}},
		{{X: 268, Y: 80, W: 156, H: 156}, {X: 431, Y: 80, W: 156, H: 156}, {X: 594, Y: 80, W: 156, H: 156}},
		{{X: 270.5, Y: 90.25, W: 100.5, H: 300}, {X: 400.75, Y: 60, W: 200, H: 150.5}},
	}
)

func TestSubtractCoversRestOnce(t *testing.T) {
	r := panelAroundRect
	for _, holes := range holeCases {
		t.Run(fmt.Sprint(len(holes), " holes"), func(t *testing.T) {
			var s subtraction
			parts := s.subtract(nil, r, holes)
			// The points lie between the multiples of a quarter pixel, so
			// none is on an edge of a rectangle of the cases.
			for y := r.Y + 0.125; y < r.Y+r.H; y += 0.5 {
				for x := r.X + 0.125; x < r.X+r.W; x += 0.5 {
					inHole := false
					for _, h := range holes {
						inHole = inHole || h.Contains(x, y)
					}
					covers := 0
					for _, p := range parts {
						if p.Contains(x, y) {
							covers++
						}
					}
					switch {
					case inHole && covers > 0:
						t.Fatalf("(%v, %v) lies in a hole and in %d parts", x, y, covers)
					case !inHole && covers != 1:
						t.Fatalf("(%v, %v) lies outside the holes and in %d parts, want 1", x, y, covers)
					}
				}
			}
		})
	}
}

func TestPanelAroundFillsAllButHoles(t *testing.T) {
	r := panelAroundRect
	for _, holes := range holeCases {
		t.Run(fmt.Sprint(len(holes), " holes"), func(t *testing.T) {
			u := New(DefaultTheme())
			u.Begin(Input{X: -1, Y: -1})
			u.PanelAround(r, holes)
			var fills []Rect
			border := 0
			for _, o := range u.list.base {
				switch {
				case o.kind == opFillRect && o.color == u.Theme.Panel:
					fills = append(fills, o.rect)
				case o.kind == opStrokeRect && o.rect == r && o.width == 1 && o.color == u.Theme.Border:
					border++
				default:
					t.Fatalf("PanelAround recorded %+v, want only background fills and the border", o)
				}
			}
			if border != 1 {
				t.Fatalf("PanelAround recorded %d borders of r, want 1", border)
			}
			for y := r.Y - 2.125; y < r.Y+r.H+2; y += 0.5 {
				for x := r.X - 2.125; x < r.X+r.W+2; x += 0.5 {
					filled := false
					for _, f := range fills {
						filled = filled || f.Contains(x, y)
					}
					inBorder := r.Contains(x, y) && !r.Inset(1).Contains(x, y)
					// The background may reach 1.5 pixels into a hole, and
					// must leave out the rest of it.
					inHole, deepInHole := false, false
					for _, h := range holes {
						inHole = inHole || h.Contains(x, y)
						deepInHole = deepInHole || h.Inset(1.5).Contains(x, y)
					}
					switch {
					case !r.Contains(x, y) && filled:
						t.Fatalf("(%v, %v) lies outside the panel and is filled", x, y)
					case deepInHole && filled:
						t.Fatalf("(%v, %v) lies more than 1.5 pixels inside a hole and is filled", x, y)
					case r.Contains(x, y) && !inHole && !inBorder && !filled:
						t.Fatalf("(%v, %v) lies inside the panel, outside the holes and the border, and is not filled", x, y)
					}
				}
			}
		})
	}
}

func TestPanelAroundDoesNotAllocate(t *testing.T) {
	u := New(DefaultTheme())
	holes := holeCases[len(holeCases)-1]
	frame := func() {
		u.Begin(Input{X: 300, Y: 100})
		u.PanelAround(panelAroundRect, holes)
		u.End()
	}
	frame()
	if allocs := testing.AllocsPerRun(20, frame); allocs != 0 {
		t.Errorf("a steady frame with PanelAround made %v allocations, want 0", allocs)
	}
}

func TestPanelAroundNoHolesIsPanel(t *testing.T) {
	r := panelAroundRect
	u := New(DefaultTheme())
	u.Begin(Input{X: 300, Y: 100})
	p := u.PanelAround(r, nil)
	if !u.WantsPointer() {
		t.Error("WantsPointer = false with the pointer over the panel, want true")
	}
	if p.Bounds != r {
		t.Errorf("panel bounds = %+v, want %+v", p.Bounds, r)
	}
	if n := len(u.list.base); n != 2 {
		t.Errorf("PanelAround without holes recorded %d operations, want 2: one fill and the border", n)
	}
}
