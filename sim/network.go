package sim

import (
	"math"

	"gonum.org/v1/gonum/blas/blas64"
)

// Network is the rate network with fixed random weights:
//
//	h' = h + (dt/τ)·(−h + g·J·φ(h) + B·a + C·c) + σ·sqrt(dt/τ)·ξ
//
// All matrices are drawn once from the run's seed.
type Network struct {
	N         int     // neurons
	ActionDim int     // d_a, the length of an action
	Contexts  int     // columns of C; 0 without context input
	DtTau     float64 // dt/τ
	Gain      float64 // g
	Sigma     float64 // σ
	Relu      bool    // φ is a relu clipped at Rho instead of tanh
	Rho       float64

	// JT is Jᵀ, N×N row-major, entries normal with variance 1/N: row j of
	// JT is column j of J, so J·r is a sum of rows scaled by r_j.
	JT []float64
	// BT is Bᵀ, d_a×N row-major, entries normal with variance 1/d_a; nil
	// means B = I.
	BT []float64
	// CT is Cᵀ, Contexts×N row-major, entries standard normal.
	CT []float64
}

// NewNetwork draws the weights of a network from stream s.
func NewNetwork(c *Config, contexts int, s *Stream) *Network {
	n := c.N
	net := &Network{
		N: n, ActionDim: c.ActionDimension(), Contexts: contexts,
		DtTau: c.DtTau, Gain: c.Gain, Sigma: c.Sigma,
		Relu: c.Activation == "relu", Rho: c.Rho,
	}
	net.JT = normalMatrix(s, n, n, 1/math.Sqrt(float64(n)))
	if c.ActionDim != 0 {
		net.BT = normalMatrix(s, net.ActionDim, n, 1/math.Sqrt(float64(net.ActionDim)))
	}
	if contexts > 0 {
		net.CT = normalMatrix(s, contexts, n, 1)
	}
	return net
}

func normalMatrix(s *Stream, rows, cols int, std float64) []float64 {
	m := make([]float64, rows*cols)
	for i := range m {
		m[i] = std * s.Norm()
	}
	return m
}

// Phi returns φ(h).
func (net *Network) Phi(h float64) float64 {
	if net.Relu {
		return math.Min(math.Max(h, 0), net.Rho)
	}
	return Tanh(h)
}

// PhiVec sets dst[i] = φ(h[i]).
func (net *Network) PhiVec(dst, h []float64) {
	if net.Relu {
		for i, v := range h {
			dst[i] = math.Min(math.Max(v, 0), net.Rho)
		}
		return
	}
	for i, v := range h {
		dst[i] = Tanh(v)
	}
}

// Drive sets base to the noise-free next state without the action:
// base = h + (dt/τ)·(−h + g·J·φ(h) + C·c), where c is the one-hot of ctx
// (ignored without context input). r is scratch of length N.
func (net *Network) Drive(base, h, r []float64, ctx int) {
	impl := blas64.Implementation()
	n := net.N
	net.PhiVec(r, h)
	clear(base)
	for j := 0; j < n; j++ {
		impl.Daxpy(n, r[j], net.JT[j*n:(j+1)*n], 1, base, 1)
	}
	dt := net.DtTau
	if net.Contexts > 0 {
		col := net.CT[ctx*n : (ctx+1)*n]
		for i := range base {
			base[i] = h[i] + dt*(-h[i]+net.Gain*base[i]+col[i])
		}
		return
	}
	for i := range base {
		base[i] = h[i] + dt*(-h[i]+net.Gain*base[i])
	}
}

// AddAction sets next = base + (dt/τ)·B·a.
func (net *Network) AddAction(next, base, a []float64) {
	dt := net.DtTau
	if net.BT == nil {
		for i := range next {
			next[i] = base[i] + dt*a[i]
		}
		return
	}
	copy(next, base)
	impl := blas64.Implementation()
	n := net.N
	for j, aj := range a {
		impl.Daxpy(n, dt*aj, net.BT[j*n:(j+1)*n], 1, next, 1)
	}
}

// AddNoise adds σ·sqrt(dt/τ)·ξ to h, with ξ standard normal from s.
func (net *Network) AddNoise(s *Stream, h []float64) {
	if net.Sigma == 0 {
		return
	}
	scale := net.Sigma * math.Sqrt(net.DtTau)
	for i := range h {
		h[i] += scale * s.Norm()
	}
}

// LogSlope returns Σ_i log φ'(h_i), the change of entropy from h to φ(h)
// under small Gaussian noise, with constants dropped. For the clipped relu,
// φ' is 1 inside (0, ρ) and the sum counts −50 for each unit outside, a
// stand-in for log 0.
func (net *Network) LogSlope(h []float64) float64 {
	var s float64
	if net.Relu {
		for _, v := range h {
			if v <= 0 || v >= net.Rho {
				s -= 50
			}
		}
		return s
	}
	for _, v := range h {
		s += LogSech2(v)
	}
	return s
}
