package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/neuromop/neuromop/sim"
)

// flagSet is a subcommand's flags: its own, and flags of parameters of
// sim.Params, which sim.BindFlags defines and checks.
type flagSet struct {
	*flag.FlagSet
	params   *sim.Flags
	bound    []*sim.Param // parameters with a flag, in table order
	synopsis string       // the usage line after "Usage: "
	about    string       // description of the command, printed by -h
	// paramsTitle heads the parameter flags in the help. When it is set,
	// the help shows no defaults for them, because the command takes its
	// defaults from elsewhere.
	paramsTitle string
	// unbound, when set, explains why the command has no flag for a
	// parameter of sim.Params, for the error about such a flag.
	unbound string
	// paramErr is the last error of a parameter flag, kept because the
	// flag package reports it only as text.
	paramErr error
}

// newFlagSet returns the flags of the subcommand name, with a flag for each
// parameter of sim.Params that keep accepts.
func newFlagSet(name, synopsis, about string, keep func(p *sim.Param) bool) *flagSet {
	fs := &flagSet{
		FlagSet:  flag.NewFlagSet(name, flag.ContinueOnError),
		synopsis: synopsis,
		about:    about,
	}
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}

	all := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.params = sim.BindFlags(all)
	for i := range sim.Params {
		p := &sim.Params[i]
		if !keep(p) {
			continue
		}
		f := all.Lookup(p.Name)
		fs.Var(&capturedValue{Value: f.Value, err: &fs.paramErr}, f.Name, f.Usage)
		fs.bound = append(fs.bound, p)
	}
	return fs
}

func allParams(*sim.Param) bool { return true }

// paramsNamed returns a filter that accepts the parameters called names.
func paramsNamed(names ...string) func(p *sim.Param) bool {
	return func(p *sim.Param) bool {
		for _, n := range names {
			if p.Name == n {
				return true
			}
		}
		return false
	}
}

// capturedValue is a flag.Value that keeps the error of its last Set.
type capturedValue struct {
	flag.Value
	err *error
}

func (v *capturedValue) String() string {
	if v.Value == nil {
		return ""
	}
	return v.Value.String()
}

func (v *capturedValue) Set(s string) error {
	err := v.Value.Set(s)
	if err != nil {
		*v.err = err
	}
	return err
}

// parse parses args. For -h it prints the help to stdout and reports
// help; otherwise it returns a usageError for an invalid flag or for any
// positional argument.
func (fs *flagSet) parse(args []string, stdout io.Writer) (help bool, err error) {
	fs.paramErr = nil
	err = fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.printHelp(stdout)
		return true, nil
	}
	if err != nil {
		if fs.paramErr != nil {
			return false, &usageError{fs.paramErr}
		}
		return false, invalidf("%s; run neuromop %s -h for the flags", fs.describeFlagError(err), fs.Name())
	}
	if fs.NArg() > 0 {
		return false, invalidf("unexpected argument %q: %s takes only flags, and flags must come first; run neuromop %s -h",
			fs.Arg(0), fs.Name(), fs.Name())
	}
	return false, nil
}

// describeFlagError rewords the errors of the flag package that name no
// fix.
func (fs *flagSet) describeFlagError(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		if fs.unbound != "" && sim.Lookup(strings.TrimLeft(name, "-")) != nil {
			return fmt.Sprintf("flag %s is not accepted: %s", name, fs.unbound)
		}
		return "unknown flag " + name
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return "flag " + name + " needs a value"
	}
	return msg
}

// printHelp prints the usage line, the description and every flag with
// its accepted values and default.
func (fs *flagSet) printHelp(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", fs.synopsis, fs.about)
	own := false
	fs.VisitAll(func(f *flag.Flag) {
		if fs.isBound(f.Name) {
			return
		}
		if !own {
			fmt.Fprintf(w, "\nFlags:\n")
			own = true
		}
		name, usage := flag.UnquoteUsage(f)
		printFlag(w, f.Name, name, usage, f.DefValue)
	})
	if len(fs.bound) == 0 {
		return
	}
	title := fs.paramsTitle
	if title == "" {
		title = "Parameters (the defaults shown are the square task's; other tasks' defaults follow the accepted values)"
	}
	fmt.Fprintf(w, "\n%s:\n", title)
	group := ""
	for _, p := range fs.bound {
		if p.Group != group {
			group = p.Group
			fmt.Fprintf(w, "\n %s:\n", group)
		}
		def := p.DefaultFor("square")
		if fs.paramsTitle != "" {
			def = ""
		}
		printFlag(w, p.Name, placeholder(p), sim.Usage(p), def)
	}
}

func (fs *flagSet) isBound(name string) bool {
	for _, p := range fs.bound {
		if p.Name == name {
			return true
		}
	}
	return false
}

func printFlag(w io.Writer, name, value, usage, def string) {
	fmt.Fprintf(w, "  -%s", name)
	if value != "" {
		fmt.Fprintf(w, " %s", value)
	}
	fmt.Fprintf(w, "\n    \t%s", strings.ReplaceAll(usage, "\n", "\n    \t"))
	if def != "" && def != "false" {
		fmt.Fprintf(w, " (default %s)", def)
	}
	fmt.Fprintln(w)
}

// placeholder returns the word that stands for a parameter's value in the
// help: the kind of value it takes.
func placeholder(p *sim.Param) string {
	switch {
	case p.IsChoice():
		return "word"
	case p.IsInt():
		return "n"
	}
	return "x"
}

// countFlag is an integer flag checked against the range of a parameter
// of sim.Params, for a flag whose name differs from the parameter's.
type countFlag struct {
	name  string
	param *sim.Param
	value int
	set   bool
}

// countVar defines the flag name, which accepts the values of the
// parameter called param.
func (fs *flagSet) countVar(name, param, usage string) *countFlag {
	f := &countFlag{name: name, param: sim.Lookup(param)}
	fs.Var(&capturedValue{Value: f, err: &fs.paramErr}, name, usage)
	return f
}

func (f *countFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return strconv.Itoa(f.value)
}

func (f *countFlag) Set(s string) error {
	var probe sim.Config
	if err := f.param.Parse(&probe, s); err != nil {
		var pe *sim.ParamError
		if errors.As(err, &pe) {
			renamed := *pe
			renamed.Name = f.name
			return &renamed
		}
		return err
	}
	f.value, f.set = int(f.param.Float(&probe)), true
	return nil
}
