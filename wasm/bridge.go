//go:build js && wasm

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"syscall/js"

	"github.com/neuromop/neuromop/game"
	"github.com/neuromop/neuromop/sim"
)

// workerScript is the script of the training worker, public/worker.js,
// relative to the page.
const workerScript = "worker.js"

// workersAvailable reports whether the browser has Web Workers.
func workersAvailable() bool {
	return js.Global().Get("Worker").Type() == js.TypeFunction
}

// webWorker is a game.Transport to a Web Worker that runs worker.js. The
// worker's messages are JSON strings of sim.WorkerReport, or an object
// {failed: message} when the worker cannot run, see public/worker.js.
type webWorker struct {
	worker    js.Value
	to        game.Receiver
	onMessage js.Func
	onError   js.Func
}

// newWebWorker starts a worker whose messages go to to. A worker that the
// browser rejects, or that fails later, is reported through to.Fail.
func newWebWorker(to game.Receiver) game.Transport {
	w := &webWorker{to: to}
	w.onMessage = js.FuncOf(func(this js.Value, args []js.Value) any {
		w.receive(args[0].Get("data"))
		return nil
	})
	w.onError = js.FuncOf(func(this js.Value, args []js.Value) any {
		msg := "the training worker failed to start or threw an error"
		if m := args[0].Get("message"); m.Type() == js.TypeString && m.String() != "" {
			msg = "the training worker failed: " + m.String()
		}
		// The page handles the failure, so the browser need not log it
		// as uncaught.
		args[0].Call("preventDefault")
		w.fail(errors.New(msg))
		return nil
	})
	if err := w.start(); err != nil {
		w.fail(err)
	}
	return w
}

// fail logs err as a console warning, because the page goes on without the
// worker, and passes it to the receiver.
func (w *webWorker) fail(err error) {
	js.Global().Get("console").Call("warn", "NeuroMOP: "+err.Error())
	w.to.Fail(err)
}

// start creates the worker. The Worker constructor throws, for example,
// when a Content-Security-Policy forbids the script, and syscall/js turns
// the exception into a panic of type js.Error.
func (w *webWorker) start() (err error) {
	defer func() {
		if r := recover(); r != nil {
			jsErr, ok := r.(js.Error)
			if !ok {
				panic(r)
			}
			err = fmt.Errorf("the training worker could not be started: %v", jsErr)
		}
	}()
	w.worker = js.Global().Get("Worker").New(workerScript)
	w.worker.Set("onmessage", w.onMessage)
	w.worker.Set("onerror", w.onError)
	w.worker.Set("onmessageerror", w.onError)
	return nil
}

func (w *webWorker) receive(data js.Value) {
	if data.Type() == js.TypeObject {
		if failed := data.Get("failed"); failed.Type() == js.TypeString {
			w.fail(errors.New(failed.String()))
			return
		}
	}
	if data.Type() != js.TypeString {
		w.fail(fmt.Errorf("invalid message of type %s from the training worker: want a JSON string", data.Type()))
		return
	}
	var r sim.WorkerReport
	if err := json.Unmarshal([]byte(data.String()), &r); err != nil {
		w.fail(fmt.Errorf("invalid message from the training worker: %v", err))
		return
	}
	w.to.Receive(r)
}

// Post sends cmd as a JSON string. A worker that could not be started
// drops it.
func (w *webWorker) Post(cmd sim.WorkerCommand) {
	if !w.worker.Truthy() {
		return
	}
	data, err := json.Marshal(cmd)
	if err != nil {
		// A WorkerCommand holds strings and, in a "load" command, weights
		// that game.NewRemoteAgentTrainer checked to be finite, so it
		// always encodes.
		panic(fmt.Sprintf("wasm: encoding a worker command: %v", err))
	}
	w.worker.Call("postMessage", string(data))
}

// Close terminates the worker and releases the handlers. The handlers are
// detached first, so no message that is still queued can call them.
func (w *webWorker) Close() {
	if w.worker.Truthy() {
		w.worker.Set("onmessage", js.Null())
		w.worker.Set("onerror", js.Null())
		w.worker.Set("onmessageerror", js.Null())
		w.worker.Call("terminate")
		w.worker = js.Undefined()
	}
	w.onMessage.Release()
	w.onError.Release()
}
