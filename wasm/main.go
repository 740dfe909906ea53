//go:build js && wasm

// Command wasm is the browser entry of NeuroMOP. It runs package game on
// the canvas that Ebitengine adds to the page, with the settings of the
// page's URL, and keeps the URL in step with the settings. It exposes
// window.neuromop to scripts and tests, and reports a crash in the page's
// error overlay instead of leaving a blank canvas.
package main

import (
	"os"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/neuromop/neuromop/game"
)

func main() {
	settings, notices := settingsFromURL()
	g := game.New(game.Options{
		Settings:   &settings,
		Notices:    notices,
		OnSettings: replaceQuery,
	})
	exposeAPI(g)

	if err := ebiten.RunGame(newGuard(g)); err != nil {
		showFatal(err.Error())
		os.Exit(1)
	}
}
