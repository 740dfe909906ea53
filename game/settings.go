package game

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/neuromop/neuromop/sim"
)

// Settings is the state that a link stores: every parameter of the run and
// the page's own options. Query encodes it and ParseSettings decodes it, so
// opening a shared link reproduces the run.
type Settings struct {
	Config sim.Config
	// Compare shows MOP, R and the free network side by side on the same
	// seed (URL view=compare).
	Compare bool
	// Autostart starts training as soon as the page has loaded (URL
	// autostart=1).
	Autostart bool
	// Bench runs the workload of `neuromop bench` once, on one goroutine,
	// and reports it in Status.Bench (URL bench=1).
	Bench bool
	// Local trains in Update even where training workers can be started
	// (URL worker=0).
	Local bool
	// Pace fixes the share of its time that each training worker trains,
	// from MinPace to 1 (URL pace=0.5). At 0, the default (URL
	// pace=auto), the page chooses it so that frames keep coming at
	// least at 0.9 of the rate they come at while the workers rest.
	Pace float64
}

// URL parameters of the page besides those of sim.Params.
const (
	keyView      = "view"
	keyAutostart = "autostart"
	keyBench     = "bench"
	keyWorker    = "worker"
	keyPace      = "pace"
)

// DefaultSettings returns the defaults of the square task, the task the CLI
// runs without -task, in the single view.
func DefaultSettings() Settings {
	return Settings{Config: defaultConfig(sim.Lookup("task").Default)}
}

func defaultConfig(task string) sim.Config {
	c, err := sim.DefaultConfig(task)
	if err != nil {
		panic(fmt.Sprintf("game: defaults of task %q: %v", task, err))
	}
	return c
}

// ParseSettings returns the defaults with the URL parameters q applied, and
// one message for each value it rejected, see Settings.Apply. A parameter
// given more than once takes its last value, with a message that names the
// values it drops.
func ParseSettings(q url.Values) (Settings, []string) {
	params := make(map[string]string, len(q))
	var repeated []string
	for k, vs := range q {
		if len(vs) > 0 {
			params[k] = vs[len(vs)-1]
		}
		if len(vs) > 1 {
			repeated = append(repeated, fmt.Sprintf("parameter %s given %d times: using its last value %q, dropping %q",
				k, len(vs), vs[len(vs)-1], vs[:len(vs)-1]))
		}
	}
	sort.Strings(repeated)
	s, msgs := DefaultSettings().Apply(params)
	return s, append(repeated, msgs...)
}

// Apply returns s with params applied, by URL parameter name, and one
// message for each rejected value, which keeps its previous value.
//
// A new task resets every parameter to that task's defaults except agent
// and seed, as the CLI takes its defaults from -task. Then the view and the
// other parameters apply one by one, in the order of sim.Params. A value
// is rejected when, with the values applied before it, it breaks a rule
// joining several parameters, such as da at most n, or the limits of
// checkPage. Its message is that of sim.Config.Validate or of checkPage,
// and the values after it still apply. When values after it satisfy the
// rule again, as sigma=0&beta=0 does for a task whose default beta is
// above 0, they apply together with it. Unknown names are rejected too.
func (s Settings) Apply(params map[string]string) (Settings, []string) {
	var msgs []string
	if v, ok := params["task"]; ok {
		probe := s.Config
		if err := probe.Set("task", v); err != nil {
			msgs = append(msgs, err.Error())
		} else if probe.Task != s.Config.Task {
			c := defaultConfig(probe.Task)
			c.Agent, c.Seed = s.Config.Agent, s.Config.Seed
			s.Config = c
		}
	}

	changes, parseMsgs := parseChanges(s, params)
	msgs = append(msgs, parseMsgs...)
	s, jointMsgs := applyChanges(s, changes)
	msgs = append(msgs, jointMsgs...)

	for _, flag := range []struct {
		name string
		dst  *bool
	}{{keyAutostart, &s.Autostart}, {keyBench, &s.Bench}} {
		v, ok := params[flag.name]
		if !ok {
			continue
		}
		on, err := parseSwitch(flag.name, v)
		if err != nil {
			msgs = append(msgs, err.Error())
			continue
		}
		*flag.dst = on
	}
	if v, ok := params[keyWorker]; ok {
		if on, err := parseSwitch(keyWorker, v); err != nil {
			msgs = append(msgs, err.Error())
		} else {
			s.Local = !on
		}
	}

	if v, ok := params[keyPace]; ok {
		if pace, err := parsePace(v); err != nil {
			msgs = append(msgs, err.Error())
		} else {
			s.Pace = pace
		}
	}

	var unknown []string
	for k := range params {
		if sim.Lookup(k) == nil && k != keyView && k != keyAutostart && k != keyBench && k != keyWorker && k != keyPace {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		msgs = append(msgs, fmt.Sprintf("unknown parameter %q: want a parameter of the simulation, %s, %s, %s, %s or %s",
			k, keyView, keyAutostart, keyBench, keyWorker, keyPace))
	}
	return s, msgs
}

// change is one value of Apply that parsed on its own.
type change func(*Settings)

// parseChanges returns the view and the parameters of sim.Params in params,
// task aside, in the order that Apply applies them, and a message for each
// value that does not parse.
func parseChanges(s Settings, params map[string]string) ([]change, []string) {
	var changes []change
	var msgs []string
	if v, ok := params[keyView]; ok {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "compare":
			changes = append(changes, func(s *Settings) { s.Compare = true })
		case "single", "":
			changes = append(changes, func(s *Settings) { s.Compare = false })
		default:
			msgs = append(msgs, fmt.Sprintf("invalid view %q: want compare or single", v))
		}
	}
	for i := range sim.Params {
		p := &sim.Params[i]
		v, ok := params[p.Name]
		if !ok || p.Name == "task" {
			continue
		}
		probe := s.Config
		if err := p.Parse(&probe, v); err != nil {
			msgs = append(msgs, err.Error())
			continue
		}
		changes = append(changes, func(s *Settings) {
			if err := p.Parse(&s.Config, v); err != nil {
				panic(fmt.Sprintf("game: %s %q parsed once and failed again: %v", p.Name, v, err))
			}
		})
	}
	return changes, msgs
}

