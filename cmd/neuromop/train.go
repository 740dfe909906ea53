package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/neuromop/neuromop/sim"
)

// trainResult is the JSON output of train.
type trainResult struct {
	Task   string `json:"task"`
	Seed   uint64 `json:"seed"`
	Agent  string `json:"agent"`
	Epochs int    `json:"epochs"` // finished epochs
	// Interrupted is true for a run that a signal stopped. Its history
	// lists the finished epochs, and Metrics is null unless the final
	// evaluation had finished.
	Interrupted bool              `json:"interrupted,omitempty"`
	Params      map[string]string `json:"params"`
	Metrics     *sim.Metrics      `json:"metrics"` // final evaluation
	// Contexts, for the shapes task, holds the final metrics of each
	// evaluated shape.
	Contexts ordered[sim.Metrics] `json:"contexts,omitempty"`
	History  []epochRecord        `json:"history"`
}

// epochRecord is the part of sim.EpochStats that does not depend on the
// machine, so that a seeded run prints the same JSON every time.
type epochRecord struct {
	Epoch         int     `json:"epoch"`
	Survival      float64 `json:"survival"`
	MeanLifetime  float64 `json:"mean_lifetime"`
	ActionEntropy float64 `json:"action_entropy"`
	Loss          float64 `json:"loss"`
	LearningRate  float64 `json:"learning_rate"`
	Notice        string  `json:"notice,omitempty"`
}

func runTrain(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("train", "neuromop train [-task T] [parameter flags] [-json] [-out DIR] [-save FILE] [-quiet]",
		"Trains a MOP or R agent by fitted value iteration, evaluates it after each epoch and once more\n"+
			"at the end, and prints the final metrics. Progress goes to stderr, one line per epoch.",
		allParams)
	jsonOut := fs.Bool("json", false, "print the result as one JSON object: the run, the final metrics and the history")
	outDir := fs.String("out", "", "write metrics.csv and the figures lifetime.png, entropy.png and occupancy.png to `DIR`")
	savePath := fs.String("save", "", "write the trained agent to `FILE`, for neuromop eval and the web page")
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
	if *savePath != "" {
		if err := checkSavePath(*savePath); err != nil {
			return invalid(err)
		}
	}
	if *outDir != "" {
		if err := os.MkdirAll(*outDir, 0o755); err != nil {
			return invalidf("cannot create the -out directory: %v", err)
		}
		if err := checkOutputFiles(*outDir); err != nil {
			return invalid(err)
		}
	}
	tr, err := sim.NewTrainer(cfg)
	if err != nil {
		return invalid(err)
	}

	log := newProgress(stderr, *quiet)
	log.printf("training %s on task %s: seed %d, %d epochs of %d agents × %d steps",
		cfg.Agent, cfg.Task, cfg.Seed, cfg.Epochs, cfg.Agents, cfg.Steps)
	// finished contains the weights of the last finished epoch, because the
	// target network takes the next epoch's weights before that epoch's
	// evaluation ends.
	finished := tr.Target.Clone()
	printEpoch := log.epochPrinter("", cfg.Epochs)
	tr.OnEpoch = func(st sim.EpochStats) {
		finished.CopyFrom(tr.Target)
		printEpoch(st)
	}
	in := watchInterrupts(stderr, "neuromop train")
	defer in.stop()
	interrupted := in.advanceUntil(tr, func() bool { return true })

	// An interrupted run writes its finished epochs. Without one, there is
	// nothing to save, and the files at -save and -out are left as they are.
	agent := tr.AgentFile()
	if interrupted {
		agent.Value, agent.Metrics = finished, nil
	}
	keep := !interrupted || tr.Epoch() > 0
	var errs []error
	var written []string
	// The agent is saved first, so that no later failure loses it.
	if *savePath != "" && keep {
		err := saveAgent(*savePath, agent, log)
		errs = append(errs, err)
		if err == nil {
			written = append(written, fmt.Sprintf("the agent of %d epochs to %s", agent.EpochsTrained, *savePath))
		}
	}
	res := newTrainResult(tr)
	res.Interrupted = interrupted
	if *jsonOut {
		errs = append(errs, writeJSON(stdout, res))
	} else {
		errs = append(errs, printTrainTable(stdout, res, tr.LastEval))
	}
	written = append(written, "the result to stdout")
	if *outDir != "" && keep {
		names, err := writeOutputs(*outDir, tr)
		if len(names) > 0 {
			log.printf("wrote %s to %s", joinWords(names), *outDir)
			written = append(written, fmt.Sprintf("%s to %s", joinWords(names), *outDir))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("writing -out %s failed: %w", *outDir, err))
		}
	}
	if interrupted {
		summary := fmt.Sprintf("%d of %d epochs, before the final evaluation", tr.Epoch(), cfg.Epochs)
		if tr.Epoch() == cfg.Epochs {
			summary = fmt.Sprintf("%d of %d epochs, during the final evaluation", tr.Epoch(), cfg.Epochs)
		}
		if !keep {
			summary += "; no epoch finished, so -save and -out were not written"
		}
		summary += "; wrote " + joinWords(written)
		errs = append([]error{in.err(summary)}, errs...)
	}
	return errors.Join(errs...)
}

