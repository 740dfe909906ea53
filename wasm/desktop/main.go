//go:build !js

// Command desktop runs the NeuroMOP game in a native window, with the same
// game package as the browser build.
package main

import (
	"log"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/neuromop/neuromop/game"
)

func main() {
	ebiten.SetWindowTitle("NeuroMOP")
	ebiten.SetWindowSize(1280, 800)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)

	if err := ebiten.RunGame(game.New(game.Options{})); err != nil {
		log.Fatal(err)
	}
}
