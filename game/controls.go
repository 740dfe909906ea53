package game

import (
	"fmt"
	"strconv"

	"github.com/neuromop/neuromop/game/ui"
	"github.com/neuromop/neuromop/sim"
)

// Layout is the division of the window into its areas, in logical pixels.
type Layout struct {
	Top    ui.Rect // task and view selectors
	Left   ui.Rect // training controls and parameters
	Center ui.Rect // the scene
	Right  ui.Rect // plots; zero width in a narrow window
}

// ComputeLayout divides a window of w × h logical pixels. A window under
// 800 pixels wide has no plot column.
func ComputeLayout(w, h float64) Layout {
	const margin, topHeight = 6.0, 30.0
	y := margin + topHeight + margin
	bodyH := max(h-y-margin, 0)
	leftW := min(250, max(w*0.3, 0))
	centerX := margin + leftW + margin

	rightW, rightGap := 0.0, 0.0
	if w >= 800 {
		rightW, rightGap = min(300, w*0.25), margin
	}
	centerW := max(w-centerX-margin-rightW-rightGap, 0)
	return Layout{
		Top:    ui.Rect{X: margin, Y: margin, W: max(w-2*margin, 0), H: topHeight},
		Left:   ui.Rect{X: margin, Y: y, W: leftW, H: bodyH},
		Center: ui.Rect{X: centerX, Y: y, W: centerW, H: bodyH},
		Right:  ui.Rect{X: centerX + centerW + rightGap, Y: y, W: rightW, H: bodyH},
	}
}

var viewNames = []string{"single", "compare"}

// layoutFrame records every widget and the scene of this frame, and returns
// the parameters that the user changed, by URL name, or nil.
func (g *Game) layoutFrame() map[string]string {
	l := ComputeLayout(g.width, g.height)
	g.layout = l
	var params map[string]string
	set := func(name, value string) {
		if params == nil {
			params = map[string]string{}
		}
		params[name] = value
	}
	g.topBar(l.Top, set)
	g.sidePanel(l.Left, set)
	g.scene(l.Center)
	if l.Right.W > 0 {
		g.plotColumn(l.Right)
	}
	g.noticeBox(l.Center)
	if g.showHelp {
		g.helpOverlay()
	}
	return params
}

func (g *Game) topBar(r ui.Rect, set func(name, value string)) {
	u := g.ui
	u.Panel(r)
	inner := r.Inset(4)
	u.Label(ui.Rect{X: inner.X, Y: inner.Y, W: 80, H: inner.H}, "NeuroMOP")

	helpW, viewW, fpsW := 70.0, 150.0, 70.0
	tasks := ui.Rect{X: inner.X + 84, Y: inner.Y, W: max(inner.W-84-viewW-helpW-fpsW-12, 0), H: inner.H}
	task := indexOf(sim.Tasks, g.settings.Config.Task)
	if u.Choice(tasks, "task", sim.Tasks, &task) {
		set("task", sim.Tasks[task])
	}
	view := 0
	if g.settings.Compare {
		view = 1
	}
	viewRect := ui.Rect{X: tasks.X + tasks.W + 4, Y: inner.Y, W: viewW, H: inner.H}
	if u.Choice(viewRect, "view", viewNames, &view) {
		set(keyView, viewNames[view])
	}
	help := ui.Rect{X: viewRect.X + viewW + 4, Y: inner.Y, W: helpW, H: inner.H}
	if u.Button(help, "Help (h)") {
		g.showHelp = !g.showHelp
	}
	fps := ui.Rect{X: help.X + helpW + 4, Y: inner.Y, W: fpsW, H: inner.H}
	u.Caption(fps, g.view.fpsLabel(g.status.FPS))
}

func indexOf(options []string, v string) int {
	for i, o := range options {
		if o == v {
			return i
		}
	}
	return 0
}

// speedRows shows the control of the training speed. Runs in the page
// get a slider of the time of a frame that training takes. Runs in
// workers get the toggle of Settings.Pace between auto (steady frames)
// and 1 (full speed), and a line with the duty.
func (g *Game) speedRows(p *ui.Panel, set func(name, value string)) {
	if g.mode() != "worker" {
		p.Slider("Speed ms/frame", &g.speed, minSpeed, maxSpeed)
		return
	}
	steady := g.settings.Pace == 0
	if p.Toggle("Steady frames", &steady) {
		if steady {
			set(keyPace, "auto")
		} else {
			set(keyPace, "1")
		}
	}
	workers, training := 0, false
	for _, r := range g.runs {
		if r.Mode() == "worker" {
			workers++
			training = training || r.Training()
		}
	}
	g.ui.Caption(p.Row(), g.view.dutyLabel(g.duty(), g.settings.Pace, training, g.unpaced(), workers))
}

