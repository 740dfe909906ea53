package game

import (
	"fmt"
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
// free or silent network has no trainer, so its states change nothing. Its
// history comes from the display's rounds, or, after EvaluateEachEpoch,
// from the evaluation that a trainer runs after each epoch.
type Run struct {
	Config  sim.Config
	Policy  sim.Policy
	Trainer Trainer // nil for the free and silent networks
	Display *Display

	// History holds the evaluation metrics of each finished epoch. A run
	// without a trainer holds those of each finished display round, or,
	// after EvaluateEachEpoch, one copy of its evaluation per epoch.
	History []sim.Metrics
	// Survival, Lifetime and EffectiveDim repeat fields of History as
	// series for the plots.
	Survival, Lifetime, EffectiveDim []float64

	state RunState
	seen  int // display rounds or epochs already in History
	// loaded is the count of epochs that the agent file of the run had
	// trained, which History does not hold.
	loaded int
	// evaluation is the per-epoch evaluation that EvaluateEachEpoch set
	// up for a run without a trainer, or nil.
	evaluation *evaluation
	// fallback is the failure of the training worker after which the run
	// trains locally, or nil.
	fallback error
}

// NewRun returns an idle run of c that trains locally, with its display
// started. It returns an error for a config that sim rejects.
func NewRun(c sim.Config) (*Run, error) { return NewRemoteRun(c, nil) }

// NewRemoteRun returns an idle run of c that trains in a training worker
// started with newTransport, or locally when newTransport is nil, with
// its display started. It returns an error for a config that sim rejects.
func NewRemoteRun(c sim.Config, newTransport NewTransportFunc) (*Run, error) {
	r := &Run{Config: c, Policy: sim.ParsePolicy(c.Agent)}
	if r.Policy.UsesValue() {
		var tr Trainer
		var err error
		if newTransport != nil {
			tr, err = NewRemoteTrainer(c, newTransport)
		} else {
			tr, err = NewLocalTrainer(c)
		}
		if err != nil {
			return nil, err
		}
		r.Trainer = tr
		r.Display = NewDisplay(tr.Env(), c, r.Policy, tr.Target())
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
		r.Trainer.Start()
	}
}

// Pause stops the training after the current slice of work.
func (r *Run) Pause() {
	if r.Training() {
		r.state = RunPaused
		r.Trainer.Pause()
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
		r.Trainer.StepEpoch()
	}
}

// Mode returns where the run trains: "worker" in a training worker,
// "local" in Update, or "" without a trainer.
func (r *Run) Mode() string {
	switch r.Trainer.(type) {
	case *RemoteTrainer:
		return "worker"
	case *LocalTrainer:
		return "local"
	}
	return ""
}

// Close stops the run's training for good, and its worker if it has one.
func (r *Run) Close() {
	if r.Trainer != nil {
		r.Trainer.Close()
	}
}

// Epoch returns the number of finished epochs, those that a loaded agent
// file had trained included. Without a trainer it returns the number of
// finished display rounds, or, after EvaluateEachEpoch, the epochs of the
// last SetEpochs.
func (r *Run) Epoch() int { return r.loaded + len(r.History) }

// EvaluateEachEpoch makes a run without a trainer take its history from
// the evaluation that a trainer runs after each epoch, in place of its
// display rounds, with one entry for each epoch that SetEpochs passes. The
// compare view uses it, so that the free network's points line up with
// the epochs of MOP and R. Train steps the evaluation, which runs once
// because a network without training scores the same after every epoch.
// A run with a trainer is left as it is.
func (r *Run) EvaluateEachEpoch() {
	if r.Trainer != nil || r.evaluation != nil {
		return
	}
	r.evaluation = newEvaluation(r.Display.Env, r.Config, r.Policy)
	r.History, r.Survival, r.Lifetime, r.EffectiveDim = nil, nil, nil, nil
}

// Evaluating reports whether the evaluation of EvaluateEachEpoch still
// needs work from Train.
func (r *Run) Evaluating() bool { return r.evaluation != nil && !r.evaluation.done() }

// SetEpochs makes the history of a run that EvaluateEachEpoch set up hold
// epochs entries, each the metrics of its evaluation, once the evaluation
// has finished. Before then, and for other runs, it does nothing.
func (r *Run) SetEpochs(epochs int) {
	if r.evaluation == nil || !r.evaluation.done() {
		return
	}
	if len(r.History) > epochs {
		r.History, r.Survival = r.History[:epochs], r.Survival[:epochs]
		r.Lifetime, r.EffectiveDim = r.Lifetime[:epochs], r.EffectiveDim[:epochs]
	}
	for len(r.History) < epochs {
		r.record(*r.evaluation.result)
	}
}

// Progress returns the fraction of the current epoch done, or of the
// current display round without a trainer.
func (r *Run) Progress() float64 {
	if r.Trainer != nil {
		return r.Trainer.Progress()
	}
	return float64(r.Display.Steps) / float64(r.Config.EvalSteps)
}

// Err returns the first divergence notice of the training, the failure
// of its training worker, both, or nil.
func (r *Run) Err() error {
	if r.Trainer == nil {
		return nil
	}
	err := r.Trainer.Err()
	switch {
	case r.fallback == nil:
		return err
	case err == nil:
		return r.fallback
	}
	return fmt.Errorf("%v; %v", r.fallback, err)
}

// Train advances a local training by about budget when the run is
// training, or applies a training worker's reports, and restarts the
// display after each finished epoch. A local training overruns budget by
// at most one unit of work of sim.Trainer.Advance. A run whose worker
// failed before the training finished trains locally from then on. A run
// without a trainer advances the evaluation of EvaluateEachEpoch by about
// budget, whether or not the other runs train.
func (r *Run) Train(budget time.Duration) {
	if r.Trainer == nil {
		if r.Evaluating() {
			r.evaluation.advance(budget)
		}
		return
	}
	tr := r.Trainer
	before := tr.Epoch()
	tr.Advance(budget)
	if remote, ok := tr.(*RemoteTrainer); ok && r.fallback == nil && remote.Failed() != nil && !remote.Done() {
		r.trainLocally(remote)
		return
	}
	r.collect()
	if tr.Done() {
		r.state = RunDone
	} else if r.state == RunStepping && tr.Epoch() > before {
		r.state = RunPaused
		tr.Pause()
	}
}

// trainLocally replaces the failed remote trainer with a local one that
// starts where the remote one started, from epoch 0 or from a loaded
// agent. Because a seeded run is deterministic, it computes the same
// epochs again.
func (r *Run) trainLocally(remote *RemoteTrainer) {
	cause := remote.Failed()
	r.Trainer.Close()
	local, err := remote.newLocalTrainer()
	if err != nil {
		// NewRemoteTrainer checked what sim.NewTrainer checks, so this is
		// a rule of sim that it does not know. The closed trainer stays.
		r.fallback = fmt.Errorf("the training worker failed (%v), and training in the page failed: %v", cause, err)
		r.state = RunPaused
		return
	}
	r.fallback = fmt.Errorf("the training worker failed, so training runs in the page: %v", cause)
	r.Trainer = local
	old := r.Display
	r.Display = NewDisplay(local.Env(), r.Config, r.Policy, local.Target())
	if old.Clock != nil {
		old.Clock.Replace(old, r.Display)
	}
	r.History, r.Survival, r.Lifetime, r.EffectiveDim = nil, nil, nil, nil
	r.seen = 0
	if r.Training() {
		local.Start()
	}
}

// collect appends the metrics of epochs or display rounds that finished
// since the last call, and restarts the display after a new epoch. The
// display rounds of a run with an evaluation stay out of its history.
func (r *Run) collect() {
	if r.Trainer != nil {
		h := r.Trainer.History()
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
	if r.evaluation == nil && r.Display.Finished > r.seen {
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

// Latest returns the metrics of the last finished epoch or display round.
// A run loaded from an agent file that trained no epoch of its own returns
// its final evaluation once that is done, and every other run nil before
// its first epoch or round.
func (r *Run) Latest() *sim.Metrics {
	if len(r.History) == 0 {
		if r.loaded > 0 {
			return r.Trainer.Final()
		}
		return nil
	}
	return &r.History[len(r.History)-1]
}

// SamplesPerSecond returns the training throughput of the last epoch, or
// 0 without one.
func (r *Run) SamplesPerSecond() float64 {
	if r.Trainer == nil {
		return 0
	}
	h := r.Trainer.History()
	if len(h) == 0 {
		return 0
	}
	return h[len(h)-1].SamplesPerSecond
}

// runKey contains the settings that the runs are built from. Runs of the
// same key are interchangeable.
type runKey struct {
	config  sim.Config
	compare bool
	local   bool
}

func runKeyOf(s *Settings) runKey {
	return runKey{config: s.Config, compare: s.Compare, local: s.Local}
}

// describe returns the task and view of k, for notices.
func (k runKey) describe() string {
	view := "single"
	if k.compare {
		view = "compare"
	}
	return fmt.Sprintf("task %s in the %s view", k.config.Task, view)
}

// keptRuns is the set of runs of earlier settings, paused until they
// return.
type keptRuns struct {
	key  runKey
	runs []*Run
	// states are the states of the runs before they were paused.
	states []RunState
}

// keep pauses runs and returns them as the kept runs of key.
func keep(key runKey, runs []*Run) *keptRuns {
	k := &keptRuns{key: key, runs: runs, states: make([]RunState, len(runs))}
	for i, r := range runs {
		k.states[i] = r.State()
		r.Pause()
	}
	return k
}

// resume returns the runs with the states they had when they were kept:
// a run that trained or stepped an epoch goes on with it.
func (k *keptRuns) resume() []*Run {
	for i, r := range k.runs {
		switch k.states[i] {
		case RunTraining:
			r.Start()
		case RunStepping:
			r.StepEpoch()
		}
	}
	return k.runs
}

// epochs returns the largest count of epochs that a run of k has trained.
func (k *keptRuns) epochs() int {
	n := 0
	for _, r := range k.runs {
		if r.Trains() {
			n = max(n, r.Epoch())
		}
	}
	return n
}

func (k *keptRuns) close() {
	for _, r := range k.runs {
		r.Close()
	}
}
