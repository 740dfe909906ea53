//go:build js && wasm

// Command wasm is the browser entry of NeuroMOP. It runs package game on
// the canvas that Ebitengine adds to the page, with the settings of the
// page's URL, and keeps the URL in step with the settings. The training
// runs in a Web Worker, see wasm/worker, where the browser has them. It
// exposes window.neuromop to scripts and tests, and reports a crash in the
// page's error overlay instead of leaving a blank canvas.
package main

import (
	"os"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/neuromop/neuromop/game"
)

func main() {
	mark(markMain)
	settings, notices := settingsFromURL()
	opts := game.Options{
		Settings:   &settings,
		Notices:    notices,
		OnSettings: replaceQuery,
	}
	// Training runs in Web Workers where the browser has them, unless the
	// URL holds worker=0, and in the page's frames otherwise.
	if workersAvailable() {
		opts.NewTransport = newWebWorker
	}
	g := game.New(opts)
	guard := newGuard(g)
	exposeAPI(g, guard)

	if err := ebiten.RunGame(guard); err != nil {
		showFatal(err.Error())
		os.Exit(1)
	}
}
