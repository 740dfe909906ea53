package game

import (
	"fmt"
	"sync"

	"github.com/neuromop/neuromop/sim"
)

// benchRun is one run of the benchmark workload of `neuromop bench`
// (sim.RunBench of sim.BenchConfig on one goroutine). It runs in a
// training worker of its own, or in Update without one, where it blocks
// the page for the seconds it takes.
type benchRun struct {
	transport Transport // nil when the benchmark runs in Update

	mu     sync.Mutex
	result *sim.BenchResult
	err    error // set by the worker's error report or Fail
}

var _ Receiver = (*benchRun)(nil)

// Receive stores the result of a "bench" report, or the message of an
// "error" report.
func (b *benchRun) Receive(r sim.WorkerReport) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case r.Op == "bench" && r.Bench != nil:
		b.result = r.Bench
	case r.Op == "error" && b.err == nil:
		b.err = fmt.Errorf("the benchmark worker rejected the bench command: %s", r.Error)
	}
}

// Fail stores err, after which the benchmark runs in Update instead.
func (b *benchRun) Fail(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err == nil {
		b.err = err
	}
}

// startBench starts a benchmark in a training worker, or prepares one for
// Update when local is set or no worker can be started. It replaces the
// previous result.
func (g *Game) startBench(local bool) {
	if g.bench != nil && g.bench.transport != nil {
		g.bench.transport.Close()
	}
	g.bench, g.benchResult = &benchRun{}, nil
	if newTransport := g.transport(local); newTransport != nil {
		g.bench.transport = newTransport(g.bench)
		g.bench.transport.Post(sim.WorkerCommand{Op: "bench"})
	}
}

// pollBench takes the result of a benchmark in a worker, or runs the
// benchmark in Update once the first frame is drawn, so the page shows
// itself before it blocks.
func (g *Game) pollBench() {
	b := g.bench
	if b == nil {
		return
	}
	if b.transport == nil {
		if g.frames.Load() == 0 {
			return
		}
		c := sim.BenchConfig()
		c.Workers = 1
		r, err := sim.RunBench(c)
		g.finishBench(&r, err)
		return
	}

	b.mu.Lock()
	result, err := b.result, b.err
	b.mu.Unlock()
	switch {
	case result != nil:
		g.finishBench(result, nil)
	case err != nil:
		// The benchmark runs in the next Update instead.
		b.transport.Close()
		b.transport = nil
		g.notices = append(g.notices, fmt.Sprintf("%v; the benchmark runs in the page instead", err))
	}
}

func (g *Game) finishBench(r *sim.BenchResult, err error) {
	if g.bench.transport != nil {
		g.bench.transport.Close()
	}
	g.bench = nil
	if err != nil {
		g.notices = append(g.notices, "benchmark failed: "+err.Error())
		return
	}
	g.benchResult = r
}

// benchLabel returns the side panel's line on the benchmark of ?bench=1:
// that it runs, its result, or "" without one.
func (g *Game) benchLabel() string {
	switch {
	case g.bench != nil:
		return "benchmark running"
	case g.benchResult != nil:
		r := g.benchResult
		return fmt.Sprintf("bench: %.0f samples/s", r.SamplesPerSecond)
	}
	return ""
}
