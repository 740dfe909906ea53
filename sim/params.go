package sim

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Task names, in the order the browser numbers them.
var Tasks = []string{"energy", "square", "shapes", "corridor", "reward", "saturation", "cartpole"}

// AgentKinds are the controllers a run can evaluate: the MOP agent, the
// reward maximizer, the free network (a uniformly random candidate) and the
// silent network (a = 0).
var AgentKinds = []string{"mop", "r", "free", "silent"}

// Param is one hyperparameter: its name (a CLI flag and a URL parameter),
// its default for every task, the values it accepts and one line of help.
// Every flag, URL parameter, browser control, agent-file field and
// validation message comes from the table Params.
type Param struct {
	Name    string
	Group   string // section of the help and of the browser controls
	Default string
	// TaskDefaults overrides Default for the named tasks.
	TaskDefaults map[string]string
	// Choices lists the accepted words of a string parameter.
	Choices []string
	// Min and Max bound a numeric parameter; MinOpen and MaxOpen exclude
	// the bound itself.
	Min, Max         float64
	MinOpen, MaxOpen bool
	Unit             string
	Help             string
	field            func(*Config) any
}

// DefaultFor returns the parameter's default value for task.
func (p *Param) DefaultFor(task string) string {
	if v, ok := p.TaskDefaults[task]; ok {
		return v
	}
	return p.Default
}

// Want describes the accepted values, as validation messages print them.
func (p *Param) Want() string {
	if p.Choices != nil {
		return "want one of " + strings.Join(p.Choices, ", ")
	}
	lo, hi := "[", "]"
	if p.MinOpen {
		lo = "("
	}
	if p.MaxOpen {
		hi = ")"
	}
	kind := "a number"
	if p.isInt() {
		kind = "an integer"
	}
	return fmt.Sprintf("want %s in %s%s, %s%s", kind, lo, formatNumber(p.Min), formatNumber(p.Max), hi)
}

func formatNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e18 && math.Abs(v) >= 1e6 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func (p *Param) isInt() bool {
	switch p.field(&Config{}).(type) {
	case *int, *uint64:
		return true
	}
	return false
}

// ParamError reports a rejected parameter value.
type ParamError struct {
	Name, Value, Want string
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("invalid %s %q: %s", e.Name, e.Value, e.Want)
}

// Lookup returns the parameter called name, or nil.
func Lookup(name string) *Param {
	for i := range Params {
		if Params[i].Name == name {
			return &Params[i]
		}
	}
	return nil
}

// Parse checks value against the parameter's type and range and stores it
// in c. A number must be a plain decimal, with an optional exponent for a
// float, and no surrounding spaces.
func (p *Param) Parse(c *Config, value string) error {
	bad := &ParamError{Name: p.Name, Value: value, Want: p.Want()}
	switch f := p.field(c).(type) {
	case *string:
		for _, ch := range p.Choices {
			if strings.EqualFold(value, ch) {
				*f = ch
				return nil
			}
		}
		return bad
	case *int:
		v, err := strconv.ParseInt(value, 10, 64)
		if err != nil || !p.inRange(float64(v)) {
			return bad
		}
		*f = int(v)
	case *uint64:
		v, err := strconv.ParseUint(value, 10, 64)
		if err != nil || v > uint64(p.Max) || !p.inRange(float64(v)) {
			return bad
		}
		*f = v
	case *float64:
		v, err := parseDecimal(value)
		if err != nil || !p.inRange(v) {
			return bad
		}
		*f = v
	}
	return nil
}

func (p *Param) inRange(v float64) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return false
	}
	if v < p.Min || (p.MinOpen && v == p.Min) {
		return false
	}
	if v > p.Max || (p.MaxOpen && v == p.Max) {
		return false
	}
	return true
}

// Format returns the parameter's value in c as Parse accepts it.
func (p *Param) Format(c *Config) string {
	switch f := p.field(c).(type) {
	case *string:
		return *f
	case *int:
		return strconv.Itoa(*f)
	case *uint64:
		return strconv.FormatUint(*f, 10)
	case *float64:
		return formatNumber(*f)
	}
	panic("sim: parameter of unknown type")
}

// Float returns a numeric parameter's value in c as a float64.
func (p *Param) Float(c *Config) float64 {
	switch f := p.field(c).(type) {
	case *int:
		return float64(*f)
	case *uint64:
		return float64(*f)
	case *float64:
		return *f
	}
	return math.NaN()
}

// IsChoice reports whether the parameter takes a word from Choices.
func (p *Param) IsChoice() bool { return p.Choices != nil }

// IsInt reports whether the parameter takes an integer.
func (p *Param) IsInt() bool { return p.isInt() }
