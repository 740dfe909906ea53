//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/neuromop/neuromop/game"
	"github.com/neuromop/neuromop/sim"
)

// exposeAgentFiles adds the agent-file calls to api, the object that
// becomes window.neuromop:
//
//   - exportAgent() returns a promise of the JSON text of the first run's
//     agent file, as `neuromop train -save` writes it, which the game
//     encodes in its next frame. The promise is rejected with an Error for
//     the free and silent networks;
//   - importAgent(text) loads an agent file, as `neuromop eval -load`
//     reads it, into a new run in the next frame and returns "", or
//     returns the message of a rejected file, which the canvas shows too;
//   - maxAgentFileBytes is the size of the largest file importAgent
//     accepts, so the page can skip reading the rest of a larger file.
//
// It also connects the side panel's Save agent and Load agent buttons to
// the page's loader script through two events on window:
// neuromop:save-agent, whose detail contains the file name and text to
// download, and neuromop:open-agent, which requests the file picker.
func exposeAgentFiles(api js.Value, g *game.Game) {
	api.Set("maxAgentFileBytes", sim.MaxAgentFileBytes())
	api.Set("exportAgent", js.FuncOf(func(this js.Value, args []js.Value) any {
		return newPromise(func(resolve, reject js.Value) {
			g.ExportAgent(func(name, text string, err error) {
				if err != nil {
					reject.Invoke(js.Global().Get("Error").New(err.Error()))
					return
				}
				resolve.Invoke(text)
			})
		})
	}))
	api.Set("importAgent", js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) == 0 || args[0].Type() != js.TypeString {
			return "invalid importAgent argument: want the text of an agent file as a string"
		}
		return g.ImportAgent(args[0].String())
	}))
	g.SetAgentFiles(game.AgentFiles{
		Save: func(name, text string) {
			dispatch("neuromop:save-agent", map[string]any{"name": name, "text": text})
		},
		Open: func() { dispatch("neuromop:open-agent", nil) },
	})
}

// newPromise returns a JavaScript promise whose executor calls run with
// its resolve and reject functions.
func newPromise(run func(resolve, reject js.Value)) js.Value {
	executor := js.FuncOf(func(this js.Value, args []js.Value) any {
		run(args[0], args[1])
		return nil
	})
	// The Promise constructor calls the executor before it returns, so the
	// function can be released at once.
	defer executor.Release()
	return js.Global().Get("Promise").New(executor)
}

// dispatch dispatches a CustomEvent of type name with detail on window.
func dispatch(name string, detail map[string]any) {
	options := map[string]any{}
	if detail != nil {
		options["detail"] = detail
	}
	js.Global().Call("dispatchEvent", js.Global().Get("CustomEvent").New(name, options))
}
