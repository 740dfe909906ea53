package game

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/neuromop/neuromop/sim"
)

// Transport carries commands to one training worker, a sim.TrainingWorker
// in another thread or process. The worker's reports come back through the
// Receiver that the transport was made for.
type Transport interface {
	// Post sends cmd without waiting for the worker.
	Post(cmd sim.WorkerCommand)
	// Close stops the worker. The Receiver gets no call after Close
	// returns.
	Close()
}

// Receiver takes what a training worker sends. Its methods are safe to call
// from any goroutine, such as a JavaScript message handler's.
type Receiver interface {
	// Receive takes one report of the worker.
	Receive(r sim.WorkerReport)
	// Fail takes the reason why the worker cannot run, such as a module
	// that did not load, or why it stopped.
	Fail(err error)
}

// NewTransportFunc starts a training worker whose messages go to r.
type NewTransportFunc func(r Receiver) Transport

// RemoteTrainer trains in a training worker. It posts the commands of the
// Run through a Transport and applies the worker's reports in Advance, so
// the Run changes only in Update. After each epoch it copies the worker's
// target weights into its own value network, which the display agents
// act with.
type RemoteTrainer struct {
	config    sim.Config
	env       sim.Env
	target    *sim.ValueNet
	transport Transport
	closed    bool
	// agent is the agent that the worker's trainer started from, or nil
	// for a trainer of config's untrained network.
	agent *sim.AgentFile
	// loadedEpochs is the count of epochs that agent had finished.
	loadedEpochs int

	mu      sync.Mutex
	inbox   []sim.WorkerReport // reports received since the last Advance
	failure error              // from Fail

	spare    []sim.WorkerReport // the inbox of the previous Advance, for reuse
	failed   error
	phase    string
	progress float64
	done     bool
	err      error
	history  []sim.EpochStats
	final    *sim.Metrics
}

var (
	_ Trainer  = (*RemoteTrainer)(nil)
	_ Receiver = (*RemoteTrainer)(nil)
)

// NewRemoteTrainer starts a worker with newTransport and resets it to a
// paused trainer of c. It returns an error for a config that
// sim.NewTrainer would reject, before it starts the worker.
func NewRemoteTrainer(c sim.Config, newTransport NewTransportFunc) (*RemoteTrainer, error) {
	t, err := newRemoteTrainer(c)
	if err != nil {
		return nil, err
	}
	t.start(newTransport, sim.WorkerCommand{Op: "reset", Params: c.Values()})
	return t, nil
}

// NewRemoteAgentTrainer starts a worker with newTransport and loads a into
// it: a paused trainer of a's configuration that starts from a's weights,
// as sim.Trainer.LoadAgent does. It returns an error for an agent whose
// configuration sim.NewTrainer would reject, or whose value network does
// not fit that configuration or has a non-finite weight, before it starts
// the worker.
func NewRemoteAgentTrainer(a *sim.AgentFile, newTransport NewTransportFunc) (*RemoteTrainer, error) {
	t, err := newRemoteTrainer(a.Config)
	if err != nil {
		return nil, err
	}
	if err := checkAgentValue(a, t.target); err != nil {
		return nil, err
	}
	v := a.Value
	copy(t.target.Theta, v.Theta)
	t.target.Scale = v.Scale
	t.agent, t.loadedEpochs = a, a.EpochsTrained
	if a.EpochsTrained >= a.Config.Epochs {
		t.phase = "final"
	}
	t.start(newTransport, sim.WorkerCommand{Op: "load", Params: a.Config.Values(), Agent: &sim.WorkerAgent{
		Theta: v.Theta, Scale: v.Scale, EpochsTrained: a.EpochsTrained,
	}})
	return t, nil
}

// newRemoteTrainer returns the trainer of c before its worker starts. It
// returns an error for a config that sim.NewTrainer would reject.
func newRemoteTrainer(c sim.Config) (*RemoteTrainer, error) {
	env, err := sim.NewEnv(&c)
	if err != nil {
		return nil, err
	}
	p := sim.ParsePolicy(c.Agent)
	if !p.UsesValue() {
		return nil, fmt.Errorf("invalid agent %q for training: want mop or r", c.Agent)
	}
	t := &RemoteTrainer{
		config: c,
		env:    env,
		// The worker's trainer draws its first target network from the
		// same seed, so the display starts with the same weights.
		target: sim.NewValueNetFor(&c, env, p),
		phase:  "rollout",
	}
	if c.Epochs == 0 {
		t.phase = "final"
	}
	return t, nil
}

// start starts the worker and sends it cmd, the command that builds its
// trainer.
func (t *RemoteTrainer) start(newTransport NewTransportFunc, cmd sim.WorkerCommand) {
	t.transport = newTransport(t)
	t.transport.Post(cmd)
}

