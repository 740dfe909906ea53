package sim

import (
	"math"
	"runtime"
	"sync"
)

// Agent is one controlled trajectory.
type Agent struct {
	State    []float64 // h, or the cart-pole state
	Features []float64 // value-network input of State
	Action   []float64 // last action taken
	Context  int
	Age      int     // steps survived since the start or the last reset
	Alive    bool    // false once an evaluation agent reached a terminal state
	Entropy  float64 // normalized action entropy of the last step
	Value    float64 // V(State) of the last step's Bellman backup
	Stream   *Stream // candidate actions, policy draws and noise
}

// Population steps a set of agents under one policy. Training populations
// reset an agent that reaches a terminal state; evaluation populations
// keep it dead and accumulate metrics.
type Population struct {
	Env    Env
	Policy Policy
	K      int
	Alpha  float64
	Beta   float64
	Gamma  float64
	Mu     float64
	Eps    float64
	Value  *ValueNet // scores candidates; unused by free and silent
	Agents []Agent
	// Respawn resets agents that reach a terminal state.
	Respawn bool
	// SampleX and SampleY receive, when not nil, the features of each
	// agent's state and its Bellman target, at row SampleBase + agent.
	SampleX, SampleY []float64
	SampleBase       int
	// Stats, when not nil, receives one record per agent and step.
	Stats *Stats

	workers     []*worker
	workerCount int
	// nonFinite records a non-finite value met since the last check.
	nonFinite bool
}

type worker struct {
	lo, hi  int // agents
	actions []float64
	next    []float64
	feats   []float64
	q, pi   []float64
	values  []float64
	hs, rew []float64
	term    []bool
	row     []int
	ws      *Workspace
	scratch []float64
	obs     Observation
}

// NewPopulation returns len(contexts) agents of kind policy, started from
// initial states drawn from initStreams (one per agent) and acting with the
// streams actStreams. workers ≤ 0 means one goroutine per core; the results
// do not depend on it.
func NewPopulation(env Env, c *Config, policy Policy, value *ValueNet, contexts []int,
	initStreams, actStreams []*Stream, workers int) *Population {
	k := c.K
	if _, ok := env.(*CartPole); ok {
		k = len(cartPoleForces)
	}
	if policy == PolicySilent {
		k = 1
	}
	p := &Population{
		Env: env, Policy: policy, K: k,
		Alpha: c.Alpha, Beta: c.Beta, Gamma: c.Gamma, Mu: c.Mu, Eps: c.Epsilon,
		Value: value,
	}
	m := len(contexts)
	p.Agents = make([]Agent, m)
	for i := range p.Agents {
		a := &p.Agents[i]
		a.State = make([]float64, env.StateDim())
		a.Features = make([]float64, env.FeatureDim())
		a.Action = make([]float64, env.ActionDim())
		a.Context = contexts[i]
		a.Stream = actStreams[i]
		env.Reset(initStreams[i], a.Context, a.State, a.Features)
		a.Alive = true
	}
	p.workerCount = workers
	p.split()
	return p
}

// AttachStats makes p record metrics into s, which must be sized for p's
// agents.
func (p *Population) AttachStats(s *Stats) {
	p.Stats = s
	p.split()
}

// split divides the agents among the workers, along the boundaries of the
// covariance groups of Stats so that each group has one writer.
func (p *Population) split() {
	n := p.workerCount
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	m := len(p.Agents)
	units, size := m, 1
	if p.Stats != nil {
		units, size = p.Stats.groups, p.Stats.groupSize
	}
	n = max(1, min(n, units))
	p.workers = p.workers[:0]
	for i := 0; i < n; i++ {
		lo, hi := min(m, i*units/n*size), min(m, (i+1)*units/n*size)
		p.workers = append(p.workers, p.newWorker(lo, hi))
	}
}

func (p *Population) newWorker(lo, hi int) *worker {
	env, k := p.Env, p.K
	rows := (hi - lo) * k
	w := &worker{
		lo: lo, hi: hi,
		actions: make([]float64, rows*env.ActionDim()),
		next:    make([]float64, rows*env.StateDim()),
		feats:   make([]float64, rows*env.FeatureDim()),
		q:       make([]float64, k),
		pi:      make([]float64, k),
		values:  make([]float64, rows),
		hs:      make([]float64, rows),
		rew:     make([]float64, rows),
		term:    make([]bool, rows),
		row:     make([]int, rows),
		scratch: make([]float64, env.ScratchLen()),
		obs:     NewObservation(env),
	}
	if p.Value != nil {
		w.ws = p.Value.NewWorkspace(rows)
	}
	return w
}

// Step advances every live agent by one step.
func (p *Population) Step() {
	if len(p.workers) == 1 {
		p.workers[0].step(p)
	} else {
		var wg sync.WaitGroup
		panics := make([]any, len(p.workers))
		for i, w := range p.workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { panics[i] = recover() }()
				w.step(p)
			}()
		}
		wg.Wait()
		for _, v := range panics {
			if v != nil {
				panic(v)
			}
		}
	}
	if p.Stats != nil {
		p.Stats.steps++
	}
}

