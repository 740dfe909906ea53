package game

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
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

// WorkerTimeouts bound the silence of a training worker. When one passes,
// the RemoteTrainer reports the worker as failed, and the Run stops it and
// trains in the page.
type WorkerTimeouts struct {
	// Start is the longest time without a message before the worker's
	// first report, which it sends once it has loaded its module and built
	// its trainer. While bytes of worker.wasm arrive, public/worker.js
	// sends a "loading" report at most once a second, which is not the
	// first report but restarts the count.
	Start time.Duration
	// Silence is the longest time between two reports while the worker
	// trains, plus the time of one unit of training work at slowFlopRate.
	// The worker reports after each slice of training, see
	// sim.TrainingWorker.Slice, and rests for at most sim.MaxRest.
	Silence time.Duration
}

// DefaultWorkerTimeouts are the timeouts of a new RemoteTrainer. They are
// estimates with a wide margin: before the first report, the longest
// silence is the compilation of worker.wasm (4.1 MB) after its last bytes
// arrive, and while it trains the worker reports at least every
// sim.MaxRest plus a slice.
var DefaultWorkerTimeouts = WorkerTimeouts{Start: 30 * time.Second, Silence: 30 * time.Second}

const (
	// slowFlopRate is the arithmetic rate, in floating-point operations
	// per second, that a worker on a slow and loaded machine is assumed to
	// reach at least: a thirteenth of the 0.65 GFLOP/s of ?bench=1 in the
	// page's worker on the two cores of BENCHMARKS.md.
	slowFlopRate = 50e6
	// maxWatchedGap is the maximum time that one Advance adds to a worker's
	// silence. A page whose frames stop, such as a hidden tab, may find
	// its worker throttled too, and the watchdog does not count that time.
	maxWatchedGap = time.Second
)

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

	// Timeouts bound the worker's silence. Changes apply from the next
	// Advance on.
	Timeouts WorkerTimeouts
	// unitTime is the estimated time of one unit of training work at
	// slowFlopRate.
	unitTime time.Duration
	// duty is the duty of the last "pace" command, 1 before one.
	duty float64
	// unpaced is the notice of a rejected "pace" command, such as from a
	// worker.wasm of an older build without the command, or nil. Such a
	// worker trains full time.
	unpaced error
	// started is set once a report other than "loading" has arrived, and
	// running while the worker should train: from Start or StepEpoch to
	// Pause or the end.
	started, running bool
	// silent is the time counted since the last message, and lastAdvance
	// the time of the last Advance.
	silent      time.Duration
	lastAdvance time.Time

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
		target:   sim.NewValueNetFor(&c, env, p),
		phase:    "rollout",
		Timeouts: DefaultWorkerTimeouts,
		duty:     1,
	}
	t.unitTime = unitTime(&c, env, t.target.Sizes)
	if c.Epochs == 0 {
		t.phase = "final"
	}
	return t, nil
}

// start starts the worker and sends it cmd, the command that builds its
// trainer.
func (t *RemoteTrainer) start(newTransport NewTransportFunc, cmd sim.WorkerCommand) {
	t.lastAdvance = time.Now()
	t.transport = newTransport(t)
	t.transport.Post(cmd)
}

