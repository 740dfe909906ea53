package sim

import (
	"fmt"
	"math"
)

// Env is the system the controller acts on: the rate network under a
// task's terminal rule, or the cart-pole. The controller and the trainer use only
// this interface, so they never special-case a task. Methods must not keep
// the slices they are given, and must be safe for concurrent use.
type Env interface {
	StateDim() int    // length of a state
	ActivityDim() int // length of Observation.Activity
	FeatureDim() int  // length of the value network's input
	ActionDim() int   // length of an action
	Contexts() int    // number of contexts, at least 1
	ScratchLen() int  // length of the scratch slice Next needs

	// Reset fills state with an initial state for context ctx, drawn from
	// the task's initial distribution until it is not terminal, and
	// features with its value-network input.
	Reset(s *Stream, ctx int, state, features []float64)
	// SampleActions fills actions (k×ActionDim) with k candidate actions.
	SampleActions(s *Stream, k int, actions []float64)
	// Next fills next (k×StateDim) with the noise-free next state of each
	// of the k actions (k×ActionDim) taken from state.
	Next(state []float64, ctx int, actions []float64, k int, next, scratch []float64)
	// Inspect fills features with the value-network input of state and
	// returns whether state is terminal and its reward r(state).
	Inspect(state []float64, ctx int, features []float64) (terminal bool, reward float64)
	// StateEntropy returns H_s of the transition into state, the noise-free
	// next state (0 for an environment without noise).
	StateEntropy(state []float64) float64
	// AddNoise adds the step noise to state.
	AddNoise(s *Stream, state []float64)
	// Observe fills o with what the metrics and the drawing read of state.
	Observe(state []float64, ctx int, o *Observation)
}

// Observation is the part of one state that the metrics and the drawing
// read.
type Observation struct {
	Readout  [2]float64 // y, or (x, θ) for the cart-pole
	Activity []float64  // r = φ(h), or the cart-pole state
	// Margin is the distance from the nearest terminal boundary, in the
	// units of the terminal rule (readout units, energy, or for the
	// cart-pole the smaller of the fractions of the x and θ limits).
	Margin   float64
	Energy   float64 // mean of r_i²
	InReward bool    // the readout lies in the rewarded region
}

// NewObservation returns an Observation sized for env.
func NewObservation(env Env) Observation {
	return Observation{Activity: make([]float64, env.ActivityDim())}
}

// NewEnv builds the environment of c.Task, drawing its weights from the
// run's network stream.
func NewEnv(c *Config) (Env, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	s := NewStream(c.Seed, streamNetwork)
	if c.Task == "cartpole" {
		return &CartPole{}, nil
	}
	var e *NetworkEnv
	switch c.Task {
	case "energy":
		e = newNetworkEnv(c, s, terminalEnergy, nil)
	case "square", "saturation":
		e = newNetworkEnv(c, s, terminalSquare, nil)
	case "reward":
		e = newNetworkEnv(c, s, terminalSquare, nil)
		e.reward = &Shapes.Reward
	case "shapes":
		regions := make([]*Region, len(Shapes.Shapes))
		for i := range Shapes.Shapes {
			regions[i] = &Shapes.Shapes[i].Region
		}
		e = newNetworkEnv(c, s, terminalRegion, regions)
	case "corridor":
		e = newNetworkEnv(c, s, terminalRegion, []*Region{&Shapes.Corridor.Region})
	default:
		return nil, fmt.Errorf("invalid task %q", c.Task)
	}
	if err := e.checkInitial(c); err != nil {
		return nil, err
	}
	return e, nil
}

type terminalRule int

const (
	terminalEnergy terminalRule = iota // mean r_i² above E_max
	terminalSquare                     // abs(r_1) or abs(r_2) above L
	terminalRegion                     // readout outside the context's region
)

