package sim

import (
	"testing"
)

func BenchmarkNetworkStep(b *testing.B) {
	c, _ := DefaultConfig("square")
	env, _ := NewEnv(&c)
	net := env.(*NetworkEnv).Net
	s := NewStream(1, 0)
	h := make([]float64, c.N)
	env.Reset(s, 0, h, make([]float64, env.FeatureDim()))
	a := make([]float64, c.N)
	base := make([]float64, c.N)
	r := make([]float64, c.N)
	next := make([]float64, c.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		net.Drive(base, h, r, 0)
		net.AddAction(next, base, a)
	}
}

// BenchmarkControllerStep measures one agent step: K candidates, their
// features and terminal tests, the value network on the candidates and the
// MOP policy.
func BenchmarkControllerStep(b *testing.B) {
	c, _ := DefaultConfig("square")
	c.Workers = 1
	env, _ := NewEnv(&c)
	v := NewValueNetFor(&c, env, PolicyMOP)
	pop := NewPopulation(env, &c, PolicyMOP, v, []int{0}, []*Stream{NewStream(1, 0)},
		[]*Stream{NewStream(1, 1)}, 1)
	pop.Respawn = true
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pop.Step()
	}
}

// BenchmarkEpoch measures one training epoch of the default square run
// (rollout, fit and evaluation) on one goroutine.
func BenchmarkEpoch(b *testing.B) {
	c, _ := DefaultConfig("square")
	c.Workers = 1
	c.Epochs = 100000
	tr, err := NewTrainer(c)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tr.AdvanceEpoch()
	}
}
