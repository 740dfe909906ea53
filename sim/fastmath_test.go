package sim

import (
	"math"
	"testing"
)

func TestExpMatchesMath(t *testing.T) {
	s := NewStream(7, 0)
	for i := 0; i < 100000; i++ {
		x := s.Uniform(-700, 700)
		got, want := Exp(x), math.Exp(x)
		if rel := math.Abs(got-want) / want; rel > 4e-16 {
			t.Fatalf("Exp(%v) = %v, want %v (relative error %g)", x, got, want, rel)
		}
	}
	for _, c := range []struct{ x, want float64 }{
		{0, 1}, {1000, math.Inf(1)}, {-1000, 0}, {-740, math.Exp(-740)},
	} {
		if got := Exp(c.x); got != c.want && math.Abs(got-c.want) > 1e-320 {
			t.Errorf("Exp(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	if got := Exp(math.NaN()); !math.IsNaN(got) {
		t.Errorf("Exp(NaN) = %v, want NaN", got)
	}
}

func TestLogMatchesMath(t *testing.T) {
	s := NewStream(8, 0)
	for i := 0; i < 100000; i++ {
		x := math.Exp(s.Uniform(-700, 700))
		got, want := Log(x), math.Log(x)
		if d := math.Abs(got - want); d > 4e-16*math.Max(1, math.Abs(want)) {
			t.Fatalf("Log(%v) = %v, want %v", x, got, want)
		}
	}
	if got := Log(0); !math.IsInf(got, -1) {
		t.Errorf("Log(0) = %v, want -Inf", got)
	}
	if got := Log(-1); !math.IsNaN(got) {
		t.Errorf("Log(-1) = %v, want NaN", got)
	}
}

func TestTanhMatchesMath(t *testing.T) {
	s := NewStream(9, 0)
	for i := 0; i < 100000; i++ {
		x := s.Uniform(-30, 30)
		if d := math.Abs(Tanh(x) - math.Tanh(x)); d > 1e-15 {
			t.Fatalf("Tanh(%v) = %v, want %v", x, Tanh(x), math.Tanh(x))
		}
	}
}

func TestLogSech2(t *testing.T) {
	for _, x := range []float64{0, 0.3, -1, 5, -20, 300} {
		want := -2 * math.Log(math.Cosh(x))
		if math.IsInf(want, 0) {
			want = -2 * (math.Abs(x) - math.Ln2)
		}
		if got := LogSech2(x); math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
			t.Errorf("LogSech2(%v) = %v, want %v", x, got, want)
		}
	}
}

func TestLogSumExpExtremes(t *testing.T) {
	cases := []struct {
		x    []float64
		want float64
	}{
		{[]float64{1e4, 1e4}, 1e4 + math.Ln2},
		{[]float64{-1e4, -1e4, -1e4}, -1e4 + math.Log(3)},
		{[]float64{1e4, -1e4}, 1e4},
		{[]float64{0, 0, 0, 0}, math.Log(4)},
		{[]float64{math.Inf(-1), 0}, 0},
	}
	for _, c := range cases {
		got := LogSumExp(c.x)
		if math.IsNaN(got) || math.Abs(got-c.want) > 1e-12*math.Max(1, math.Abs(c.want)) {
			t.Errorf("LogSumExp(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}
