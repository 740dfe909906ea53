package sim

import (
	"fmt"
	"math"
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
// several parameters, and rejects a run whose estimated memory exceeds
// MaxRunBytes or whose units of work exceed MaxUnitFlops.
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
	if err := c.checkMemory(); err != nil {
		return err
	}
	return c.checkWork()
}

// MaxRunBytes is the largest estimated memory of one run that Validate
// accepts, 2 GiB, which lets the CLI run the largest network of the table
// with the default agent counts. The Go garbage collector lets the heap
// grow to about twice the live data (GOGC=100) before a collection. The
// page sets a lower limit for its runs together. RunMemory makes the
// estimate, which for square runs of n = 300 and n = 1000 with the default
// agent counts was 1.4 and 1.8 times the largest live heap that the
// trainer reached.
const MaxRunBytes = 2 << 30

// MaxUnitFlops is the largest estimated work of one unit of
// Trainer.Advance that Validate accepts, in floating-point operations.
// UnitWork makes the estimate. The limit lets the CLI run the largest
// networks of the table: one step of 64 agents with n = da = 2000 and
// K = 32, 1.7e10 operations, took 5.4 s on one core of a 2-core amd64
// machine. The page, which must stay responsive, sets a lower limit.
const MaxUnitFlops = 1e11

// Cost is one part of an estimate of the memory or the work of a run.
type Cost struct {
	Part   string   // description of the part, as messages print it
	Params []string // names of the parameters that drive the part
	Amount float64  // bytes or floating-point operations
}

// Total returns the sum of the amounts of costs.
func Total(costs []Cost) float64 {
	var t float64
	for _, c := range costs {
		t += c.Amount
	}
	return t
}

// Largest returns the part of costs with the largest amount.
func Largest(costs []Cost) Cost {
	var big Cost
	for _, c := range costs {
		if c.Amount > big.Amount {
			big = c
		}
	}
	return big
}

// checkMemory rejects a configuration whose run needs more than
// MaxRunBytes.
func (c *Config) checkMemory() error {
	costs := c.RunMemory()
	if Total(costs) <= MaxRunBytes {
		return nil
	}
	return c.MemoryError(costs, MaxRunBytes, "a run", "")
}

// checkWork rejects a configuration with a unit of work, or a build of the
// trainer, above MaxUnitFlops.
func (c *Config) checkWork() error {
	big := Largest(append(c.UnitWork(), c.BuildWork()))
	if big.Amount <= MaxUnitFlops {
		return nil
	}
	return c.WorkError(big, MaxUnitFlops, "")
}

// MemoryError returns the error for costs, the memory of holder (such as
// "a run"), above limit bytes. It names the parameters of the largest part
// with their values in c, and fix, when not empty, follows the advice to
// lower them.
func (c *Config) MemoryError(costs []Cost, limit float64, holder, fix string) error {
	big := Largest(costs)
	return fmt.Errorf("invalid %s: %s needs an estimated %s of memory, %s of it for %s, want at most %s; lower %s%s",
		c.describeParams(big.Params), holder, formatBytes(Total(costs)), formatBytes(big.Amount), big.Part,
		formatBytes(limit), orList(big.Params), fix)
}

// WorkError returns the error for the unit of work big above limit
// floating-point operations, in the form of MemoryError.
func (c *Config) WorkError(big Cost, limit float64, fix string) error {
	return fmt.Errorf("invalid %s: %s takes an estimated %.3g floating-point operations, want at most %.3g in one unit of work; lower %s%s",
		c.describeParams(big.Params), big.Part, big.Amount, limit, orList(big.Params), fix)
}

// describeParams returns "n 2000, agents 64 and steps 1000" for names.
func (c *Config) describeParams(names []string) string {
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = name + " " + c.Get(name)
	}
	return joinList(parts, "and")
}

func orList(names []string) string { return joinList(names, "or") }

func joinList(items []string, word string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + word + " " + items[len(items)-1]
}

func formatBytes(b float64) string {
	if b >= 1<<30 {
		return fmt.Sprintf("%.1f GiB", b/(1<<30))
	}
	return fmt.Sprintf("%.0f MiB", b/(1<<20))
}

// Estimated floating-point operations of the scalar functions, from the
// portable implementations of fastmath.go and Stream.Norm.
const (
	tanhFlops = 20
	normFlops = 30
)

