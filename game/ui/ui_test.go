package ui

import (
	"testing"
)

// pointer builds the inputs of a press at (x, y), a hold, and a release at
// (x2, y2), one per tick.
func pointer(x, y, x2, y2 float64) []Input {
	return []Input{
		{X: x, Y: y, Down: true, Pressed: true},
		{X: x2, Y: y2, Down: true},
		{X: x2, Y: y2, Released: true},
	}
}

// run feeds each input to u as one frame that calls widgets.
func run(u *UI, inputs []Input, widgets func()) {
	for _, in := range inputs {
		u.Begin(in)
		widgets()
		u.End()
	}
}

func TestButtonClick(t *testing.T) {
	r := Rect{X: 10, Y: 10, W: 80, H: 20}
	tests := []struct {
		name   string
		inputs []Input
		want   int
	}{
		{"press and release inside", pointer(20, 15, 30, 15), 1},
		{"release outside", pointer(20, 15, 200, 15), 0},
		{"press outside", pointer(200, 15, 20, 15), 0},
		{"hover only", []Input{{X: 20, Y: 15}, {X: 21, Y: 15}}, 0},
	}
	for _, tt := range tests {
		u := New(DefaultTheme())
		clicks := 0
		run(u, tt.inputs, func() {
			if u.Button(r, "OK") {
				clicks++
			}
		})
		if clicks != tt.want {
			t.Errorf("%s: %d clicks, want %d", tt.name, clicks, tt.want)
		}
	}
}

func TestButtonScale(t *testing.T) {
	u := New(DefaultTheme())
	u.Scale = 2
	r := Rect{X: 10, Y: 10, W: 80, H: 20}

	clicks := 0
	// Screen pixel (40, 30) is logical (20, 15), inside r.
	run(u, pointer(40, 30, 40, 30), func() {
		if u.Button(r, "OK") {
			clicks++
		}
	})
	if clicks != 1 {
		t.Errorf("click at screen (40, 30) with scale 2: %d clicks, want 1", clicks)
	}

	clicks = 0
	// Screen pixel (190, 30) is logical (95, 15), right of r.
	run(u, pointer(190, 30, 190, 30), func() {
		if u.Button(r, "OK") {
			clicks++
		}
	})
	if clicks != 0 {
		t.Errorf("click at screen (190, 30) with scale 2: %d clicks, want 0", clicks)
	}
}

func TestButtonSameTextDistinctIDs(t *testing.T) {
	u := New(DefaultTheme())
	left := Rect{X: 0, Y: 0, W: 50, H: 20}
	right := Rect{X: 60, Y: 0, W: 50, H: 20}

	var gotLeft, gotRight int
	run(u, pointer(70, 10, 70, 10), func() {
		if u.Button(left, "Reset##left") {
			gotLeft++
		}
		if u.Button(right, "Reset##right") {
			gotRight++
		}
	})
	if gotLeft != 0 || gotRight != 1 {
		t.Errorf("clicks left, right = %d, %d, want 0, 1", gotLeft, gotRight)
	}

	for _, o := range u.list.base {
		if o.kind == opText && o.text != "Reset" {
			t.Errorf("button text %q, want %q", o.text, "Reset")
		}
	}
}

func TestToggleFlips(t *testing.T) {
	u := New(DefaultTheme())
	r := Rect{W: 100, H: 20}
	on := false
	changes := 0
	run(u, pointer(5, 5, 5, 5), func() {
		if u.Toggle(r, "Pause", &on) {
			changes++
		}
	})
	if !on {
		t.Errorf("after one click on = false, want true")
	}
	if changes != 1 {
		t.Errorf("Toggle reported %d changes, want 1", changes)
	}
	run(u, pointer(5, 5, 5, 5), func() { u.Toggle(r, "Pause", &on) })
	if on {
		t.Errorf("after two clicks on = true, want false")
	}
}

func TestSliderMapping(t *testing.T) {
	track := Rect{X: 100, W: 200, H: 20}
	tests := []struct {
		x, want float64
	}{
		{100, -1},
		{200, 0},
		{300, 1},
		{250, 0.5},
		{50, -1}, // left of the track
		{900, 1}, // right of the track
	}
	for _, tt := range tests {
		if got := valueAt(track, tt.x, -1, 1); got != tt.want {
			t.Errorf("valueAt(x = %v) = %v, want %v", tt.x, got, tt.want)
		}
	}
	if got := valueAt(Rect{X: 5}, 10, 0, 1); got != 0 {
		t.Errorf("valueAt on a zero-width track = %v, want 0", got)
	}
}

func TestFractionOf(t *testing.T) {
	tests := []struct {
		v, lo, hi, want float64
	}{
		{5, 0, 10, 0.5},
		{-5, 0, 10, 0},
		{15, 0, 10, 1},
		{3, 3, 3, 0},
	}
	for _, tt := range tests {
		if got := fractionOf(tt.v, tt.lo, tt.hi); got != tt.want {
			t.Errorf("fractionOf(%v, %v, %v) = %v, want %v", tt.v, tt.lo, tt.hi, got, tt.want)
		}
	}
}