// applyChanges applies changes to s in order and returns the result with a
// message for each change rejected by the rules of checkSettings, see
// Apply. When s itself breaks a rule, as the settings of a loaded agent
// can, each change applies until the settings satisfy the rules again.
func applyChanges(s Settings, changes []change) (Settings, []string) {
	var msgs []string
	invalid := checkSettings(&s) != nil
	for i := 0; i < len(changes); i++ {
		next := s
		changes[i](&next)
		err := checkSettings(&next)
		if err == nil || invalid {
			s, invalid = next, err != nil
			continue
		}
		// Later values may satisfy the rule again, as sigma=0 followed by
		// beta=0 does.
		block := next
		j := i + 1
		for ; j < len(changes); j++ {
			changes[j](&block)
			if checkSettings(&block) == nil {
				break
			}
		}
		if j < len(changes) {
			s, i = block, j
			continue
		}
		msgs = append(msgs, err.Error())
	}
	return s, msgs
}

// checkSettings returns the error of sim.Config.Validate for s, or the
// error of checkPage.
func checkSettings(s *Settings) error {
	if err := s.Config.Validate(); err != nil {
		return err
	}
	return checkPage(s)
}

// parseSwitch parses an on/off URL parameter: 1, true, yes or on, and 0,
// false, no or off.
func parseSwitch(name, v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on", "":
		return true, nil
	case "0", "false", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("invalid %s %q: want 1 or 0", name, v)
}

// MinPace is the smallest duty that Settings.Pace fixes.
const MinPace = 0.01

// parsePace parses the value of the URL parameter pace: auto, or a share
// from MinPace to 1.
func parsePace(v string) (float64, error) {
	if v == "auto" {
		return 0, nil
	}
	x, err := sim.ParseDecimal(v)
	if err != nil || !(x >= MinPace && x <= 1) {
		return 0, fmt.Errorf("invalid %s %q: want auto, or the share of its time that the training worker trains, from %g to 1, such as 0.5", keyPace, v, MinPace)
	}
	return x, nil
}

// Query returns s as a URL query without the leading "?": the task first,
// then each parameter that differs from the task's default in the order of
// sim.Params, then the page's options that differ from their defaults.
func (s *Settings) Query() string {
	var b strings.Builder
	add := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	c := &s.Config
	add("task", c.Task)
	defaults := defaultConfig(c.Task)
	for i := range sim.Params {
		p := &sim.Params[i]
		if p.Name == "task" {
			continue
		}
		if v := p.Format(c); v != p.Format(&defaults) {
			add(p.Name, v)
		}
	}
	if s.Compare {
		add(keyView, "compare")
	}
	if s.Autostart {
		add(keyAutostart, "1")
	}
	if s.Bench {
		add(keyBench, "1")
	}
	if s.Local {
		add(keyWorker, "0")
	}
	if s.Pace > 0 {
		add(keyPace, strconv.FormatFloat(s.Pace, 'g', -1, 64))
	}
	return b.String()
}

// Limits of the page, stricter than those of sim.Config.Validate for the
// CLI, because the page runs in one WebAssembly instance of at most 4 GiB
// and must keep drawing frames.
const (
	// MaxPageBytes is the largest estimated memory that the runs of the
	// view hold together, 1 GiB. The Go heap grows to about twice the
	// live data (GOGC=100) before a collection, which stays below 4 GiB.
	MaxPageBytes = 1 << 30
	// MaxPageUnitFlops is the largest estimated work of one slice that
	// the page cannot split, in floating-point operations: a unit of
	// sim.Trainer.Advance, one step or the end of a round of the display
	// agents of every run, or building the runs. It takes 0.3 s at
	// 1 GFLOP/s. This code stepped agents and computed metrics at 0.3 to
	// 0.7 GFLOP/s in WebAssembly under Node.js on a loaded 2-core amd64
	// machine.
	MaxPageUnitFlops = 3e8
)

