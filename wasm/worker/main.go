//go:build js && wasm

// Command worker is the simulation-only WebAssembly module that the page
// runs in a Web Worker, so that training runs outside the thread that
// draws the page's frames. It imports sim and neither Ebitengine nor
// package game.
//
// public/worker.js starts it and keeps the messages that arrive before it
// runs in self.neuromopPending. Each message is a sim.WorkerCommand as a
// JSON string. The weights of a "load" command are JSON numbers in the
// shortest form that encoding/json writes, which decodes to the same
// float64 values, so the trainer starts from the page's weights exactly.
// The module applies the commands with
// sim.TrainingWorker.Handle, trains in slices of sim.TrainingWorker.Slice
// and posts every sim.WorkerReport as a JSON string. Between slices it rests
// for the time that the duty of the last "pace" command sets, and at
// least tickPause, which returns control to the worker's event loop so
// that commands get through. A "pace" command with duty 0 rests it for up
// to sim.MaxRest.
package main

import (
	"encoding/json"
	"fmt"
	"sync"
	"syscall/js"
	"time"

	"github.com/neuromop/neuromop/sim"
)

// tickPause is the shortest rest between slices.
const tickPause = time.Millisecond

// inbox is the queue of commands that arrived since the loop last took
// them. A push wakes the loop when it waits for a command.
type inbox struct {
	mu       sync.Mutex
	commands []sim.WorkerCommand
	wake     chan struct{}
}

func (in *inbox) push(cmd sim.WorkerCommand) {
	in.mu.Lock()
	in.commands = append(in.commands, cmd)
	in.mu.Unlock()
	select {
	case in.wake <- struct{}{}:
	default:
	}
}

func (in *inbox) take() []sim.WorkerCommand {
	in.mu.Lock()
	defer in.mu.Unlock()
	cmds := in.commands
	in.commands = nil
	return cmds
}

func main() {
	in := &inbox{wake: make(chan struct{}, 1)}
	w := &sim.TrainingWorker{Send: post}

	onMessage := js.FuncOf(func(this js.Value, args []js.Value) any {
		cmd, err := parseCommand(args[0].Get("data"))
		if err != nil {
			post(sim.WorkerReport{Op: "error", Error: err.Error()})
			return nil
		}
		in.push(cmd)
		return nil
	})
	self := js.Global()
	// The page's messages that arrived before this module ran come first.
	// No event is dispatched between reading them and setting onmessage,
	// because both happen in this one task of the event loop.
	if pending := self.Get("neuromopPending"); pending.Type() == js.TypeObject {
		for i := 0; i < pending.Length(); i++ {
			onMessage.Invoke(js.ValueOf(map[string]any{"data": pending.Index(i)}))
		}
		self.Delete("neuromopPending")
	}
	self.Set("onmessage", onMessage)

	var resume time.Time // when the rest after the last slice ends
	for {
		for _, cmd := range in.take() {
			w.Handle(cmd)
		}
		if !w.Running() {
			// Nothing to train: wait for the next command without
			// waking the event loop in between.
			<-in.wake
			continue
		}
		wait := max(w.RestLeft(), time.Until(resume))
		if wait > 0 {
			// A command ends the rest early only to be handled: the
			// loop comes back here until the rest is over.
			timer := time.NewTimer(wait)
			select {
			case <-in.wake:
			case <-timer.C:
			}
			timer.Stop()
			continue
		}
		start := time.Now()
		w.Tick(w.Slice())
		resume = time.Now().Add(w.Rest(time.Since(start)))
		time.Sleep(tickPause)
	}
}

// parseCommand decodes a message of the page.
func parseCommand(data js.Value) (sim.WorkerCommand, error) {
	var cmd sim.WorkerCommand
	if data.Type() != js.TypeString {
		return cmd, fmt.Errorf("invalid worker message of type %s: want a JSON string of a command", data.Type())
	}
	if err := json.Unmarshal([]byte(data.String()), &cmd); err != nil {
		return cmd, fmt.Errorf("invalid worker message: %v", err)
	}
	return cmd, nil
}

// post sends r to the page as a JSON string. A report that JSON cannot
// encode, such as one with a NaN metric, is sent as an error report that
// names the failure.
func post(r sim.WorkerReport) {
	data, err := json.Marshal(r)
	if err != nil {
		data, _ = json.Marshal(sim.WorkerReport{Op: "error", Epoch: r.Epoch,
			Error: fmt.Sprintf("encoding the %s report of epoch %d: %v", r.Op, r.Epoch, err)})
	}
	js.Global().Call("postMessage", string(data))
}