// NetworkEnv is the rate network under a terminal rule on its activity or
// readout.
type NetworkEnv struct {
	Net     *Network
	rule    terminalRule
	regions []*Region // per context, for terminalRegion
	reward  *Region   // rewarded readout region, or nil
	bound   float64   // action bound A
	l, eMax float64
	// W is the 2×N readout for random readouts; nil means y = (r_1, r_2).
	W      []float64
	offset [2]float64
}

func newNetworkEnv(c *Config, s *Stream, rule terminalRule, regions []*Region) *NetworkEnv {
	contexts := 0
	if len(regions) > 1 {
		contexts = len(regions)
	}
	e := &NetworkEnv{
		Net:  NewNetwork(c, contexts, s),
		rule: rule, regions: regions,
		bound: c.ActionBound, l: c.HalfWidth, eMax: c.EMax,
	}
	if rule != terminalSquare {
		e.W = normalMatrix(s, 2, c.N, c.ReadoutGain/math.Sqrt(float64(c.N)))
	}
	if c.Task == "corridor" {
		e.offset = Shapes.Corridor.Start
	}
	return e
}

func (e *NetworkEnv) StateDim() int    { return e.Net.N }
func (e *NetworkEnv) ActivityDim() int { return e.Net.N }
func (e *NetworkEnv) ActionDim() int   { return e.Net.ActionDim }
func (e *NetworkEnv) ScratchLen() int  { return 2 * e.Net.N }

func (e *NetworkEnv) FeatureDim() int { return e.Net.N + e.Net.Contexts }

func (e *NetworkEnv) Contexts() int {
	if e.Net.Contexts == 0 {
		return 1
	}
	return e.Net.Contexts
}

// Region returns the allowed readout region of context ctx, or nil for the
// energy rule. The square rule returns the square of half-width L.
func (e *NetworkEnv) Region(ctx int) *Region {
	switch e.rule {
	case terminalRegion:
		return e.regions[ctx]
	case terminalSquare:
		sq := SquareRegion(e.l)
		return &sq
	}
	return nil
}

// RewardRegion returns the rewarded readout region, or nil.
func (e *NetworkEnv) RewardRegion() *Region { return e.reward }

// maxResetDraws bounds the draws of Reset. NewEnv rejects a terminal rule
// under which none of probeDraws draws is allowed, so Reset reaches the
// bound only for a rule that allows a tiny fraction of initial states.
const (
	maxResetDraws = 100000
	probeDraws    = 2000
)

// Reset draws h ~ N(0, 0.3²) per neuron until the state is not terminal,
// at most maxResetDraws times; after that it keeps the last draw, so the
// agent ends at its first step.
func (e *NetworkEnv) Reset(s *Stream, ctx int, state, features []float64) {
	for range maxResetDraws {
		if !e.drawInitial(s, ctx, state, features) {
			return
		}
	}
}

// drawInitial fills state with one draw of the initial distribution and
// features with its value-network input, and reports whether it is
// terminal.
func (e *NetworkEnv) drawInitial(s *Stream, ctx int, state, features []float64) bool {
	for i := range state {
		state[i] = 0.3 * s.Norm()
	}
	terminal, _ := e.Inspect(state, ctx, features)
	return terminal
}

// checkInitial returns an error unless every context has an allowed
// initial state among probeDraws draws.
func (e *NetworkEnv) checkInitial(c *Config) error {
	s := NewStream(c.Seed, streamProbe)
	state := make([]float64, e.StateDim())
	features := make([]float64, e.FeatureDim())
	for ctx := 0; ctx < e.Contexts(); ctx++ {
		ok := false
		for range probeDraws {
			if !e.drawInitial(s, ctx, state, features) {
				ok = true
				break
			}
		}
		if ok {
			continue
		}
		switch e.rule {
		case terminalEnergy:
			return fmt.Errorf("invalid emax %s: none of %d initial states has energy below it; want a larger emax",
				formatNumber(c.EMax), probeDraws)
		case terminalSquare:
			return fmt.Errorf("invalid L %s: none of %d initial states lies inside the square; want a larger L",
				formatNumber(c.HalfWidth), probeDraws)
		default:
			return fmt.Errorf("invalid readout %s: none of %d initial readouts lies inside the allowed region; want another readout gain",
				formatNumber(c.ReadoutGain), probeDraws)
		}
	}
	return nil
}