// envShape contains the sizes of the environment that NewEnv builds for a
// config.
type envShape struct {
	network  bool // the rate network, not the cart-pole
	state    int  // StateDim
	activity int  // ActivityDim, d of the covariance of r
	features int  // FeatureDim
	action   int  // ActionDim, d_a
	contexts int  // columns of C
	randomB  bool // B is random N×d_a, not the identity
	readoutW bool // the readout is the random 2×N matrix W
}

func (c *Config) envShape() envShape {
	if c.Task == "cartpole" {
		return envShape{state: 4, activity: 4, features: 4, action: 1}
	}
	e := envShape{network: true, state: c.N, activity: c.N, features: c.N, action: c.ActionDimension(),
		randomB: c.ActionDim != 0, readoutW: c.Task != "square" && c.Task != "saturation" && c.Task != "reward"}
	if c.Task == "shapes" {
		e.contexts = len(ShapeNames)
		e.features += e.contexts
	}
	return e
}

// valueShape returns the weights, the multiply-adds of one forward pass
// and the summed layer widths of the value network of c.
func (c *Config) valueShape() (weights, forward, widths float64) {
	sizes := []int{c.envShape().features}
	for l := 0; l < c.Layers; l++ {
		sizes = append(sizes, c.Units)
	}
	sizes = append(sizes, 1)
	for l, s := range sizes {
		widths += float64(s)
		if l+1 < len(sizes) {
			forward += float64(s) * float64(sizes[l+1])
			weights += float64(s+1) * float64(sizes[l+1])
		}
	}
	return weights, forward, widths
}

// withDa appends "da" to names when d_a is a parameter of its own, not N.
func (c *Config) withDa(names ...string) []string {
	if c.ActionDim != 0 {
		names = append(names, "da")
	}
	return names
}

// RunMemory returns an estimate of the memory that a trainer of c holds at
// once, by part, in bytes. The parts are the network's weights, the value
// networks and the optimizer, the training samples, the candidate buffers
// of the training and evaluation agents, and the records and covariance
// matrices of the evaluations. The estimate counts every slice that grows
// with a parameter. It leaves out what does not, such as the fixed part of
// each agent, and the history of epochs, about 0.3 kB per epoch.
func (c *Config) RunMemory() []Cost {
	e := c.envShape()
	const f = 8 // bytes of a float64 or an int
	weights, _, widths := c.valueShape()
	samples := float64(c.Agents) * float64(c.Steps)
	batch := math.Min(float64(c.Batch), samples)
	moments := 2.0
	if c.Optimizer == "sgd" {
		moments = 0
	}

	// Computing the metrics copies the margins and entropies of the
	// evaluation's records.
	margins := Cost{"the margins that computing the metrics copies", []string{"final-agents", "final-steps"},
		c.metricsBytes(c.FinalAgents, c.FinalSteps) - c.metricsBytes(0, 0)}
	if c.EvalAgents*c.EvalSteps > c.FinalAgents*c.FinalSteps {
		margins.Params = []string{"eval-agents", "eval-steps"}
		margins.Amount = c.metricsBytes(c.EvalAgents, c.EvalSteps) - c.metricsBytes(0, 0)
	}
	evalStats := c.statsBytes(c.EvalAgents, c.EvalSteps)
	finalStats := c.statsBytes(c.FinalAgents, c.FinalSteps)
	return []Cost{
		c.NetworkBytes(),
		// V and the target network each hold weights and gradients.
		{"the value networks and the optimizer", []string{"units", "layers", "n"}, (4 + moments) * weights * f},
		{"the minibatch", []string{"batch", "units", "layers"}, batch * (float64(e.features) + 1 + 2*widths) * f},
		{"the training samples", []string{"agents", "steps", "n"}, samples * (float64(e.features) + 2) * f},
		{"the candidate buffers of the training agents", c.withDa("K", "agents", "n", "units"), c.PopulationBytes(c.Agents)},
		// The population and the records of the evaluation after the last
		// epoch are still held while the final evaluation starts.
		{"the candidate buffers of the evaluation agents", c.withDa("K", "eval-agents", "n", "units"), c.PopulationBytes(c.EvalAgents)},
		{"the candidate buffers of the final evaluation's agents", c.withDa("K", "final-agents", "n", "units"), c.PopulationBytes(c.FinalAgents)},
		{"the records of the evaluation after each epoch", []string{"eval-agents", "eval-steps"}, evalStats[0]},
		{"the records of the final evaluation", []string{"final-agents", "final-steps"}, finalStats[0]},
		{"the covariance matrices of the evaluation after each epoch", c.withDa("n", "eval-agents"), evalStats[1]},
		{"the covariance matrices of the final evaluation", c.withDa("n", "final-agents"), finalStats[1]},
		{"the covariance matrices that computing the metrics allocates", c.withDa("n"), c.metricsBytes(0, 0)},
		margins,
	}
}