func (g *Game) sidePanel(r ui.Rect, set func(name, value string)) {
	u := g.ui
	p := u.Panel(r)
	run := g.runs[0]

	cols := ui.Columns(g.view.cols[:0], p.Row(), 3, 4)
	startLabel := "Start##run"
	if run.Training() {
		startLabel = "Pause##run"
	}
	if u.Button(cols[0], startLabel) {
		g.forRuns((*Run).Toggle)
	}
	if u.Button(cols[1], "Step##run") {
		g.forRuns((*Run).StepEpoch)
	}
	if u.Button(cols[2], "Reset##run") {
		g.reset()
		run = g.runs[0]
	}
	g.agentRow(&p)
	g.speedRows(&p, set)
	if run.Trains() {
		p.ProgressBar(run.Progress(), g.view.progressLabel(run))
	} else {
		p.ProgressBar(run.Progress(), g.view.roundLabel(run))
	}
	if label := g.benchLabel(); label != "" {
		u.Caption(p.Row(), label)
	}
	p.Toggle("Occupancy heatmap (o)", &g.showHeat)
	if g.settings.Config.Task == "shapes" {
		g.paramRow(&p, sim.Lookup("shape"), set)
	}

	var hovered *sim.Param
	for _, group := range Groups() {
		open := group == g.openGroup
		sign := "+ "
		if open {
			sign = "- "
		}
		if p.Button(sign + group + "##group:" + group) {
			if open {
				g.openGroup = ""
			} else {
				g.openGroup = group
			}
			open = !open
		}
		if !open {
			continue
		}
		for i := range sim.Params {
			prm := &sim.Params[i]
			if prm.Group != group || prm.Name == "task" || prm.Name == "shape" {
				continue
			}
			if prm.Name == "agent" && g.settings.Compare {
				// The compare view shows every trained kind and the free
				// network, so no agent is selected.
				u.Caption(p.Row(), "agents: mop, r and free")
				continue
			}
			row := g.paramRow(&p, prm, set)
			if row.Contains(u.Pointer()) {
				hovered = prm
			}
		}
	}
	if hovered != nil {
		g.paramHelp(&p, hovered)
	}
}

// paramRow adds the control of prm, generated from its table entry, and
// returns its row.
func (g *Game) paramRow(p *ui.Panel, prm *sim.Param, set func(name, value string)) ui.Rect {
	u := g.ui
	c := &g.settings.Config
	row := p.Row()
	id := prm.Name + "##param"
	switch ControlFor(prm) {
	case ControlChoice:
		labelW := min(50, row.W/4)
		u.Caption(ui.Rect{X: row.X, Y: row.Y, W: labelW, H: row.H}, prm.Name)
		idx := indexOf(prm.Choices, prm.Format(c))
		choices := ui.Rect{X: row.X + labelW, Y: row.Y, W: row.W - labelW, H: row.H}
		if u.Choice(choices, id, prm.Choices, &idx) {
			set(prm.Name, prm.Choices[idx])
		}
	case ControlDropdown:
		idx := indexOf(prm.Choices, prm.Format(c))
		if u.Dropdown(row, id, prm.Choices, &idx) {
			set(prm.Name, prm.Choices[idx])
		}
	case ControlSlider, ControlSliderInt:
		g.sliderRow(row, prm, id, set)
	case ControlStepper:
		down, canDown := StepValue(prm, c, -1)
		up, canUp := StepValue(prm, c, +1)
		switch u.Stepper(row, id, prm.Format(c), canDown, canUp) {
		case -1:
			set(prm.Name, down)
		case +1:
			set(prm.Name, up)
		}
	}
	return row
}

// sliderRow shows a slider that changes the parameter when it is released,
// or at once for a wheel notch, because each change starts a new run.
func (g *Game) sliderRow(row ui.Rect, prm *sim.Param, id string, set func(name, value string)) {
	u := g.ui
	v, dragging := g.drafts[prm.Name]
	if !dragging {
		v = prm.Float(&g.settings.Config)
	}
	changed := false
	if ControlFor(prm) == ControlSliderInt {
		iv := int(v)
		changed = u.SliderInt(row, id, &iv, int(prm.Min), int(prm.Max))
		v = float64(iv)
	} else {
		changed = u.Slider(row, id, &v, prm.Min, prm.Max)
	}
	if changed {
		g.drafts[prm.Name] = v
		dragging = true
	}
	if dragging && !g.pointer.Down {
		delete(g.drafts, prm.Name)
		if ControlFor(prm) == ControlSliderInt {
			set(prm.Name, strconv.Itoa(int(v)))
		} else {
			set(prm.Name, SliderValue(prm, v))
		}
	}
}

// paramHelp shows the help of prm in the space left in the panel.
func (g *Game) paramHelp(p *ui.Panel, prm *sim.Param) {
	u := g.ui
	rest := p.Remaining()
	if rest.H < 20 {
		return
	}
	text := g.view.helpText(prm)
	charW, lineH := u.Measure("0")
	y := rest.Y + 4
	for _, line := range Wrap(text, int(rest.W/charW)) {
		if y+lineH > rest.Y+rest.H {
			break
		}
		u.Text(rest.X, y, line, u.Theme.MutedText)
		y += lineH + 1
	}
}

// helpText returns the help of prm in ASCII, with its accepted values and
// its defaults by task, cached because the panel shows it every frame.
func (v *viewState) helpText(prm *sim.Param) string {
	if s, ok := v.help[prm.Name]; ok {
		return s
	}
	s := ASCII(fmt.Sprintf("%s: %s", prm.Name, sim.Usage(prm)))
	v.help[prm.Name] = s
	return s
}
