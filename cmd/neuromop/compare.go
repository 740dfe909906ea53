package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/neuromop/neuromop/sim"
)

// agentSet holds the metrics of the three agents that compare evaluates.
type agentSet struct {
	MOP  sim.Metrics `json:"mop"`
	R    sim.Metrics `json:"r"`
	Free sim.Metrics `json:"free"`
}

// compareResult is the JSON output of compare. Contexts, for the shapes
// task, holds the metrics of each evaluated shape.
type compareResult struct {
	Task     string            `json:"task"`
	Seed     uint64            `json:"seed"`
	Epochs   int               `json:"epochs"`
	Agents   agentSet          `json:"agents"`
	Contexts ordered[agentSet] `json:"contexts,omitempty"`
}

// named is one member of an ordered JSON object.
type named[T any] struct {
	Name  string
	Value T
}

// ordered is a JSON object whose members keep their order, unlike a map's.
type ordered[T any] []named[T]

func (o ordered[T]) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		key, err := json.Marshal(m.Name)
		if err != nil {
			return nil, err
		}
		value, err := json.Marshal(m.Value)
		if err != nil {
			return nil, err
		}
		b.Write(key)
		b.WriteByte(':')
		b.Write(value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func runCompare(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("compare", "neuromop compare [-task T] [-seed S] [parameter flags except -agent] [-json] [-quiet]",
		"Trains a MOP agent and an R agent with the same seed and parameters, then evaluates both and\n"+
			"the free network (a uniformly random candidate each step) from the same initial states, with\n"+
			"final-agents agents for final-steps steps. For the shapes task it also reports each shape.",
		func(p *sim.Param) bool { return p.Name != "agent" })
	fs.unbound = "compare trains both mop and r and evaluates free"
	jsonOut := fs.Bool("json", false, "print the result as one JSON object")
	quiet := fs.Bool("quiet", false, "print no progress, only warnings and errors")
	if help, err := fs.parse(args, stdout); help || err != nil {
		return err
	}
	cfg, err := fs.params.Config()
	if err != nil {
		return invalid(err)
	}

	log := newProgress(stderr, *quiet)
	var trainers [2]*sim.Trainer
	for i, kind := range []string{"mop", "r"} {
		c := cfg
		c.Agent = kind
		tr, err := sim.NewTrainer(c)
		if err != nil {
			return invalid(err)
		}
		log.printf("training %s on task %s: seed %d, %d epochs of %d agents × %d steps",
			kind, c.Task, c.Seed, c.Epochs, c.Agents, c.Steps)
		tr.OnEpoch = log.epochPrinter(kind+" ", c.Epochs)
		tr.Run()
		trainers[i] = tr
	}

	log.printf("evaluating mop, r and free: %d agents for %d steps", cfg.FinalAgents, cfg.FinalSteps)
	mop, r := trainers[0], trainers[1]
	freeCfg := cfg
	freeCfg.Agent = "free"
	mopMetrics, mopStats := sim.Evaluate(mop.Env, &mop.Config, sim.PolicyMOP, mop.Target, cfg.FinalAgents, cfg.FinalSteps)
	rMetrics, rStats := sim.Evaluate(r.Env, &r.Config, sim.PolicyR, r.Target, cfg.FinalAgents, cfg.FinalSteps)
	freeMetrics, freeStats := sim.Evaluate(mop.Env, &freeCfg, sim.PolicyFree, nil, cfg.FinalAgents, cfg.FinalSteps)

	res := compareResult{
		Task: cfg.Task, Seed: cfg.Seed, Epochs: cfg.Epochs,
		Agents: agentSet{MOP: mopMetrics, R: rMetrics, Free: freeMetrics},
	}
	for _, shape := range evaluatedShapes(&cfg) {
		ctx := []int{shape}
		res.Contexts = append(res.Contexts, named[agentSet]{sim.ShapeNames[shape], agentSet{
			MOP: mopStats.Metrics(ctx), R: rStats.Metrics(ctx), Free: freeStats.Metrics(ctx),
		}})
	}
	if *jsonOut {
		return writeJSON(stdout, res)
	}
	return printCompareTable(stdout, &cfg, res)
}

// evaluatedShapes returns the shape contexts an evaluation of c covers:
// none for a task other than shapes, all six for -shape all, or the one
// -shape names.
func evaluatedShapes(c *sim.Config) []int {
	if c.Task != "shapes" {
		return nil
	}
	var shapes []int
	for i, name := range sim.ShapeNames {
		if c.Shape == "all" || c.Shape == name {
			shapes = append(shapes, i)
		}
	}
	return shapes
}

func printCompareTable(w io.Writer, c *sim.Config, res compareResult) error {
	fmt.Fprintf(w, "task %s, seed %d, %d epochs; %d agents of each kind for %d steps from the same initial states:\n\n",
		res.Task, res.Seed, res.Epochs, c.FinalAgents, c.FinalSteps)
	a := &res.Agents
	if err := printMetricsTable(w, []string{"mop", "r", "free"}, []*sim.Metrics{&a.MOP, &a.R, &a.Free}); err != nil {
		return err
	}
	if len(res.Contexts) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nper shape:\n\n")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "shape\tsurvival mop\tr\tfree\tmean lifetime mop\tr\tfree\n")
	for _, s := range res.Contexts {
		v := &s.Value
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%.1f\t%.1f\t%.1f\n", s.Name,
			v.MOP.Survival, v.R.Survival, v.Free.Survival, v.MOP.MeanLifetime, v.R.MeanLifetime, v.Free.MeanLifetime)
	}
	return tw.Flush()
}
