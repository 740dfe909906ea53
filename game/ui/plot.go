package ui

import (
	"image/color"
	"math"
)

// Series is one line of a Plot. Its samples are Values read from index Start
// to the end and then from 0 to Start, which is the order of a ring buffer,
// and sample i is drawn at x = Plot.X0 + i*Plot.DX. NaN and infinite samples
// leave a gap in the line.
type Series struct {
	Label  string
	Color  color.RGBA // the zero colour picks the theme's palette colour
	Values []float64
	Start  int
}

// Len returns the number of samples.
func (s *Series) Len() int { return len(s.Values) }

// At returns the i-th sample in plot order.
func (s *Series) At(i int) float64 {
	n := len(s.Values)
	j := s.Start + i
	if j >= n {
		j -= n
	}
	return s.Values[j]
}

// Plot is a line chart of one or more series against a shared x axis.
type Plot struct {
	Title  string
	Series []Series

	// X0 is the x value of the first sample and DX the x distance between
	// samples. A zero DX counts as 1.
	X0, DX float64

	// FixedY selects the y range YMin to YMax. When it is false, the range
	// is fitted to the finite samples and rounded out to tick marks.
	FixedY     bool
	YMin, YMax float64
}

// Axis is the range of one plot axis and the spacing of its tick marks.
type Axis struct {
	Min, Max, Step float64
}

// NiceAxis returns an axis that covers [lo, hi] with about ticks tick
// marks at multiples of 1, 2 or 5 times a power of ten. An empty or single
// value range is widened around it, and a non-finite bound gives [0, 1].
func NiceAxis(lo, hi float64, ticks int) Axis {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return Axis{Min: 0, Max: 1, Step: 0.25}
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if lo == hi {
		pad := math.Abs(lo) * 0.1
		if pad == 0 {
			pad = 1
		}
		lo, hi = lo-pad, hi+pad
	}
	ticks = max(ticks, 2)

	step := niceStep((hi - lo) / float64(ticks))
	return Axis{
		Min:  math.Floor(lo/step) * step,
		Max:  math.Ceil(hi/step) * step,
		Step: step,
	}
}

// niceStep returns the smallest of 1, 2 or 5 times a power of ten that is
// at least raw.
func niceStep(raw float64) float64 {
	exp := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / exp; {
	case f <= 1:
		return exp
	case f <= 2:
		return 2 * exp
	case f <= 5:
		return 5 * exp
	default:
		return 10 * exp
	}
}

// dataRange returns the smallest and largest finite sample over all series
// and whether there was any.
func (p *Plot) dataRange() (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for i := range p.Series {
		for _, v := range p.Series[i].Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			lo, hi = min(lo, v), max(hi, v)
			ok = true
		}
	}
	return lo, hi, ok
}

// YAxis returns the y axis the plot is drawn with.
func (p *Plot) YAxis() Axis {
	if p.FixedY {
		a := NiceAxis(p.YMin, p.YMax, 4)
		a.Min, a.Max = p.YMin, p.YMax
		if a.Min == a.Max {
			a.Max = a.Min + 1
		}
		return a
	}
	lo, hi, ok := p.dataRange()
	if !ok {
		return NiceAxis(0, 1, 4)
	}
	return NiceAxis(lo, hi, 4)
}

// samples returns the largest series length.
func (p *Plot) samples() int {
	n := 0
	for i := range p.Series {
		n = max(n, p.Series[i].Len())
	}
	return n
}

// Plot draws p inside r: a frame, horizontal grid lines at the y ticks with
// their values, the x range of the samples, a legend and one line per
// series. Series with more samples than the plot is wide are reduced to the
// minimum and maximum of each pixel column, so peaks stay visible.
func (u *UI) Plot(r Rect, p *Plot) {
	th := &u.Theme
	_, lineH := u.measure("0")
	u.fillRect(r, th.Background)
	u.strokeRect(r, 1, th.Border)

	// The legend sits right of the title, or on a line of its own below a
	// title too long to share a line with it. The header leaves half a
	// line below them for the top tick label, which is centred on its
	// grid line.
	header := lineH*3/2 + 6
	legendY := r.Y + 3
	titleW, _ := u.measure(p.Title)
	if legendW := u.legendWidth(p); titleW+legendW+3*th.Padding > r.W {
		header += lineH + 2
		legendY += lineH + 2
	}
	inner := Rect{X: r.X + 44, Y: r.Y + header, W: r.W - 52, H: r.H - header - lineH - 6}
	if inner.W <= 1 || inner.H <= 1 {
		return
	}
	if p.Title != "" {
		u.text(r.X+th.Padding, r.Y+3, p.Title, th.MutedText)
	}

	ay := p.YAxis()
	toY := func(v float64) float64 {
		f := (v - ay.Min) / (ay.Max - ay.Min)
		return inner.Y + inner.H - min(max(f, 0), 1)*inner.H
	}
	u.drawYTicks(inner, ay, toY, lineH)

	n := p.samples()
	dx := p.DX
	if dx == 0 {
		dx = 1
	}
	if n > 0 {
		first := u.formatValue(p.X0, 4)
		last := u.formatValue(p.X0+float64(n-1)*dx, 4)
		y := inner.Y + inner.H + 3
		u.text(inner.X, y, first, th.MutedText)
		w, _ := u.measure(last)
		u.text(inner.X+inner.W-w, y, last, th.MutedText)
	}

	for i := range p.Series {
		s := &p.Series[i]
		c := s.Color
		if c == (color.RGBA{}) && len(th.Palette) > 0 {
			c = th.Palette[i%len(th.Palette)]
		}
		u.polyline(inner, s, n, toY, c)
	}
	u.drawLegend(r, legendY, p, lineH)
}

