package sim

import "math"

// Policy selects one of K candidates from their Bellman terms.
type Policy int

// The controllers of a run.
const (
	PolicyMOP    Policy = iota // softmax of Q/α, value = α·log Σ exp(Q/α)
	PolicyR                    // ε-greedy on Q, value = max Q
	PolicyFree                 // uniformly random candidate
	PolicySilent               // a = 0
)

// ParsePolicy returns the policy of an agent kind of AgentKinds.
func ParsePolicy(kind string) Policy {
	switch kind {
	case "r":
		return PolicyR
	case "free":
		return PolicyFree
	case "silent":
		return PolicySilent
	}
	return PolicyMOP
}

// String returns the agent kind of p.
func (p Policy) String() string { return AgentKinds[p] }

// UsesValue reports whether the policy scores candidates with a value
// network.
func (p Policy) UsesValue() bool { return p == PolicyMOP || p == PolicyR }

// SoftValue returns V = α·log Σ_k exp(Q_k/α), computed stably, and fills
// pi with the policy π_k = exp((Q_k − V)/α). It returns the normalized
// action entropy −Σ π_k log π_k / log K as well (0 when K = 1).
func SoftValue(q []float64, alpha float64, pi []float64) (v, entropy float64) {
	m := q[0]
	for _, x := range q[1:] {
		m = math.Max(m, x)
	}
	var sum float64
	for k, x := range q {
		pi[k] = Exp((x - m) / alpha)
		sum += pi[k]
	}
	v = m + alpha*Log(sum)
	inv := 1 / sum
	var h float64
	for k := range q {
		pi[k] *= inv
		if pi[k] > 0 {
			h -= pi[k] * Log(pi[k])
		}
	}
	return v, normalizedEntropy(h, len(q))
}

func normalizedEntropy(h float64, k int) float64 {
	if k < 2 {
		return 0
	}
	return math.Max(0, math.Min(1, h/Log(float64(k))))
}

// GreedyEntropy returns the normalized entropy of the ε-greedy
// distribution over k candidates: 1 − ε + ε/k on the best, ε/k elsewhere.
func GreedyEntropy(eps float64, k int) float64 {
	if k < 2 {
		return 0
	}
	best := 1 - eps + eps/float64(k)
	rest := eps / float64(k)
	h := -best * Log(best)
	if rest > 0 {
		h -= float64(k-1) * rest * Log(rest)
	}
	return normalizedEntropy(h, k)
}

// sampleIndex draws k with probability pi[k] from u uniform in [0, 1).
func sampleIndex(pi []float64, u float64) int {
	var c float64
	for k, p := range pi {
		c += p
		if u < c {
			return k
		}
	}
	return len(pi) - 1
}
