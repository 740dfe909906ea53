package sim

import (
	"fmt"
	"strings"
)

// Config holds every hyperparameter of a run. DefaultConfig fills it from
// Params; Set and Validate check values against the same table.
type Config struct {
	Task  string
	Agent string
	Shape string
	Seed  uint64

	// Rate network.
	N           int
	DtTau       float64
	Gain        float64
	Activation  string
	Rho         float64
	ActionBound float64
	ActionDim   int
	Sigma       float64
	ReadoutGain float64

	// Terminal rules.
	HalfWidth float64
	EMax      float64

	// Controller.
	K       int
	Alpha   float64
	Beta    float64
	Gamma   float64
	Mu      float64
	Epsilon float64

	// Value network.
	Layers           int
	Units            int
	HiddenActivation string
	Optimizer        string
	LearningRate     float64
	Batch            int
	Passes           int

	// Training and evaluation.
	Agents      int
	Steps       int
	Epochs      int
	EvalAgents  int
	EvalSteps   int
	FinalAgents int
	FinalSteps  int
	Workers     int
}

// Params is the table of every hyperparameter.
var Params = []Param{
	{Name: "task", Group: "run", Default: "square", Choices: Tasks,
		Help: "experiment to run", field: func(c *Config) any { return &c.Task }},
	{Name: "agent", Group: "run", Default: "mop", Choices: AgentKinds,
		Help:  "controller: mop (NeuroMOP), r (reward maximizer), free (random candidate) or silent (a = 0)",
		field: func(c *Config) any { return &c.Agent }},
	{Name: "shape", Group: "run", Default: "all", Choices: append([]string{"all"}, ShapeNames...),
		Help:  "shapes task: context to evaluate and show, or all six in turn",
		field: func(c *Config) any { return &c.Shape }},
	{Name: "seed", Group: "run", Default: "1", Min: 0, Max: 1 << 53,
		Help: "seed of every random draw of the run", field: func(c *Config) any { return &c.Seed }},

	{Name: "n", Group: "network", Default: "100", Min: 2, Max: 2000,
		Help: "number of neurons N", field: func(c *Config) any { return &c.N }},
	{Name: "dt", Group: "network", Default: "0.1", Min: 0, Max: 1, MinOpen: true,
		Unit: "τ", Help: "step length dt/τ", field: func(c *Config) any { return &c.DtTau }},
	{Name: "g", Group: "network", Default: "1.5",
		Min: 0, Max: 10, Help: "coupling gain g (above 1 the free tanh network is chaotic)",
		field: func(c *Config) any { return &c.Gain }},
	{Name: "phi", Group: "network", Default: "tanh", TaskDefaults: map[string]string{"energy": "relu"},
		Choices: []string{"tanh", "relu"},
		Help:    "activation φ: tanh, or relu clipped at ρ", field: func(c *Config) any { return &c.Activation }},
	{Name: "rho", Group: "network", Default: "2", Min: 0, Max: 100, MinOpen: true,
		Help: "clip level ρ of the relu activation", field: func(c *Config) any { return &c.Rho }},
	{Name: "A", Group: "network", Default: "2",
		Min: 0, Max: 100, MinOpen: true,
		Help: "action bound: each action component is uniform in [−A, A]", field: func(c *Config) any { return &c.ActionBound }},
	{Name: "da", Group: "network", Default: "0", Min: 0, Max: 2000,
		Help:  "action dimension d_a; 0 means d_a = N with B = I, otherwise B is random N×d_a",
		field: func(c *Config) any { return &c.ActionDim }},
	{Name: "sigma", Group: "network", Default: "0", TaskDefaults: map[string]string{"saturation": "0.03"},
		Min: 0, Max: 10, Help: "noise σ on the currents of the step taken",
		field: func(c *Config) any { return &c.Sigma }},
	{Name: "readout", Group: "network", Default: "1", TaskDefaults: map[string]string{"corridor": "1.5"}, Min: 0, Max: 100, MinOpen: true,
		Help:  "gain of the random 2-D readout: entries of W are normal with variance readout²/N",
		field: func(c *Config) any { return &c.ReadoutGain }},

	{Name: "L", Group: "terminal", Default: "0.5", Min: 0, Max: 1, MinOpen: true,
		Help:  "half-width of the square: terminal when abs(r_1) or abs(r_2) exceeds L",
		field: func(c *Config) any { return &c.HalfWidth }},
	{Name: "emax", Group: "terminal", Default: "1", Min: 0, Max: 100, MinOpen: true,
		Help:  "energy task: terminal when the mean of r_i² exceeds E_max",
		field: func(c *Config) any { return &c.EMax }},

	{Name: "K", Group: "controller", Default: "32", TaskDefaults: map[string]string{"cartpole": "5"},
		Min: 1, Max: 256, Help: "candidate actions per step (the cart-pole always has its 5 forces)",
		field: func(c *Config) any { return &c.K }},
	{Name: "alpha", Group: "controller", Default: "1", Min: 0, Max: 100, MinOpen: true,
		Help: "weight α of the action entropy (the softmax temperature)", field: func(c *Config) any { return &c.Alpha }},
	{Name: "beta", Group: "controller", Default: "0", TaskDefaults: map[string]string{"saturation": "0.02"},
		Min: 0, Max: 100, Help: "weight β of the state entropy (needs sigma > 0)",
		field: func(c *Config) any { return &c.Beta }},
	{Name: "gamma", Group: "controller", Default: "0.9", TaskDefaults: map[string]string{"cartpole": "0.99"}, Min: 0, Max: 1, MinOpen: true, MaxOpen: true,
		Help: "discount factor γ", field: func(c *Config) any { return &c.Gamma }},
	{Name: "mu", Group: "controller", Default: "0", TaskDefaults: map[string]string{"reward": "0.5"},
		Min: 0, Max: 100, Help: "weight μ of the reward (reward task: readout inside the inner square)",
		field: func(c *Config) any { return &c.Mu }},
	{Name: "epsilon", Group: "controller", Default: "0.05", Min: 0, Max: 1,
		Help: "R agent: probability of a uniformly random candidate", field: func(c *Config) any { return &c.Epsilon }},

	{Name: "layers", Group: "value network", Default: "2", Min: 1, Max: 4,
		Help: "hidden layers of the value network", field: func(c *Config) any { return &c.Layers }},
	{Name: "units", Group: "value network", Default: "32", TaskDefaults: map[string]string{"shapes": "64"},
		Min: 1, Max: 512, Help: "units per hidden layer", field: func(c *Config) any { return &c.Units }},
	{Name: "hidden", Group: "value network", Default: "tanh", Choices: []string{"tanh", "relu"},
		Help: "activation of the hidden units", field: func(c *Config) any { return &c.HiddenActivation }},
	{Name: "opt", Group: "value network", Default: "adam", Choices: []string{"adam", "sgd"},
		Help: "optimizer", field: func(c *Config) any { return &c.Optimizer }},
	{Name: "lr", Group: "value network", Default: "0.001", TaskDefaults: map[string]string{"cartpole": "0.0001"}, Min: 0, Max: 1e6, MinOpen: true,
		Help: "learning rate", field: func(c *Config) any { return &c.LearningRate }},
	{Name: "batch", Group: "value network", Default: "256", Min: 1, Max: 65536,
		Help: "minibatch size", field: func(c *Config) any { return &c.Batch }},
	{Name: "passes", Group: "value network", Default: "4", TaskDefaults: map[string]string{"cartpole": "16"}, Min: 1, Max: 1000,
		Help: "passes over an epoch's samples", field: func(c *Config) any { return &c.Passes }},

	{Name: "agents", Group: "training", Default: "64", Min: 1, Max: 4096,
		Help: "agents M simulated per epoch", field: func(c *Config) any { return &c.Agents }},
	{Name: "steps", Group: "training", Default: "50", Min: 1, Max: 10000,
		Help: "steps T per agent and epoch", field: func(c *Config) any { return &c.Steps }},
	{Name: "epochs", Group: "training", Default: "40", TaskDefaults: map[string]string{"cartpole": "150"}, Min: 0, Max: 100000,
		Help: "training epochs", field: func(c *Config) any { return &c.Epochs }},
	{Name: "eval-agents", Group: "training", Default: "32", Min: 1, Max: 4096,
		Help: "agents of the evaluation after each epoch", field: func(c *Config) any { return &c.EvalAgents }},
	{Name: "eval-steps", Group: "training", Default: "200", Min: 1, Max: 100000,
		Help: "steps of the evaluation after each epoch", field: func(c *Config) any { return &c.EvalSteps }},
	{Name: "final-agents", Group: "training", Default: "64", Min: 1, Max: 4096,
		Help: "agents of the final evaluation", field: func(c *Config) any { return &c.FinalAgents }},
	{Name: "final-steps", Group: "training", Default: "500", TaskDefaults: map[string]string{"energy": "300"}, Min: 1, Max: 100000,
		Help: "steps T_eval of the final evaluation", field: func(c *Config) any { return &c.FinalSteps }},
	{Name: "workers", Group: "training", Default: "0", Min: 0, Max: 256,
		Help:  "goroutines sharing the agents; 0 means one per core (results do not depend on it)",
		field: func(c *Config) any { return &c.Workers }},
}

