package sim

import (
	"fmt"
	"math"
	"time"
)

// EpochStats reports one training epoch.
type EpochStats struct {
	Epoch int `json:"epoch"`
	// Loss is the mean minibatch loss of the epoch's fit, on outputs
	// divided by the value scale.
	Loss             float64 `json:"loss"`
	Samples          int     `json:"samples"`
	SamplesPerSecond float64 `json:"samples_per_second"`
	LearningRate     float64 `json:"learning_rate"`
	Eval             Metrics `json:"eval"`
	// Notice reports a divergence met during the epoch, or is empty.
	Notice string `json:"notice,omitempty"`
}

type phase int

const (
	phaseRollout phase = iota
	phaseFit
	phaseEval
	phaseFinal
	phaseDone
)

// Trainer trains a value network by fitted value iteration and evaluates
// it after each epoch. It advances by bounded slices of work (Advance), so
// a caller can interleave training with frames.
type Trainer struct {
	Config Config
	Env    Env
	Policy Policy
	V      *ValueNet // trained network
	Target *ValueNet // frozen copy that scores candidates
	Opt    Optimizer

	// OnEpoch, when not nil, is called after each epoch's evaluation.
	OnEpoch func(EpochStats)
	// History lists the finished epochs, without the occupancy histograms
	// and the entropy by margin bins, so that each entry takes about 0.3 kB.
	History []EpochStats
	// LastEval is the latest evaluation after an epoch, occupancy included.
	LastEval *Metrics
	// Final is the final evaluation, once done.
	Final      *Metrics
	FinalStats *Stats

	train   *Population
	x, y    []float64
	order   []int
	batchX  []float64
	batchY  []float64
	ws      *Workspace
	shuffle *Stream

	phase        phase
	epoch        int
	rolloutSteps int // steps of all agents taken by the rollouts so far
	t            int
	batch        int
	lossSum      float64
	lossN        int
	notice       string
	eval         *Population
	evalStats    *Stats
	epochWall    time.Duration
	err          error
}

// ValueScale returns the scale of the value network's output: the value
// of a never-ending path, α·log K/(1−γ) plus μ/(1−γ) for MOP and 1/(1−γ)
// for the R agent.
func ValueScale(c *Config, p Policy) float64 {
	if p == PolicyR {
		return 1 / (1 - c.Gamma)
	}
	k := float64(c.EffectiveK())
	return (c.Alpha*math.Max(Log(k), 1e-3) + c.Mu) / (1 - c.Gamma)
}

// NewValueNetFor returns the untrained value network of c for policy p,
// drawn from the run's value stream.
func NewValueNetFor(c *Config, env Env, p Policy) *ValueNet {
	return NewValueNet(ValueNetSizes(c, env), c.HiddenActivation == "relu", ValueScale(c, p),
		NewStream(c.Seed, streamValueInit))
}

// ValueNetSizes returns the layer widths of the value network of c on env:
// the feature dimension, c.Layers hidden layers of c.Units, and 1.
func ValueNetSizes(c *Config, env Env) []int {
	sizes := []int{env.FeatureDim()}
	for l := 0; l < c.Layers; l++ {
		sizes = append(sizes, c.Units)
	}
	return append(sizes, 1)
}

// NewTrainer returns a trainer for c; c.Agent must be mop or r.
func NewTrainer(c Config) (*Trainer, error) {
	env, err := NewEnv(&c)
	if err != nil {
		return nil, err
	}
	p := ParsePolicy(c.Agent)
	if !p.UsesValue() {
		return nil, fmt.Errorf("invalid agent %q for training: want mop or r", c.Agent)
	}
	t := &Trainer{Config: c, Env: env, Policy: p}
	t.V = NewValueNetFor(&c, env, p)
	t.Target = t.V.Clone()
	t.Opt = NewOptimizer(c.Optimizer, c.LearningRate, len(t.V.Theta))

	m := c.Agents
	contexts := make([]int, m)
	streams := make([]*Stream, m)
	for i := range contexts {
		contexts[i] = i % env.Contexts()
		streams[i] = NewStream(c.Seed, streamTrain+uint64(i))
	}
	t.train = NewPopulation(env, &c, p, t.Target, contexts, streams, streams, c.Workers)
	t.train.Respawn = true
	n := m * c.Steps
	fd := env.FeatureDim()
	t.x = make([]float64, n*fd)
	t.y = make([]float64, n)
	t.train.SampleX, t.train.SampleY = t.x, t.y
	t.order = make([]int, n)
	b := min(c.Batch, n)
	t.batchX = make([]float64, b*fd)
	t.batchY = make([]float64, b)
	t.ws = t.V.NewWorkspace(b)
	t.shuffle = NewStream(c.Seed, streamShuffle)
	if c.Epochs == 0 {
		t.startEval(phaseFinal)
	}
	return t, nil
}

