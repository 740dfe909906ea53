package game

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/neuromop/neuromop/game/ui"
	"github.com/neuromop/neuromop/sim"
)

// Shortcut is a key and what it does, as the help overlay lists it.
type Shortcut struct {
	Key  ebiten.Key
	Name string // the key as the help shows it
	Does string
}

// Shortcuts lists the keyboard shortcuts in the order the help shows them.
// The digits 1 to 7 select the tasks of sim.Tasks in order.
var Shortcuts = func() []Shortcut {
	s := []Shortcut{
		{ebiten.KeySpace, "space", "start or pause training"},
		{ebiten.KeyS, "s", "train one epoch, then pause"},
		{ebiten.KeyR, "r", "reset the run"},
		{ebiten.KeyO, "o", "show or hide the occupancy heatmap"},
		{ebiten.KeyC, "c", "switch between the single and compare views"},
		{ebiten.KeyH, "h", "show or hide this help"},
		{ebiten.KeyEscape, "esc", "close this help"},
	}
	for i, task := range sim.Tasks {
		s = append(s, Shortcut{ebiten.KeyDigit1 + ebiten.Key(i), string(rune('1' + i)), "task " + task})
	}
	return s
}()

// handleKeys carries out the shortcuts pressed in this tick.
func (g *Game) handleKeys() {
	for _, sc := range Shortcuts {
		if !inpututil.IsKeyJustPressed(sc.Key) {
			continue
		}
		g.panelsDirty = true
		switch sc.Key {
		case ebiten.KeySpace:
			g.forRuns((*Run).Toggle)
		case ebiten.KeyS:
			g.forRuns((*Run).StepEpoch)
		case ebiten.KeyR:
			g.reset()
		case ebiten.KeyO:
			g.showHeat = !g.showHeat
		case ebiten.KeyC:
			view := "compare"
			if g.settings.Compare {
				view = "single"
			}
			g.applyParams(map[string]string{keyView: view})
		case ebiten.KeyH:
			g.showHelp = !g.showHelp
		case ebiten.KeyEscape:
			g.showHelp = false
		default:
			g.applyParams(map[string]string{"task": sim.Tasks[sc.Key-ebiten.KeyDigit1]})
		}
	}
}

var colorNotice = color.RGBA{0xff, 0x8a, 0x80, 0xff}

// noticeBox draws the notices, such as rejected URL parameters, over the
// top of the scene area, with a button that dismisses them.
func (g *Game) noticeBox(area ui.Rect) {
	notices := LimitNotices(g.allNotices())
	if len(notices) == 0 {
		return
	}
	u := g.sceneUI
	charW, lineH := u.Measure("0")
	box := ui.Rect{X: area.X + 12, Y: area.Y + 12, W: max(area.W-24, 100)}
	width := int((box.W - 12) / charW)
	heading := "Notice: rejected values keep their previous ones"
	if len(g.notices) == 0 {
		// Only the runs' divergence notices are shown.
		heading = "Notice"
	}
	title := Wrap(heading, width)
	var lines []string
	for _, n := range notices {
		lines = append(lines, Wrap(ASCII(n), width)...)
	}
	box.H = float64(len(title)+len(lines))*(lineH+2) + u.Theme.RowHeight + 20

	u.FillRect(box, u.Theme.Panel)
	u.StrokeRect(box, 2, colorNotice)
	u.Cover(box)

	y := box.Y + 6
	for _, line := range title {
		u.Text(box.X+6, y, line, colorNotice)
		y += lineH + 2
	}
	y += 2
	for _, line := range lines {
		u.Text(box.X+6, y, line, u.Theme.Text)
		y += lineH + 2
	}
	if u.Button(ui.Rect{X: box.X + 6, Y: y + 4, W: 80, H: u.Theme.RowHeight}, "Dismiss##notice") {
		g.notices = nil
	}
}

// helpOverlay draws the list of shortcuts in the middle of the window.
func (g *Game) helpOverlay() {
	u := g.sceneUI
	_, lineH := u.Measure("0")
	rowH := lineH + 4
	w := min(520.0, g.width)
	h := float64(len(Shortcuts)+6) * rowH
	box := ui.Rect{X: (g.width - w) / 2, Y: max((g.height-h)/2, 0), W: w, H: h}
	u.FillRect(box, u.Theme.Panel)
	u.StrokeRect(box, 2, u.Theme.Accent)
	u.Cover(box)
	y := box.Y + 10
	u.Text(box.X+12, y, "Keyboard shortcuts", u.Theme.Text)
	y += rowH + 4
	for _, sc := range Shortcuts {
		u.Text(box.X+12, y, sc.Name, u.Theme.Accent)
		u.Text(box.X+80, y, sc.Does, u.Theme.Text)
		y += rowH
	}
	y += 4
	u.Text(box.X+12, y, "The canvas takes keys once it has been clicked.", u.Theme.MutedText)
	y += rowH
	u.Text(box.X+12, y, "Settings are kept in the page URL, so a link reproduces the run.", u.Theme.MutedText)
	if u.Button(ui.Rect{X: box.X + box.W - 92, Y: box.Y + 6, W: 80, H: u.Theme.RowHeight}, "Close##help") {
		g.showHelp = false
	}
}
