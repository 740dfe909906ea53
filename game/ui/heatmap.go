package ui

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"
)

// Heatmap shows a grid of numbers as coloured cells. Values holds Rows rows
// of Cols numbers each, row 0 at the top. The image behind it is created on
// first use and when the grid size changes, and is otherwise rewritten in
// place with WritePixels.
type Heatmap struct {
	Cols, Rows int
	Values     []float64

	// Map colours the values, and the zero ColorMap counts as Viridis.
	Map ColorMap

	// FixedRange selects the colour range Min to Max. When it is false, the
	// range is fitted to the finite values of each frame.
	FixedRange bool
	Min, Max   float64

	img  *ebiten.Image
	pix  []byte
	w, h int
}

// Range returns the values that map to the two ends of the colour map.
func (m *Heatmap) Range() (lo, hi float64) {
	if m.FixedRange {
		return m.Min, m.Max
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range m.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	if lo > hi {
		return 0, 1
	}
	return lo, hi
}

// fillPixels writes the RGBA colour of every cell into pix, which must hold
// 4*Cols*Rows bytes. Cells past the end of Values, and NaN cells, are
// transparent.
func (m *Heatmap) fillPixels(pix []byte) {
	cm := m.Map
	if len(cm.stops) == 0 {
		cm = Viridis
	}
	lo, hi := m.Range()
	span := hi - lo

	n := m.Cols * m.Rows
	for i := range n {
		v := math.NaN()
		if i < len(m.Values) {
			v = m.Values[i]
		}
		t := 0.5
		if span != 0 {
			t = (v - lo) / span
		} else if math.IsNaN(v) {
			t = v
		}
		c := cm.At(t)
		pix[4*i+0] = c.R
		pix[4*i+1] = c.G
		pix[4*i+2] = c.B
		pix[4*i+3] = c.A
	}
}

// Heatmap draws m stretched over r, one rectangle of equal size per cell
// without smoothing. A heatmap with no cells draws only its frame.
func (u *UI) Heatmap(r Rect, m *Heatmap) {
	u.fillRect(r, u.Theme.Background)
	if m.Cols > 0 && m.Rows > 0 {
		if m.img == nil || m.w != m.Cols || m.h != m.Rows {
			if m.img != nil {
				m.img.Deallocate()
			}
			m.img = ebiten.NewImage(m.Cols, m.Rows)
			m.pix = make([]byte, 4*m.Cols*m.Rows)
			m.w, m.h = m.Cols, m.Rows
		}
		m.fillPixels(m.pix)
		m.img.WritePixels(m.pix)
		u.image(r, m.img)
	}
	u.strokeRect(r, 1, u.Theme.Border)
}
