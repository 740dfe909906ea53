package game

import (
	"math"
	"strconv"

	"github.com/neuromop/neuromop/sim"
)

// ControlKind is the widget that edits a parameter in the side panel.
type ControlKind int

// The widgets of the parameters, chosen from the table by ControlFor.
const (
	ControlChoice    ControlKind = iota // segmented buttons, for up to 4 words
	ControlDropdown                     // a list of more words
	ControlSlider                       // a number of a range up to 10 wide
	ControlSliderInt                    // an integer of a range up to 16 wide
	ControlStepper                      // − and + through steps of a wide range
)

// ControlFor returns the widget of p. Sliders are kept to narrow ranges,
// where a pixel of the track is a useful step. Wide ranges, such as those
// of the learning rate or the seed, get a stepper.
func ControlFor(p *sim.Param) ControlKind {
	switch {
	case p.IsChoice() && len(p.Choices) <= 4:
		return ControlChoice
	case p.IsChoice():
		return ControlDropdown
	case p.IsInt() && p.Max-p.Min <= 16:
		return ControlSliderInt
	case !p.IsInt() && p.Max-p.Min <= 10:
		return ControlSlider
	}
	return ControlStepper
}

// Groups lists the groups of sim.Params in table order.
func Groups() []string {
	var groups []string
	for i := range sim.Params {
		g := sim.Params[i].Group
		if len(groups) == 0 || groups[len(groups)-1] != g {
			groups = append(groups, g)
		}
	}
	return groups
}

// ladder holds the mantissas of the steps of a float stepper, which walks
// through 1, 2 and 5 times the powers of ten.
var ladder = [...]float64{1, 2, 5}

// smallestStep is the value that a float stepper reaches from 0, and the
// value from which it steps down to 0 where 0 is allowed.
const smallestStep = 0.01

// StepValue returns the value one step up (dir > 0) or down (dir < 0) from
// p's value in c, formatted for sim.Config.Set, and whether that value is
// in p's range and differs from the current one. The seed moves by 1. Other
// integers move by 1 up to 8 and double or halve above. Floats move along
// 1, 2, 5, 10, … in both directions, see stepFloat.
func StepValue(p *sim.Param, c *sim.Config, dir int) (string, bool) {
	v := p.Float(c)
	var next float64
	switch {
	case p.Name == "seed":
		next = v + float64(sign(dir))
	case p.IsInt():
		next = stepInt(v, dir)
	default:
		next = stepFloat(v, dir, p.Min == 0 && !p.MinOpen)
	}
	if next == v || next < p.Min || next > p.Max ||
		(p.MinOpen && next == p.Min) || (p.MaxOpen && next == p.Max) {
		return "", false
	}
	var s string
	if p.IsInt() {
		s = strconv.FormatFloat(next, 'f', 0, 64)
	} else {
		s = strconv.FormatFloat(next, 'g', 6, 64)
	}
	probe := *c
	if err := probe.Set(p.Name, s); err != nil {
		return "", false
	}
	return s, true
}

func sign(dir int) int {
	if dir < 0 {
		return -1
	}
	return 1
}

func stepInt(v float64, dir int) float64 {
	if dir > 0 {
		if v < 8 {
			return v + 1
		}
		return v * 2
	}
	if v <= 8 {
		return v - 1
	}
	return math.Floor(v / 2)
}

// stepFloat returns the next value of the 1-2-5 ladder above or below v.
// Up from 0 it returns smallestStep, and down from smallestStep or below it
// returns 0 when toZero is set.
func stepFloat(v float64, dir int, toZero bool) float64 {
	if dir > 0 {
		if v <= 0 {
			return smallestStep
		}
		for e := math.Floor(math.Log10(v)); ; e++ {
			for _, m := range ladder {
				if x := m * math.Pow(10, e); x > v*(1+1e-9) {
					return roundSignificant(x)
				}
			}
		}
	}
	if v <= 0 {
		return v
	}
	if toZero && v <= smallestStep {
		return 0
	}
	for e := math.Ceil(math.Log10(v)); ; e-- {
		for i := len(ladder) - 1; i >= 0; i-- {
			if x := ladder[i] * math.Pow(10, e); x < v*(1-1e-9) {
				return roundSignificant(x)
			}
		}
	}
}

// roundSignificant removes the rounding error of a power of ten, so that
// 2·10⁻³ formats as 0.002.
func roundSignificant(x float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 6, 64), 64)
	return f
}

// SliderValue returns the value of a float slider at v, rounded to the
// slider's resolution of a thousandth of p's range and formatted for
// sim.Config.Set. A value on an open bound moves inside by one resolution
// step, so that the track's ends are usable.
func SliderValue(p *sim.Param, v float64) string {
	res := (p.Max - p.Min) / 1000
	v = math.Round(v/res) * res
	v = min(max(v, p.Min), p.Max)
	if p.MinOpen && v <= p.Min {
		v = p.Min + res
	}
	if p.MaxOpen && v >= p.Max {
		v = p.Max - res
	}
	return strconv.FormatFloat(roundSignificant(v), 'g', 6, 64)
}