func (e *NetworkEnv) SampleActions(s *Stream, k int, actions []float64) {
	a := e.bound
	for i := range actions[:k*e.Net.ActionDim] {
		actions[i] = a * (2*s.Float64() - 1)
	}
}

func (e *NetworkEnv) Next(state []float64, ctx int, actions []float64, k int, next, scratch []float64) {
	n, da := e.Net.N, e.Net.ActionDim
	base, r := scratch[:n], scratch[n:2*n]
	e.Net.Drive(base, state, r, ctx)
	for i := 0; i < k; i++ {
		e.Net.AddAction(next[i*n:(i+1)*n], base, actions[i*da:(i+1)*da])
	}
}

func (e *NetworkEnv) readout(r []float64) (y [2]float64) {
	if e.W == nil {
		return [2]float64{r[0], r[1]}
	}
	n := e.Net.N
	for k := 0; k < 2; k++ {
		s := e.offset[k]
		for i, w := range e.W[k*n : (k+1)*n] {
			s += w * r[i]
		}
		y[k] = s
	}
	return y
}

func energy(r []float64) float64 {
	var s float64
	for _, v := range r {
		s += v * v
	}
	return s / float64(len(r))
}

func (e *NetworkEnv) Inspect(state []float64, ctx int, features []float64) (bool, float64) {
	n := e.Net.N
	r := features[:n]
	e.Net.PhiVec(r, state)
	if e.Net.Contexts > 0 {
		oneHot := features[n:]
		clear(oneHot)
		oneHot[ctx] = 1
	}
	var terminal bool
	switch e.rule {
	case terminalEnergy:
		terminal = energy(r) > e.eMax
	case terminalSquare:
		terminal = math.Abs(r[0]) > e.l || math.Abs(r[1]) > e.l
	case terminalRegion:
		y := e.readout(r)
		terminal = !e.regions[ctx].Contains(y[0], y[1])
	}
	reward := 0.0
	if e.reward != nil {
		y := e.readout(r)
		if e.reward.Contains(y[0], y[1]) {
			reward = 1
		}
	}
	return terminal, reward
}

func (e *NetworkEnv) StateEntropy(state []float64) float64 { return e.Net.LogSlope(state) }

// Noisy reports whether a step adds noise (σ > 0).
func (e *NetworkEnv) Noisy() bool { return e.Net.Sigma > 0 }

func (e *NetworkEnv) AddNoise(s *Stream, state []float64) { e.Net.AddNoise(s, state) }

func (e *NetworkEnv) Observe(state []float64, ctx int, o *Observation) {
	r := o.Activity
	e.Net.PhiVec(r, state)
	y := e.readout(r)
	o.Readout = y
	o.Energy = energy(r)
	o.InReward = e.reward != nil && e.reward.Contains(y[0], y[1])
	switch e.rule {
	case terminalEnergy:
		o.Margin = e.eMax - o.Energy
	case terminalSquare:
		o.Margin = e.l - math.Max(math.Abs(r[0]), math.Abs(r[1]))
	case terminalRegion:
		reg := e.regions[ctx]
		d := reg.Distance(y[0], y[1])
		if !reg.Contains(y[0], y[1]) {
			d = -d
		}
		o.Margin = d
	}
}

// ReadoutRows returns the rows of the readout as vectors of length N: the
// random W, or the unit vectors of the two read neurons.
func (e *NetworkEnv) ReadoutRows() [][]float64 {
	n := e.Net.N
	rows := make([][]float64, 2)
	for k := range rows {
		rows[k] = make([]float64, n)
		if e.W == nil {
			rows[k][k] = 1
		} else {
			copy(rows[k], e.W[k*n:(k+1)*n])
		}
	}
	return rows
}