func TestSliderDrag(t *testing.T) {
	u := New(DefaultTheme())
	r := Rect{X: 0, Y: 0, W: 100, H: 20}
	v := 0.0
	var changed bool

	// Press at 25 %, drag to 80 % and beyond the end while held.
	inputs := []Input{
		{X: 25, Y: 10, Down: true, Pressed: true},
		{X: 80, Y: 10, Down: true},
	}
	run(u, inputs, func() { changed = u.Slider(r, "Gain", &v, 0, 10) })
	if v != 8 {
		t.Errorf("after drag to x = 80, v = %v, want 8", v)
	}
	if !changed {
		t.Errorf("Slider reported no change on the drag tick")
	}

	// The pointer leaves the slider vertically but the drag goes on.
	run(u, []Input{{X: 150, Y: 300, Down: true}}, func() { u.Slider(r, "Gain", &v, 0, 10) })
	if v != 10 {
		t.Errorf("after drag past the end, v = %v, want 10", v)
	}

	// After release, pointer movement does nothing.
	run(u, []Input{{X: 150, Y: 300, Released: true}, {X: 10, Y: 10}}, func() {
		changed = u.Slider(r, "Gain", &v, 0, 10)
	})
	if v != 10 || changed {
		t.Errorf("after release, v = %v and changed = %v, want 10 and false", v, changed)
	}
}

func TestSliderWheel(t *testing.T) {
	u := New(DefaultTheme())
	r := Rect{W: 100, H: 20}
	v := 5.0
	run(u, []Input{{X: 50, Y: 10, WheelY: 2}}, func() { u.Slider(r, "Gain", &v, 0, 10) })
	if want := 5.2; v < want-1e-12 || v > want+1e-12 {
		t.Errorf("after two wheel notches up, v = %v, want %v", v, want)
	}
	run(u, []Input{{X: 500, Y: 10, WheelY: 2}}, func() { u.Slider(r, "Gain", &v, 0, 10) })
	if v < 5.2-1e-12 || v > 5.2+1e-12 {
		t.Errorf("wheel away from the slider changed v to %v", v)
	}
}

func TestSliderIntRounds(t *testing.T) {
	u := New(DefaultTheme())
	r := Rect{W: 100, H: 20}
	n := 0
	run(u, []Input{{X: 34, Y: 10, Down: true, Pressed: true}}, func() { u.SliderInt(r, "N", &n, 0, 10) })
	if n != 3 {
		t.Errorf("press at 34 %% of [0, 10]: n = %d, want 3", n)
	}
	run(u, []Input{{X: 36, Y: 10, Down: true}}, func() { u.SliderInt(r, "N", &n, 0, 10) })
	if n != 4 {
		t.Errorf("drag to 36 %% of [0, 10]: n = %d, want 4", n)
	}
	run(u, []Input{{Released: true}, {X: 50, Y: 10, WheelY: -1}}, func() { u.SliderInt(r, "N", &n, 0, 10) })
	if n != 3 {
		t.Errorf("one wheel notch down from 4: n = %d, want 3", n)
	}
}

func TestChoiceSelects(t *testing.T) {
	u := New(DefaultTheme())
	r := Rect{W: 90, H: 20}
	options := []string{"a", "b", "c"}
	sel := 0
	changed := false
	run(u, pointer(75, 10, 75, 10), func() {
		if u.Choice(r, "kind", options, &sel) {
			changed = true
		}
	})
	if sel != 2 {
		t.Errorf("click on the third segment: selected = %d, want 2", sel)
	}
	if !changed {
		t.Errorf("Choice reported no change")
	}
}

func TestDropdownOpenSelectClose(t *testing.T) {
	u := New(DefaultTheme())
	header := Rect{X: 0, Y: 0, W: 100, H: 20}
	below := Rect{X: 0, Y: 25, W: 100, H: 20} // covered by the open list
	options := []string{"one", "two", "three"}
	sel := 0
	belowClicks := 0
	frame := func() {
		// The covered button is called first, as it would be when it sits
		// earlier in the layout than the dropdown.
		if u.Button(below, "Below") {
			belowClicks++
		}
		u.Dropdown(header, "Pick", options, &sel)
	}

	run(u, pointer(50, 10, 50, 10), frame)
	if u.open != (widgetID{label: "Pick"}) {
		t.Fatalf("after clicking the header, the dropdown is not open")
	}

	// The second option spans y = 40..60, over the button at 25..45.
	run(u, pointer(50, 42, 50, 42), frame)
	if sel != 1 {
		t.Errorf("after clicking the second option, selected = %d, want 1", sel)
	}
	if belowClicks != 0 {
		t.Errorf("the covered button got %d clicks through the open list, want 0", belowClicks)
	}
	if u.open != noWidget {
		t.Errorf("the dropdown stayed open after a selection")
	}

	// With the list closed, the same point reaches the button.
	run(u, pointer(50, 42, 50, 42), frame)
	if belowClicks != 1 {
		t.Errorf("with the list closed, the button got %d clicks, want 1", belowClicks)
	}
}

