package game

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"
)

var _ ebiten.FinalScreenDrawer = (*Game)(nil)

// DrawFinalScreen draws the frame that Draw painted onto the screen. Where
// ebiten.DefaultDrawFinalScreen of Ebitengine v2.10.4 samples the offscreen
// without filtering, it draws the same pixels with ebiten.BlendCopy in
// place of source-over blending. Draw paints every pixel of the offscreen
// opaque, and an opaque pixel blended source-over onto any pixel gives
// itself, so the copy shows the same frame. Blending reads every pixel of
// the screen back, which software WebGL such as SwiftShader pays for on
// the whole canvas in every frame.
func (g *Game) DrawFinalScreen(screen ebiten.FinalScreen, offscreen *ebiten.Image, geoM ebiten.GeoM) {
	opts, ok := finalScreenOptions(geoM, ebiten.IsScreenFilterEnabled())
	if !ok {
		ebiten.DefaultDrawFinalScreen(screen, offscreen, geoM)
		return
	}
	screen.DrawImage(offscreen, &opts)
}

// finalScreenOptions returns the options that copy the offscreen onto the
// screen with geoM, and false where the default drawer filters the
// offscreen: with the screen filter on and a scale that is not a whole
// number. A filtered edge pixel mixes with the transparent pixels beyond
// the offscreen, so copying it would differ from blending it.
func finalScreenOptions(geoM ebiten.GeoM, filterEnabled bool) (ebiten.DrawImageOptions, bool) {
	var opts ebiten.DrawImageOptions
	scale := geoM.Element(0, 0)
	if filterEnabled && math.Floor(scale) != scale {
		return opts, false
	}
	opts.GeoM = geoM
	opts.Blend = ebiten.BlendCopy
	return opts, true
}
