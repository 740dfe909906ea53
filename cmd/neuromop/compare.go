package main

import (
	"bytes"
	"encoding/json"
	"errors"
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
//
// A run that a signal interrupted has Interrupted set, the epochs each
// agent finished and their history, and no Agents or Contexts, because
// the final evaluation compares all three agents or none.
type compareResult struct {
	Task           string            `json:"task"`
	Seed           uint64            `json:"seed"`
	Epochs         int               `json:"epochs"` // requested epochs of each agent
	Interrupted    bool              `json:"interrupted,omitempty"`
	EpochsFinished *agentCounts      `json:"epochs_finished,omitempty"`
	History        *agentHistories   `json:"history,omitempty"`
	Agents         *agentSet         `json:"agents,omitempty"`
	Contexts       ordered[agentSet] `json:"contexts,omitempty"`
}

// agentCounts is the number of epochs that MOP and R finished.
type agentCounts struct {
	MOP int `json:"mop"`
	R   int `json:"r"`
}

// agentHistories contains the finished epochs of MOP and R.
type agentHistories struct {
	MOP []epochRecord `json:"mop"`
	R   []epochRecord `json:"r"`
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
	if err := checkShapeFlag(fs.params, &cfg); err != nil {
		return err
	}

	log := newProgress(stderr, *quiet)
	in := watchInterrupts(stderr, "neuromop compare")
	defer in.stop()
	// compare takes each trainer's final evaluation, which runs the same
	// agents from the same initial states as sim.Evaluate.
	var trainers []*sim.Trainer
	interrupted := false
	for _, kind := range []string{"mop", "r"} {
		c := cfg
		c.Agent = kind
		tr, err := sim.NewTrainer(c)
		if err != nil {
			return invalid(err)
		}
		trainers = append(trainers, tr)
		log.printf("training %s on task %s: seed %d, %d epochs of %d agents × %d steps",
			kind, c.Task, c.Seed, c.Epochs, c.Agents, c.Steps)
		tr.OnEpoch = log.epochPrinter(kind+" ", c.Epochs)
		if in.advanceUntil(tr, func() bool { return tr.Epoch() < c.Epochs }) {
			interrupted = true
			break
		}
		log.printf("evaluating %s: %d agents for %d steps", kind, c.FinalAgents, c.FinalSteps)
		if in.advanceUntil(tr, func() bool { return true }) {
			interrupted = true
			break
		}
	}

	var free evaluation
	if !interrupted {
		log.printf("evaluating free: %d agents for %d steps", cfg.FinalAgents, cfg.FinalSteps)
		freeCfg := cfg
		freeCfg.Agent = "free"
		mop := trainers[0]
		free, interrupted = evaluateUnlessInterrupted(in, mop.Env, &freeCfg, cfg.FinalAgents, cfg.FinalSteps)
	}
	if interrupted {
		return writeInterruptedCompare(stdout, in, &cfg, trainers, *jsonOut)
	}

	mop, r := trainers[0], trainers[1]
	res := compareResult{
		Task: cfg.Task, Seed: cfg.Seed, Epochs: cfg.Epochs,
		Agents: &agentSet{MOP: *mop.Final, R: *r.Final, Free: free.metrics},
	}
	for _, shape := range evaluatedShapes(&cfg) {
		ctx := []int{shape}
		res.Contexts = append(res.Contexts, named[agentSet]{sim.ShapeNames[shape], agentSet{
			MOP: mop.FinalStats.Metrics(ctx), R: r.FinalStats.Metrics(ctx), Free: free.stats.Metrics(ctx),
		}})
	}
	if *jsonOut {
		return writeJSON(stdout, res)
	}
	return printCompareTable(stdout, &cfg, res)
}

// evaluation is the result of sim.Evaluate.
type evaluation struct {
	metrics sim.Metrics
	stats   *sim.Stats
}

// evaluateUnlessInterrupted evaluates the free network of c on env, and
// reports whether a signal came first. sim.Evaluate cannot stop halfway,
// so after a signal its goroutine runs on until the program exits.
func evaluateUnlessInterrupted(in *interruption, env sim.Env, c *sim.Config, agents, steps int) (evaluation, bool) {
	done := make(chan evaluation, 1)
	go func() {
		m, stats := sim.Evaluate(env, c, sim.PolicyFree, nil, agents, steps)
		done <- evaluation{m, stats}
	}()
	select {
	case ev := <-done:
		return ev, false
	case <-in.done:
		return evaluation{}, true
	}
}

// writeInterruptedCompare writes the result of a compare run that a
// signal stopped: the epochs each agent finished and their evaluations,
// without the final comparison, which needs all three agents evaluated.
func writeInterruptedCompare(stdout io.Writer, in *interruption, c *sim.Config, trainers []*sim.Trainer, jsonOut bool) error {
	res := compareResult{
		Task: c.Task, Seed: c.Seed, Epochs: c.Epochs, Interrupted: true,
		EpochsFinished: &agentCounts{}, History: &agentHistories{MOP: []epochRecord{}, R: []epochRecord{}},
	}
	for _, tr := range trainers {
		switch tr.Config.Agent {
		case "mop":
			res.EpochsFinished.MOP, res.History.MOP = tr.Epoch(), historyOf(tr)
		case "r":
			res.EpochsFinished.R, res.History.R = tr.Epoch(), historyOf(tr)
		}
	}
	var err error
	if jsonOut {
		err = writeJSON(stdout, res)
	} else {
		err = printInterruptedCompare(stdout, res, trainers)
	}
	summary := fmt.Sprintf("%d mop and %d r epochs of %d, before the final evaluation; wrote the epochs finished to stdout",
		res.EpochsFinished.MOP, res.EpochsFinished.R, c.Epochs)
	return errors.Join(in.err(summary), err)
}

// printInterruptedCompare prints the evaluation after the last finished
// epoch of each agent that finished one.
func printInterruptedCompare(w io.Writer, res compareResult, trainers []*sim.Trainer) error {
	fmt.Fprintf(w, "task %s, seed %d, interrupted after %d mop and %d r epochs of %d, before the final evaluation\n",
		res.Task, res.Seed, res.EpochsFinished.MOP, res.EpochsFinished.R, res.Epochs)
	var names []string
	var ms []*sim.Metrics
	for _, tr := range trainers {
		if tr.LastEval != nil {
			names = append(names, fmt.Sprintf("%s after epoch %d", tr.Config.Agent, tr.Epoch()))
			ms = append(ms, tr.LastEval)
		}
	}
	if len(ms) == 0 {
		return nil
	}
	fmt.Fprintf(w, "evaluation after the last finished epoch, %d agents for %d steps:\n\n", ms[0].Agents, ms[0].Steps)
	return printMetricsTable(w, names, ms)
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
	a := res.Agents
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