// DefaultConfig returns the defaults of task.
func DefaultConfig(task string) (Config, error) {
	var c Config
	if err := Lookup("task").Parse(&c, task); err != nil {
		return c, err
	}
	for i := range Params {
		p := &Params[i]
		if p.Name == "task" {
			continue
		}
		if err := p.Parse(&c, p.DefaultFor(c.Task)); err != nil {
			panic(fmt.Sprintf("sim: default of %s: %v", p.Name, err))
		}
	}
	return c, nil
}

// Set parses value into the parameter called name. Setting "task" does not
// reset the other parameters: use DefaultConfig for that.
func (c *Config) Set(name, value string) error {
	p := Lookup(name)
	if p == nil {
		return fmt.Errorf("unknown parameter %q: want one of %s", name, strings.Join(ParamNames(), ", "))
	}
	return p.Parse(c, value)
}

// Get returns the value of the parameter called name, formatted as Set
// accepts it, or "" if there is no such parameter.
func (c *Config) Get(name string) string {
	p := Lookup(name)
	if p == nil {
		return ""
	}
	return p.Format(c)
}

// ParamNames lists the names of Params in table order.
func ParamNames() []string {
	names := make([]string, len(Params))
	for i := range Params {
		names[i] = Params[i].Name
	}
	return names
}

