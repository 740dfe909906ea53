package sim

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// WorkerCommand is a message to a TrainingWorker.
type WorkerCommand struct {
	// Op is "reset" (build a new trainer from Params, paused) or "load"
	// (build a new trainer from Params that starts from Agent, paused).
	// The other commands are "run", "pause", "step" (train until the
	// current epoch ends, then pause), "pace" (set Duty) and "bench" (run
	// the benchmark workload and report it).
	Op     string            `json:"op"`
	Params map[string]string `json:"params,omitempty"`
	// Duty is the share of its time that the worker trains, from 0 to 1,
	// in a "pace" command. After each slice of training the worker rests
	// for the time that keeps this share. At 0 it rests, running, until
	// the next "pace" command or for MaxRest, and then trains at the duty
	// it had before. A new worker has duty 1.
	Duty *float64 `json:"duty,omitempty"`
	// Agent is the trained agent of a "load" command, or nil.
	Agent *WorkerAgent `json:"agent,omitempty"`
}

// WorkerAgent is the part of an agent file that a "load" command carries.
// The trainer of the command's Params copies Theta into its trained and
// its target network and counts EpochsTrained epochs as finished, with a
// new optimizer state, as Trainer.LoadAgent does with the agent file.
type WorkerAgent struct {
	// Theta contains the value network's weights in the layout of
	// ValueNet.Theta.
	Theta         []float64 `json:"theta"`
	Scale         float64   `json:"scale"` // the value network's output scale
	EpochsTrained int       `json:"epochs_trained"`
}

// WorkerReport is a message from a TrainingWorker.
type WorkerReport struct {
	// Op is "progress", "epoch" (an epoch ended: Stats and Theta are set),
	// "done" (Final is set), "error" or "bench".
	Op string `json:"op"`
	// Command is the op of the command that an "error" report rejects,
	// such as "pace". It is empty for a message that did not decode.
	Command  string  `json:"command,omitempty"`
	Epoch    int     `json:"epoch"`
	Phase    string  `json:"phase,omitempty"`
	Progress float64 `json:"progress"`
	Running  bool    `json:"running"`
	// SamplesPerSecond is the training throughput of the last slice of
	// work, in samples (agent steps of the rollouts) per second.
	SamplesPerSecond float64      `json:"samples_per_second"`
	Stats            *EpochStats  `json:"stats,omitempty"`
	Theta            []float64    `json:"theta,omitempty"` // the target network's weights
	Final            *Metrics     `json:"final,omitempty"`
	Error            string       `json:"error,omitempty"`
	Bench            *BenchResult `json:"bench,omitempty"`
}

// TrainingWorker runs a Trainer under commands and reports its progress
// through Send. It is the simulation side of the browser's Web Worker: the
// worker's message handler calls Handle, and its loop calls Tick.
type TrainingWorker struct {
	Send    func(WorkerReport)
	trainer *Trainer
	running bool
	step    bool
	sent    int     // epochs already reported
	duty    float64 // the duty of the last "pace" command above 0, or 0
	// restUntil is the end of the rest of a "pace" command with duty 0.
	restUntil time.Time
	// clock returns the current time, or is nil for time.Now.
	clock func() time.Time
}

// MaxRest is the longest rest of a "pace" command with duty 0. A page
// whose frames stop, such as a hidden tab, sends no command to end a rest.
const MaxRest = 2 * time.Second

func (w *TrainingWorker) now() time.Time {
	if w.clock != nil {
		return w.clock()
	}
	return time.Now()
}

