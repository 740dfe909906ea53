package game

import (
	"slices"
	"testing"

	"github.com/neuromop/neuromop/game/ui"
	"github.com/neuromop/neuromop/sim"
)

func TestBenchShowsInSidePanel(t *testing.T) {
	s, msgs := parse(t, "bench=1")
	if len(msgs) != 0 {
		t.Fatal(msgs)
	}
	g := New(Options{Settings: &s, NewTransport: func(Receiver) Transport { return &silentTransport{} }})
	frame(g, ui.Input{X: -1, Y: -1})
	if !slices.Contains(g.ui.Texts(), "benchmark running") {
		t.Errorf("side panel texts %q, want the running benchmark", g.ui.Texts())
	}

	g.bench.Receive(sim.WorkerReport{Op: "bench", Bench: &sim.BenchResult{SamplesPerSecond: 654.4, GFLOPS: 0.65}})
	g.pollBench()
	frame(g, ui.Input{X: -1, Y: -1})
	found := false
	for _, s := range g.ui.Texts() {
		found = found || s == "bench: 654 samples/s"
	}
	if !found {
		t.Errorf("side panel texts %q, want the benchmark's result", g.ui.Texts())
	}
}
