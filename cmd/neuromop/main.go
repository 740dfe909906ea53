// Command neuromop trains, compares, evaluates and benchmarks NeuroMOP
// agents, and serves the web page for local use.
//
// Usage:
//
//	neuromop train -task square -epochs 40 -save square.json -out square/
//	neuromop compare -task shapes -seed 3 -json
//	neuromop eval -load square.json -agent free -json
//	neuromop bench -json
//	neuromop serve -dir public -addr 127.0.0.1:8080
//
// Every hyperparameter of the simulation is a flag of train and compare.
// The parameter table of package sim names, checks and documents these
// flags, and "neuromop help COMMAND" lists them. Progress goes to stderr and results
// to stdout. The exit status is 0 on success, 1 when the work failed and 2
// for invalid input: a flag, an argument or an input file. A first SIGINT
// or SIGTERM stops train and compare after the current unit of work. They
// then write what they computed and exit with 130 or 143.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// command is a subcommand: run parses args, the arguments after the
// subcommand's name.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

// commands lists the subcommands in the order help prints them. It is set
// in init because help refers to it.
var commands []command

func init() {
	commands = []command{
		{"train", "train a MOP or R agent and report its metrics", runTrain},
		{"compare", "train MOP and R with the same seed and evaluate them beside the free network", runCompare},
		{"eval", "evaluate a saved agent", runEval},
		{"bench", "measure the training throughput on a fixed workload", runBench},
		{"serve", "serve the web page from a directory", runServe},
		{"help", "show the help of a command", runHelp},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args and returns the exit status. A panic
// is reported as an internal error with status 1. A panic in a goroutine
// that the command starts is not recovered here.
func run(args []string, stdout, stderr io.Writer) (status int) {
	name := "neuromop"
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "%s: internal error: %v\nPlease report this error with the command line and the trace below.\n%s",
				name, r, debug.Stack())
			status = 1
		}
	}()
	if len(args) == 0 {
		fmt.Fprintf(stderr, "neuromop: missing command; want one of %s (see neuromop help)\n", commandNames())
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help":
		printOverview(stdout)
		return 0
	}
	cmd := lookupCommand(args[0])
	if cmd == nil {
		fmt.Fprintf(stderr, "neuromop: unknown command %q; want one of %s (see neuromop help)\n", args[0], commandNames())
		return 2
	}
	name = "neuromop " + cmd.name
	return report(stderr, name, cmd.run(args[1:], stdout, stderr))
}

// usageError is invalid input: a flag, an argument or an input file.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// invalidf returns a usageError with the formatted message.
func invalidf(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// invalid marks err, which may be nil, as invalid input.
func invalid(err error) error {
	if err == nil {
		return nil
	}
	return &usageError{err}
}

// report prints err, if any, prefixed by the command's name, and returns
// the exit status: 128 plus the signal's number for a run a signal
// interrupted, 2 for invalid input and 1 for any other error.
func report(stderr io.Writer, name string, err error) int {
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "%s: %v\n", name, err)
	var ie *interruptedError
	if errors.As(err, &ie) {
		return ie.status()
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

func lookupCommand(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

func commandNames() string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

func printOverview(w io.Writer) {
	fmt.Fprintln(w, "neuromop trains and evaluates NeuroMOP agents: a rate network with fixed random")
	fmt.Fprintln(w, "weights whose controller injects currents to maximize future action-state")
	fmt.Fprintln(w, "entropy while avoiding terminal states.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: neuromop COMMAND [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run neuromop help COMMAND, or neuromop COMMAND -h, for its flags.")
	fmt.Fprintln(w, "Exit status: 0 on success, 1 when the work failed, 2 for invalid input, and 130 or 143")
	fmt.Fprintln(w, "when SIGINT or SIGTERM interrupted train or compare, which then write the finished epochs.")
}

func runHelp(args []string, stdout, stderr io.Writer) error {
	switch len(args) {
	case 0:
		printOverview(stdout)
		return nil
	case 1:
		if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
			printOverview(stdout)
			return nil
		}
		cmd := lookupCommand(args[0])
		if cmd == nil {
			return invalidf("unknown command %q; want one of %s", args[0], commandNames())
		}
		if cmd.name == "help" {
			printOverview(stdout)
			return nil
		}
		return cmd.run([]string{"-h"}, stdout, stderr)
	}
	return invalidf("want at most one command name, got %d arguments", len(args))
}