// Handle applies one command. A reset or load with invalid parameters or
// weights reports an error and keeps the previous trainer.
func (w *TrainingWorker) Handle(cmd WorkerCommand) {
	switch cmd.Op {
	case "reset", "load":
		tr, err := newWorkerTrainer(cmd)
		if err != nil {
			w.reject(cmd, err.Error())
			return
		}
		w.trainer, w.running, w.step, w.sent = tr, false, false, 0
		w.report("progress", 0)
	case "run":
		w.running, w.step = w.trainer != nil, false
	case "pause":
		w.running, w.step = false, false
	case "step":
		w.running, w.step = w.trainer != nil, true
	case "pace":
		if cmd.Duty == nil || !(*cmd.Duty >= 0 && *cmd.Duty <= 1) {
			w.reject(cmd, describeDuty(cmd.Duty))
			return
		}
		if *cmd.Duty == 0 {
			w.restUntil = w.now().Add(MaxRest)
		} else {
			w.duty, w.restUntil = *cmd.Duty, time.Time{}
		}
	case "bench":
		c := BenchConfig()
		c.Workers = 1
		r, err := RunBench(c)
		if err != nil {
			w.reject(cmd, err.Error())
			return
		}
		w.Send(WorkerReport{Op: "bench", Bench: &r})
	default:
		w.reject(cmd, fmt.Sprintf("unknown worker command %q", cmd.Op))
	}
}

// reject sends the error report of cmd with message.
func (w *TrainingWorker) reject(cmd WorkerCommand, message string) {
	w.Send(WorkerReport{Op: "error", Command: cmd.Op, Error: message})
}

// Running reports whether Tick trains: after a "run" or "step" command
// with a trainer, until the run is done, the step's epoch has ended or a
// "pause", "reset" or "load" command arrives.
func (w *TrainingWorker) Running() bool { return w.running }

// Slices of training of a TrainingWorker. A command that arrives during a
// slice applies after it, so it waits at most MaxSlice plus one unit of
// training work.
const (
	// MaxSlice is the training time of one slice at duty 1.
	MaxSlice = 40 * time.Millisecond
	// MinSlice is the shortest slice. Below duty 1 a slice lasts MaxSlice
	// times the duty, and at least MinSlice, so that slices and rests
	// alternate often and the page's frames find a free core in each
	// rest.
	MinSlice = 8 * time.Millisecond
)

// Slice returns the training time of the next slice at the worker's duty
// above 0.
func (w *TrainingWorker) Slice() time.Duration {
	return min(MaxSlice, max(MinSlice, time.Duration(w.level()*float64(MaxSlice))))
}

// level returns the duty above 0 that the worker trains at outside rests.
func (w *TrainingWorker) level() float64 {
	if w.duty == 0 {
		return 1
	}
	return w.duty
}

// Duty returns the share of its time that the worker trains, set by the
// last "pace" command: 0 during the rest of a command with duty 0.
func (w *TrainingWorker) Duty() float64 {
	if w.RestLeft() > 0 {
		return 0
	}
	return w.level()
}

// RestLeft returns the time left of the rest of a "pace" command with
// duty 0, or 0 outside such a rest.
func (w *TrainingWorker) RestLeft() time.Duration {
	if w.restUntil.IsZero() {
		return 0
	}
	left := w.restUntil.Sub(w.now())
	if left <= 0 {
		w.restUntil = time.Time{}
		return 0
	}
	return left
}

// Rest returns how long the worker waits after a slice of training that
// took elapsed, so that it trains at its duty above 0. The rest is 0 at
// duty 1 and at most MaxRest, so that at a tiny duty the worker still
// reports often enough for the page's watchdog.
func (w *TrainingWorker) Rest(elapsed time.Duration) time.Duration {
	d := w.level()
	return time.Duration(min(float64(elapsed)*(1-d)/d, float64(MaxRest)))
}

func describeDuty(d *float64) string {
	if d == nil {
		return "invalid pace command: missing duty, want a number from 0 to 1"
	}
	return fmt.Sprintf("invalid pace command: duty %g, want a number from 0 to 1", *d)
}

