package game

import (
	"testing"
	"time"

	"github.com/neuromop/neuromop/game/ui"
	"github.com/neuromop/neuromop/sim"
)

// compareQuery is a compare view of the square task small enough that an
// epoch takes milliseconds, with evaluations of 20 steps so that the free
// network's display rounds outnumber the epochs.
const compareQuery = "task=square&view=compare&epochs=4&agents=8&steps=5&eval-agents=4&eval-steps=20" +
	"&final-agents=4&final-steps=20&n=20&K=8&units=8&batch=32&passes=1&workers=1"

func TestCompareFreeSharesEpochAxis(t *testing.T) {
	g := newAgentGame(t, compareQuery)
	if len(g.runs) != 3 {
		t.Fatalf("compare view has %d runs, want 3", len(g.runs))
	}
	mop, r, free := g.runs[0], g.runs[1], g.runs[2]
	g.forRuns((*Run).Start)
	for i := 0; i < 100000 && (mop.Epoch() < 3 || r.Epoch() < 3); i++ {
		g.train(100 * time.Microsecond)
		// Each display takes the steps of a frame, as stepDisplays does.
		for step := 0; step < maxDisplaySteps; step++ {
			g.forRuns((*Run).StepDisplay)
		}
	}
	if mop.Epoch() < 3 || r.Epoch() < 3 {
		t.Fatalf("epochs of MOP and R = %d, %d, want at least 3", mop.Epoch(), r.Epoch())
	}
	epochs := max(mop.Epoch(), r.Epoch())
	if free.Display.Finished <= epochs {
		t.Fatalf("the free network's display finished %d rounds in %d epochs, want more rounds than epochs, "+
			"so that the check below tells rounds from epochs", free.Display.Finished, epochs)
	}
	if free.Epoch() != epochs {
		t.Errorf("free network has %d points, want one per epoch of the furthest trained run, %d", free.Epoch(), epochs)
	}
	if len(free.Survival) != epochs || len(free.Lifetime) != epochs || len(free.EffectiveDim) != epochs {
		t.Errorf("free network's plot series have %d, %d, %d points, want %d each",
			len(free.Survival), len(free.Lifetime), len(free.EffectiveDim), epochs)
	}

	// Each point is the evaluation that the trainers run after an epoch.
	c := free.Config
	env, err := sim.NewEnv(&c)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := sim.Evaluate(env, &c, sim.PolicyFree, nil, c.EvalAgents, c.EvalSteps)
	for e, m := range free.History {
		if m.Survival != want.Survival || m.MeanLifetime != want.MeanLifetime || m.EffectiveDim != want.EffectiveDim {
			t.Errorf("free network at epoch %d: survival %v, lifetime %v, effective dim %v, want the evaluation's %v, %v, %v",
				e+1, m.Survival, m.MeanLifetime, m.EffectiveDim, want.Survival, want.MeanLifetime, want.EffectiveDim)
		}
		if m.Steps != c.EvalSteps || m.Agents != c.EvalAgents {
			t.Errorf("free network at epoch %d: %d agents for %d steps, want %d for %d",
				e+1, m.Agents, m.Steps, c.EvalAgents, c.EvalSteps)
		}
	}

	// The plots put epoch e of every run at the same x.
	frame(g, ui.Input{X: -1, Y: -1})
	for _, i := range []int{0, 1, 3} {
		p := g.view.plots[i]
		if p.X0 != 1 || p.DX != 1 {
			t.Errorf("plot %q has x from %v in steps of %v, want epochs from 1 in steps of 1", p.Title, p.X0, p.DX)
		}
		if got, want := p.Series[2].Len(), max(p.Series[0].Len(), p.Series[1].Len()); got != want {
			t.Errorf("plot %q shows %d points of the free network, want %d, as many as the furthest trained run",
				p.Title, got, want)
		}
	}
}

func TestCompareFreeWaitsForEvaluation(t *testing.T) {
	g := newAgentGame(t, compareQuery)
	free := g.runs[2]
	if !free.Evaluating() {
		t.Fatalf("the free network of the compare view is not evaluating")
	}
	// Without a finished evaluation, an epoch of the trained runs adds no
	// point, because the free network has no metrics to show for it.
	free.SetEpochs(2)
	if free.Epoch() != 0 {
		t.Errorf("free network has %d points before its evaluation finished, want 0", free.Epoch())
	}
	for i := 0; i < 1000 && free.Evaluating(); i++ {
		free.Train(time.Millisecond)
	}
	if free.Evaluating() {
		t.Fatalf("the free network's evaluation did not finish")
	}
	free.SetEpochs(2)
	if free.Epoch() != 2 {
		t.Errorf("free network has %d points after SetEpochs(2), want 2", free.Epoch())
	}
	// A trained run that starts again, such as after its worker failed,
	// takes the free network's points back with it.
	free.SetEpochs(1)
	if free.Epoch() != 1 || len(free.Survival) != 1 {
		t.Errorf("free network has %d points, %d survival values after SetEpochs(1), want 1", free.Epoch(), len(free.Survival))
	}
}

func TestSingleFreeKeepsDisplayRounds(t *testing.T) {
	g := newAgentGame(t, "task=square&agent=free&eval-agents=4&eval-steps=20&n=20&K=8")
	free := g.runs[0]
	if free.Evaluating() {
		t.Errorf("the free network of the single view evaluates, want its display rounds only")
	}
	for i := 0; i < 1000 && free.Epoch() < 2; i++ {
		free.StepDisplay()
	}
	if free.Epoch() != free.Display.Finished || free.Epoch() < 2 {
		t.Errorf("single free network has %d points after %d display rounds, want one per round", free.Epoch(), free.Display.Finished)
	}
}
