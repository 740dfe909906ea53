package game

import (
	"math"
	"time"
)

// Pacing of the training workers. A worker that trains all the time takes
// a core that the page's frames may need: on a machine with two cores and
// a software renderer, the frame rate fell to about 0.7 of the idle rate. The
// pacer sets the share of time that the workers train, their duty, so
// that frames come at paceTarget of the rate at which they come while the
// workers rest, or faster at duty 1.
//
// The cost of a frame changes with what the page shows, by 15 % within
// seconds on that machine, so the pacer compares the frame rate while the
// workers train with the rate during short rests just before and after.
// It measures in windows: between two rests of paceRest it counts the
// frames of several windows of paceWindow in which the workers train.
// After each rest it moves the duty towards the duty of the target under
// the model rate = idle rate · (1 - c·duty), for a cost c that depends on
// the machine, by the square root of that step and within the factors
// paceMinStep and paceMaxStep, so that the noise of one measurement moves
// it little.
const (
	paceWindow = time.Second
	paceRest   = 600 * time.Millisecond
	// paceSettle is the time after a change of the duty, or of what the
	// workers do, before the next window starts, so that the window
	// measures the new state. A rest waits paceRestSettle, longer,
	// because frames queued while the workers trained may come in a burst
	// once they rest.
	paceSettle     = 200 * time.Millisecond
	paceRestSettle = 400 * time.Millisecond
	// paceMaxRest is the longest rest, below sim.MaxRest, after which a
	// worker ends a rest on its own. A rest whose window has not ended by
	// then, because the screen size or the page's own training keeps
	// restarting it, is dropped.
	paceMaxRest = 1500 * time.Millisecond
	// paceGap is the longest time between two frames in a window. A
	// longer gap, such as that of a hidden tab, starts a new window.
	paceGap = 3 * time.Second
	// paceTarget is the frame rate while training that the pacer keeps,
	// as a share of the idle rate.
	paceTarget  = 0.9
	paceMinStep = 0.7
	paceMaxStep = 1.3
	// paceWindows is the count of training windows between two rests
	// while the duty is below 1 or frames came slower than paceTarget.
	// At duty 1 with frames at the target, the count doubles after each
	// rest up to paceMaxWindows, so that a machine with cores to spare
	// rests its workers once in about 30 s.
	paceWindows    = 6
	paceMaxWindows = 28
	// MinDuty is the lowest duty of the pacer, so that training goes on
	// on a machine where frames are slow for other reasons.
	MinDuty = 0.1
)

// pacer chooses the duty of the training workers from the frame rate.
type pacer struct {
	// fixed is the duty that Settings.Pace fixes, or 0 to choose it.
	fixed float64
	duty  float64

	resting   bool      // the workers rest to measure the idle rate
	restStart time.Time // when the rest began
	idleFPS   float64   // the frame rate of the last rest, or 0
	idleAt    time.Time // when idleFPS was measured
	// trained sums the frame rates of the training windows since the
	// last rest, and windows counts them. between is the count of
	// training windows due before the next rest.
	trained float64
	windows int
	between int

	settle time.Time // no window starts before this time
	seen   time.Time // the previous frame

	// The current window: its first and last frame and the count of its
	// frames, all in one paceState.
	first, last time.Time
	frames      int
	state       paceState
}

// paceState is the state of a frame: whether the workers and the page
// train, and the screen size.
type paceState struct {
	training bool // a worker trains and the pacer does not rest it
	other    bool // the page trains
	size     [2]float64
}

func newPacer(fixed float64) *pacer {
	return &pacer{fixed: fixed, duty: 1, between: paceWindows}
}

// Duty returns the duty that the workers should have now: 0 while the
// pacer rests them.
func (p *pacer) Duty() float64 {
	switch {
	case p.fixed > 0:
		return p.fixed
	case p.resting:
		return 0
	}
	return p.duty
}

// Level returns the duty that the pacer has chosen or Settings.Pace
// fixes, which Duty returns except while the pacer rests the workers.
func (p *pacer) Level() float64 {
	if p.fixed > 0 {
		return p.fixed
	}
	return p.duty
}