// NetworkBytes returns the memory of the rate network's weights J, B, C
// and W that NewEnv draws for c.
func (c *Config) NetworkBytes() Cost {
	e := c.envShape()
	n := float64(c.N)
	var floats float64
	if e.network {
		floats = n*n + float64(e.contexts)*n
		if e.randomB {
			floats += float64(e.action) * n
		}
		if e.readoutW {
			floats += 2 * n
		}
	}
	return Cost{"the network weights", c.withDa("n"), floats * 8}
}

// PopulationBytes returns an estimate of the memory of a Population of
// agents agents of c: their states and the candidate buffers of its
// workers, K rows per agent.
func (c *Config) PopulationBytes(agents int) float64 {
	e := c.envShape()
	_, _, widths := c.valueShape()
	rows := float64(agents) * float64(c.EffectiveK())
	// Each agent's state, features, action and Stream, and the fixed part
	// of the Agent.
	perAgent := float64(e.state+e.features+e.action)*8 + 400
	// Each candidate row: action, next state, features, value, state
	// entropy, reward, row index, terminal flag, and the activations and
	// deltas of the value network's workspace.
	perRow := float64(e.action+e.state+e.features+4)*8 + 1 + 2*widths*8
	return float64(agents)*perAgent + rows*perRow
}

// EvaluationBytes returns an estimate of the memory that NewEvaluation
// allocates for agents agents and steps steps of c, and of what computing
// its metrics allocates.
func (c *Config) EvaluationBytes(agents, steps int) float64 {
	s := c.statsBytes(agents, steps)
	return c.PopulationBytes(agents) + s[0] + s[1] + c.metricsBytes(agents, steps)
}

// statsBytes returns the memory of a Stats of agents agents over steps
// steps: the per-agent records (occupancy, margins and entropies), and the
// covariance matrices of r and of the actions with each agent's sums.
func (c *Config) statsBytes(agents, steps int) [2]float64 {
	e := c.envShape()
	m := float64(agents)
	records := m * (OccupancyBins*OccupancyBins*4 + 2*float64(steps)*8 + 200)
	groups, _ := covarianceGroups(e.activity, agents)
	d, da := float64(e.activity), float64(e.action)
	cov := (float64(groups)*(d*d+da*da) + m*(d+da+2)) * 8
	return [2]float64{records, cov}
}

// metricsBytes returns the memory that Stats.Metrics allocates while it
// runs: the margins and entropies of agents agents over steps steps, with
// room for append's growth, and for r and for the actions a pooled sum, a
// symmetric matrix and the eigenvalue routine's copy, each d×d.
func (c *Config) metricsBytes(agents, steps int) float64 {
	e := c.envShape()
	d, da := float64(e.activity), float64(e.action)
	return (4*float64(agents)*float64(steps) + 3*(d*d+da*da)) * 8
}

// UnitWork returns an estimate of the floating-point operations of each
// kind of unit of work of a trainer of c. The units are one step of the
// training agents with a reset of every agent, one step of the evaluation
// agents or of the final evaluation's, one minibatch, and the end of an
// evaluation with its metrics and the start of the next one. A
// multiply-add counts as two operations, as in EpochFlops. A Reset counts one draw of the initial
// distribution, which is what it takes when most initial states are
// allowed.
//
// NOTE: under a terminal rule that allows few initial states, each Reset
// takes more draws, up to maxResetDraws, and the estimate is low.
func (c *Config) UnitWork() []Cost {
	e := c.envShape()
	weights, forward, widths := c.valueShape()
	batch := math.Min(float64(c.Batch), float64(c.Agents)*float64(c.Steps))
	evalAgents := max(c.EvalAgents, c.FinalAgents)
	step := func(agents int, stats bool) float64 {
		return float64(agents) * (c.agentStepFlops(stats) + c.resetFlops())
	}
	return []Cost{
		{"one step of the training agents", c.withDa("K", "agents", "n", "units"), step(c.Agents, false)},
		{"one step of the evaluation agents", c.withDa("K", "eval-agents", "n", "units"), step(c.EvalAgents, true)},
		{"one step of the final evaluation's agents", c.withDa("K", "final-agents", "n", "units"), step(c.FinalAgents, true)},
		{"one minibatch", []string{"batch", "units", "layers", "n"},
			batch*(2*(3*forward-float64(e.features)*float64(c.Units))+2*tanhFlops*widths) + 10*weights},
		{"the end of an evaluation", c.withDa("n"),
			c.MetricsFlops(evalAgents) + c.EvaluationStartWork(evalAgents)},
	}
}