// Epoch returns the number of finished epochs.
func (t *Trainer) Epoch() int { return t.epoch }

// Done reports whether training and the final evaluation are finished.
func (t *Trainer) Done() bool { return t.phase == phaseDone }

// Progress returns the fraction of the current epoch's work done.
func (t *Trainer) Progress() float64 {
	c := &t.Config
	fit := c.Passes * t.batchesPerPass()
	total := float64(c.Steps + fit + c.EvalSteps)
	switch t.phase {
	case phaseRollout:
		return float64(t.t) / total
	case phaseFit:
		return float64(c.Steps+t.batch) / total
	case phaseEval:
		return float64(c.Steps+fit+t.t) / total
	case phaseFinal:
		return float64(t.t) / float64(c.FinalSteps)
	}
	return 1
}

// Phase returns a word for what the trainer does now: rollout, fit, eval,
// final or done.
func (t *Trainer) Phase() string {
	return [...]string{"rollout", "fit", "eval", "final", "done"}[t.phase]
}

func (t *Trainer) batchesPerPass() int {
	n := len(t.y)
	b := len(t.batchY)
	return (n + b - 1) / b
}

// Advance does work until budget has passed or training is done, and
// reports whether work remains. Each unit of work is one step of all
// agents or one minibatch, so a call overruns budget by at most one unit.
// The results do not depend on the budgets.
func (t *Trainer) Advance(budget time.Duration) bool {
	return t.advance(budget, false)
}

// AdvanceStep works as Advance but also stops once the current epoch, or
// the final evaluation, has ended.
func (t *Trainer) AdvanceStep(budget time.Duration) bool {
	return t.advance(budget, true)
}

func (t *Trainer) advance(budget time.Duration, stopAtEpoch bool) bool {
	start := time.Now()
	epoch := t.epoch
	for t.phase != phaseDone {
		before := time.Now()
		t.unit()
		t.epochWall += time.Since(before)
		if time.Since(start) >= budget || (stopAtEpoch && t.epoch != epoch) {
			break
		}
	}
	return t.phase != phaseDone
}

// Run trains and evaluates to the end.
func (t *Trainer) Run() {
	for t.phase != phaseDone {
		t.Advance(time.Hour)
	}
}

// AdvanceEpoch finishes the current epoch (or the final evaluation).
func (t *Trainer) AdvanceEpoch() {
	e := t.epoch
	start := time.Now()
	for t.phase != phaseDone && t.epoch == e {
		t.unit()
	}
	t.epochWall += time.Since(start)
}

func (t *Trainer) unit() {
	c := &t.Config
	switch t.phase {
	case phaseRollout:
		t.train.SampleBase = t.t * c.Agents
		t.train.Step()
		t.rolloutSteps++
		t.t++
		if t.t == c.Steps {
			if t.train.nonFinite {
				t.train.nonFinite = false
				t.note("non-finite value of the target network, counted as 0")
			}
			t.startFit()
		}
	case phaseFit:
		t.fitBatch()
	case phaseEval, phaseFinal:
		t.eval.Step()
		t.t++
		if t.t == t.evalSteps() || t.eval.Alive() == 0 {
			t.finishEval()
		}
	}
}

func (t *Trainer) startFit() {
	t.phase, t.batch = phaseFit, 0
	t.lossSum, t.lossN = 0, 0
}

// fitBatch takes one minibatch step; a new pass reshuffles the samples.
func (t *Trainer) fitBatch() {
	nb := t.batchesPerPass()
	if t.batch%nb == 0 {
		for i := range t.order {
			t.order[i] = i
		}
		for i := len(t.order) - 1; i > 0; i-- {
			j := t.shuffle.IntN(i + 1)
			t.order[i], t.order[j] = t.order[j], t.order[i]
		}
	}
	fd := t.Env.FeatureDim()
	b := len(t.batchY)
	lo := (t.batch % nb) * b
	rows := min(b, len(t.order)-lo)
	for r := 0; r < rows; r++ {
		s := t.order[lo+r]
		copy(t.batchX[r*fd:(r+1)*fd], t.x[s*fd:(s+1)*fd])
		t.batchY[r] = t.y[s]
	}
	loss := t.V.Gradient(t.ws, t.batchX, t.batchY, rows)
	if finite(loss) && loss <= maxLoss {
		t.Opt.Step(t.V.Theta, t.V.Grad)
	}
	if !finite(loss) || loss > maxLoss || !t.V.Finite() {
		t.diverged(loss)
	} else {
		t.lossSum += loss
		t.lossN++
	}
	t.batch++
	if t.batch == nb*t.Config.Passes {
		t.Target.CopyFrom(t.V)
		t.startEval(phaseEval)
	}
}

// maxLoss is the largest minibatch loss taken as converging. Targets are
// divided by the value scale, so a loss of order 1 is already large.
const maxLoss = 1e6