// IdleFPS returns the frame rate of the last rest, or 0 before the first
// rest and while Settings.Pace fixes the duty.
func (p *pacer) IdleFPS() float64 {
	if p.fixed > 0 {
		return 0
	}
	return p.idleFPS
}

// Frame counts a frame drawn at now, on a screen of width w and height h.
// training reports whether a run trains in a worker, and other whether the
// page itself trains, whose frames the pacer does not count.
func (p *pacer) Frame(now time.Time, training, other bool, w, h float64) {
	if p.fixed > 0 {
		// A fixed duty measures nothing, and a return to the pacer
		// starts from a new window.
		p.resting, p.trained, p.windows, p.frames = false, 0, 0, 0
		p.seen = time.Time{}
		return
	}
	if !training {
		// Without training, every window measures the idle rate.
		p.resting = false
	}

	state := paceState{training: training && !p.resting, other: other, size: [2]float64{w, h}}
	if state.size != p.state.size || state.other != p.state.other {
		// A new size or the page's own training makes the windows so
		// far incomparable with the next ones.
		p.trained, p.windows = 0, 0
	}

	gap := !p.seen.IsZero() && now.Sub(p.seen) > paceGap
	p.seen = now
	if gap || p.resting && now.Sub(p.restStart) > paceMaxRest {
		// Frames stopped, as in a hidden tab, or the rest lasted so long
		// that the workers end it on their own: the measurement starts
		// anew.
		p.resting = false
		p.trained, p.windows = 0, 0
		state.training = training
		p.restart(now)
	}
	if state != p.state {
		p.state = state
		p.restart(now)
	}
	if other || now.Before(p.settle) {
		return
	}

	fps, ended := p.count(now)
	if !ended {
		return
	}
	if state.training {
		p.trained += fps
		p.windows++
		if p.windows >= p.between {
			p.resting, p.restStart = true, now
		}
		return
	}
	p.rested(now, fps)
}

// count adds the frame drawn at now to the current window, and returns
// the window's frame rate once the window has lasted paceWindow, or
// paceRest in a rest.
func (p *pacer) count(now time.Time) (fps float64, ended bool) {
	if p.frames == 0 {
		p.first = now
	}
	p.frames++
	p.last = now
	length := paceWindow
	if p.resting {
		length = paceRest
	}
	if now.Sub(p.first) < length {
		return 0, false
	}
	fps = float64(p.frames-1) / p.last.Sub(p.first).Seconds()
	p.frames = 0
	return fps, true
}

// rested takes the frame rate fps of a window without training that ended
// at now: it updates the duty from the training windows since the last
// rest, and ends the rest.
func (p *pacer) rested(now time.Time, fps float64) {
	idle := fps
	if p.idleFPS > 0 && now.Sub(p.idleAt) < 2*time.Duration(p.between+1)*paceWindow {
		// The rests before and after the training windows bracket them.
		idle = (p.idleFPS + fps) / 2
	}
	if p.windows > 0 {
		ratio := p.trained / float64(p.windows) / idle
		p.duty = nextDuty(p.duty, ratio)
		if p.duty >= 1 && ratio >= paceTarget {
			p.between = min(2*p.between, paceMaxWindows)
		} else {
			p.between = paceWindows
		}
	}
	p.idleFPS, p.idleAt = fps, now
	p.trained, p.windows = 0, 0
	p.resting = false
}

// nextDuty returns the duty after training windows at duty d in which
// frames came at ratio of the idle rate.
func nextDuty(d, ratio float64) float64 {
	loss := max(1-ratio, 1e-3)
	step := min(max(math.Sqrt((1-paceTarget)/loss), paceMinStep), paceMaxStep)
	return min(max(d*step, MinDuty), 1)
}

// restart drops the current window, and waits paceSettle, or
// paceRestSettle in a rest, before the next.
func (p *pacer) restart(now time.Time) {
	p.frames = 0
	if p.resting {
		p.settle = now.Add(paceRestSettle)
	} else {
		p.settle = now.Add(paceSettle)
	}
}
