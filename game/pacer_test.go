package game

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/neuromop/neuromop/game/ui"
)

// paceSim drives a pacer with a model machine. While no worker trains,
// frames come at the idle rate, 30 per second times 1 + drift·sin(2πt/20 s)
// for the changing cost of what the page shows. While workers train at
// duty d, they come at the idle rate times 1 - cost·d, though at least at
// a twentieth of it. Each frame interval is scaled by a random factor
// within ±noise.
type paceSim struct {
	p                  *pacer
	start, now         time.Time
	cost, noise, drift float64
	rng                *rand.Rand
	size               [2]float64 // the screen size
	// rests counts the rests of the workers.
	rests int
}

func newPaceSim(cost, noise, drift float64) *paceSim {
	now := time.Unix(1e9, 0)
	return &paceSim{p: newPacer(0), start: now, now: now, cost: cost, noise: noise, drift: drift,
		rng: rand.New(rand.NewPCG(1, 2)), size: [2]float64{1024, 640}}
}

func (s *paceSim) idleFPS() float64 {
	return 30 * (1 + s.drift*math.Sin(2*math.Pi*s.now.Sub(s.start).Seconds()/20))
}

// paceRun sums what the pacer did over a stretch of frames.
type paceRun struct {
	level float64 // mean Level over time
	// ratio is the frame rate outside rests as a share of the idle rate
	// of the same moments.
	ratio float64
	rest  float64 // share of the time in rests
}

// run draws frames for d, training or not.
func (s *paceSim) run(d time.Duration, training bool) paceRun {
	end := s.now.Add(d)
	var level, elapsed, rested, frames, idleFrames float64
	wasResting := false
	for s.now.Before(end) {
		s.p.Frame(s.now, training, false, s.size[0], s.size[1])
		if s.p.resting && !wasResting {
			s.rests++
		}
		wasResting = s.p.resting
		idle := s.idleFPS()
		fps := idle
		if training {
			fps *= max(1-s.cost*s.p.Duty(), 0.05)
		}
		dt := (1 + s.noise*(2*s.rng.Float64()-1)) / fps
		level += s.p.Level() * dt
		elapsed += dt
		if s.p.resting {
			rested += dt
		} else {
			frames++
			idleFrames += idle * dt
		}
		s.now = s.now.Add(time.Duration(dt * float64(time.Second)))
	}
	return paceRun{level: level / elapsed, ratio: frames / idleFrames, rest: rested / elapsed}
}

func TestPacerKeepsFramesAtTarget(t *testing.T) {
	for _, tc := range []struct {
		name               string
		cost, noise, drift float64
		level, ratio, rest [2]float64 // ranges after the pacer settles
	}{
		// Training takes nothing from the frames: full time, with a rest
		// about every 30 s.
		{"free", 0, 0, 0, [2]float64{1, 1}, [2]float64{0.999, 1.001}, [2]float64{0.01, 0.04}},
		{"free, noisy", 0, 0.1, 0.15, [2]float64{0.95, 1}, [2]float64{0.97, 1.03}, [2]float64{0.01, 0.1}},
		// Training at full time would cost a third of the frames, as on
		// the two cores of BENCHMARKS.md: the target duty is 0.1/0.35.
		{"two cores", 0.35, 0, 0, [2]float64{0.26, 0.31}, [2]float64{0.88, 0.92}, [2]float64{0.1, 0.16}},
		{"two cores, noisy", 0.35, 0.1, 0.15, [2]float64{0.2, 0.38}, [2]float64{0.86, 0.94}, [2]float64{0.1, 0.16}},
		// Frames so slow that the target duty is below MinDuty.
		{"slow", 2, 0, 0, [2]float64{MinDuty, 1.05 * MinDuty}, [2]float64{0.79, 0.81}, [2]float64{0.1, 0.16}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newPaceSim(tc.cost, tc.noise, tc.drift)
			s.run(3*time.Second, false)
			if math.Abs(s.p.IdleFPS()-s.idleFPS()) > s.idleFPS()*(tc.noise+2*tc.drift)+0.5 {
				t.Errorf("idle rate %.1f after 3 s idle, want about %.0f", s.p.IdleFPS(), s.idleFPS())
			}
			s.run(60*time.Second, true)
			r := s.run(300*time.Second, true)
			t.Logf("level %.3f, frame rate %.3f of idle, resting %.3f of the time", r.level, r.ratio, r.rest)
			for _, c := range []struct {
				name string
				got  float64
				want [2]float64
			}{{"mean duty", r.level, tc.level}, {"frame rate share", r.ratio, tc.ratio}, {"rest share", r.rest, tc.rest}} {
				if c.got < c.want[0]-1e-9 || c.got > c.want[1]+1e-9 {
					t.Errorf("%s %.3f, want %.2f to %.2f", c.name, c.got, c.want[0], c.want[1])
				}
			}
		})
	}
}

