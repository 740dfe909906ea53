package game

import (
	"github.com/neuromop/neuromop/game/ui"
	"github.com/neuromop/neuromop/sim"
)

// Sizes of what a display keeps. They bound its memory and the drawing
// work of a frame, whatever the run's parameters.
const (
	DisplayAgents = 16  // agents a scene shows
	TrailLength   = 60  // points of each agent's trail
	EntropyLength = 600 // samples of the action entropy plot
	EnergyLength  = 300 // samples of the energy trace
	RasterSteps   = 200 // time columns of the activity raster
	RasterNeurons = 100 // neurons shown in the raster, the first ones
	HistogramBins = 40  // bins of the activity histogram over [−1, 1]
)

// Display runs the agents that a scene shows. They are DisplayAgents agents
// of one policy, started from the evaluation's initial states and scored by
// a value network that the trainer owns and updates in place. The agents
// run in rounds of Config.EvalSteps steps. A round ends when they all are
// dead, when it reaches its length, or when Restart is called after an
// epoch. Each round's metrics come from sim.Stats.
type Display struct {
	Env    sim.Env
	Config sim.Config
	Policy sim.Policy
	Value  *sim.ValueNet // nil for the free and silent networks

	Pop    *sim.Population
	Stats  *sim.Stats
	Trails []*Trail
	// Context is the context of every agent of the round: the shown shape
	// of the shapes task, and 0 elsewhere.
	Context int
	Rounds  int // rounds started
	Steps   int // steps taken in this round

	// Entropy holds the mean normalized action entropy of the live agents,
	// one sample per step.
	Entropy *ui.Ring
	// Followed is the agent whose energy and activity the energy scene
	// shows: the first live one.
	Followed int
	Energy   *ui.Ring
	// Raster holds the activities of the followed agent, RasterRows rows of
	// RasterSteps columns, newest column on the right.
	Raster     []float64
	RasterRows int
	// Histogram holds the fraction of the live agents' activities r_i in
	// each of HistogramBins bins over [−1, 1], from the last step.
	Histogram []float64

	// Last holds the metrics of the last finished round, or nil. Its
	// Occupancy is the display's own histogram, which each round
	// overwrites, so that copies of Last, such as a run's history of
	// rounds, share one histogram in place of one per round.
	Last *sim.Metrics
	// Finished counts the rounds whose metrics were computed.
	Finished int

	// Clock, when not nil, makes the display one of several that show
	// their rounds together. The shapes task with shape "all" then shows
	// shape Clock.Round of the cycle. A finished round waits, its agents
	// still, until Clock.Advance starts the next round of all of them.
	Clock *RoundClock

	alive     []bool
	obs       sim.Observation
	occupancy sim.Occupancy // the histogram that Last points to
}

// RoundClock keeps the displays of the compare view on one round, so that
// their panels show the same shape of the shapes task at the same time. A
// round of the clock lasts the rounds' length in steps, or until every
// display has finished its round, whichever comes first, so that a display
// restarted after each epoch does not hold the clock.
type RoundClock struct {
	Round    int // rounds that the clock finished
	Length   int // steps of a round: the longest EvalSteps of the displays
	steps    int // Advance calls in this round
	displays []*Display
}

// Join makes d follow c and restarts d's round on c's shape.
func (c *RoundClock) Join(d *Display) {
	c.displays = append(c.displays, d)
	c.Length = max(c.Length, d.Config.EvalSteps)
	d.Clock = c
	d.Restart()
}

// Replace makes d follow c in place of old, and restarts d's round on c's
// shape.
func (c *RoundClock) Replace(old, d *Display) {
	for i, x := range c.displays {
		if x == old {
			c.displays[i] = d
		}
	}
	old.Clock = nil
	d.Clock = c
	d.Restart()
}

// Advance counts one display step, and starts the next round of every
// display once the round has lasted Length steps or all displays have
// finished it. It reports whether it started one.
func (c *RoundClock) Advance() bool {
	if len(c.displays) == 0 {
		return false
	}
	c.steps++
	if c.steps < c.Length {
		for _, d := range c.displays {
			if !d.RoundOver() {
				return false
			}
		}
	}
	c.steps = 0
	c.Round++
	for _, d := range c.displays {
		d.Restart()
	}
	return true
}

// NewDisplay returns a display of policy p on env for config c, scored by
// v, with its first round started.
func NewDisplay(env sim.Env, c sim.Config, p sim.Policy, v *sim.ValueNet) *Display {
	d := &Display{
		Env: env, Config: c, Policy: p, Value: v,
		Trails:  make([]*Trail, DisplayAgents),
		Entropy: ui.NewRing(EntropyLength),
		Energy:  ui.NewRing(EnergyLength),
		alive:   make([]bool, DisplayAgents),
		obs:     sim.NewObservation(env),
	}
	for i := range d.Trails {
		d.Trails[i] = NewTrail(TrailLength)
	}
	if _, ok := env.(*sim.NetworkEnv); ok {
		d.RasterRows = min(env.ActivityDim(), RasterNeurons)
		d.Raster = make([]float64, d.RasterRows*RasterSteps)
	}
	d.Histogram = make([]float64, HistogramBins)
	d.start()
	return d
}

