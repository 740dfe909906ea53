//go:build js && wasm

package main

import (
	"fmt"
	"runtime"
	"strconv"
	"syscall/js"

	"github.com/neuromop/neuromop/game"
	"github.com/neuromop/neuromop/sim"
)

// exposeAPI defines window.neuromop for scripts and tests:
//
//   - status() returns a plain object with the fields of game.Status, the
//     run's metrics (null before the first epoch), the durations of the
//     last frame's training, display steps and Update in milliseconds
//     (train_ms, display_ms, update_ms), the Go heap size in bytes, where
//     the training runs (mode: "worker" or "local"), the result of the
//     benchmark of the URL's bench=1 (bench: null until it has finished,
//     then an object with the fields of `neuromop bench -json`), and the
//     time of the first frame on the canvas in milliseconds since
//     performance.timeOrigin (first_frame_ms: null before that frame).
//     error joins the notices that the canvas shows, at most
//     game.MaxNotices and a count of the rest, and errors lists them all;
//   - start(), pause() and reset() act on the training;
//   - set(params) applies an object of URL parameters, such as
//     {alpha: 0.5, task: "shapes"}, and returns an array of the messages of
//     the values it rejected;
//   - exportAgent(), importAgent(text) and maxAgentFileBytes exchange
//     agent files, see exposeAgentFiles.
//
// The game carries out start, pause, reset and set in its next Update, so
// these calls never touch the simulation while a frame runs.
func exposeAPI(g *game.Game, guard *guard) {
	api := js.Global().Get("Object").New()
	api.Set("status", js.FuncOf(func(this js.Value, args []js.Value) any {
		status := statusObject(g.Status())
		status["first_frame_ms"] = nil
		if ms, ok := guard.FirstFrameMS(); ok {
			status["first_frame_ms"] = ms
		}
		return status
	}))
	api.Set("start", js.FuncOf(func(this js.Value, args []js.Value) any {
		g.Start()
		return nil
	}))
	api.Set("pause", js.FuncOf(func(this js.Value, args []js.Value) any {
		g.Pause()
		return nil
	}))
	api.Set("reset", js.FuncOf(func(this js.Value, args []js.Value) any {
		g.Reset()
		return nil
	}))
	api.Set("set", js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) == 0 || args[0].Type() != js.TypeObject {
			return []any{"invalid set argument: want an object of URL parameters, such as {alpha: 0.5}"}
		}
		params, err := paramsOf(args[0])
		if err != nil {
			return []any{err.Error()}
		}
		msgs := g.Set(params)
		out := make([]any, len(msgs))
		for i, m := range msgs {
			out[i] = m
		}
		return out
	}))
	exposeAgentFiles(api, g)
	js.Global().Set("neuromop", api)
}

func statusObject(s game.Status) map[string]any {
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	return map[string]any{
		"fps":       s.FPS,
		"tps":       s.TPS,
		"ticks":     s.Ticks,
		"frames":    s.Frames,
		"width":     s.Width,
		"height":    s.Height,
		"scale":     s.Scale,
		"heapBytes": mem.HeapAlloc,
		// The live heap as of the last collection, and the bytes of the
		// WebAssembly memory that the Go runtime has grown, for the soak
		// test.
		"heapLiveBytes": liveHeapBytes(),
		"sysBytes":      mem.Sys,

		"task":               s.Task,
		"agent":              s.Agent,
		"view":               s.View,
		"state":              s.State,
		"training":           s.Training,
		"epoch":              s.Epoch,
		"epochs":             s.Epochs,
		"progress":           s.Progress,
		"survival":           orNull(s.Survival),
		"mean_lifetime":      orNull(s.MeanLifetime),
		"action_entropy":     orNull(s.ActionEntropy),
		"effective_dim":      orNull(s.EffectiveDim),
		"samples_per_second": s.SamplesPerSecond,
		"mode":               s.Mode,
		"duty":               workerOnly(s, s.Duty),
		"idle_fps":           workerOnly(s, s.IdleFPS),
		"bench":              benchObject(s.Bench),
		"error":              s.Error,
		"errors":             stringsArray(s.Errors),
		"query":              s.Query,
		"train_ms":           s.TrainTime.Seconds() * 1000,
		"display_ms":         s.DisplayTime.Seconds() * 1000,
		"update_ms":          s.UpdateTime.Seconds() * 1000,
	}
}