// unitTime returns the estimated time at slowFlopRate of the longest unit
// of training work of c. The units are a controller step of every agent
// of a rollout or an evaluation, and a minibatch of the fit. The
// eigenvalues of the network's covariance at the end of an evaluation
// count as one more, estimated at 10·N³ operations.
func unitTime(c *sim.Config, env sim.Env, sizes []int) time.Duration {
	single := *c
	single.Agents, single.Steps, single.Passes = 1, 1, 0
	step := sim.EpochFlops(&single, env, sizes)
	single.Passes = 1
	fitSample := sim.EpochFlops(&single, env, sizes) - step
	agents := max(c.Agents, c.EvalAgents, c.FinalAgents)
	flops := max(float64(agents)*step, float64(c.Batch)*fitSample)
	if ne, ok := env.(*sim.NetworkEnv); ok {
		n := float64(ne.Net.N)
		flops = max(flops, 10*n*n*n)
	}
	return time.Duration(flops / slowFlopRate * float64(time.Second))
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
	if (r.Op == "progress" || r.Op == "loading") && n > 0 && t.inbox[n-1].Op == r.Op {
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

// Advance applies the reports received since the last call, and reports
// the worker as failed when it has been silent for longer than Timeouts
// allow. budget is unused, because the worker trains in its own time.
func (t *RemoteTrainer) Advance(budget time.Duration) {
	t.mu.Lock()
	reports := t.inbox
	t.inbox = t.spare[:0]
	if t.failed == nil {
		t.failed = t.failure
	}
	t.mu.Unlock()

	started := false
	for i := range reports {
		started = started || reports[i].Op != "loading"
		if err := t.apply(&reports[i]); err != nil && t.failed == nil {
			t.failed = err
		}
	}
	t.watch(len(reports) > 0, started)
	clear(reports)
	t.spare = reports
}

// watch counts the time since the last message while the worker has not
// started or should be training, and sets t.failed once it exceeds the
// timeout. received reports whether messages arrived since the last call,
// and started whether one of them was a report other than "loading".
// Each call counts at most maxWatchedGap.
func (t *RemoteTrainer) watch(received, started bool) {
	now := time.Now()
	gap := min(now.Sub(t.lastAdvance), maxWatchedGap)
	t.lastAdvance = now
	t.started = t.started || started
	switch {
	case received:
		t.silent = 0
	case !t.started || t.running && !t.done:
		t.silent += gap
	}
	if t.failed != nil || t.done {
		return
	}
	if !t.started && t.silent > t.Timeouts.Start {
		t.failed = fmt.Errorf("the training worker timed out: no message for %v before its first report", t.Timeouts.Start)
	} else if limit := t.Timeouts.Silence + t.unitTime; t.started && t.silent > limit {
		t.failed = fmt.Errorf("the training worker timed out: no report for %v while training", roundDuration(limit))
	}
}

// roundDuration rounds d to seconds, or to milliseconds below a second.
func roundDuration(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(time.Second)
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
		if r.Command == "pace" || strings.Contains(r.Error, `unknown worker command "pace"`) {
			// A rejected pace leaves the worker training as before.
			if t.unpaced == nil {
				t.unpaced = fmt.Errorf("the training worker rejected the pace command (%s), so it trains full time: reload the page to update worker.wasm", r.Error)
			}
			return nil
		}
		return fmt.Errorf("the training worker rejected a command: %s", r.Error)
	}
	return nil
}

func (t *RemoteTrainer) post(op string) {
	if !t.closed {
		t.transport.Post(sim.WorkerCommand{Op: op})
	}
}

// train posts op, a command that makes the worker train, and starts the
// count of its silence anew if it was not training.
func (t *RemoteTrainer) train(op string) {
	if !t.running && t.started {
		t.silent = 0
	}
	t.running = true
	t.post(op)
}

func (t *RemoteTrainer) Env() sim.Env          { return t.env }
func (t *RemoteTrainer) Target() *sim.ValueNet { return t.target }
func (t *RemoteTrainer) Start()                { t.train("run") }

// Pause makes the worker stop training after its current slice.
func (t *RemoteTrainer) Pause() {
	t.running = false
	t.post("pause")
}

// Paced reports whether the worker takes pace commands: false once it has
// rejected one.
func (t *RemoteTrainer) Paced() bool { return t.unpaced == nil }

// SetDuty makes the worker train d of its time, from 0 to 1, see
// sim.WorkerCommand.Duty. It posts a command only when d changes, and none
// once the worker has rejected one.
func (t *RemoteTrainer) SetDuty(d float64) {
	if d != t.duty && !t.closed && t.unpaced == nil {
		t.duty = d
		t.transport.Post(sim.WorkerCommand{Op: "pace", Duty: &d})
	}
}

// StepEpoch makes the worker train until the current epoch ends and then
// pause.
func (t *RemoteTrainer) StepEpoch() { t.train("step") }

// Epoch returns the number of epoch reports applied, plus the epochs that
// the agent of NewRemoteAgentTrainer had finished.
func (t *RemoteTrainer) Epoch() int { return t.loadedEpochs + len(t.history) }

// Final returns the final evaluation of the "done" report, or nil before
// it.
func (t *RemoteTrainer) Final() *sim.Metrics { return t.final }

func (t *RemoteTrainer) Done() bool        { return t.done }
func (t *RemoteTrainer) Phase() string     { return t.phase }
func (t *RemoteTrainer) Progress() float64 { return t.progress }

// Err returns the first divergence notice of the training, the notice of
// a rejected pace command, both, or nil.
func (t *RemoteTrainer) Err() error {
	switch {
	case t.unpaced == nil:
		return t.err
	case t.err == nil:
		return t.unpaced
	}
	return fmt.Errorf("%v; %v", t.err, t.unpaced)
}

func (t *RemoteTrainer) History() []sim.EpochStats { return t.history }

// Close stops the worker. Later commands are dropped.
func (t *RemoteTrainer) Close() {
	if !t.closed {
		t.closed = true
		t.transport.Close()
	}
}