func TestDropdownPressOutsideCloses(t *testing.T) {
	u := New(DefaultTheme())
	header := Rect{W: 100, H: 20}
	other := Rect{X: 200, Y: 0, W: 50, H: 20}
	sel := 0
	otherClicks := 0
	frame := func() {
		u.Dropdown(header, "Pick", []string{"a", "b"}, &sel)
		if u.Button(other, "Other") {
			otherClicks++
		}
	}
	run(u, pointer(50, 10, 50, 10), frame)
	run(u, pointer(210, 10, 210, 10), frame)
	if u.open != noWidget {
		t.Errorf("a press outside the list left the dropdown open")
	}
	if otherClicks != 0 {
		t.Errorf("the press that closed the list also clicked another button")
	}
	if sel != 0 {
		t.Errorf("closing the list changed the selection to %d", sel)
	}
}

func TestDropdownOverlayDrawnLast(t *testing.T) {
	u := New(DefaultTheme())
	sel := 0
	run(u, pointer(5, 5, 5, 5), func() {
		u.Dropdown(Rect{W: 100, H: 20}, "Pick", []string{"a", "b"}, &sel)
	})
	u.Begin(Input{})
	u.Dropdown(Rect{W: 100, H: 20}, "Pick", []string{"a", "b"}, &sel)
	u.Button(Rect{Y: 25, W: 100, H: 20}, "Later")
	u.End()
	if len(u.list.overlay) == 0 {
		t.Errorf("an open dropdown recorded nothing on the overlay layer")
	}
	// The header shows the selected option "a", so only "b" is unique to
	// the list.
	for _, o := range u.list.base {
		if o.kind == opText && o.text == "b" {
			t.Errorf("option %q was recorded on the base layer", o.text)
		}
	}
}

func TestWantsPointer(t *testing.T) {
	u := New(DefaultTheme())
	frame := func() {
		p := u.Panel(Rect{W: 100, H: 100})
		p.Label("Hello")
	}
	run(u, []Input{{X: 50, Y: 50}}, frame)
	if !u.WantsPointer() {
		t.Errorf("WantsPointer() = false over a panel, want true")
	}
	run(u, []Input{{X: 500, Y: 50}}, frame)
	if u.WantsPointer() {
		t.Errorf("WantsPointer() = true away from every panel, want false")
	}
}

func TestPanelStacksRows(t *testing.T) {
	u := New(DefaultTheme())
	u.Begin(Input{})
	p := u.Panel(Rect{X: 10, Y: 10, W: 200, H: 300})
	first := p.Row()
	second := p.Row()
	th := u.Theme
	if got, want := first.Y, 10+th.Padding; got != want {
		t.Errorf("first row Y = %v, want %v", got, want)
	}
	if got, want := second.Y, first.Y+th.RowHeight+th.Gap; got != want {
		t.Errorf("second row Y = %v, want %v", got, want)
	}
	if got, want := first.W, 200-2*th.Padding; got != want {
		t.Errorf("row width = %v, want %v", got, want)
	}
}

func TestProgressBarLabel(t *testing.T) {
	u := New(DefaultTheme())
	u.Begin(Input{})
	u.ProgressBar(Rect{W: 100, H: 20}, 0.426, "")
	found := false
	for _, o := range u.list.base {
		if o.kind == opText && o.text == "42%" {
			found = true
		}
	}
	if !found {
		t.Errorf("ProgressBar(0.426) drew no %q label", "42%")
	}
}

func TestSteadyFrameDoesNotAllocate(t *testing.T) {
	u := New(DefaultTheme())
	ring := NewRing(256)
	for i := range 300 {
		ring.Push(float64(i % 17))
	}
	plot := Plot{Title: "wave", Series: []Series{ring.Series("x")}}
	v, n, on, sel := 0.5, 3, true, 1
	options := []string{"a", "b", "c"}

	frame := func() {
		u.Begin(Input{X: 40, Y: 40})
		p := u.Panel(Rect{W: 300, H: 500})
		p.Label("Title")
		p.Button("Reset")
		p.Toggle("Pause", &on)
		p.Slider("Gain", &v, 0, 1)
		p.SliderInt("Count", &n, 0, 10)
		p.Choice("Kind", options, &sel)
		p.Dropdown("Pick", options, &sel)
		p.ProgressBar(0.3, "")
		p.Plot(120, &plot)
		u.End()
	}
	frame()
	if allocs := testing.AllocsPerRun(20, frame); allocs != 0 {
		t.Errorf("a steady frame made %v allocations, want 0", allocs)
	}
}
