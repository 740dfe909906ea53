package game

import (
	"time"

	"github.com/neuromop/neuromop/sim"
)

// RunState is the state of a run between frames.
type RunState int

// The states of a run. Start, Pause and StepEpoch move between them, and
// the end of training moves a run to RunDone.
const (
	RunIdle     RunState = iota // not started since creation or reset
	RunTraining                 // training within each frame's budget
	RunStepping                 // training until the current epoch ends
	RunPaused
	RunDone // every epoch and the final evaluation are finished
)

var runStateNames = [...]string{"idle", "training", "stepping", "paused", "done"}

// String returns a lower-case word for s.
func (s RunState) String() string { return runStateNames[s] }

// Run is one agent kind of an experiment: its trainer, for MOP and R, and
// the display agents that show its current target network. A run of the
// free or silent network has no trainer, so its states change nothing and
// its history comes from the display's rounds.
type Run struct {
	Config  sim.Config
	Policy  sim.Policy
	Trainer *sim.Trainer // nil for the free and silent networks
	Display *Display

	// History holds the evaluation metrics of each finished epoch, or of
	// each finished display round without a trainer.
	History []sim.Metrics
	// Survival, Lifetime and EffectiveDim repeat fields of History as
	// series for the plots.
	Survival, Lifetime, EffectiveDim []float64

	state RunState
	seen  int // display rounds or epochs already in History
}

// NewRun returns an idle run of c with its display started. It returns an
// error for a config that sim rejects.
func NewRun(c sim.Config) (*Run, error) {
	r := &Run{Config: c, Policy: sim.ParsePolicy(c.Agent)}
	if r.Policy.UsesValue() {
		tr, err := sim.NewTrainer(c)
		if err != nil {
			return nil, err
		}
		r.Trainer = tr
		r.Display = NewDisplay(tr.Env, c, r.Policy, tr.Target)
		if tr.Done() {
			r.state = RunDone
		}
		return r, nil
	}
	env, err := sim.NewEnv(&c)
	if err != nil {
		return nil, err
	}
	r.Display = NewDisplay(env, c, r.Policy, nil)
	return r, nil
}

// State returns the state of the run.
func (r *Run) State() RunState { return r.state }

// Trains reports whether the run has a trainer.
func (r *Run) Trains() bool { return r.Trainer != nil }

// Training reports whether the run advances its training in each frame.
func (r *Run) Training() bool { return r.state == RunTraining || r.state == RunStepping }

// Start makes the run train in each frame until it is done or paused.
func (r *Run) Start() {
	if r.Trains() && r.state != RunDone {
		r.state = RunTraining
	}
}

// Pause stops the training after the current slice of work.
func (r *Run) Pause() {
	if r.Training() {
		r.state = RunPaused
	}
}

// Toggle pauses a training run and starts any other.
func (r *Run) Toggle() {
	if r.Training() {
		r.Pause()
	} else {
		r.Start()
	}
}

// StepEpoch makes the run train until the current epoch, or the final
// evaluation, has finished, and then pause.
func (r *Run) StepEpoch() {
	if r.Trains() && r.state != RunDone {
		r.state = RunStepping
	}
}

// Epoch returns the number of finished epochs, or of finished display
// rounds without a trainer.
func (r *Run) Epoch() int { return len(r.History) }

// Progress returns the fraction of the current epoch done, or of the
// current display round without a trainer.
func (r *Run) Progress() float64 {
	if r.Trainer != nil {
		return r.Trainer.Progress()
	}
	return float64(r.Display.Steps) / float64(r.Config.EvalSteps)
}

// Err returns the first divergence notice of the training, or nil.
func (r *Run) Err() error {
	if r.Trainer == nil {
		return nil
	}
	return r.Trainer.Err()
}

// Train advances the training by about budget when the run is training,
// and restarts the display after each finished epoch. It overruns budget
// by at most one unit of work of sim.Trainer.Advance.
func (r *Run) Train(budget time.Duration) {
	if !r.Training() {
		return
	}
	tr := r.Trainer
	before := tr.Epoch()
	tr.Advance(budget)
	r.collect()
	if tr.Done() {
		r.state = RunDone
	} else if r.state == RunStepping && tr.Epoch() > before {
		r.state = RunPaused
	}
}

// collect appends the metrics of epochs or display rounds that finished
// since the last call, and restarts the display after a new epoch.
func (r *Run) collect() {
	if r.Trainer != nil {
		h := r.Trainer.History
		if len(h) == r.seen {
			return
		}
		for _, st := range h[r.seen:] {
			r.record(st.Eval)
		}
		r.seen = len(h)
		r.Display.Restart()
		return
	}
	if r.Display.Finished > r.seen {
		r.seen = r.Display.Finished
		r.record(*r.Display.Last)
	}
}

func (r *Run) record(m sim.Metrics) {
	r.History = append(r.History, m)
	r.Survival = append(r.Survival, m.Survival)
	r.Lifetime = append(r.Lifetime, m.MeanLifetime)
	r.EffectiveDim = append(r.EffectiveDim, m.EffectiveDim)
}

// StepDisplay advances the display agents by one step.
func (r *Run) StepDisplay() {
	r.Display.Step()
	if r.Trainer == nil {
		r.collect()
	}
}

// Latest returns the metrics of the last finished epoch or display round,
// or nil before the first.
func (r *Run) Latest() *sim.Metrics {
	if len(r.History) == 0 {
		return nil
	}
	return &r.History[len(r.History)-1]
}

// SamplesPerSecond returns the training throughput of the last epoch, or
// 0 without one.
func (r *Run) SamplesPerSecond() float64 {
	if r.Trainer == nil || len(r.Trainer.History) == 0 {
		return 0
	}
	return r.Trainer.History[len(r.Trainer.History)-1].SamplesPerSecond
}
