package ui

// Stepper draws a label, a value and two buttons, − and +, for a value that
// is changed in steps rather than typed. It returns −1 when − was clicked in
// this tick, +1 when + was clicked, and 0 otherwise; the caller computes the
// new value. Either button can be disabled, at the end of a range, and then
// draws muted and returns no click.
func (u *UI) Stepper(r Rect, label, value string, canDown, canUp bool) int {
	bw := min(r.H+4, r.W/4)
	minus := Rect{X: r.X + r.W - 2*bw, Y: r.Y, W: bw, H: r.H}
	plus := Rect{X: r.X + r.W - bw, Y: r.Y, W: bw, H: r.H}
	box := Rect{X: r.X, Y: r.Y, W: r.W - 2*bw, H: r.H}

	u.fillRect(box, u.Theme.Widget)
	u.strokeRect(box, 1, u.Theme.Border)
	u.textIn(box, visible(label), u.Theme.Text, false)
	u.textRight(box, value, u.Theme.Text)

	step := 0
	if u.stepButton(minus, widgetID{label: label, item: 1}, "-", canDown) {
		step = -1
	}
	if u.stepButton(plus, widgetID{label: label, item: 2}, "+", canUp) {
		step = +1
	}
	return step
}

func (u *UI) stepButton(r Rect, id widgetID, sign string, enabled bool) bool {
	if !enabled {
		u.hover(id, r) // the pointer over it still counts as over the UI
		u.fillRect(r, u.Theme.Panel)
		u.strokeRect(r, 1, u.Theme.Border)
		u.textIn(r, sign, u.Theme.MutedText, true)
		return false
	}
	clicked := u.click(id, r)
	u.fillRect(r, u.fillFor(id, r))
	u.strokeRect(r, 1, u.Theme.Border)
	u.textIn(r, sign, u.Theme.Text, true)
	return clicked
}

// Stepper adds a row with a stepper and returns its click, see UI.Stepper.
func (p *Panel) Stepper(label, value string, canDown, canUp bool) int {
	return p.UI.Stepper(p.Row(), label, value, canDown, canUp)
}
