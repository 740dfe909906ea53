package sim

import (
	"math"
	"testing"
)

func TestNetworkStepByHand(t *testing.T) {
	net := &Network{
		N: 2, ActionDim: 2, DtTau: 0.1, Gain: 1.5,
		JT: []float64{0.2, -0.4, 0.7, 0.1}, // J = [[0.2, 0.7], [-0.4, 0.1]]
	}
	h := []float64{0.5, -1}
	a := []float64{0.3, -0.2}
	base := make([]float64, 2)
	next := make([]float64, 2)
	net.Drive(base, h, make([]float64, 2), 0)
	net.AddAction(next, base, a)
	r := []float64{math.Tanh(0.5), math.Tanh(-1)}
	j := [2][2]float64{{0.2, 0.7}, {-0.4, 0.1}}
	for i := 0; i < 2; i++ {
		want := h[i] + 0.1*(-h[i]+1.5*(j[i][0]*r[0]+j[i][1]*r[1])+a[i])
		if math.Abs(next[i]-want) > 1e-14 {
			t.Errorf("h'[%d] = %v, want %v", i, next[i], want)
		}
	}
}

func TestNetworkStepWithInputMatrix(t *testing.T) {
	net := &Network{
		N: 2, ActionDim: 1, Contexts: 2, DtTau: 0.2, Gain: 2, Relu: true, Rho: 1,
		JT: []float64{0, 1, 1, 0}, // J swaps the two neurons
		BT: []float64{0.5, -1},    // B = [0.5, -1]ᵀ
		CT: []float64{1, 0, 0, 3}, // context 1 drives neuron 2 with 3
	}
	h := []float64{2, 0.25}
	base := make([]float64, 2)
	next := make([]float64, 2)
	net.Drive(base, h, make([]float64, 2), 1)
	net.AddAction(next, base, []float64{4})
	// φ(h) = (1, 0.25); J·φ = (0.25, 1); B·a = (2, −4); C·c = (0, 3).
	want := []float64{2 + 0.2*(-2+2*0.25+2), 0.25 + 0.2*(-0.25+2*1-4+3)}
	for i := range want {
		if math.Abs(next[i]-want[i]) > 1e-14 {
			t.Errorf("h'[%d] = %v, want %v", i, next[i], want[i])
		}
	}
}

func TestCartPoleStepEquations(t *testing.T) {
	state := []float64{0.1, -0.3, 0.2, 0.5}
	next := make([]float64, 4)
	f := 10.0
	CartPoleStep(next, state, f)
	// Barto, Sutton and Anderson (1983), frictionless:
	// θ̈ = (g sinθ + cosθ·(−F − m l θ̇² sinθ)/(m_c + m)) / (l·(4/3 − m cos²θ/(m_c + m)))
	// ẍ = (F + m l (θ̇² sinθ − θ̈ cosθ)) / (m_c + m)
	th, w := 0.2, 0.5
	mc, m, l, g := 1.0, 0.1, 1.0, 9.81
	tha := (g*math.Sin(th) + math.Cos(th)*(-f-m*l*w*w*math.Sin(th))/(mc+m)) /
		(l * (4.0/3.0 - m*math.Cos(th)*math.Cos(th)/(mc+m)))
	xa := (f + m*l*(w*w*math.Sin(th)-tha*math.Cos(th))) / (mc + m)
	want := []float64{0.1 + 0.02*-0.3, -0.3 + 0.02*xa, 0.2 + 0.02*0.5, 0.5 + 0.02*tha}
	for i := range want {
		if math.Abs(next[i]-want[i]) > 1e-12 {
			t.Errorf("state'[%d] = %v, want %v", i, next[i], want[i])
		}
	}
}

func TestCartPoleTerminal(t *testing.T) {
	var cp CartPole
	f := make([]float64, 4)
	for _, c := range []struct {
		state []float64
		want  bool
	}{
		{[]float64{0, 0, 0, 0}, false},
		{[]float64{2.39, 0, 0.61, 0}, false},
		{[]float64{2.41, 0, 0, 0}, true},
		{[]float64{0, 0, -0.63, 0}, true},
	} {
		if got, _ := cp.Inspect(c.state, 0, f); got != c.want {
			t.Errorf("terminal(%v) = %v, want %v", c.state, got, c.want)
		}
	}
}

func TestParticipationRatioKnown(t *testing.T) {
	// Eigenvalues 3, 1, 1, 0: PR = 25/11.
	cov := []float64{
		2, 1, 0, 0,
		1, 2, 0, 0,
		0, 0, 1, 0,
		0, 0, 0, 0,
	}
	if got, want := ParticipationRatio(cov, 4), 25.0/11; math.Abs(got-want) > 1e-12 {
		t.Errorf("PR = %v, want %v", got, want)
	}
	iso := make([]float64, 25)
	for i := 0; i < 5; i++ {
		iso[i*6] = 2
	}
	if got := ParticipationRatio(iso, 5); math.Abs(got-5) > 1e-12 {
		t.Errorf("PR of isotropic covariance = %v, want 5", got)
	}
	if got := ParticipationRatio(make([]float64, 9), 3); got != 0 {
		t.Errorf("PR of zero covariance = %v, want 0", got)
	}
}

func TestRegionContains(t *testing.T) {
	for _, s := range Shapes.Shapes {
		if !s.Contains(0.05, 0.02) && s.Name != "ring" {
			t.Errorf("%s does not contain a point near its centre", s.Name)
		}
		if s.Contains(2, 2) {
			t.Errorf("%s contains (2, 2)", s.Name)
		}
	}
	ring := Shapes.Shapes[4]
	if ring.Contains(0, 0) {
		t.Error("ring contains its centre")
	}
	if !ring.Contains(0.45, 0) {
		t.Error("ring does not contain (0.45, 0)")
	}
	c := &Shapes.Corridor
	if !c.Contains(c.Start[0], c.Start[1]) {
		t.Error("corridor does not contain its start point")
	}
	if !c.Contains(0, 0) || c.Contains(0, 0.3) {
		t.Error("corridor passage is not where expected")
	}
}

func TestShapeAreasEqual(t *testing.T) {
	// Monte Carlo area in the box [-1, 1]², 4 units wide.
	s := NewStream(3, 0)
	const n = 200000
	for _, shape := range Shapes.Shapes {
		in := 0
		for i := 0; i < n; i++ {
			if shape.Contains(s.Uniform(-1, 1), s.Uniform(-1, 1)) {
				in++
			}
		}
		if area := 4 * float64(in) / n; math.Abs(area-1) > 0.02 {
			t.Errorf("%s area = %.3f, want 1", shape.Name, area)
		}
	}
}
