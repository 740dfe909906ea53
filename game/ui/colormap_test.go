package ui

import (
	"image/color"
	"math"
	"testing"
)

func TestColorMapAt(t *testing.T) {
	m := NewColorMap(rgb(0x000000), rgb(0xff8000), rgb(0xffffff))
	tests := []struct {
		t    float64
		want color.RGBA
	}{
		{0, rgb(0x000000)},
		{0.5, rgb(0xff8000)},
		{1, rgb(0xffffff)},
		{0.25, color.RGBA{R: 0x80, G: 0x40, B: 0x00, A: 0xff}},
		{-3, rgb(0x000000)},
		{7, rgb(0xffffff)},
		{math.NaN(), color.RGBA{}},
	}
	for _, tt := range tests {
		if got := m.At(tt.t); got != tt.want {
			t.Errorf("At(%v) = %v, want %v", tt.t, got, tt.want)
		}
	}
}

func TestViridisEnds(t *testing.T) {
	if got, want := Viridis.At(0), rgb(0x440154); got != want {
		t.Errorf("Viridis.At(0) = %v, want %v", got, want)
	}
	if got, want := Viridis.At(1), rgb(0xfde725); got != want {
		t.Errorf("Viridis.At(1) = %v, want %v", got, want)
	}
}

func TestDivergingCentreIsLight(t *testing.T) {
	c := Diverging.At(0.5)
	if c.R < 0xf0 || c.G < 0xf0 || c.B < 0xf0 {
		t.Errorf("Diverging.At(0.5) = %v, want a near-white colour", c)
	}
}

func TestNewColorMapOneStopPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("NewColorMap with one stop did not panic")
		}
	}()
	NewColorMap(rgb(0))
}

func TestHeatmapFillPixels(t *testing.T) {
	m := Heatmap{
		Cols: 2, Rows: 2,
		Values: []float64{0, 1, math.NaN(), 2},
		Map:    Grayscale,
	}
	pix := make([]byte, 4*4)
	m.fillPixels(pix)

	want := [][4]byte{
		{0, 0, 0, 255},       // minimum
		{128, 128, 128, 255}, // middle of [0, 2]
		{0, 0, 0, 0},         // NaN is transparent
		{255, 255, 255, 255}, // maximum
	}
	for i, w := range want {
		var got [4]byte
		copy(got[:], pix[4*i:4*i+4])
		if got != w {
			t.Errorf("cell %d = %v, want %v", i, got, w)
		}
	}
}

func TestHeatmapShortValues(t *testing.T) {
	m := Heatmap{Cols: 3, Rows: 1, Values: []float64{1}}
	pix := make([]byte, 4*3)
	for i := range pix {
		pix[i] = 0xaa
	}
	m.fillPixels(pix)
	if got := pix[3]; got != 0xff {
		t.Errorf("alpha of the only value = %#x, want 0xff", got)
	}
	for i := 1; i < 3; i++ {
		if got := pix[4*i+3]; got != 0 {
			t.Errorf("alpha of missing cell %d = %#x, want 0", i, got)
		}
	}
}

func TestHeatmapRange(t *testing.T) {
	m := Heatmap{Values: []float64{3, math.Inf(1), -1, math.NaN()}}
	lo, hi := m.Range()
	if lo != -1 || hi != 3 {
		t.Errorf("Range() = %v, %v, want -1, 3", lo, hi)
	}

	m.FixedRange, m.Min, m.Max = true, -5, 5
	lo, hi = m.Range()
	if lo != -5 || hi != 5 {
		t.Errorf("fixed Range() = %v, %v, want -5, 5", lo, hi)
	}

	empty := Heatmap{Values: []float64{math.NaN()}}
	lo, hi = empty.Range()
	if lo != 0 || hi != 1 {
		t.Errorf("Range() of no finite values = %v, %v, want 0, 1", lo, hi)
	}
}