// checkAgentValue checks a's value network against target, the network
// of a's configuration, and a's count of epochs trained. It rejects
// non-finite weights too, because the JSON of a worker command cannot
// carry them.
func checkAgentValue(a *sim.AgentFile, target *sim.ValueNet) error {
	v := a.Value
	if v == nil {
		return errors.New("the agent has no value network to load")
	}
	if !slices.Equal(v.Sizes, target.Sizes) || v.Relu != target.Relu || len(v.Theta) != len(target.Theta) {
		return fmt.Errorf("the agent's value network has sizes %v with %d weights, want sizes %v with %d weights for its parameters",
			v.Sizes, len(v.Theta), target.Sizes, len(target.Theta))
	}
	for i, x := range v.Theta {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("weight %d of the agent's value network is %g, want a finite number", i, x)
		}
	}
	if math.IsNaN(v.Scale) || math.IsInf(v.Scale, 0) || v.Scale <= 0 {
		return fmt.Errorf("the scale of the agent's value network is %g, want a finite positive number", v.Scale)
	}
	if a.EpochsTrained < 0 {
		return fmt.Errorf("the agent has %d epochs trained, want at least 0", a.EpochsTrained)
	}
	return nil
}

// newLocalTrainer returns a paused LocalTrainer that starts where t
// started: from the untrained network of t's config, or from the agent of
// NewRemoteAgentTrainer.
func (t *RemoteTrainer) newLocalTrainer() (*LocalTrainer, error) {
	if t.agent != nil {
		return NewLocalAgentTrainer(t.agent)
	}
	return NewLocalTrainer(t.config)
}

// Receive queues r for the next Advance. Consecutive progress reports
// replace each other, and only the newest queued epoch report keeps its
// weights, so the queue stays small while Advance is not called, such as
// in a hidden browser tab.
func (t *RemoteTrainer) Receive(r sim.WorkerReport) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(t.inbox)
	if r.Op == "progress" && n > 0 && t.inbox[n-1].Op == "progress" {
		t.inbox[n-1] = r
		return
	}
	if r.Op == "epoch" && r.Theta != nil {
		for i := range t.inbox {
			if t.inbox[i].Op == "epoch" {
				t.inbox[i].Theta = nil
			}
		}
	}
	t.inbox = append(t.inbox, r)
}

// Fail records err. The Run replaces a failed trainer with a LocalTrainer.
func (t *RemoteTrainer) Fail(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.failure == nil {
		t.failure = err
	}
}

// Failed returns the reason why the worker cannot go on, or nil.
func (t *RemoteTrainer) Failed() error { return t.failed }

// Advance applies the reports received since the last call. budget is
// unused, because the worker trains in its own time.
func (t *RemoteTrainer) Advance(budget time.Duration) {
	t.mu.Lock()
	reports := t.inbox
	t.inbox = t.spare[:0]
	if t.failed == nil {
		t.failed = t.failure
	}
	t.mu.Unlock()

	for i := range reports {
		if err := t.apply(&reports[i]); err != nil && t.failed == nil {
			t.failed = err
		}
	}
	clear(reports)
	t.spare = reports
}

func (t *RemoteTrainer) apply(r *sim.WorkerReport) error {
	switch r.Op {
	case "progress":
		t.phase, t.progress = r.Phase, r.Progress
		if r.Error != "" && t.err == nil {
			t.err = errors.New(r.Error)
		}
	case "epoch":
		if r.Stats == nil {
			return fmt.Errorf("the epoch %d report of the training worker has no stats", r.Epoch)
		}
		if r.Theta != nil {
			if got, want := len(r.Theta), len(t.target.Theta); got != want {
				return fmt.Errorf("the epoch %d report of the training worker has %d weights, want %d",
					r.Epoch, got, want)
			}
			copy(t.target.Theta, r.Theta)
		}
		t.history = append(t.history, *r.Stats)
	case "done":
		t.done, t.phase, t.progress, t.final = true, "done", 1, r.Final
	case "error":
		return fmt.Errorf("the training worker rejected a command: %s", r.Error)
	}
	return nil
}

func (t *RemoteTrainer) post(op string) {
	if !t.closed {
		t.transport.Post(sim.WorkerCommand{Op: op})
	}
}

func (t *RemoteTrainer) Env() sim.Env          { return t.env }
func (t *RemoteTrainer) Target() *sim.ValueNet { return t.target }
func (t *RemoteTrainer) Start()                { t.post("run") }
func (t *RemoteTrainer) Pause()                { t.post("pause") }

// StepEpoch makes the worker train until the current epoch ends and then
// pause.
func (t *RemoteTrainer) StepEpoch() { t.post("step") }

// Epoch returns the number of epoch reports applied, plus the epochs that
// the agent of NewRemoteAgentTrainer had finished.
func (t *RemoteTrainer) Epoch() int { return t.loadedEpochs + len(t.history) }

// Final returns the final evaluation of the "done" report, or nil before
// it.
func (t *RemoteTrainer) Final() *sim.Metrics { return t.final }

func (t *RemoteTrainer) Done() bool                { return t.done }
func (t *RemoteTrainer) Phase() string             { return t.phase }
func (t *RemoteTrainer) Progress() float64         { return t.progress }
func (t *RemoteTrainer) Err() error                { return t.err }
func (t *RemoteTrainer) History() []sim.EpochStats { return t.history }

// Close stops the worker. Later commands are dropped.
func (t *RemoteTrainer) Close() {
	if !t.closed {
		t.closed = true
		t.transport.Close()
	}
}
