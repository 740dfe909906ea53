package ui

// Choice draws options as a row of segmented buttons and sets *selected to
// the index of the one clicked. It reports whether *selected changed. The
// label identifies the widget and is not drawn.
func (u *UI) Choice(r Rect, label string, options []string, selected *int) bool {
	if len(options) == 0 {
		return false
	}
	old := *selected

	w := r.W / float64(len(options))
	for i, opt := range options {
		cell := Rect{X: r.X + float64(i)*w, Y: r.Y, W: w, H: r.H}
		id := widgetID{label: label, item: i + 1}
		if u.click(id, cell) {
			*selected = i
		}
		fill := u.fillFor(id, cell)
		if i == *selected {
			fill = u.Theme.Accent
		}
		u.fillRect(cell, fill)
		u.strokeRect(cell, 1, u.Theme.Border)
		u.textIn(cell, visible(opt), u.Theme.Text, true)
	}
	return *selected != old
}

// Dropdown draws a box showing the label and the selected option. A click
// opens the list of options below it, drawn over other widgets, and a click
// on an option selects it and closes the list. A press anywhere else closes
// the list without acting on what is below. It reports whether *selected
// changed.
func (u *UI) Dropdown(r Rect, label string, options []string, selected *int) bool {
	old := *selected
	id := widgetID{label: label}
	isOpen := u.open == id

	if u.click(id, r) {
		if isOpen {
			u.open = noWidget
		} else {
			u.open = id
		}
		isOpen = !isOpen
	}

	u.fillRect(r, u.fillFor(id, r))
	u.strokeRect(r, 1, u.Theme.Border)
	u.textIn(r, visible(label), u.Theme.MutedText, false)
	// A small downward triangle marks the box as a dropdown.
	ax, ay := r.X+r.W-u.Theme.Padding-8, r.Y+r.H/2-2
	u.line(ax, ay, ax+4, ay+4, 1.5, u.Theme.Text)
	u.line(ax+4, ay+4, ax+8, ay, 1.5, u.Theme.Text)
	if *selected >= 0 && *selected < len(options) {
		valueArea := r
		valueArea.W -= 12
		u.textRight(valueArea, visible(options[*selected]), u.Theme.Text)
	}

	if !isOpen {
		return false
	}
	u.openSeen = true
	list := Rect{X: r.X, Y: r.Y + r.H, W: r.W, H: r.H * float64(len(options))}
	u.openList = list

	first := len(u.list.base)
	u.fillRect(list, u.Theme.Panel)
	for i, opt := range options {
		cell := Rect{X: list.X, Y: list.Y + float64(i)*r.H, W: list.W, H: r.H}
		optID := widgetID{label: label, item: i + 1}
		if u.click(optID, cell) {
			*selected = i
			u.open = noWidget
		}
		fill := u.fillFor(optID, cell)
		if i == *selected {
			fill = u.Theme.Accent
		}
		u.fillRect(cell, fill)
		u.textIn(cell, visible(opt), u.Theme.Text, false)
	}
	u.strokeRect(list, 1, u.Theme.Border)
	u.toOverlay(first)

	return *selected != old
}
