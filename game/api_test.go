package game

import (
	"strings"
	"testing"
)

// smallQuery is the query of a square run small enough to train in a
// test in well under a second.
const smallQuery = "task=square&agents=8&steps=5&eval-agents=4&eval-steps=10&n=20&K=8&units=8&batch=32&passes=1&workers=1"

func newSmallGame(t *testing.T, queries *[]string) *Game {
	t.Helper()
	s, msgs := parse(t, smallQuery)
	if len(msgs) != 0 {
		t.Fatal(msgs)
	}
	return New(Options{Settings: &s, OnSettings: func(q string) { *queries = append(*queries, q) }})
}

func TestGameSetQueuesUntilUpdate(t *testing.T) {
	var queries []string
	g := newSmallGame(t, &queries)
	if len(queries) != 1 || !strings.HasPrefix(queries[0], "task=square&n=20") {
		t.Fatalf("queries after New = %q, want one of the start settings", queries)
	}
	first := g.runs[0]

	msgs := g.Set(map[string]string{"gamma": "7", "alpha": "0.5"})
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], `invalid gamma "7"`) {
		t.Errorf("Set returned %q, want the message about gamma", msgs)
	}
	if g.settings.Config.Alpha != 1 || g.runs[0] != first {
		t.Errorf("Set changed the game before the next Update")
	}
	g.drainQueue()
	if g.settings.Config.Alpha != 0.5 || g.settings.Config.Gamma != 0.9 {
		t.Errorf("alpha, gamma after the update = %v, %v, want 0.5 and the default 0.9",
			g.settings.Config.Alpha, g.settings.Config.Gamma)
	}
	if g.runs[0] == first {
		t.Errorf("a new alpha kept the old run, want a new one")
	}
	if len(g.notices) != 1 {
		t.Errorf("notices %q, want the message about gamma", g.notices)
	}
	if last := queries[len(queries)-1]; !strings.Contains(last, "alpha=0.5") {
		t.Errorf("last query %q lacks alpha=0.5", last)
	}

	// Two calls before one update apply in order, each over the other.
	g.Set(map[string]string{"seed": "5"})
	g.Set(map[string]string{"mu": "0.1"})
	g.drainQueue()
	if g.settings.Config.Seed != 5 || g.settings.Config.Mu != 0.1 {
		t.Errorf("seed, mu = %v, %v, want 5, 0.1", g.settings.Config.Seed, g.settings.Config.Mu)
	}
	if len(g.notices) != 0 {
		t.Errorf("notices %q after valid settings, want none", g.notices)
	}
}

func TestGameStartPauseReset(t *testing.T) {
	var queries []string
	g := newSmallGame(t, &queries)
	g.Start()
	if g.runs[0].Training() {
		t.Fatalf("Start acted before the next Update")
	}
	g.drainQueue()
	g.syncAutostart()
	if !g.runs[0].Training() {
		t.Errorf("run not training after Start")
	}
	if last := queries[len(queries)-1]; !strings.HasSuffix(last, "autostart=1") {
		t.Errorf("query of a training run %q, want autostart=1 at the end", last)
	}

	// A new parameter keeps a training run training.
	g.Set(map[string]string{"alpha": "2"})
	g.drainQueue()
	if !g.runs[0].Training() {
		t.Errorf("the run of a new parameter does not train, want it to go on training")
	}

	g.Pause()
	g.drainQueue()
	g.syncAutostart()
	if g.runs[0].State() != RunPaused {
		t.Errorf("state after Pause = %v, want paused", g.runs[0].State())
	}
	if last := queries[len(queries)-1]; strings.Contains(last, "autostart") {
		t.Errorf("query of a paused run %q, want no autostart", last)
	}
	g.Start()
	g.Reset()
	g.drainQueue()
	if g.runs[0].State() != RunIdle {
		t.Errorf("state after Start and Reset = %v, want idle", g.runs[0].State())
	}
}

func TestGameCompareView(t *testing.T) {
	var queries []string
	g := newSmallGame(t, &queries)
	g.Set(map[string]string{"view": "compare"})
	g.drainQueue()
	if len(g.runs) != 3 {
		t.Fatalf("compare view has %d runs, want 3", len(g.runs))
	}
	for i, kind := range []string{"mop", "r", "free"} {
		if g.runs[i].Config.Agent != kind {
			t.Errorf("run %d is %s, want %s", i, g.runs[i].Config.Agent, kind)
		}
		if g.runs[i].Config.Seed != g.settings.Config.Seed {
			t.Errorf("run %d has seed %d, want the shared seed %d", i, g.runs[i].Config.Seed, g.settings.Config.Seed)
		}
	}
	g.forRuns((*Run).Start)
	for i := 0; i < 2000 && (g.runs[0].Epoch() < 1 || g.runs[1].Epoch() < 1); i++ {
		g.train(2e6)
	}
	if g.runs[0].Epoch() < 1 || g.runs[1].Epoch() < 1 {
		t.Errorf("epochs of MOP and R after interleaved training = %d, %d, want both at least 1",
			g.runs[0].Epoch(), g.runs[1].Epoch())
	}
	if g.runs[2].Training() {
		t.Errorf("the free network trains, want no training")
	}
}