// Tick trains for about budget when running, and sends a progress report,
// an "epoch" report for each finished epoch and a "done" report at the end.
func (w *TrainingWorker) Tick(budget time.Duration) {
	if !w.running || w.trainer == nil {
		return
	}
	tr := w.trainer
	start := time.Now()
	stepsBefore := tr.rolloutSteps
	epochBefore := tr.Epoch()
	if w.step {
		tr.AdvanceStep(budget)
		if tr.Epoch() > epochBefore {
			w.running, w.step = false, false
		}
	} else {
		tr.Advance(budget)
	}
	elapsed := time.Since(start).Seconds()
	sps := 0.0
	if elapsed > 0 {
		sps = float64(tr.rolloutSteps-stepsBefore) * float64(tr.Config.Agents) / elapsed
	}
	for w.sent < len(tr.History) {
		st := tr.History[w.sent]
		w.sent++
		w.Send(WorkerReport{Op: "epoch", Epoch: st.Epoch, Stats: &st,
			Theta: append([]float64(nil), tr.Target.Theta...)})
	}
	if tr.Done() {
		w.running = false
		w.Send(WorkerReport{Op: "done", Epoch: tr.Epoch(), Final: tr.Final, Progress: 1})
		return
	}
	w.report("progress", sps)
}

// newWorkerTrainer builds the trainer of a "reset" or "load" command.
func newWorkerTrainer(cmd WorkerCommand) (*Trainer, error) {
	c, err := ConfigFromValues(cmd.Params)
	if err != nil {
		return nil, err
	}
	tr, err := NewTrainer(c)
	if err != nil {
		return nil, err
	}
	if cmd.Op == "load" {
		if err := loadWorkerAgent(tr, cmd.Agent); err != nil {
			return nil, err
		}
	}
	return tr, nil
}

// loadWorkerAgent makes tr, a new trainer, start from a. It rejects a
// missing agent, a count of weights other than that of tr's value
// network, a non-finite weight, a scale that is not finite and positive
// and a negative count of epochs.
func loadWorkerAgent(tr *Trainer, a *WorkerAgent) error {
	if a == nil {
		return errors.New("invalid load command: missing agent, want the value network's weights")
	}
	if got, want := len(a.Theta), len(tr.V.Theta); got != want {
		return fmt.Errorf("invalid load command: %d weights, want %d for the value network of sizes %v",
			got, want, tr.V.Sizes)
	}
	for i, x := range a.Theta {
		if !finite(x) {
			return fmt.Errorf("invalid load command: weight %d is %g, want a finite number", i, x)
		}
	}
	if !finite(a.Scale) || a.Scale <= 0 {
		return fmt.Errorf("invalid load command: scale %g, want a finite positive number", a.Scale)
	}
	if a.EpochsTrained < 0 {
		return fmt.Errorf("invalid load command: %d epochs trained, want at least 0", a.EpochsTrained)
	}
	// LoadAgent copies the weights, so the network needs no views.
	v := &ValueNet{Sizes: tr.V.Sizes, Relu: tr.V.Relu, Scale: a.Scale, Theta: a.Theta}
	return tr.LoadAgent(&AgentFile{Config: tr.Config, Value: v, EpochsTrained: a.EpochsTrained, Env: tr.Env})
}

func (w *TrainingWorker) report(op string, sps float64) {
	tr := w.trainer
	r := WorkerReport{Op: op, Epoch: tr.Epoch(), Phase: tr.Phase(), Progress: tr.Progress(),
		Running: w.running, SamplesPerSecond: sps}
	if err := tr.Err(); err != nil {
		r.Error = err.Error()
	}
	w.Send(r)
}

// ConfigFromValues returns the defaults of values["task"] (square if
// absent) with every other value applied. It rejects the first invalid
// value with its message.
func ConfigFromValues(values map[string]string) (Config, error) {
	task := "square"
	if v, ok := values["task"]; ok {
		task = v
	}
	c, err := DefaultConfig(task)
	if err != nil {
		return c, err
	}
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if name == "task" {
			continue
		}
		if err := c.Set(name, values[name]); err != nil {
			return c, err
		}
	}
	return c, c.Validate()
}