func TestPacerRests(t *testing.T) {
	// Training from the first frame at a cost: a rest after paceWindows
	// windows, and after every paceWindows windows from then on.
	s := newPaceSim(0.35, 0, 0)
	s.p.Frame(s.now, true, false, 1024, 640)
	if d := s.p.Duty(); d != 1 {
		t.Fatalf("duty of the first frame = %g, want 1", d)
	}
	s.run(time.Duration(paceWindows)*(paceWindow+paceSettle)+paceSettle, true)
	if !s.p.resting || s.p.Duty() != 0 {
		t.Fatalf("after %d windows: resting %v, duty %g, want a rest at duty 0", paceWindows, s.p.resting, s.p.Duty())
	}
	s.run(paceRest+2*paceSettle, true)
	if s.p.resting || math.Abs(s.p.IdleFPS()-30) > 0.5 || s.p.Level() >= 1 {
		t.Fatalf("after the rest: resting %v, idle rate %.1f, duty %g, want the idle rate 30 and a lower duty",
			s.p.resting, s.p.IdleFPS(), s.p.Level())
	}
	s.rests = 0
	s.run(100*time.Second, true)
	if s.rests < 10 || s.rests > 15 {
		t.Errorf("%d rests in 100 s below duty 1, want about one in %d windows", s.rests, paceWindows)
	}

	// At duty 1 without a cost, rests become rarer.
	s = newPaceSim(0, 0, 0)
	s.run(100*time.Second, true)
	if s.rests < 4 || s.rests > 7 {
		t.Errorf("%d rests in 100 s at duty 1, want them about every %d windows", s.rests, paceMaxWindows)
	}

	// A new screen size drops the windows measured so far.
	s = newPaceSim(0.35, 0, 0)
	s.run(3*time.Second, true)
	s.size = [2]float64{800, 600}
	s.run(3*time.Second, true)
	if s.rests != 0 {
		t.Errorf("rests within 3 s of a resize = %d, want none before %d new windows", s.rests, paceWindows)
	}
}

func TestPacerSkipsGapsAndPageWork(t *testing.T) {
	s := newPaceSim(0, 0, 0)
	s.run(3*time.Second, false)
	s.run(5*time.Second, true)

	// A hidden tab: one frame, then none for 5 s, then frames again. The
	// gap starts a new window instead of counting as a slow one.
	for i := 0; i < 20; i++ {
		s.p.Frame(s.now, true, false, 1024, 640)
		s.now = s.now.Add(5 * time.Second / time.Duration(1+19*(i%2)))
	}
	if d := s.p.Duty(); d != 1 {
		t.Errorf("duty after gaps of 5 s = %g, want 1", d)
	}

	// A gap during a rest ends it: the workers end it on their own.
	s.p.resting, s.p.restStart = true, s.now
	s.p.Frame(s.now, true, false, 1024, 640)
	s.now = s.now.Add(paceGap + time.Second)
	s.p.Frame(s.now, true, false, 1024, 640)
	if s.p.resting || s.p.Duty() != 1 {
		t.Errorf("after a gap of %v in a rest: resting %v, duty %g, want the rest over", paceGap+time.Second, s.p.resting, s.p.Duty())
	}

	// So does a rest whose window keeps restarting, here by a new
	// screen width in every frame.
	s.p.resting, s.p.restStart = true, s.now
	for i := 0; i < 100 && s.p.resting; i++ {
		s.now = s.now.Add(time.Second / 30)
		s.p.Frame(s.now, true, false, float64(1024+i), 640)
	}
	if s.p.resting || s.now.Sub(s.p.restStart) > paceMaxRest+time.Second/15 {
		t.Errorf("a rest restarted in every frame lasted %v, want at most %v", s.now.Sub(s.p.restStart), paceMaxRest)
	}

	// Frames while the page itself trains are not counted.
	idle := s.p.IdleFPS()
	for i := 0; i < 300; i++ {
		s.p.Frame(s.now, false, true, 1024, 640)
		s.now = s.now.Add(time.Second / 5)
	}
	if s.p.IdleFPS() != idle {
		t.Errorf("idle rate %.1f after frames of training in the page, want %.1f kept", s.p.IdleFPS(), idle)
	}
}

