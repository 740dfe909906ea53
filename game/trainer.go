package game

import (
	"time"

	"github.com/neuromop/neuromop/sim"
)

// Trainer is the training behind a Run. A LocalTrainer trains a
// sim.Trainer in Update. A RemoteTrainer commands a sim.TrainingWorker in a
// training worker, such as the page's Web Worker, and shows what it
// reports. Both compute the same numbers for the same config.
type Trainer interface {
	// Env returns the environment that the display agents run in.
	Env() sim.Env
	// Target returns the value network that the display agents act with.
	// The trainer overwrites its weights after each epoch.
	Target() *sim.ValueNet

	// Start makes the training go on until Pause or the end. StepEpoch
	// makes it go on until the current epoch ends. A LocalTrainer goes on
	// past that epoch until Pause, which the Run calls when Epoch grows.
	Start()
	Pause()
	StepEpoch()
	// Advance does the work of one frame. A LocalTrainer trains for about
	// budget while started. A RemoteTrainer applies the reports that
	// arrived since the last call.
	Advance(budget time.Duration)

	Epoch() int        // finished epochs
	Done() bool        // training and the final evaluation are finished
	Phase() string     // rollout, fit, eval, final or done
	Progress() float64 // fraction of the current epoch done
	// Err returns the notices of the training, such as its first
	// divergence, or nil.
	Err() error
	// History returns the finished epochs, oldest first. The caller must
	// not modify it.
	History() []sim.EpochStats
	// Final returns the final evaluation once it is done, or nil.
	Final() *sim.Metrics
	// Close stops the training for good and releases what the trainer
	// holds, such as its worker.
	Close()
}

// LocalTrainer trains a sim.Trainer on the goroutine that calls Advance.
type LocalTrainer struct {
	tr      *sim.Trainer
	started bool
	// stepping makes Advance stop at the end of the current epoch.
	stepping bool
}

var _ Trainer = (*LocalTrainer)(nil)

// NewLocalTrainer returns a paused trainer of c. It returns sim's error
// for a config that sim.NewTrainer rejects.
func NewLocalTrainer(c sim.Config) (*LocalTrainer, error) {
	tr, err := sim.NewTrainer(c)
	if err != nil {
		return nil, err
	}
	return &LocalTrainer{tr: tr}, nil
}

// NewLocalAgentTrainer returns a paused trainer of a's configuration that
// starts from a's weights, see sim.Trainer.LoadAgent. It returns sim's
// error for an agent that sim.NewTrainer or LoadAgent rejects.
func NewLocalAgentTrainer(a *sim.AgentFile) (*LocalTrainer, error) {
	l, err := NewLocalTrainer(a.Config)
	if err != nil {
		return nil, err
	}
	if err := l.tr.LoadAgent(a); err != nil {
		return nil, err
	}
	return l, nil
}

// Sim returns the sim.Trainer that l advances.
func (l *LocalTrainer) Sim() *sim.Trainer { return l.tr }

func (l *LocalTrainer) Env() sim.Env          { return l.tr.Env }
func (l *LocalTrainer) Target() *sim.ValueNet { return l.tr.Target }
func (l *LocalTrainer) Start()                { l.started, l.stepping = true, false }
func (l *LocalTrainer) Pause()                { l.started, l.stepping = false, false }

// StepEpoch starts the training until the current epoch ends.
func (l *LocalTrainer) StepEpoch() { l.started, l.stepping = true, true }

// Advance trains for about budget while started, overrunning it by at most
// one unit of work of sim.Trainer.Advance.
func (l *LocalTrainer) Advance(budget time.Duration) {
	switch {
	case l.stepping:
		l.tr.AdvanceStep(budget)
	case l.started:
		l.tr.Advance(budget)
	}
}

func (l *LocalTrainer) Epoch() int        { return l.tr.Epoch() }
func (l *LocalTrainer) Done() bool        { return l.tr.Done() }
func (l *LocalTrainer) Phase() string     { return l.tr.Phase() }
func (l *LocalTrainer) Progress() float64 { return l.tr.Progress() }

// Final returns the final evaluation of the sim.Trainer, or nil before it.
func (l *LocalTrainer) Final() *sim.Metrics       { return l.tr.Final }
func (l *LocalTrainer) Err() error                { return l.tr.Err() }
func (l *LocalTrainer) History() []sim.EpochStats { return l.tr.History }
func (l *LocalTrainer) Close()                    { l.started = false }
