package main

import (
	"fmt"
	"io"

	"github.com/neuromop/neuromop/sim"
)

// benchOutput is the JSON output of bench.
type benchOutput struct {
	SamplesPerSecond    float64           `json:"samples_per_second"`
	NsPerControllerStep float64           `json:"ns_per_controller_step"`
	GFLOPS              float64           `json:"gflops"`
	Config              map[string]string `json:"config"`
}

func runBench(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench", "neuromop bench [-workers n] [-json]",
		fmt.Sprintf("Trains the default square task with seed 1 for %d warm-up epoch and %d timed epochs and\n"+
			"prints the training throughput of the timed ones: samples per second (evaluations included),\n"+
			"nanoseconds per controller step (one agent step with K candidates scored by V), and an\n"+
			"estimate of the GFLOP/s of the rollouts and fits, from their multiply-adds.",
			sim.BenchWarmupEpochs, sim.BenchEpochs),
		paramsNamed("workers"))
	fs.unbound = "the benchmark's workload is fixed so that results compare between machines; only -workers changes"
	jsonOut := fs.Bool("json", false, "print the result as one JSON object")
	if help, err := fs.parse(args, stdout); help || err != nil {
		return err
	}

	cfg := sim.BenchConfig()
	if err := fs.params.ApplyTo(&cfg); err != nil {
		return invalid(err)
	}
	fmt.Fprintf(stderr, "bench: %d warm-up and %d timed epochs of task %s, %d agents × %d steps, K = %d\n",
		sim.BenchWarmupEpochs, sim.BenchEpochs, cfg.Task, cfg.Agents, cfg.Steps, cfg.K)
	r, err := sim.RunBench(cfg)
	if err != nil {
		return invalid(err)
	}

	if *jsonOut {
		return writeJSON(stdout, benchOutput{
			SamplesPerSecond: r.SamplesPerSecond, NsPerControllerStep: r.NsPerControllerStep,
			GFLOPS: r.GFLOPS, Config: r.Config,
		})
	}
	fmt.Fprintf(stdout, "samples per second      %.0f\n", r.SamplesPerSecond)
	fmt.Fprintf(stdout, "ns per controller step  %.0f\n", r.NsPerControllerStep)
	fmt.Fprintf(stdout, "GFLOP/s (estimate)      %.2f\n", r.GFLOPS)
	fmt.Fprintf(stdout, "timed                   %d epochs, %d samples, %.2f s\n", r.Epochs, r.Samples, r.Seconds)
	return nil
}