func TestPacerFixedToggle(t *testing.T) {
	// Switching between a fixed duty and the pacer every five frames
	// leaves the idle rate as it is.
	s := newPaceSim(0, 0, 0)
	s.run(3*time.Second, false)
	for i := 0; i < 600; i++ {
		if i%5 == 0 {
			s.p.fixed = float64((i / 5) % 2)
		}
		s.p.Frame(s.now, false, false, 1024, 640)
		s.now = s.now.Add(time.Second / 30)
	}
	s.p.fixed = 0
	if got := s.p.IdleFPS(); math.Abs(got-30) > 0.5 {
		t.Errorf("idle rate after toggling the fixed duty = %.1f, want 30", got)
	}
}

func TestPacerFixedDuty(t *testing.T) {
	s := newPaceSim(0, 0, 0)
	s.run(3*time.Second, false)
	s.p.fixed = 0.4
	s.run(time.Second, true)
	if got := s.p.IdleFPS(); got != 0 {
		t.Errorf("idle rate at a fixed duty = %g, want 0", got)
	}

	p := newPacer(0.4)
	now := time.Unix(1e9, 0)
	for i := 0; i < 600; i++ {
		p.Frame(now, i > 100, false, 1024, 640)
		now = now.Add(time.Second / 10)
		if p.Duty() != 0.4 || p.Level() != 0.4 {
			t.Fatalf("frame %d: duty %g, level %g, want the fixed 0.4", i, p.Duty(), p.Level())
		}
	}
}

func TestNextDutyBounds(t *testing.T) {
	for _, tc := range []struct{ d, ratio, want float64 }{
		{1, 1, 1},
		{1, 0.9, 1},
		{0.5, 0.9, 0.5},
		{0.5, 2, 0.5 * paceMaxStep},
		{0.5, 0, 0.5 * paceMinStep},
		{MinDuty, 0, MinDuty},
		{0.5, math.NaN(), 0.5 * paceMaxStep},
	} {
		if got := nextDuty(tc.d, tc.ratio); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("nextDuty(%g, %g) = %g, want %g", tc.d, tc.ratio, got, tc.want)
		}
	}
}

func TestSettingsPaceParam(t *testing.T) {
	s, msgs := parse(t, "pace=0.5")
	if len(msgs) != 0 || s.Pace != 0.5 {
		t.Errorf("pace=0.5: pace %g, messages %q, want 0.5 and no messages", s.Pace, msgs)
	}
	if q := s.Query(); q != "task=square&pace=0.5" {
		t.Errorf("query of pace=0.5 = %q, want task=square&pace=0.5", q)
	}
	s, _ = parse(t, "pace=0.5&pace=auto")
	if s.Pace != 0 || strings.Contains(s.Query(), "pace") {
		t.Errorf("pace=auto: pace %g, query %q, want the default, which the query leaves out", s.Pace, s.Query())
	}
	for _, v := range []string{"0", "0.001", "1.5", "-1", "fast", "NaN", "0x1p-1", " 0.5", "", "AUTO"} {
		_, msgs = parse(t, "pace="+v)
		if len(msgs) != 1 || !strings.Contains(msgs[0], `invalid pace "`+v+`"`) || !strings.Contains(msgs[0], "auto") {
			t.Errorf("pace=%s: messages %q, want one naming the value and auto", v, msgs)
		}
	}
}