// diverged restores the weights of the last epoch (the target network's),
// divides the learning rate by 10 and clears the optimizer's moments.
func (t *Trainer) diverged(loss float64) {
	t.V.CopyFrom(t.Target)
	clear(t.V.Grad)
	t.Opt.Reset()
	lr := t.Opt.LearningRate() / 10
	t.Opt.SetLearningRate(lr)
	what := "non-finite weights"
	switch {
	case !finite(loss):
		what = "non-finite loss"
	case loss > maxLoss:
		what = fmt.Sprintf("loss %.3g above %g", loss, float64(maxLoss))
	}
	t.note(fmt.Sprintf("training diverged at epoch %d (%s): restored the weights of the last epoch, learning rate lowered to %g",
		t.epoch+1, what, lr))
}

func (t *Trainer) note(msg string) {
	if t.notice == "" {
		t.notice = msg
	} else if len(t.notice) < 500 {
		t.notice += "; " + msg
	}
}

// Err returns the first divergence notice of the run as an error, or nil.
func (t *Trainer) Err() error { return t.err }

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func (t *Trainer) evalSteps() int {
	if t.phase == phaseFinal {
		return t.Config.FinalSteps
	}
	return t.Config.EvalSteps
}

func (t *Trainer) startEval(ph phase) {
	c := t.Config
	agents, steps := c.EvalAgents, c.EvalSteps
	if ph == phaseFinal {
		agents, steps = c.FinalAgents, c.FinalSteps
	}
	t.eval, t.evalStats = NewEvaluation(t.Env, &c, t.Policy, t.Target, agents, steps)
	t.phase, t.t = ph, 0
}

func (t *Trainer) finishEval() {
	t.evalStats.steps = t.evalSteps()
	m := t.evalStats.Metrics(nil)
	if t.phase == phaseFinal {
		t.Final = &m
		t.FinalStats = t.evalStats
		t.phase = phaseDone
		return
	}
	c := &t.Config
	samples := c.Agents * c.Steps
	loss := 0.0
	if t.lossN > 0 {
		loss = t.lossSum / float64(t.lossN)
	}
	t.LastEval = &m
	brief := m
	brief.Occupancy, brief.EntropyByMargin = nil, nil
	st := EpochStats{
		Epoch: t.epoch + 1, Loss: loss, Samples: samples,
		LearningRate: t.Opt.LearningRate(), Eval: brief, Notice: t.notice,
	}
	if s := t.epochWall.Seconds(); s > 0 {
		st.SamplesPerSecond = float64(samples) / s
	}
	if t.notice != "" && t.err == nil {
		t.err = fmt.Errorf("%s", t.notice)
	}
	t.notice, t.epochWall = "", 0
	t.History = append(t.History, st)
	t.epoch++
	if t.OnEpoch != nil {
		t.OnEpoch(st)
	}
	if t.epoch == c.Epochs {
		t.startEval(phaseFinal)
		return
	}
	t.phase, t.t = phaseRollout, 0
}

// EvalContexts returns the contexts of n evaluation agents: all contexts
// in turn, or the one shape c.Shape names.
func EvalContexts(c *Config, env Env, n int) []int {
	ctx := make([]int, n)
	fixed := -1
	if c.Task == "shapes" && c.Shape != "all" {
		for i, s := range ShapeNames {
			if s == c.Shape {
				fixed = i
			}
		}
	}
	for i := range ctx {
		if fixed >= 0 {
			ctx[i] = fixed
		} else {
			ctx[i] = i % env.Contexts()
		}
	}
	return ctx
}

// NewEvaluation returns agents agents of policy p scored by v, started from
// the evaluation stream's initial states (the same for every policy of the
// same seed), with a Stats for steps steps.
func NewEvaluation(env Env, c *Config, p Policy, v *ValueNet, agents, steps int) (*Population, *Stats) {
	contexts := EvalContexts(c, env, agents)
	inits := make([]*Stream, agents)
	acts := make([]*Stream, agents)
	for i := range inits {
		inits[i] = NewStream(c.Seed, streamEvalInit+uint64(i))
		acts[i] = NewStream(c.Seed, streamEvalAct+uint64(i))
	}
	pop := NewPopulation(env, c, p, v, contexts, inits, acts, c.Workers)
	stats := NewStats(env, contexts, steps)
	pop.AttachStats(stats)
	return pop, stats
}

// Evaluate runs policy p scored by v for steps steps of agents agents and
// returns their metrics and the accumulator.
func Evaluate(env Env, c *Config, p Policy, v *ValueNet, agents, steps int) (Metrics, *Stats) {
	pop, stats := NewEvaluation(env, c, p, v, agents, steps)
	for s := 0; s < steps && pop.Alive() > 0; s++ {
		pop.Step()
	}
	stats.steps = steps
	return stats.Metrics(nil), stats
}