// checkShapeFlag rejects a -shape other than all for a task other than
// shapes, which has no shape contexts to choose from.
func checkShapeFlag(flags *sim.Flags, c *sim.Config) error {
	if flags.Set("shape") && c.Shape != "all" && c.Task != "shapes" {
		return invalidf("invalid -shape %q: -shape applies to the shapes task only, and -task is %s", c.Shape, c.Task)
	}
	return nil
}

// joinWords joins words as an English list: "a", "a and b", "a, b and c".
func joinWords(words []string) string {
	switch len(words) {
	case 0:
		return "nothing"
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func newTrainResult(tr *sim.Trainer) trainResult {
	c := tr.Config
	res := trainResult{
		Task: c.Task, Seed: c.Seed, Agent: c.Agent, Epochs: tr.Epoch(),
		Params: c.Values(), Metrics: tr.Final,
	}
	if tr.FinalStats != nil {
		for _, shape := range evaluatedShapes(&c) {
			res.Contexts = append(res.Contexts, named[sim.Metrics]{sim.ShapeNames[shape], tr.FinalStats.Metrics([]int{shape})})
		}
	}
	res.History = historyOf(tr)
	return res
}

// historyOf returns the finished epochs of tr.
func historyOf(tr *sim.Trainer) []epochRecord {
	history := []epochRecord{}
	for _, st := range tr.History {
		history = append(history, epochRecord{
			Epoch: st.Epoch, Survival: st.Eval.Survival, MeanLifetime: st.Eval.MeanLifetime,
			ActionEntropy: st.Eval.ActionEntropy, Loss: st.Loss, LearningRate: st.LearningRate,
			Notice: st.Notice,
		})
	}
	return history
}

// printTrainTable prints the final metrics of res. For a run interrupted
// before its final evaluation, it prints last, the evaluation after the
// last finished epoch, if there is one.
func printTrainTable(w io.Writer, res trainResult, last *sim.Metrics) error {
	if res.Metrics == nil {
		fmt.Fprintf(w, "task %s, agent %s, seed %d, interrupted after %d epochs, before the final evaluation",
			res.Task, res.Agent, res.Seed, res.Epochs)
		if last == nil {
			fmt.Fprintln(w)
			return nil
		}
		fmt.Fprintf(w, "; evaluation after epoch %d of %d agents for %d steps:\n\n", res.Epochs, last.Agents, last.Steps)
		return printMetricsTable(w, []string{res.Agent}, []*sim.Metrics{last})
	}
	fmt.Fprintf(w, "task %s, agent %s, seed %d, %d epochs; final evaluation of %d agents for %d steps:\n\n",
		res.Task, res.Agent, res.Seed, res.Epochs, res.Metrics.Agents, res.Metrics.Steps)
	return printMetricsTable(w, []string{res.Agent}, []*sim.Metrics{res.Metrics})
}

// checkSavePath reports why the agent could not be saved to path, before
// training starts: a missing or unwritable directory, a directory in
// place of the file, or a file other than a regular one, such as a FIFO
// or a device.
func checkSavePath(path string) error {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("cannot save the agent to %s: it is a directory; want a file name", path)
	}
	target, err := outputTarget(path)
	if err != nil {
		return fmt.Errorf("cannot save the agent to %s: %v; want a regular file or a new file name", path, err)
	}
	dir := filepath.Dir(target)
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return fmt.Errorf("cannot save the agent to %s: directory %s does not exist; create it first", path, dir)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(target)+".check-*")
	if err != nil {
		return fmt.Errorf("cannot save the agent to %s: %v", path, err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// maxSymlinks bounds the symbolic links outputTarget follows. Linux stops
// at the same count (MAXSYMLINKS in include/linux/namei.h).
const maxSymlinks = 40

// outputTarget returns the file that writing path reaches: path after its
// symbolic links, including a last link whose target does not exist yet.
// It returns an error if that file exists and is not a regular file.
func outputTarget(path string) (string, error) {
	target := path
	for range maxSymlinks {
		info, err := os.Lstat(target)
		if errors.Is(err, fs.ErrNotExist) {
			return target, nil
		}
		if err != nil {
			return "", err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			if info.Mode().IsRegular() {
				return target, nil
			}
			if target != path {
				return "", fmt.Errorf("it links to %s, which is not a regular file but %s", target, describeFileType(info.Mode()))
			}
			return "", fmt.Errorf("it is not a regular file but %s", describeFileType(info.Mode()))
		}
		link, err := os.Readlink(target)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(target), link)
		}
		target = link
	}
	return "", fmt.Errorf("it has more than %d levels of symbolic links", maxSymlinks)
}

// describeFileType returns the kind of a file that is not regular.
func describeFileType(mode fs.FileMode) string {
	switch {
	case mode.IsDir():
		return "a directory"
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeCharDevice != 0:
		return "a character device"
	case mode&fs.ModeDevice != 0:
		return "a block device"
	}
	return "a special file (mode " + mode.String() + ")"
}

// saveAgent writes a to path through a temporary file in the same
// directory, renamed over path once complete, so path is never left half
// written. If that fails, it saves the agent to the system's temporary
// directory instead and names both in the error.
func saveAgent(path string, a *sim.AgentFile, log *progress) error {
	err := writeFileAtomic(path, func(w io.Writer) error { return sim.EncodeAgent(w, a) })
	if err == nil {
		log.printf("saved the agent to %s", path)
		return nil
	}
	fallback, ferr := os.CreateTemp("", "neuromop-agent-*.json")
	if ferr == nil {
		ferr = sim.EncodeAgent(fallback, a)
		if cerr := fallback.Close(); ferr == nil {
			ferr = cerr
		}
		if ferr == nil {
			return fmt.Errorf("saving the agent to %s failed (%v); saved it to %s instead", path, err, fallback.Name())
		}
		os.Remove(fallback.Name())
	}
	return fmt.Errorf("saving the agent to %s failed (%v), and so did saving it to the temporary directory (%v)",
		path, err, ferr)
}

// writeFileAtomic writes path with write, through a temporary file that
// is renamed over the target only once it is complete. The target is path
// after its symbolic links, so a link keeps pointing to the new file, and
// an existing target keeps its permissions. It returns an error, and
// writes nothing, if the target exists and is not a regular file.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	target, err := outputTarget(path)
	if err != nil {
		return err
	}
	perm := fs.FileMode(0o644)
	if info, err := os.Stat(target); err == nil {
		perm = info.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), target)
}
