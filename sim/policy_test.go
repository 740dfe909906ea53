package sim

import (
	"math"
	"testing"
)

func TestSoftValueIsLogSumExp(t *testing.T) {
	q := []float64{1e4, 1e4 - 1, -1e4, 3}
	pi := make([]float64, len(q))
	for _, alpha := range []float64{0.5, 1, 2} {
		v, h := SoftValue(q, alpha, pi)
		scaled := make([]float64, len(q))
		for i := range q {
			scaled[i] = q[i] / alpha
		}
		if want := alpha * LogSumExp(scaled); math.Abs(v-want) > 1e-9 {
			t.Errorf("alpha %v: V = %v, want %v", alpha, v, want)
		}
		var sum float64
		for _, p := range pi {
			sum += p
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("alpha %v: policy sums to %v, want 1", alpha, sum)
		}
		if h < 0 || h > 1 {
			t.Errorf("alpha %v: normalized entropy %v outside [0, 1]", alpha, h)
		}
	}
}

func TestSoftValueSumNotMean(t *testing.T) {
	// Equal Q values: V = Q + α·log K, the entropy of a free choice.
	q := []float64{2, 2, 2, 2, 2, 2, 2, 2}
	pi := make([]float64, len(q))
	v, h := SoftValue(q, 1, pi)
	if want := 2 + math.Log(8); math.Abs(v-want) > 1e-12 {
		t.Errorf("V = %v, want %v", v, want)
	}
	if math.Abs(h-1) > 1e-12 {
		t.Errorf("normalized entropy = %v, want 1", h)
	}
}

func TestEntropyBounds(t *testing.T) {
	pi := make([]float64, 4)
	_, h := SoftValue([]float64{0, -1e4, -1e4, -1e4}, 1, pi)
	if h < 0 || h > 1e-12 {
		t.Errorf("deterministic choice: entropy %v, want 0", h)
	}
	for _, c := range []struct {
		eps  float64
		k    int
		want float64
	}{
		{0, 16, 0}, {1, 16, 1}, {0.5, 1, 0},
	} {
		if got := GreedyEntropy(c.eps, c.k); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("GreedyEntropy(%v, %d) = %v, want %v", c.eps, c.k, got, c.want)
		}
	}
	if got := GreedyEntropy(0.05, 16); got <= 0 || got >= 1 {
		t.Errorf("GreedyEntropy(0.05, 16) = %v, want in (0, 1)", got)
	}
}
