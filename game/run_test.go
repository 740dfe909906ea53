package game

import (
	"testing"
	"time"

	"github.com/neuromop/neuromop/sim"
)

// smallConfig returns a task's defaults shrunk so that an epoch takes
// milliseconds.
func smallConfig(t *testing.T, task, agent string) sim.Config {
	t.Helper()
	c, err := sim.DefaultConfig(task)
	if err != nil {
		t.Fatal(err)
	}
	c.Agent = agent
	c.N, c.K, c.Units = 20, 8, 8
	c.Agents, c.Steps, c.Batch, c.Passes = 8, 10, 32, 1
	c.EvalAgents, c.EvalSteps, c.FinalAgents, c.FinalSteps = 4, 20, 4, 20
	c.Epochs, c.Workers = 3, 1
	return c
}

func TestRunStateMachine(t *testing.T) {
	r, err := NewRun(smallConfig(t, "square", "mop"))
	if err != nil {
		t.Fatal(err)
	}
	if r.State() != RunIdle || r.Training() {
		t.Fatalf("new run state %v, training %v, want idle and not training", r.State(), r.Training())
	}
	r.Train(time.Hour)
	if r.Epoch() != 0 {
		t.Errorf("an idle run trained %d epochs, want 0", r.Epoch())
	}

	r.StepEpoch()
	if r.State() != RunStepping {
		t.Errorf("state after StepEpoch = %v, want stepping", r.State())
	}
	for i := 0; i < 10000 && r.State() == RunStepping; i++ {
		r.Train(0)
	}
	if r.State() != RunPaused || r.Epoch() != 1 {
		t.Errorf("after one step: state %v, epoch %d, want paused at epoch 1", r.State(), r.Epoch())
	}
	if r.Display.Rounds != 2 {
		t.Errorf("display rounds after one epoch = %d, want 2: the display restarts after an epoch", r.Display.Rounds)
	}

	r.Toggle()
	if r.State() != RunTraining {
		t.Errorf("state after Toggle of a paused run = %v, want training", r.State())
	}
	r.Toggle()
	if r.State() != RunPaused {
		t.Errorf("state after Toggle of a training run = %v, want paused", r.State())
	}
	r.Start()
	for i := 0; i < 100000 && r.State() != RunDone; i++ {
		r.Train(time.Millisecond)
	}
	if r.State() != RunDone || r.Epoch() != 3 {
		t.Fatalf("after training: state %v, epoch %d, want done at epoch 3", r.State(), r.Epoch())
	}
	r.Start()
	if r.State() != RunDone {
		t.Errorf("Start of a finished run moved it to %v, want done", r.State())
	}
	if len(r.Survival) != 3 || len(r.Lifetime) != 3 || len(r.EffectiveDim) != 3 {
		t.Errorf("plot series lengths %d, %d, %d, want 3 each", len(r.Survival), len(r.Lifetime), len(r.EffectiveDim))
	}
	for i, m := range r.History {
		if m.Survival < 0 || m.Survival > 1 {
			t.Errorf("epoch %d survival %v, want in [0, 1]", i+1, m.Survival)
		}
		if want := r.Trainer.History()[i].Eval; m.Survival != want.Survival || m.EffectiveDim != want.EffectiveDim {
			t.Errorf("epoch %d metrics differ from the trainer's evaluation", i+1)
		}
	}
}

func TestRunWithoutTrainer(t *testing.T) {
	for _, kind := range []string{"free", "silent"} {
		r, err := NewRun(smallConfig(t, "energy", kind))
		if err != nil {
			t.Fatal(err)
		}
		if r.Trains() {
			t.Errorf("%s run has a trainer", kind)
		}
		r.Start()
		r.StepEpoch()
		if r.State() != RunIdle {
			t.Errorf("%s run state after Start and StepEpoch = %v, want idle", kind, r.State())
		}
		steps := 0
		for r.Epoch() < 2 && steps < 1000 {
			r.StepDisplay()
			steps++
		}
		if r.Epoch() != 2 {
			t.Fatalf("%s run finished %d display rounds in %d steps, want 2", kind, r.Epoch(), steps)
		}
		if steps > 2*r.Config.EvalSteps+1 {
			t.Errorf("%s run took %d steps for 2 rounds, want at most %d", kind, steps, 2*r.Config.EvalSteps+1)
		}
		if r.Latest() == nil || r.Latest().Occupancy == nil {
			t.Errorf("%s run has no metrics with occupancy after 2 rounds", kind)
		}
	}
}

func TestDisplayBounded(t *testing.T) {
	r, err := NewRun(smallConfig(t, "energy", "free"))
	if err != nil {
		t.Fatal(err)
	}
	d := r.Display
	for i := 0; i < EntropyLength+TrailLength+50; i++ {
		d.Step()
	}
	for i, tr := range d.Trails {
		if tr.Len() > TrailLength {
			t.Errorf("trail %d has %d points, want at most %d", i, tr.Len(), TrailLength)
		}
	}
	if d.Entropy.Len() != EntropyLength {
		t.Errorf("entropy ring has %d samples, want %d", d.Entropy.Len(), EntropyLength)
	}
	if len(d.Raster) != d.RasterRows*RasterSteps || d.RasterRows != 20 {
		t.Errorf("raster of %d values in %d rows, want 20 rows of %d", len(d.Raster), d.RasterRows, RasterSteps)
	}
	sum := 0.0
	for _, b := range d.Histogram {
		sum += b
	}
	if d.Pop.Alive() > 0 && (sum < 0.999 || sum > 1.001) {
		t.Errorf("histogram fractions add up to %v, want 1", sum)
	}
}

func TestDisplayShapesInTurn(t *testing.T) {
	c := smallConfig(t, "shapes", "free")
	r, err := NewRun(c)
	if err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 7; round++ {
		want := round % len(sim.ShapeNames)
		if r.Display.Context != want {
			t.Errorf("round %d shows context %d, want %d", round+1, r.Display.Context, want)
		}
		for i, a := range r.Display.Pop.Agents {
			if a.Context != want {
				t.Errorf("round %d agent %d in context %d, want %d", round+1, i, a.Context, want)
				break
			}
		}
		r.Display.Restart()
	}

	c.Shape = "ring"
	r, err = NewRun(c)
	if err != nil {
		t.Fatal(err)
	}
	r.Display.Restart()
	if got := sim.ShapeNames[r.Display.Context]; got != "ring" {
		t.Errorf("shape=ring shows %s in round 2, want ring", got)
	}
}

func TestRunSameSeedSameDisplay(t *testing.T) {
	c := smallConfig(t, "square", "mop")
	a, _ := NewRun(c)
	b, _ := NewRun(c)
	for i := 0; i < 30; i++ {
		a.StepDisplay()
		b.StepDisplay()
	}
	for i := range a.Display.Trails {
		pa, _ := a.Display.Trails[i].Last()
		pb, _ := b.Display.Trails[i].Last()
		if pa != pb {
			t.Errorf("agent %d of two runs of one config at %v and %v, want the same", i, pa, pb)
		}
	}
}
