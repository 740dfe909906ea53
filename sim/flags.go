package sim

import (
	"flag"
	"fmt"
	"sort"
	"strings"
)

// Flags binds every parameter of Params to a flag set. Values are checked
// as they are parsed; Config applies them over the chosen task's defaults.
type Flags struct {
	set map[string]string
}

type paramFlag struct {
	p     *Param
	flags *Flags
}

func (f *paramFlag) String() string {
	if f.p == nil {
		return ""
	}
	return f.p.Default
}

func (f *paramFlag) Set(value string) error {
	var probe Config
	if err := f.p.Parse(&probe, value); err != nil {
		return err
	}
	f.flags.set[f.p.Name] = value
	return nil
}

// BindFlags defines one flag per parameter on fs, named after it, with its
// help, unit and task-specific defaults in the usage text.
func BindFlags(fs *flag.FlagSet) *Flags {
	fl := &Flags{set: map[string]string{}}
	for i := range Params {
		p := &Params[i]
		fs.Var(&paramFlag{p: p, flags: fl}, p.Name, Usage(p))
	}
	return fl
}

// Usage returns the help line of p: what it sets, its unit and accepted
// values, and the defaults that differ by task.
func Usage(p *Param) string {
	var b strings.Builder
	b.WriteString(p.Help)
	if p.Unit != "" {
		fmt.Fprintf(&b, ", in units of %s", p.Unit)
	}
	fmt.Fprintf(&b, " (%s", strings.TrimPrefix(p.Want(), "want "))
	if len(p.TaskDefaults) > 0 {
		tasks := make([]string, 0, len(p.TaskDefaults))
		for t := range p.TaskDefaults {
			tasks = append(tasks, t)
		}
		sort.Strings(tasks)
		for _, t := range tasks {
			fmt.Fprintf(&b, "; %s: %s", t, p.TaskDefaults[t])
		}
	}
	b.WriteString(")")
	return b.String()
}

// Set reports whether the flag of the parameter called name was given.
func (fl *Flags) Set(name string) bool {
	_, ok := fl.set[name]
	return ok
}

// Config returns the defaults of the chosen task (square unless -task was
// given) with every given flag applied, validated.
func (fl *Flags) Config() (Config, error) {
	task := "square"
	if v, ok := fl.set["task"]; ok {
		task = v
	}
	c, err := DefaultConfig(task)
	if err != nil {
		return c, err
	}
	if err := fl.ApplyTo(&c); err != nil {
		return c, err
	}
	return c, c.Validate()
}

// ApplyTo sets every given flag except -task in c, in table order.
func (fl *Flags) ApplyTo(c *Config) error {
	for i := range Params {
		p := &Params[i]
		v, ok := fl.set[p.Name]
		if !ok || p.Name == "task" {
			continue
		}
		if err := p.Parse(c, v); err != nil {
			return err
		}
	}
	return nil
}
