package game

import (
	"strings"
	"testing"
)

// trainEpochs updates g until its first run has trained epochs epochs.
func trainEpochs(t *testing.T, g *Game, epochs int) {
	t.Helper()
	for i := 0; i < 100000 && g.runs[0].Epoch() < epochs; i++ {
		if err := g.Update(); err != nil {
			t.Fatal(err)
		}
	}
	if got := g.runs[0].Epoch(); got < epochs {
		t.Fatalf("epoch %d after the updates, want %d", got, epochs)
	}
}

// longQuery is agentQuery with enough epochs that no run finishes in
// these tests.
const longQuery = "task=square&seed=3&epochs=50&agents=8&steps=5&eval-agents=4&eval-steps=10" +
	"&final-agents=4&final-steps=20&n=20&K=8&units=8&batch=32&passes=1&workers=1"

func TestViewSwitchKeepsPausedRun(t *testing.T) {
	g := newAgentGame(t, longQuery)
	g.Start()
	trainEpochs(t, g, 2)
	g.Pause()
	if err := g.Update(); err != nil {
		t.Fatal(err)
	}
	single := g.runs[0]
	epochs := single.Epoch()
	if single.State() != RunPaused {
		t.Fatalf("state after Pause = %v, want paused", single.State())
	}

	g.Set(map[string]string{"view": "compare"})
	if err := g.Update(); err != nil {
		t.Fatal(err)
	}
	if len(g.runs) != 3 {
		t.Fatalf("compare view has %d runs, want 3", len(g.runs))
	}
	for _, r := range g.runs {
		if r.Training() {
			t.Errorf("compare run %s is %v after a switch from a paused run, want idle", r.Config.Agent, r.State())
		}
	}

	g.Set(map[string]string{"view": "single"})
	if err := g.Update(); err != nil {
		t.Fatal(err)
	}
	if g.runs[0] != single {
		t.Fatalf("the single view has a new run, want the paused one back")
	}
	if got := g.runs[0].State(); got != RunPaused {
		t.Errorf("state after the switch back = %v, want paused", got)
	}
	if got := g.runs[0].Epoch(); got != epochs {
		t.Errorf("epoch after the switch back = %d, want %d", got, epochs)
	}
}

func TestTaskSwitchRestoresTrainingRun(t *testing.T) {
	g := newAgentGame(t, longQuery)
	g.Start()
	trainEpochs(t, g, 2)
	square := g.runs[0]

	g.Set(map[string]string{"task": "energy"})
	if err := g.Update(); err != nil {
		t.Fatal(err)
	}
	if g.runs[0] == square || g.runs[0].Config.Task != "energy" {
		t.Fatalf("task energy kept the square run")
	}
	if !g.runs[0].Training() {
		t.Errorf("the energy run is %v, want training as the square run was", g.runs[0].State())
	}
	if square.Training() {
		t.Errorf("the kept square run is %v, want paused while kept", square.State())
	}
	epochs := square.Epoch()

	// Set starts from the pending settings, so the return to the square
	// task names the square task's parameters again.
	g.Set(map[string]string{"task": "square", "epochs": "50", "agents": "8", "steps": "5", "eval-agents": "4",
		"eval-steps": "10", "final-agents": "4", "final-steps": "20", "n": "20", "K": "8", "units": "8",
		"batch": "32", "passes": "1", "workers": "1"})
	if err := g.Update(); err != nil {
		t.Fatal(err)
	}
	if g.runs[0] != square {
		t.Fatalf("the return to the square task built a new run, want the kept one; notices %q", g.notices)
	}
	if got := g.runs[0].Epoch(); got < epochs {
		t.Errorf("epoch after the return = %d, want at least the %d trained before", got, epochs)
	}
	if !g.runs[0].Training() {
		t.Errorf("the restored run is %v, want training as before", g.runs[0].State())
	}
}

func TestThirdSettingsDiscardsOldestWithNotice(t *testing.T) {
	g := newAgentGame(t, longQuery)
	g.Start()
	trainEpochs(t, g, 1)

	g.Set(map[string]string{"view": "compare"})
	if err := g.Update(); err != nil {
		t.Fatal(err)
	}
	for _, n := range g.notices {
		if strings.Contains(n, "discarded") {
			t.Errorf("notice %q after the first switch, want the single run kept", n)
		}
	}

	g.Set(map[string]string{"task": "energy"})
	if err := g.Update(); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range g.notices {
		found = found || strings.HasPrefix(n, "discarded the ") && strings.Contains(n, "of task square in the single view")
	}
	if !found {
		t.Errorf("notices %q, want one that the single run's epochs were discarded", g.notices)
	}
	if g.kept == nil || !g.kept.key.compare || g.kept.key.config.Task != "square" {
		t.Errorf("kept runs after the second switch are not the square task's compare runs")
	}
}

func TestResetClosesRuns(t *testing.T) {
	g := newAgentGame(t, longQuery)
	g.Start()
	trainEpochs(t, g, 1)
	first := g.runs[0]
	g.Reset()
	if err := g.Update(); err != nil {
		t.Fatal(err)
	}
	if g.runs[0] == first || g.runs[0].Epoch() != 0 {
		t.Errorf("reset kept the trained run, want a new one")
	}
	if g.kept != nil {
		t.Errorf("reset kept the old runs, want them closed")
	}
}
