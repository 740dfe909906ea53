package sim

import "math"

// Cart-pole constants of the classic frictionless model (Barto, Sutton and
// Anderson, 1983), with the pole's half-length l = 1 m.
const (
	cartMass = 1.0  // kg
	poleMass = 0.1  // kg
	poleHalf = 1.0  // m
	gravity  = 9.81 // m/s²
	cartStep = 0.02 // s, one Euler step
)

// Limits of the cart-pole's terminal rule: the pole angle above
// CartThetaMax or the cart position above CartXMax in absolute value.
const (
	CartThetaMax = 0.62 // rad
	CartXMax     = 2.4  // m
)

// cartPoleForces is the candidate set of the cart-pole, in newtons.
var cartPoleForces = []float64{-50, -10, 0, 10, 50}

// CartPole is the cart-pole environment. Its state is (x, ẋ, θ, θ̇) in m,
// m/s, rad and rad/s; its actions are the five forces of cartPoleForces.
type CartPole struct{}

func (CartPole) StateDim() int    { return 4 }
func (CartPole) ActivityDim() int { return 4 }
func (CartPole) FeatureDim() int  { return 4 }
func (CartPole) ActionDim() int   { return 1 }
func (CartPole) Contexts() int    { return 1 }
func (CartPole) ScratchLen() int  { return 0 }

// Reset draws each of x, ẋ, θ and θ̇ uniformly in ±0.05.
func (cp CartPole) Reset(s *Stream, ctx int, state, features []float64) {
	for i := range state[:4] {
		state[i] = s.Uniform(-0.05, 0.05)
	}
	cp.Inspect(state, ctx, features)
}

// SampleActions fills actions with the five forces, in order; k must be 5
// and s is not used.
func (CartPole) SampleActions(s *Stream, k int, actions []float64) {
	copy(actions[:k], cartPoleForces)
}

// CartPoleStep sets next to one Euler step of length 0.02 s from state
// under force f (N).
func CartPoleStep(next, state []float64, f float64) {
	x, v, th, w := state[0], state[1], state[2], state[3]
	sin, cos := math.Sin(th), math.Cos(th)
	total := cartMass + poleMass
	temp := (f + poleMass*poleHalf*w*w*sin) / total
	alpha := (gravity*sin - cos*temp) / (poleHalf * (4.0/3.0 - poleMass*cos*cos/total))
	acc := temp - poleMass*poleHalf*alpha*cos/total
	next[0] = x + cartStep*v
	next[1] = v + cartStep*acc
	next[2] = th + cartStep*w
	next[3] = w + cartStep*alpha
}

func (CartPole) Next(state []float64, ctx int, actions []float64, k int, next, scratch []float64) {
	for i := 0; i < k; i++ {
		CartPoleStep(next[4*i:4*i+4], state, actions[i])
	}
}

// Inspect scales the state to features (x/2.4, ẋ/2, θ/0.62, θ̇/2), each of
// order 1 on surviving paths.
func (CartPole) Inspect(state []float64, ctx int, features []float64) (bool, float64) {
	features[0] = state[0] / CartXMax
	features[1] = state[1] / 2
	features[2] = state[2] / CartThetaMax
	features[3] = state[3] / 2
	terminal := math.Abs(state[2]) > CartThetaMax || math.Abs(state[0]) > CartXMax
	return terminal, 0
}

func (CartPole) StateEntropy(state []float64) float64 { return 0 }
func (CartPole) AddNoise(s *Stream, state []float64)  {}

func (CartPole) Observe(state []float64, ctx int, o *Observation) {
	copy(o.Activity, state[:4])
	o.Readout = [2]float64{state[0], state[2]}
	o.Margin = math.Min(1-math.Abs(state[0])/CartXMax, 1-math.Abs(state[2])/CartThetaMax)
	o.Energy = 0
	o.InReward = false
}
