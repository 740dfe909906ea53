package game

import "testing"

func TestCompareShapesShareRounds(t *testing.T) {
	s, msgs := parse(t, "task=shapes&view=compare&agents=4&steps=5&eval-agents=6&eval-steps=12&n=20&K=4&units=4&batch=8&passes=1&workers=1")
	if len(msgs) != 0 {
		t.Fatal(msgs)
	}
	g := New(Options{Settings: &s})
	if len(g.runs) != 3 {
		t.Fatalf("compare view has %d runs, want 3", len(g.runs))
	}
	clock := g.runs[0].Display.Clock
	if clock == nil {
		t.Fatal("the compare view of shapes=all has no round clock")
	}
	shapes := map[int]bool{}
	for step := 0; step < 400; step++ {
		for _, r := range g.runs {
			r.StepDisplay()
		}
		clock.Advance()
		ctx := g.runs[0].Display.Context
		for i, r := range g.runs[1:] {
			if r.Display.Context != ctx {
				t.Fatalf("step %d: run %d shows context %d, run 0 shows %d; want one shape in all panels",
					step, i+1, r.Display.Context, ctx)
			}
		}
		shapes[ctx] = true
	}
	if len(shapes) < 3 {
		t.Errorf("400 display steps showed %d shapes, want the cycle to go on", len(shapes))
	}

	// Displays that restart after every epoch, more often than a round
	// lasts, do not hold the clock.
	round := clock.Round
	for step := 0; step < 3*clock.Length; step++ {
		for _, r := range g.runs {
			r.StepDisplay()
		}
		if step%5 == 0 {
			g.runs[0].Display.Restart()
			g.runs[1].Display.Restart()
		}
		clock.Advance()
	}
	if clock.Round < round+2 {
		t.Errorf("clock at round %d after %d steps from round %d with restarts every 5 steps, want at least %d",
			clock.Round, 3*clock.Length, round, round+2)
	}

	// A run whose display restarts after an epoch stays on the clock's
	// shape.
	ctx := g.runs[1].Display.Context
	g.runs[0].Display.Restart()
	if got := g.runs[0].Display.Context; got != ctx {
		t.Errorf("after a restart run 0 shows context %d, want the clock's %d", got, ctx)
	}
}

func TestSingleShapesHasNoClock(t *testing.T) {
	s, msgs := parse(t, "task=shapes&agents=4&steps=5&eval-agents=6&eval-steps=12&n=20&K=4&units=4&batch=8&passes=1&workers=1")
	if len(msgs) != 0 {
		t.Fatal(msgs)
	}
	g := New(Options{Settings: &s})
	if g.runs[0].Display.Clock != nil {
		t.Error("the single view has a round clock")
	}
}
