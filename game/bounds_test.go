package game

import (
	"math"
	"slices"
	"testing"

	"github.com/neuromop/neuromop/game/ui"
	"github.com/neuromop/neuromop/sim"
)

// frame records the widgets of one frame of a 1024 × 640 window with
// pointer input in, as Update does, and returns the changed parameters.
func frame(g *Game, in ui.Input) map[string]string {
	g.width, g.height, g.scale = 1024, 640, 1
	g.ui.Begin(in)
	g.sceneUI.Begin(in)
	params := g.layoutFrame()
	g.sceneUI.End()
	g.ui.End()
	return params
}

func TestPlotsShowLatestEpochs(t *testing.T) {
	g := newAgentGame(t, "task=square&view=compare")
	for i := 0; i < PlotEpochs+700; i++ {
		g.runs[0].Survival = append(g.runs[0].Survival, float64(i))
	}
	for i := 0; i < 100; i++ {
		g.runs[1].Survival = append(g.runs[1].Survival, float64(i))
	}
	frame(g, ui.Input{X: -1, Y: -1})

	p := g.view.plots[0]
	if got := p.Series[0].Len(); got != PlotEpochs {
		t.Errorf("survival series of %d epochs shows %d, want %d", PlotEpochs+700, got, PlotEpochs)
	}
	if p.Series[0].At(0) != 700 {
		t.Errorf("first shown survival %v, want the value of epoch 701", p.Series[0].At(0))
	}
	if p.X0 != 701 {
		t.Errorf("survival plot X0 = %v, want 701", p.X0)
	}
	if got := p.Series[1].Len(); got != 0 {
		t.Errorf("a run of 100 epochs shows %d in the window of the last %d, want 0", got, PlotEpochs)
	}
}

func TestDisplaySharesOccupancy(t *testing.T) {
	r, err := NewRun(smallConfig(t, "square", "free"))
	if err != nil {
		t.Fatal(err)
	}
	d := r.Display
	for d.Finished < 4 {
		d.Step()
	}

	if d.Last == nil || d.Last.Occupancy == nil {
		t.Fatalf("a finished round of the square task has no occupancy")
	}
	first := d.Last.Occupancy
	for d.Finished < 8 {
		r.StepDisplay()
	}

	if d.Last.Occupancy != first {
		t.Errorf("round %d has a new occupancy histogram, want the display's one", d.Finished)
	}
	sum := 0.0
	for _, c := range d.Last.Occupancy.Counts {
		sum += c
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("occupancy fractions sum to %v, want 1", sum)
	}

	for i := range r.History {
		if occ := r.History[i].Occupancy; occ != nil && occ != first {
			t.Errorf("history round %d keeps a histogram of its own", i+1)
		}
	}
}

func TestAgentButtons(t *testing.T) {
	g := newAgentGame(t, agentQuery)
	var saved []string
	opened := 0
	g.SetAgentFiles(AgentFiles{
		Save: func(name, text string) { saved = append(saved, name, text) },
		Open: func() { opened++ },
	})
	// The buttons are the second row of the side panel: two columns of
	// the panel's width inside its padding.
	l := ComputeLayout(1024, 640)
	th := ui.DefaultTheme()
	cols := ui.Columns(nil, ui.Rect{
		X: l.Left.X + th.Padding, Y: l.Left.Y + th.Padding + th.RowHeight + th.Gap,
		W: l.Left.W - 2*th.Padding, H: th.RowHeight,
	}, 2, 4)
	click := func(r ui.Rect) {
		x, y := r.X+r.W/2, r.Y+r.H/2
		frame(g, ui.Input{X: x, Y: y, Down: true, Pressed: true})
		frame(g, ui.Input{X: x, Y: y, Released: true})
	}

	click(cols[0])
	if len(saved) != 2 || saved[0] != "neuromop-square-mop-seed3-0epochs.agent.json" {
		t.Fatalf("Save agent saved %q, want one file of the untrained agent", saved)
	}
	if msg := newAgentGame(t, "task=square").ImportAgent(saved[1]); msg != "" {
		t.Errorf("the saved file is rejected: %s", msg)
	}
	click(cols[1])
	if opened != 1 {
		t.Errorf("Load agent opened the file picker %d times, want 1", opened)
	}
}

func TestCompareViewSelectsNoAgent(t *testing.T) {
	const caption = "agents: mop, r and free"
	for _, tc := range []struct {
		query string
		want  bool
	}{{"task=square&view=compare", true}, {"task=square", false}} {
		g := newAgentGame(t, tc.query)
		g.openGroup = sim.Lookup("agent").Group
		frame(g, ui.Input{X: -1, Y: -1})
		if got := slices.Contains(g.ui.Texts(), caption); got != tc.want {
			t.Errorf("%s: side panel shows %q: %v, want %v", tc.query, caption, got, tc.want)
		}
	}
}
