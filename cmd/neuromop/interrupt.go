package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"

	"github.com/neuromop/neuromop/sim"
)

// interruption records the first SIGINT or SIGTERM of a run, so that the
// run stops after its current unit of work and writes what it computed.
// A second signal exits at once with the status of that signal.
type interruption struct {
	signal atomic.Value // the first syscall.Signal, once it arrived
	done   chan struct{}
	notify chan os.Signal
}

// watchInterrupts starts recording SIGINT and SIGTERM. The message of a
// second signal goes to stderr, prefixed by name. Call stop when the
// command returns.
func watchInterrupts(stderr io.Writer, name string) *interruption {
	in := &interruption{done: make(chan struct{}), notify: make(chan os.Signal, 2)}
	signal.Notify(in.notify, os.Interrupt, syscall.SIGTERM)
	go func() {
		first, ok := <-in.notify
		if !ok {
			return
		}
		in.signal.Store(first)
		close(in.done)
		second, ok := <-in.notify
		if !ok {
			return
		}
		fmt.Fprintf(stderr, "%s: %s again: exiting without writing the results\n", name, signalName(second))
		os.Exit(signalStatus(second))
	}()
	return in
}

// stop stops recording signals. A signal after stop takes its default
// action.
func (in *interruption) stop() {
	signal.Stop(in.notify)
	close(in.notify)
}

// requested reports whether a signal has arrived.
func (in *interruption) requested() bool {
	select {
	case <-in.done:
		return true
	default:
		return false
	}
}

// err returns the error that reports the interruption, or nil if no
// signal has arrived. The summary names the work done and the files written.
func (in *interruption) err(summary string) error {
	if !in.requested() {
		return nil
	}
	return &interruptedError{sig: in.signal.Load().(os.Signal), summary: summary}
}

// advanceUntil advances tr one unit of work at a time until more returns
// false, tr is done or a signal arrives, and reports whether tr stopped
// for a signal. A unit is one step of all agents or one minibatch, so a
// signal stops the run within one unit.
func (in *interruption) advanceUntil(tr *sim.Trainer, more func() bool) bool {
	for more() {
		if in.requested() {
			return true
		}
		if !tr.Advance(0) {
			break
		}
	}
	return in.requested()
}

// interruptedError reports a run stopped by a signal. Its exit status is
// 128 plus the signal's number, as a shell reports a process the signal
// killed.
type interruptedError struct {
	sig     os.Signal
	summary string
}

func (e *interruptedError) Error() string {
	return fmt.Sprintf("interrupted by %s after %s", signalName(e.sig), e.summary)
}

func (e *interruptedError) status() int { return signalStatus(e.sig) }

func signalName(sig os.Signal) string {
	if sig == syscall.SIGTERM {
		return "SIGTERM"
	}
	return "SIGINT"
}

func signalStatus(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 130
}
