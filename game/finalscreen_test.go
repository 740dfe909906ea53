package game

import (
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
)

func TestFinalScreenOptionsCopyWholeScale(t *testing.T) {
	for _, scale := range []float64{1, 2, 3} {
		var geoM ebiten.GeoM
		geoM.Scale(scale, scale)
		geoM.Translate(4, 0.5)
		opts, ok := finalScreenOptions(geoM, true)
		if !ok {
			t.Errorf("scale %v: finalScreenOptions returned false, want the copy options", scale)
			continue
		}
		if opts.Blend != ebiten.BlendCopy {
			t.Errorf("scale %v: blend = %+v, want ebiten.BlendCopy", scale, opts.Blend)
		}
		if opts.GeoM != geoM {
			t.Errorf("scale %v: GeoM = %v, want %v", scale, opts.GeoM.String(), geoM.String())
		}
		if opts.Filter != ebiten.FilterNearest {
			t.Errorf("scale %v: filter = %v, want ebiten.FilterNearest", scale, opts.Filter)
		}
	}
}

func TestFinalScreenOptionsDefaultWhenFiltered(t *testing.T) {
	for _, scale := range []float64{0.5, 1.5, 2.25} {
		var geoM ebiten.GeoM
		geoM.Scale(scale, scale)
		if _, ok := finalScreenOptions(geoM, true); ok {
			t.Errorf("scale %v with the screen filter on: finalScreenOptions returned true, want false", scale)
		}
		opts, ok := finalScreenOptions(geoM, false)
		if !ok {
			t.Errorf("scale %v with the screen filter off: finalScreenOptions returned false, want true", scale)
		}
		if opts.Blend != ebiten.BlendCopy {
			t.Errorf("scale %v with the screen filter off: blend = %+v, want ebiten.BlendCopy", scale, opts.Blend)
		}
	}
}