// Alive returns the number of live agents.
func (p *Population) Alive() int {
	n := 0
	for i := range p.Agents {
		if p.Agents[i].Alive {
			n++
		}
	}
	return n
}

func (w *worker) step(p *Population) {
	env, k := p.Env, p.K
	sd, fd, ad := env.StateDim(), env.FeatureDim(), env.ActionDim()
	rows := 0
	for i := w.lo; i < w.hi; i++ {
		a := &p.Agents[i]
		if !a.Alive {
			continue
		}
		c := (i - w.lo) * k
		acts := w.actions[c*ad : (c+k)*ad]
		if p.Policy == PolicySilent {
			clear(acts)
		} else {
			env.SampleActions(a.Stream, k, acts)
		}
		next := w.next[c*sd : (c+k)*sd]
		env.Next(a.State, a.Context, acts, k, next, w.scratch)
		for j := 0; j < k; j++ {
			s := next[j*sd : (j+1)*sd]
			f := w.feats[rows*fd : (rows+1)*fd]
			term, rew := env.Inspect(s, a.Context, f)
			w.term[c+j], w.rew[c+j] = term, rew
			if p.Beta > 0 && !term {
				w.hs[c+j] = env.StateEntropy(s)
			}
			w.row[c+j] = -1
			if !term {
				w.row[c+j] = rows
				rows++
			}
		}
	}
	if p.Policy.UsesValue() && rows > 0 {
		p.Value.Forward(w.ws, w.feats, rows, w.values)
	}
	for i := w.lo; i < w.hi; i++ {
		if p.Agents[i].Alive {
			w.choose(p, i)
		}
	}
}

// choose applies the policy to agent i's candidates and takes the step.
func (w *worker) choose(p *Population, i int) {
	env, k := p.Env, p.K
	sd, fd, ad := env.StateDim(), env.FeatureDim(), env.ActionDim()
	a := &p.Agents[i]
	c := (i - w.lo) * k
	q := w.q[:k]
	for j := 0; j < k; j++ {
		q[j] = 0
		if w.term[c+j] {
			continue
		}
		v := w.values[w.row[c+j]]
		switch p.Policy {
		case PolicyMOP:
			q[j] = p.Beta*w.hs[c+j] + p.Mu*w.rew[c+j] + p.Gamma*v
		case PolicyR:
			q[j] = 1 + p.Gamma*v
		}
	}
	var pick int
	switch p.Policy {
	case PolicyMOP:
		a.Value, a.Entropy = SoftValue(q, p.Alpha, w.pi[:k])
		pick = sampleIndex(w.pi[:k], a.Stream.Float64())
	case PolicyR:
		best := 0
		for j := 1; j < k; j++ {
			if q[j] > q[best] {
				best = j
			}
		}
		a.Value, a.Entropy = q[best], GreedyEntropy(p.Eps, k)
		pick = best
		if p.Eps > 0 && a.Stream.Float64() < p.Eps {
			pick = a.Stream.IntN(k)
		}
	case PolicyFree:
		a.Entropy = normalizedEntropy(Log(float64(k)), k)
		pick = a.Stream.IntN(k)
	case PolicySilent:
		a.Entropy = 0
	}
	if math.IsNaN(a.Value) || math.IsInf(a.Value, 0) {
		p.nonFinite = true
		a.Value = 0
	}
	if p.SampleX != nil {
		r := p.SampleBase + i
		copy(p.SampleX[r*fd:(r+1)*fd], a.Features)
		p.SampleY[r] = a.Value
	}

	copy(a.Action, w.actions[(c+pick)*ad:(c+pick+1)*ad])
	copy(a.State, w.next[(c+pick)*sd:(c+pick+1)*sd])
	terminal := w.term[c+pick]
	if !terminal {
		copy(a.Features, w.feats[w.row[c+pick]*fd:(w.row[c+pick]+1)*fd])
	}
	if n, ok := p.Env.(noisyEnv); ok && n.Noisy() {
		env.AddNoise(a.Stream, a.State)
		terminal, _ = env.Inspect(a.State, a.Context, a.Features)
	}
	p.finishStep(w, i, terminal)
}

// noisyEnv is an environment whose step adds noise.
type noisyEnv interface{ Noisy() bool }

func (p *Population) finishStep(w *worker, i int, terminal bool) {
	a := &p.Agents[i]
	if terminal {
		if p.Stats != nil {
			p.Stats.agentEnded(i, a)
		}
		if p.Respawn {
			p.Env.Reset(a.Stream, a.Context, a.State, a.Features)
			a.Age = 0
			return
		}
		a.Alive = false
		return
	}
	a.Age++
	if p.Stats != nil {
		p.Env.Observe(a.State, a.Context, &w.obs)
		p.Stats.record(i, a, &w.obs)
	}
}