// roundConfig returns the config of the next round. The shapes task with
// shape "all" shows the six shapes in turn, one per round, because a
// scene draws one shape at a time.
func (d *Display) roundConfig() sim.Config {
	c := d.Config
	if c.Task == "shapes" && c.Shape == "all" {
		round := d.Rounds
		if d.Clock != nil {
			round = d.Clock.Round
		}
		c.Shape = sim.ShapeNames[round%len(sim.ShapeNames)]
	}
	return c
}

func (d *Display) start() {
	c := d.roundConfig()
	d.Pop, d.Stats = sim.NewEvaluation(d.Env, &c, d.Policy, d.Value, DisplayAgents, c.EvalSteps)
	d.Context = d.Pop.Agents[0].Context
	d.Rounds++
	d.Steps = 0
	d.Followed = 0
	for i, a := range d.Pop.Agents {
		d.Trails[i].Reset()
		d.alive[i] = a.Alive
		d.Env.Observe(a.State, a.Context, &d.obs)
		d.Trails[i].Push(d.obs.Readout)
	}
}

// Restart finishes the round, computing its metrics, and starts the next
// one from fresh initial states.
func (d *Display) Restart() {
	d.finish()
	d.start()
}

func (d *Display) finish() {
	if d.Steps == 0 {
		return
	}
	var ctxs []int
	if d.Config.Task == "shapes" {
		ctxs = []int{d.Context}
	}
	m := d.Stats.Metrics(ctxs)
	if occ := m.Occupancy; occ != nil {
		d.occupancy.Bins, d.occupancy.Lo, d.occupancy.Hi = occ.Bins, occ.Lo, occ.Hi
		d.occupancy.Counts = append(d.occupancy.Counts[:0], occ.Counts...)
		m.Occupancy = &d.occupancy
	}
	d.Last = &m
	d.Finished++
}

// RoundOver reports whether the round has ended: all agents are dead or
// the round has reached its length.
func (d *Display) RoundOver() bool {
	return d.Steps >= d.Config.EvalSteps || d.Pop.Alive() == 0
}

// Step advances every live agent by one step, starting a new round first
// when the current one is over, and records what the scene draws. A
// display with a Clock leaves the start of the next round to the clock.
func (d *Display) Step() {
	if d.RoundOver() {
		if d.Clock != nil {
			return
		}
		d.Restart()
	}
	d.Pop.Step()
	d.Steps++

	var entropy float64
	live := 0
	clear(d.Histogram)
	if !d.Pop.Agents[d.Followed].Alive {
		d.Followed = d.firstAlive()
	}
	for i := range d.Pop.Agents {
		a := &d.Pop.Agents[i]
		if !d.alive[i] {
			continue
		}
		// An agent that died in this step is observed once more, so its
		// trail ends on the state that was terminal.
		d.Env.Observe(a.State, a.Context, &d.obs)
		d.Trails[i].Push(d.obs.Readout)
		d.alive[i] = a.Alive
		if !a.Alive {
			continue
		}
		live++
		entropy += a.Entropy
		d.addHistogram(d.obs.Activity)
		if i == d.Followed {
			d.follow(&d.obs)
		}
	}
	if live > 0 {
		d.Entropy.Push(entropy / float64(live))
		total := float64(live * len(d.obs.Activity))
		for b := range d.Histogram {
			d.Histogram[b] /= total
		}
	}
}

func (d *Display) firstAlive() int {
	for i := range d.Pop.Agents {
		if d.Pop.Agents[i].Alive {
			return i
		}
	}
	return 0
}

func (d *Display) addHistogram(r []float64) {
	for _, v := range r {
		b := int((v + 1) / 2 * HistogramBins)
		d.Histogram[min(max(b, 0), HistogramBins-1)]++
	}
}

// follow records the energy and the raster column of the followed agent.
func (d *Display) follow(o *sim.Observation) {
	d.Energy.Push(o.Energy)
	if d.RasterRows == 0 {
		return
	}
	for row := 0; row < d.RasterRows; row++ {
		line := d.Raster[row*RasterSteps : (row+1)*RasterSteps]
		copy(line, line[1:])
		line[RasterSteps-1] = o.Activity[row]
	}
}

// Alive reports whether agent i was alive after the last step.
func (d *Display) Alive(i int) bool { return d.alive[i] }
