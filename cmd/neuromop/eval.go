package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/neuromop/neuromop/sim"
)

// evalResult is the JSON output of eval.
type evalResult struct {
	Task          string               `json:"task"`
	Seed          uint64               `json:"seed"`
	Agent         string               `json:"agent"` // the evaluated kind
	EpochsTrained int                  `json:"epochs_trained"`
	Metrics       sim.Metrics          `json:"metrics"`
	Contexts      ordered[sim.Metrics] `json:"contexts,omitempty"`
}

// evalOverrides are the parameters eval may change. They leave the rate
// network's weights and the value network's shape as the file defines
// them: the network is drawn from seed, n, da and the task, and V's shape
// follows layers and units.
var evalOverrides = []string{"agent", "shape", "K", "A", "alpha", "beta", "gamma", "mu", "epsilon",
	"sigma", "L", "emax", "workers"}

func runEval(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval", "neuromop eval -load FILE [-agents n] [-steps n] [-agent KIND] [overrides] [-json]",
		"Evaluates a saved agent from the same seeded initial states as its training run's final\n"+
			"evaluation, so that with no overrides it reproduces those metrics exactly. -agent free or\n"+
			"-agent silent evaluates the free or silent network on the same rate network instead.",
		paramsNamed(evalOverrides...))
	fs.paramsTitle = "Overrides of the file's parameters (each defaults to the file's value)"
	fs.unbound = "the file's value defines the networks, so eval overrides only -" + strings.Join(evalOverrides, ", -")
	load := fs.String("load", "", "read the agent from `FILE`, as neuromop train -save writes it")
	agents := fs.countVar("agents", "final-agents", "evaluate `n` agents (default: the file's final-agents)")
	steps := fs.countVar("steps", "final-steps", "evaluate for `n` steps (default: the file's final-steps)")
	jsonOut := fs.Bool("json", false, "print the result as one JSON object")
	if help, err := fs.parse(args, stdout); help || err != nil {
		return err
	}
	if *load == "" {
		return invalidf("missing -load FILE: the agent file to evaluate")
	}

	a, err := readAgent(*load)
	if err != nil {
		return invalid(err)
	}
	cfg := a.Config
	if err := fs.params.ApplyTo(&cfg); err != nil {
		return invalid(err)
	}
	if fs.params.Set("shape") && cfg.Shape != "all" && cfg.Task != "shapes" {
		return invalidf("invalid -shape %q: %s contains an agent of task %s, and -shape applies to the shapes task only",
			cfg.Shape, *load, cfg.Task)
	}
	if err := cfg.Validate(); err != nil {
		return invalid(err)
	}
	policy := sim.ParsePolicy(cfg.Agent)
	value := a.Value
	switch {
	case !policy.UsesValue():
		value = nil
	case cfg.Agent != a.Config.Agent:
		return invalidf("invalid agent %q: %s contains a %s agent; want %s, free or silent",
			cfg.Agent, *load, a.Config.Agent, a.Config.Agent)
	}
	env, err := sim.NewEnv(&cfg)
	if err != nil {
		return invalid(err)
	}
	n, t := cfg.FinalAgents, cfg.FinalSteps
	if agents.set {
		n = agents.value
	}
	if steps.set {
		t = steps.value
	}

	fmt.Fprintf(stderr, "evaluating %s on the network of %s, task %s: %d agents for %d steps\n", cfg.Agent, *load, cfg.Task, n, t)
	m, stats := sim.Evaluate(env, &cfg, policy, value, n, t)
	res := evalResult{
		Task: cfg.Task, Seed: cfg.Seed, Agent: cfg.Agent, EpochsTrained: a.EpochsTrained,
		Metrics: m,
	}
	for _, shape := range evaluatedShapes(&cfg) {
		res.Contexts = append(res.Contexts, named[sim.Metrics]{sim.ShapeNames[shape], stats.Metrics([]int{shape})})
	}
	if *jsonOut {
		return writeJSON(stdout, res)
	}
	fmt.Fprintf(stdout, "task %s, %s agent of %s (%d epochs trained); %d agents for %d steps:\n\n",
		res.Task, res.Agent, *load, res.EpochsTrained, n, t)
	names, ms := []string{res.Agent}, []*sim.Metrics{&res.Metrics}
	for i := range res.Contexts {
		names = append(names, res.Contexts[i].Name)
		ms = append(ms, &res.Contexts[i].Value)
	}
	return printMetricsTable(stdout, names, ms)
}

// readAgent reads and decodes the agent file at path.
func readAgent(path string) (*sim.AgentFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the agent file: %v", err)
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.IsDir() {
		return nil, fmt.Errorf("cannot read the agent file: %s is a directory", path)
	}
	a, err := sim.DecodeAgent(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return a, nil
}