// BuildWork returns an estimate of the floating-point operations of
// building a trainer of c. It counts the draws of the network's weights,
// the first reset of every training agent, and the probe of initial
// states at its longest, probeDraws draws per context when none is
// allowed.
func (c *Config) BuildWork() Cost {
	e := c.envShape()
	n := float64(e.state)
	var build float64
	if e.network {
		draws := n*n + float64(e.contexts+2)*n
		if e.randomB {
			draws += float64(e.action) * n
		}
		build = normFlops*draws + float64(max(1, e.contexts))*probeDraws*c.resetFlops()
	}
	build += float64(c.Agents) * c.resetFlops()
	return Cost{"building the run", c.withDa("n", "agents"), build}
}

// agentStepFlops returns the operations of one step of one agent of c. It
// counts g·J·φ(h), then B·a, φ, the terminal test and the value network
// for each of the K candidates. With stats it adds the outer products of r
// and of the action that Stats records.
func (c *Config) agentStepFlops(stats bool) float64 {
	e := c.envShape()
	_, forward, widths := c.valueShape()
	k := float64(c.EffectiveK())
	value := k * (2*forward + tanhFlops*(widths-float64(e.features)))
	if !e.network {
		return value + k*100
	}
	n := float64(e.state)
	flops := 2*n*n + (tanhFlops+4)*n + value
	perCandidate := n + (tanhFlops+2)*n
	if e.randomB {
		perCandidate += 2 * n * float64(e.action)
	}
	if e.readoutW {
		perCandidate += 4 * n
	}
	if c.Beta > 0 {
		perCandidate += tanhFlops * n
	}
	flops += k * perCandidate
	if c.Sigma > 0 {
		flops += normFlops * n
	}
	if stats {
		d, da := float64(e.activity), float64(e.action)
		flops += 2*(d*d+da*da) + tanhFlops*n
	}
	return flops
}

// resetFlops returns the operations of one draw of the initial
// distribution and its terminal test.
func (c *Config) resetFlops() float64 {
	e := c.envShape()
	if !e.network {
		return 100
	}
	flops := (normFlops + tanhFlops + 2) * float64(e.state)
	if e.readoutW {
		flops += 4 * float64(e.state)
	}
	return flops
}

// EvaluationStartWork returns an estimate of the floating-point operations
// of NewEvaluation for agents agents of c: the first reset of each agent.
func (c *Config) EvaluationStartWork(agents int) float64 {
	return float64(agents) * c.resetFlops()
}

// StepFlops returns an estimate of the floating-point operations of one
// step of agents agents of an evaluation of c, Stats included.
func (c *Config) StepFlops(agents int) float64 {
	return float64(agents) * (c.agentStepFlops(true) + c.resetFlops())
}

// MetricsFlops returns an estimate of the floating-point operations of
// Stats.Metrics for agents agents of c. It counts the pooled covariances
// of r and of the actions and their eigenvalues, 4/3·d³ for the reduction
// to tridiagonal form. With a random B it adds the null-space fraction's
// Bᵀ·B, 2·d_a²·N.
func (c *Config) MetricsFlops(agents int) float64 {
	e := c.envShape()
	d, da := float64(e.activity), float64(e.action)
	groups, _ := covarianceGroups(e.activity, agents)
	flops := (2*float64(agents) + float64(groups)) * (d*d + da*da)
	flops += 4.0 / 3 * (d*d*d + da*da*da)
	if e.randomB {
		flops += 2*da*da*float64(e.state) + 4*da*float64(e.state)
	}
	return flops + 4*da*da
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
