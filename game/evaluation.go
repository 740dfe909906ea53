package game

import (
	"time"

	"github.com/neuromop/neuromop/sim"
)

// evaluation is a copy of sim.Trainer's evaluation after each epoch, with
// Config.EvalAgents agents for Config.EvalSteps steps from the evaluation
// stream's initial states, stepped within the budgets of frames. A trainer
// starts the evaluation of every epoch from the same initial states and
// action streams, so for a policy that does not train it returns the same
// metrics after every epoch and needs to run only once.
type evaluation struct {
	pop    *sim.Population
	stats  *sim.Stats
	steps  int          // steps taken
	length int          // Config.EvalSteps
	result *sim.Metrics // nil until the evaluation has finished
}

func newEvaluation(env sim.Env, c sim.Config, p sim.Policy) *evaluation {
	pop, stats := sim.NewEvaluation(env, &c, p, nil, c.EvalAgents, c.EvalSteps)
	return &evaluation{pop: pop, stats: stats, length: c.EvalSteps}
}

// done reports whether the evaluation has finished.
func (e *evaluation) done() bool { return e.result != nil }

// advance steps the agents until budget has passed or the evaluation has
// finished, overrunning budget by at most one step of all agents.
func (e *evaluation) advance(budget time.Duration) {
	start := time.Now()
	for !e.done() {
		e.pop.Step()
		e.steps++
		if e.steps == e.length || e.pop.Alive() == 0 {
			e.finish()
			return
		}
		if time.Since(start) >= budget {
			return
		}
	}
}

// finish computes the metrics as sim.Trainer does after an epoch, and
// releases the agents.
func (e *evaluation) finish() {
	m := e.stats.Metrics(nil)
	// sim.Trainer reports the evaluation's length as Steps when every
	// agent died before its end. The metrics read the step count only for
	// agents alive at the end, so Steps is the only field that differs.
	m.Steps = e.length
	// sim.Trainer's history drops the histograms too.
	m.Occupancy, m.EntropyByMargin = nil, nil
	e.result = &m
	e.pop, e.stats = nil, nil
}