// workerOnly returns v where the runs train in workers, and nil, which
// becomes JavaScript's null, where they train in the page.
func workerOnly(s game.Status, v float64) any {
	if s.Mode != "worker" {
		return nil
	}
	return v
}

// benchObject returns b with the field names of `neuromop bench -json`,
// or nil, which becomes JavaScript's null.
func benchObject(b *sim.BenchResult) any {
	if b == nil {
		return nil
	}
	config := make(map[string]any, len(b.Config))
	for k, v := range b.Config {
		config[k] = v
	}
	return map[string]any{
		"samples_per_second":     b.SamplesPerSecond,
		"ns_per_controller_step": b.NsPerControllerStep,
		"gflops":                 b.GFLOPS,
		"config":                 config,
	}
}

// orNull returns *v, or nil, which becomes JavaScript's null.
func orNull(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// stringsArray returns msgs as a value that js.ValueOf turns into an
// array of strings, empty for nil.
func stringsArray(msgs []string) []any {
	out := make([]any, len(msgs))
	for i, m := range msgs {
		out[i] = m
	}
	return out
}

// paramsOf returns the own enumerable properties of obj as strings, as
// JavaScript's String() converts them, so that {seed: 3} and {seed: "3"}
// are the same. It returns an error naming the first property whose value
// is an array or an object, because String() would turn [0.5] into a valid
// "0.5".
//
// A JavaScript exception while reading obj (a throwing getter, toString or
// Proxy trap) is returned as an error, so a hostile argument cannot stop
// the Go program.
func paramsOf(obj js.Value) (params map[string]string, err error) {
	defer func() {
		if r := recover(); r != nil {
			params, err = nil, fmt.Errorf("invalid argument: reading its members failed: %v", r)
		}
	}()
	toString := js.Global().Get("String")
	isArray := js.Global().Get("Array").Get("isArray")
	keys := js.Global().Get("Object").Call("keys", obj)
	params = make(map[string]string, keys.Length())
	for i := 0; i < keys.Length(); i++ {
		k := keys.Index(i).String()
		v := obj.Get(k)
		if v.Type() == js.TypeObject {
			kind := "an object"
			if isArray.Invoke(v).Bool() {
				kind = "an array"
			}
			return nil, fmt.Errorf("invalid argument: %s is %s; want a number, a string or a boolean",
				quoteKey(k), kind)
		}
		params[k] = toString.Invoke(v).String()
	}
	return params, nil
}

// quoteKey returns the property name k quoted and cut to 40 bytes, for a
// message.
func quoteKey(k string) string {
	const maxBytes = 40
	if len(k) > maxBytes {
		return strconv.Quote(k[:maxBytes]) + "…"
	}
	return strconv.Quote(k)
}

// signalReady dispatches the neuromop:ready event on window once the first
// frame is drawn. The loader script hides its progress indicator then.
func signalReady() {
	event := js.Global().Get("CustomEvent").New("neuromop:ready")
	js.Global().Call("dispatchEvent", event)
}

// showFatal writes msg into the page's error overlay with textContent and
// shows the overlay, so the message is never parsed as HTML. It also logs
// msg to the console. The loader script leaves the overlay as it is when the
// program then exits.
func showFatal(msg string) {
	js.Global().Get("console").Call("error", msg)

	doc := js.Global().Get("document")
	if !doc.Truthy() {
		return
	}
	if el := doc.Call("getElementById", "error-message"); el.Truthy() {
		el.Set("textContent", msg)
	}
	if el := doc.Call("getElementById", "error"); el.Truthy() {
		el.Set("hidden", false)
	}
	if el := doc.Call("getElementById", "loading"); el.Truthy() {
		el.Set("hidden", true)
	}
	doc.Get("documentElement").Get("dataset").Set("state", "error")
}
