package ui

import "strconv"

// Label draws s inside r, vertically centred and aligned left.
func (u *UI) Label(r Rect, s string) {
	u.textIn(r, s, u.Theme.Text, false)
}

// Caption draws s like Label in the theme's muted text colour.
func (u *UI) Caption(r Rect, s string) {
	u.textIn(r, s, u.Theme.MutedText, false)
}

// Button draws a button and reports whether it was clicked in this tick: the
// primary button went down on it and came up on it again.
func (u *UI) Button(r Rect, label string) bool {
	id := widgetID{label: label}
	clicked := u.click(id, r)
	u.fillRect(r, u.fillFor(id, r))
	u.strokeRect(r, 1, u.Theme.Border)
	u.textIn(r, visible(label), u.Theme.Text, true)
	return clicked
}

// Toggle draws a checkbox with a label and flips *on when clicked. It
// reports whether *on changed in this tick.
func (u *UI) Toggle(r Rect, label string, on *bool) bool {
	id := widgetID{label: label}
	changed := false
	if u.click(id, r) {
		*on = !*on
		changed = true
	}

	if u.hover(id, r) {
		u.fillRect(r, u.Theme.Hover)
	}
	box := Rect{X: r.X + u.Theme.Padding, Y: r.Y + (r.H-12)/2, W: 12, H: 12}
	u.fillRect(box, u.Theme.Widget)
	u.strokeRect(box, 1, u.Theme.Border)
	if *on {
		u.fillRect(box.Inset(3), u.Theme.Accent)
	}

	textArea := Rect{X: box.X + box.W, Y: r.Y, W: r.X + r.W - box.X - box.W, H: r.H}
	u.textIn(textArea, visible(label), u.Theme.Text, false)
	return changed
}

// ProgressBar draws a bar filled to fraction, which is clamped to [0, 1],
// with label centred on it. An empty label shows the percentage.
func (u *UI) ProgressBar(r Rect, fraction float64, label string) {
	if fraction != fraction { // NaN
		fraction = 0
	}
	fraction = min(max(fraction, 0), 1)

	u.fillRect(r, u.Theme.Widget)
	u.fillRect(Rect{X: r.X, Y: r.Y, W: r.W * fraction, H: r.H}, u.Theme.Accent)
	u.strokeRect(r, 1, u.Theme.Border)
	if label == "" {
		label = u.percent(int(fraction * 100))
	}
	u.textIn(r, label, u.Theme.Text, true)
}

// percentLabels are the labels of progress bars without a label of their own.
var percentLabels = func() (labels [101]string) {
	for i := range labels {
		labels[i] = strconv.Itoa(i) + "%"
	}
	return labels
}()

func (u *UI) percent(p int) string { return percentLabels[min(max(p, 0), 100)] }

// Panel draws a panel background over r and returns a Panel that stacks
// widgets inside it from the top. The pointer over r counts as over the UI
// for WantsPointer.
func (u *UI) Panel(r Rect) Panel {
	u.fillRect(r, u.Theme.Panel)
	u.strokeRect(r, 1, u.Theme.Border)
	if r.Contains(u.in.X, u.in.Y) {
		u.hovering = true
	}
	return Panel{
		UI:    u,
		Stack: Stack{Bounds: r, Padding: u.Theme.Padding, Gap: u.Theme.Gap},
	}
}

// PanelAround draws a panel over r as Panel does, but leaves the background
// unfilled inside the holes, which the caller then covers with opaque
// drawing. Each hole must lie inside r and overlap no other hole. This
// spares filling the pixels of the holes twice, which software WebGL such
// as SwiftShader pays for pixel by pixel.
//
// The parts of the background reach half a logical pixel into each other
// and 1.5 logical pixels into each hole, and stay half a logical pixel
// inside r, whose edge the 1-pixel border covers. So rounding at their
// edges leaves no pixel unfilled that the caller's drawing or Panel's
// background would cover.
func (u *UI) PanelAround(r Rect, holes []Rect) Panel {
	inner := r.Inset(0.5)
	u.holes = u.holes[:0]
	for _, h := range holes {
		u.holes = append(u.holes, h.Inset(1))
	}
	u.parts = u.subtraction.subtract(u.parts[:0], inner, u.holes)
	for _, part := range u.parts {
		part = Rect{X: part.X - 0.5, Y: part.Y - 0.5, W: part.W + 1, H: part.H + 1}
		u.fillRect(part.intersect(inner), u.Theme.Panel)
	}
	u.strokeRect(r, 1, u.Theme.Border)
	if r.Contains(u.in.X, u.in.Y) {
		u.hovering = true
	}
	return Panel{
		UI:    u,
		Stack: Stack{Bounds: r, Padding: u.Theme.Padding, Gap: u.Theme.Gap},
	}
}

// Panel stacks widgets vertically, one row of the theme's RowHeight each
// unless a method takes a height.
type Panel struct {
	UI *UI
	Stack
}

// Row returns the next row of the theme's row height.
func (p *Panel) Row() Rect {
	return p.Next(p.UI.Theme.RowHeight)
}

// Label adds a row with a label.
func (p *Panel) Label(s string) { p.UI.Label(p.Row(), s) }

// Caption adds a row with a caption.
func (p *Panel) Caption(s string) { p.UI.Caption(p.Row(), s) }

// Button adds a row with a button and reports whether it was clicked.
func (p *Panel) Button(label string) bool { return p.UI.Button(p.Row(), label) }

// Toggle adds a row with a checkbox and reports whether *on changed.
func (p *Panel) Toggle(label string, on *bool) bool { return p.UI.Toggle(p.Row(), label, on) }

// Slider adds a row with a float slider and reports whether *v changed.
func (p *Panel) Slider(label string, v *float64, lo, hi float64) bool {
	return p.UI.Slider(p.Row(), label, v, lo, hi)
}

// SliderInt adds a row with an integer slider and reports whether *v changed.
func (p *Panel) SliderInt(label string, v *int, lo, hi int) bool {
	return p.UI.SliderInt(p.Row(), label, v, lo, hi)
}

// Choice adds a row of segmented buttons and reports whether *selected changed.
func (p *Panel) Choice(label string, options []string, selected *int) bool {
	return p.UI.Choice(p.Row(), label, options, selected)
}

// Dropdown adds a row with a dropdown and reports whether *selected changed.
func (p *Panel) Dropdown(label string, options []string, selected *int) bool {
	return p.UI.Dropdown(p.Row(), label, options, selected)
}

// ProgressBar adds a row with a progress bar.
func (p *Panel) ProgressBar(fraction float64, label string) {
	p.UI.ProgressBar(p.Row(), fraction, label)
}

// Plot adds a row of height h with a plot.
func (p *Panel) Plot(h float64, plot *Plot) { p.UI.Plot(p.Next(h), plot) }

// Heatmap adds a row of height h with a heatmap.
func (p *Panel) Heatmap(h float64, m *Heatmap) { p.UI.Heatmap(p.Next(h), m) }