func TestGamePacesWorkers(t *testing.T) {
	var ls loops
	g := newWorkerGame(t, smallQuery+"&pace=0.5", ls.newTransport)
	g.pace(time.Now())
	worker := ls.started[0].worker
	if got := worker.Duty(); got != 0.5 {
		t.Errorf("worker duty with pace=0.5 = %g, want 0.5", got)
	}
	g.pace(time.Now())
	if n := strings.Count(strings.Join(ls.started[0].posted, " "), "pace"); n != 1 {
		t.Errorf("posted %d pace commands for one duty, want 1", n)
	}
	frame(g, ui.Input{X: -1, Y: -1})
	if texts := g.ui.Texts(); !slices.Contains(texts, "worker not training") || slices.Contains(texts, "Speed ms/frame") {
		t.Errorf("side panel texts before the start %q, want an idle worker and no speed slider", texts)
	}
	g.forRuns((*Run).Start)
	frame(g, ui.Input{X: -1, Y: -1})
	if texts := g.ui.Texts(); !slices.Contains(texts, "worker trains 50% (pace=0.5)") {
		t.Errorf("side panel texts %q, want the worker's duty", texts)
	}

	// The toggle is the second row of the side panel, below the run's
	// buttons, since the game has no agent files: it switches from the
	// fixed duty to the pacer, and back to full time.
	l := ComputeLayout(1024, 640)
	th := ui.DefaultTheme()
	row := ui.Rect{X: l.Left.X + th.Padding, Y: l.Left.Y + th.Padding + th.RowHeight + th.Gap,
		W: l.Left.W - 2*th.Padding, H: th.RowHeight}
	click := func() {
		x, y := row.X+row.W/2, row.Y+row.H/2
		frame(g, ui.Input{X: x, Y: y, Down: true, Pressed: true})
		if params := frame(g, ui.Input{X: x, Y: y, Released: true}); params != nil {
			g.applyParams(params)
		}
		g.pace(time.Now())
	}
	click()
	if g.settings.Pace != 0 || worker.Duty() != 1 || strings.Contains(g.query, "pace") {
		t.Errorf("after Steady frames: pace %g, worker duty %g, query %q, want auto at full time", g.settings.Pace, worker.Duty(), g.query)
	}
	frame(g, ui.Input{X: -1, Y: -1})
	if !slices.Contains(g.ui.Texts(), "worker trains full time") {
		t.Errorf("side panel texts %q, want the pacer's duty", g.ui.Texts())
	}
	click()
	if g.settings.Pace != 1 || !strings.HasSuffix(g.query, "pace=1") {
		t.Errorf("after a second click: pace %g, query %q, want 1", g.settings.Pace, g.query)
	}
	if len(ls.started) != 1 {
		t.Errorf("changing the pace started %d workers, want the first one kept", len(ls.started))
	}

	// In the page, the slider sets the training time of a frame.
	g.Set(map[string]string{"worker": "0"})
	g.drainQueue()
	frame(g, ui.Input{X: -1, Y: -1})
	if !slices.Contains(g.ui.Texts(), "Speed ms/frame") {
		t.Errorf("side panel texts in local mode %q, want the speed slider", g.ui.Texts())
	}
}

func TestDutyLabel(t *testing.T) {
	var v viewState
	for _, tc := range []struct {
		duty, pace        float64
		training, unpaced bool
		workers           int
		want              string
	}{
		{0.3, 0, true, false, 1, "worker trains 30% of the time"},
		{1, 0, true, false, 1, "worker trains full time"},
		{0.25, 0, true, false, 2, "workers train 25% of the time"},
		{0.5, 0.5, true, false, 1, "worker trains 50% (pace=0.5)"},
		{1, 1, true, false, 2, "workers train full time (pace=1)"},
		{0.3, 0, false, false, 1, "worker not training"},
		{0.3, 0, false, false, 2, "workers not training"},
		{1, 0.5, true, true, 1, "worker trains full time (unpaced)"},
		{1, 0, true, true, 2, "workers train full time (unpaced)"},
	} {
		if got := v.dutyLabel(tc.duty, tc.pace, tc.training, tc.unpaced, tc.workers); got != tc.want {
			t.Errorf("dutyLabel(%g, %g, %v, %v, %d) = %q, want %q",
				tc.duty, tc.pace, tc.training, tc.unpaced, tc.workers, got, tc.want)
		}
	}
}