// pageKinds returns the agent kinds of the runs that s shows.
func pageKinds(s *Settings) []string {
	if s.Compare {
		return compareKinds
	}
	return []string{s.Config.Agent}
}

// pageHolder returns how messages name the runs of s.
func pageHolder(s *Settings) (holder, fix string) {
	if s.Compare {
		return "the compare view", ", or use the single view"
	}
	return "the page", ""
}

// checkPage rejects settings whose runs together exceed MaxPageBytes, or
// whose largest slice of work exceeds MaxPageUnitFlops. It checks a run
// that trains in a worker as if it trained in the page, because a run
// whose worker fails trains in the page.
func checkPage(s *Settings) error {
	holder, fix := pageHolder(s)
	if mem := pageMemory(s); sim.Total(mem) > MaxPageBytes {
		return s.Config.MemoryError(mem, MaxPageBytes, holder, fix+", or run it with neuromop train")
	}
	if big := sim.Largest(pageWork(s)); big.Amount > MaxPageUnitFlops {
		return s.Config.WorkError(big, MaxPageUnitFlops,
			fmt.Sprintf("%s, or run it with neuromop train, which accepts up to %.3g", fix, float64(sim.MaxUnitFlops)))
	}
	return nil
}

// pageMemory returns an estimate of the memory that the runs of s hold
// together when they train in the page, by part. The parts are each
// trainer's (sim.Config.RunMemory), the network and the evaluation of the
// free network of the compare view, and each display.
func pageMemory(s *Settings) []sim.Cost {
	var costs []sim.Cost
	for _, kind := range pageKinds(s) {
		c := s.Config
		c.Agent = kind
		if sim.ParsePolicy(kind).UsesValue() {
			costs = append(costs, c.RunMemory()...)
		} else {
			costs = append(costs, c.NetworkBytes())
			if s.Compare {
				costs = append(costs, sim.Cost{Part: "the evaluation of the free network",
					Params: withDa(&c, "n", "eval-agents", "eval-steps"), Amount: c.EvaluationBytes(c.EvalAgents, c.EvalSteps)})
			}
		}
		costs = append(costs, sim.Cost{Part: "the display agents", Params: withDa(&c, "n", "K", "eval-steps"),
			Amount: displayBytes(&c)})
	}
	return costs
}

// displayBytes returns an estimate of the memory of a Display of c. A new
// round builds its agents and their Stats before it drops the last
// round's, so both are counted.
func displayBytes(c *sim.Config) float64 {
	fixed := float64(DisplayAgents*TrailLength*16+(EntropyLength+EnergyLength)*8+
		RasterNeurons*RasterSteps*8+HistogramBins*8) + float64(sim.OccupancyBins*sim.OccupancyBins*8)
	return 2*c.EvaluationBytes(DisplayAgents, c.EvalSteps) + fixed
}

// pageWork returns an estimate of the floating-point operations of each
// slice of work that the page cannot split. The slices are the units of
// each run's trainer and evaluation (sim.Config.UnitWork), building the
// runs, and one step or the end of a round of the display agents. A frame
// steps the display agents of every run together, so those count summed.
func pageWork(s *Settings) []sim.Cost {
	var units []sim.Cost
	kinds := pageKinds(s)
	var build, step, round float64
	for _, kind := range kinds {
		c := s.Config
		c.Agent = kind
		units = append(units, c.UnitWork()...)
		build += c.BuildWork().Amount + c.EvaluationStartWork(DisplayAgents)
		step += c.StepFlops(DisplayAgents)
		// A round ends inside a step: the metrics of the last round, the
		// new agents and their first step.
		round += c.MetricsFlops(DisplayAgents) + c.EvaluationStartWork(DisplayAgents) + c.StepFlops(DisplayAgents)
	}
	c := &s.Config
	holder, _ := pageHolder(s)
	return append(units,
		sim.Cost{Part: "building the runs of " + holder, Params: withDa(c, "n", "agents"), Amount: build},
		sim.Cost{Part: "one step of the display agents of " + holder, Params: withDa(c, "K", "n", "units"), Amount: step},
		sim.Cost{Part: "the end of a round of the display agents of " + holder, Params: withDa(c, "n"), Amount: round})
}

// withDa appends "da" to names when d_a is a parameter of its own, not N.
func withDa(c *sim.Config, names ...string) []string {
	if c.ActionDim != 0 {
		names = append(names, "da")
	}
	return names
}