func (u *UI) drawYTicks(inner Rect, ay Axis, toY func(float64) float64, lineH float64) {
	th := &u.Theme
	if ay.Step <= 0 {
		return
	}
	// Ticks are counted from an integer so that rounding in ay.Min+k*Step
	// does not add or drop a tick, and a bad step cannot loop for long.
	k0 := math.Ceil(ay.Min/ay.Step - 1e-9)
	for k := k0; k*ay.Step <= ay.Max+ay.Step*1e-9 && k-k0 < 50; k++ {
		v := k * ay.Step
		y := toY(v)
		u.line(inner.X, y, inner.X+inner.W, y, 1, th.Grid)
		label := u.formatValue(v, 4)
		w, _ := u.measure(label)
		u.text(inner.X-w-4, y-lineH/2, label, th.MutedText)
	}
}

// polyline records the samples of s scaled into inner, where n samples span
// the full width. Each run of finite samples becomes one polyline. A series
// longer than half the width in pixels is drawn as the minimum and maximum
// of each group of samples, one group per two pixels. So the points of a
// frame, and the vertex buffers behind them, stop growing with the series.
func (u *UI) polyline(inner Rect, s *Series, n int, toY func(float64) float64, c color.RGBA) {
	count := s.Len()
	if count == 0 {
		return
	}
	xStep := 0.0
	if n > 1 {
		xStep = inner.W / float64(n-1)
	}
	groups := max(1, int(inner.W/2))
	perColumn := (count + groups - 1) / groups

	start := len(u.list.points)
	flush := func() {
		if len(u.list.points)-start == 2 {
			// A lone sample becomes a short horizontal stroke, so that a
			// series of one epoch shows.
			x, y := u.list.points[start], u.list.points[start+1]
			u.list.points = append(u.list.points[:start], x-1.5, y, x+1.5, y)
		}
		if len(u.list.points)-start >= 4 {
			u.list.base = append(u.list.base, op{
				kind: opPolyline, width: 1.5, color: c,
				first: start, last: len(u.list.points),
			})
		} else {
			u.list.points = u.list.points[:start]
		}
		start = len(u.list.points)
	}

	for i := 0; i < count; i += perColumn {
		lo, hi := math.Inf(1), math.Inf(-1)
		end := min(i+perColumn, count)
		for j := i; j < end; j++ {
			v := s.At(j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			lo, hi = min(lo, v), max(hi, v)
		}
		if lo > hi {
			flush()
			continue
		}
		x := float32(inner.X + float64(i)*xStep)
		u.list.points = append(u.list.points, x, float32(toY(lo)))
		if hi != lo {
			u.list.points = append(u.list.points, x, float32(toY(hi)))
		}
	}
	flush()
}

// legendWidth returns the width of the legend of p, which lists the series
// that have labels.
func (u *UI) legendWidth(p *Plot) float64 {
	w := 0.0
	for i := range p.Series {
		if label := p.Series[i].Label; label != "" {
			lw, _ := u.measure(label)
			w += lw + 12 + u.Theme.Padding
		}
	}
	return w
}

// drawLegend draws the legend right-aligned in r with its top at y.
func (u *UI) drawLegend(r Rect, y float64, p *Plot, lineH float64) {
	th := &u.Theme
	x := r.X + r.W - th.Padding
	for i := len(p.Series) - 1; i >= 0; i-- {
		s := &p.Series[i]
		if s.Label == "" {
			continue
		}
		c := s.Color
		if c == (color.RGBA{}) && len(th.Palette) > 0 {
			c = th.Palette[i%len(th.Palette)]
		}
		w, _ := u.measure(s.Label)
		x -= w
		u.text(x, y, s.Label, th.Text)
		x -= 12
		u.fillRect(Rect{X: x, Y: y + lineH/2 - 2, W: 8, H: 4}, c)
		x -= th.Padding
	}
}
