package sim

import (
	"fmt"
	"time"
)

// The benchmark trains BenchWarmupEpochs untimed epochs, so that caches
// and the value network have settled, then times BenchEpochs epochs.
const (
	BenchWarmupEpochs = 1
	BenchEpochs       = 3
)

// BenchConfig returns the benchmark's workload: the default configuration
// of the square task with seed 1. Only Workers should be changed, so that
// results stay comparable between machines.
func BenchConfig() Config {
	c, err := DefaultConfig("square")
	if err != nil {
		panic(fmt.Sprintf("sim: benchmark configuration: %v", err))
	}
	c.Seed = 1
	return c
}

// BenchResult is the throughput of the timed epochs of RunBench.
type BenchResult struct {
	Epochs  int     `json:"epochs"`  // timed epochs
	Samples int     `json:"samples"` // training samples of the timed epochs, M·T per epoch
	Seconds float64 `json:"seconds"` // wall time of the timed epochs, evaluations included
	// SamplesPerSecond is Samples/Seconds, the rate EpochStats reports.
	SamplesPerSecond float64 `json:"samples_per_second"`
	// NsPerControllerStep is the wall time of the rollouts divided by the
	// agent steps they took, in nanoseconds. One step draws K candidates,
	// computes their next states and scores them with V. Workers step
	// agents in parallel, so with several workers this is the inverse of
	// the throughput, not the latency of one step.
	NsPerControllerStep float64 `json:"ns_per_controller_step"`
	// GFLOPS is an estimate of the arithmetic rate of the rollouts and
	// fits, in 10⁹ floating-point operations per second, from the count
	// of EpochFlops.
	GFLOPS float64           `json:"gflops"`
	Config map[string]string `json:"config"`
}

// RunBench trains c for BenchWarmupEpochs untimed and BenchEpochs timed
// epochs and measures the timed ones. c.Epochs is ignored, and no final
// evaluation runs. It returns an error if c is not a valid training
// configuration.
func RunBench(c Config) (BenchResult, error) {
	// One epoch more than the benchmark runs keeps the set-up of the final
	// evaluation out of the timed work.
	c.Epochs = BenchWarmupEpochs + BenchEpochs + 1
	t, err := NewTrainer(c)
	if err != nil {
		return BenchResult{}, err
	}
	for t.Epoch() < BenchWarmupEpochs {
		t.Advance(0) // one unit of work
	}

	var rollout, fit, total time.Duration
	for t.Epoch() < BenchWarmupEpochs+BenchEpochs {
		phase := t.Phase()
		start := time.Now()
		t.Advance(0) // one step of all agents, or one minibatch
		d := time.Since(start)
		total += d
		switch phase {
		case "rollout":
			rollout += d
		case "fit":
			fit += d
		}
	}

	steps := BenchEpochs * c.Agents * c.Steps
	r := BenchResult{
		Epochs:  BenchEpochs,
		Samples: steps,
		Seconds: total.Seconds(),
	}
	c.Epochs = BenchWarmupEpochs + BenchEpochs
	r.Config = c.Values()
	if total > 0 {
		r.SamplesPerSecond = float64(steps) / total.Seconds()
	}
	if rollout > 0 {
		r.NsPerControllerStep = float64(rollout.Nanoseconds()) / float64(steps)
	}
	if work := rollout + fit; work > 0 {
		r.GFLOPS = BenchEpochs * EpochFlops(&c, t.Env, t.V.Sizes) / work.Seconds() / 1e9
	}
	return r, nil
}

// EpochFlops returns an estimate of the floating-point operations of one
// epoch's rollout and fit for configuration c on env with value-network
// widths sizes, counting a multiply-add as two operations. With
// W = Σ_l n_l·n_{l+1}, the multiply-adds of one forward pass of V:
//
//	one controller step: N² for g·J·φ(h), K·N·d_a for B·a of the K
//	    candidates (K·N when B = I), and K·W for V of each candidate;
//	one sample of one fit pass: 3·W − n_0·n_1, for the forward pass, the
//	    weight gradient and the deltas of every layer but the input.
//
// The rollout takes M·T controller steps and the fit Passes·M·T samples.
// Element-wise work (activations, terminal tests, the optimizer's update)
// is not counted, and the value of a terminal candidate, which the
// controller skips, is, so the count is an estimate either way. The
// cart-pole's step counts as 0.
func EpochFlops(c *Config, env Env, sizes []int) float64 {
	var forward float64
	for l := 0; l+1 < len(sizes); l++ {
		forward += float64(sizes[l]) * float64(sizes[l+1])
	}
	k := float64(c.EffectiveK())
	step := k * forward
	if ne, ok := env.(*NetworkEnv); ok {
		n, da := float64(ne.Net.N), float64(ne.Net.ActionDim)
		step += n * n
		if ne.Net.BT == nil {
			step += k * n
		} else {
			step += k * n * da
		}
	}
	fitSample := 3 * forward
	if len(sizes) > 1 {
		fitSample -= float64(sizes[0]) * float64(sizes[1])
	}
	samples := float64(c.Agents) * float64(c.Steps)
	return 2 * samples * (step + float64(c.Passes)*fitSample)
}