// Validate checks every value against the table and the rules that join
// several parameters.
func (c *Config) Validate() error {
	for i := range Params {
		p := &Params[i]
		var probe Config
		if err := p.Parse(&probe, p.Format(c)); err != nil {
			return err
		}
	}
	if c.ActionDim > c.N {
		return fmt.Errorf("invalid da %d: want at most n = %d, or 0 for one current per neuron", c.ActionDim, c.N)
	}
	if c.Beta > 0 && c.Sigma == 0 && c.Task != "cartpole" {
		return fmt.Errorf("invalid beta %s: the state entropy needs sigma > 0", formatNumber(c.Beta))
	}
	return c.checkMemory()
}

// MaxBufferFloats bounds each large buffer a run allocates, in float64
// values (2^27, 1 GiB), so that parameters that are each in range but
// together exceed the memory of a browser tab or a small machine are
// rejected before anything is allocated.
const MaxBufferFloats = 1 << 27

// checkMemory rejects configurations whose training samples, candidate
// buffers or evaluation records would exceed MaxBufferFloats.
func (c *Config) checkMemory() error {
	n, da := float64(c.N), float64(c.ActionDimension())
	features := n + float64(len(ShapeNames))
	limit := float64(MaxBufferFloats)
	gib := func(floats float64) string { return fmt.Sprintf("%.1f GiB", floats*8/(1<<30)) }

	samples := float64(c.Agents) * float64(c.Steps) * features
	if samples > limit {
		return fmt.Errorf("invalid agents %d with steps %d and n %d: the training samples need %s, want at most %s; lower agents, steps or n",
			c.Agents, c.Steps, c.N, gib(samples), gib(limit))
	}
	agents := float64(max(c.Agents, c.EvalAgents, c.FinalAgents))
	width := n + features + da + 2*float64(c.Units)*float64(c.Layers+1)
	candidates := agents * float64(c.K) * width
	if candidates > limit {
		return fmt.Errorf("invalid K %d with %d agents, n %d and units %d: the candidate buffers need %s, want at most %s; lower K, the agent counts, n or units",
			c.K, int(agents), c.N, c.Units, gib(candidates), gib(limit))
	}
	for _, e := range []struct {
		name          string
		agents, steps int
	}{{"eval", c.EvalAgents, c.EvalSteps}, {"final", c.FinalAgents, c.FinalSteps}} {
		records := 2 * float64(e.agents) * float64(e.steps)
		if records > limit {
			return fmt.Errorf("invalid %s-agents %d with %s-steps %d: the evaluation records need %s, want at most %s; lower one of them",
				e.name, e.agents, e.name, e.steps, gib(records), gib(limit))
		}
	}
	return nil
}

// Values returns every parameter of c by name, formatted as Set accepts it.
func (c *Config) Values() map[string]string {
	m := make(map[string]string, len(Params))
	for i := range Params {
		m[Params[i].Name] = Params[i].Format(c)
	}
	return m
}

// EffectiveK returns the number of candidates per step of the agent kind:
// K for MOP, R and free, 1 for silent, and 5 for the cart-pole.
func (c *Config) EffectiveK() int {
	if c.Task == "cartpole" {
		return len(cartPoleForces)
	}
	if c.Agent == "silent" {
		return 1
	}
	return c.K
}

// ActionDimension returns d_a, resolving 0 to N.
func (c *Config) ActionDimension() int {
	if c.ActionDim == 0 {
		return c.N
	}
	return c.ActionDim
}
