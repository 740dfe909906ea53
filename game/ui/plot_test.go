package ui

import (
	"math"
	"testing"
)

func TestNiceAxis(t *testing.T) {
	tests := []struct {
		lo, hi float64
		want   Axis
	}{
		{0, 1, Axis{Min: 0, Max: 1, Step: 0.5}},
		{-1, 1, Axis{Min: -1, Max: 1, Step: 0.5}},
		{0.13, 0.87, Axis{Min: 0, Max: 1, Step: 0.2}},
		{3, 97, Axis{Min: 0, Max: 100, Step: 50}},
		{97, 3, Axis{Min: 0, Max: 100, Step: 50}},
		{-0.004, 0.012, Axis{Min: -0.005, Max: 0.015, Step: 0.005}},
	}
	for _, tt := range tests {
		got := NiceAxis(tt.lo, tt.hi, 4)
		if !axisNear(got, tt.want) {
			t.Errorf("NiceAxis(%v, %v, 4) = %+v, want %+v", tt.lo, tt.hi, got, tt.want)
		}
	}
}

func TestNiceAxisDegenerate(t *testing.T) {
	tests := []struct {
		name   string
		lo, hi float64
	}{
		{"zero", 0, 0},
		{"constant", 5, 5},
		{"negative constant", -2, -2},
		{"NaN", math.NaN(), 1},
		{"infinite", 0, math.Inf(1)},
	}
	for _, tt := range tests {
		a := NiceAxis(tt.lo, tt.hi, 4)
		if !(a.Min < a.Max) || a.Step <= 0 {
			t.Errorf("%s: NiceAxis(%v, %v) = %+v, want Min < Max and Step > 0", tt.name, tt.lo, tt.hi, a)
		}
		if !math.IsNaN(tt.lo) && !math.IsInf(tt.hi, 0) && (a.Min > tt.lo || a.Max < tt.hi) {
			t.Errorf("%s: NiceAxis(%v, %v) = %+v does not cover the range", tt.name, tt.lo, tt.hi, a)
		}
	}
}

func axisNear(a, b Axis) bool {
	const tol = 1e-12
	return math.Abs(a.Min-b.Min) < tol && math.Abs(a.Max-b.Max) < tol && math.Abs(a.Step-b.Step) < tol
}

func TestPlotYAxisAutoscale(t *testing.T) {
	p := Plot{Series: []Series{
		{Values: []float64{0.2, math.NaN(), 0.4}},
		{Values: []float64{-0.3, math.Inf(-1), 0.1}},
	}}
	got := p.YAxis()
	if got.Min > -0.3 || got.Max < 0.4 {
		t.Errorf("YAxis() = %+v, want a range covering [-0.3, 0.4]", got)
	}
	if got.Min < -0.5 || got.Max > 0.5 {
		t.Errorf("YAxis() = %+v, want a range within [-0.5, 0.5]", got)
	}
}

func TestPlotYAxisFixed(t *testing.T) {
	p := Plot{FixedY: true, YMin: -2, YMax: 3, Series: []Series{{Values: []float64{100}}}}
	got := p.YAxis()
	if got.Min != -2 || got.Max != 3 {
		t.Errorf("YAxis() = %+v, want Min -2 and Max 3", got)
	}
}

func TestPlotYAxisEmpty(t *testing.T) {
	var p Plot
	got := p.YAxis()
	if got.Min != 0 || got.Max != 1 {
		t.Errorf("YAxis() of an empty plot = %+v, want [0, 1]", got)
	}
}

func TestRingOrder(t *testing.T) {
	r := NewRing(3)
	for v := 1.0; v <= 5; v++ {
		r.Push(v)
	}
	if got, want := r.Len(), 3; got != want {
		t.Fatalf("Len() = %d, want %d", got, want)
	}
	s := r.Series("x")
	for i, want := range []float64{3, 4, 5} {
		if got := r.At(i); got != want {
			t.Errorf("At(%d) = %v, want %v", i, got, want)
		}
		if got := s.At(i); got != want {
			t.Errorf("Series().At(%d) = %v, want %v", i, got, want)
		}
	}

	r.Reset()
	if got := r.Len(); got != 0 {
		t.Errorf("Len() after Reset = %d, want 0", got)
	}
	r.Push(9)
	if got := r.At(0); got != 9 {
		t.Errorf("At(0) after Reset and Push(9) = %v, want 9", got)
	}
}

func TestRingPartial(t *testing.T) {
	r := NewRing(4)
	r.Push(1)
	r.Push(2)
	s := r.Series("x")
	if got, want := s.Len(), 2; got != want {
		t.Fatalf("Series().Len() = %d, want %d", got, want)
	}
	if got := s.At(1); got != 2 {
		t.Errorf("Series().At(1) = %v, want 2", got)
	}
}

func TestPlotPolylinePoints(t *testing.T) {
	u := New(DefaultTheme())
	u.Begin(Input{})
	values := make([]float64, 10)
	for i := range values {
		values[i] = float64(i)
	}
	values[5] = math.NaN()
	p := Plot{Series: []Series{{Values: values}}}
	u.Plot(Rect{W: 400, H: 200}, &p)

	var lines []op
	for _, o := range u.list.base {
		if o.kind == opPolyline {
			lines = append(lines, o)
		}
	}
	if len(lines) != 2 {
		t.Fatalf("a series with one NaN made %d polylines, want 2", len(lines))
	}
	if got := (lines[0].last - lines[0].first) / 2; got != 5 {
		t.Errorf("first polyline has %d points, want 5", got)
	}
	if got := (lines[1].last - lines[1].first) / 2; got != 4 {
		t.Errorf("second polyline has %d points, want 4", got)
	}
}

func TestPlotDrawsLoneSample(t *testing.T) {
	u := New(DefaultTheme())
	u.Begin(Input{})
	p := Plot{Series: []Series{{Values: []float64{0.5, math.NaN(), 0.7}}}}
	u.Plot(Rect{W: 400, H: 200}, &p)
	var lines []op
	for _, o := range u.list.base {
		if o.kind == opPolyline {
			lines = append(lines, o)
		}
	}
	if len(lines) != 2 {
		t.Fatalf("two samples apart made %d polylines, want one short stroke each", len(lines))
	}
	for _, l := range lines {
		pts := u.list.points[l.first:l.last]
		if len(pts) != 4 || pts[1] != pts[3] || pts[2]-pts[0] != 3 {
			t.Errorf("lone sample drawn as %v, want a horizontal stroke 3 pixels long", pts)
		}
	}
}

func TestPlotDecimatesLongSeries(t *testing.T) {
	u := New(DefaultTheme())
	u.Begin(Input{})
	values := make([]float64, 100000)
	for i := range values {
		values[i] = math.Sin(float64(i))
	}
	p := Plot{Series: []Series{{Values: values}}}
	u.Plot(Rect{W: 300, H: 100}, &p)

	// One group of samples per two pixels, each drawn as its minimum and
	// maximum.
	points := len(u.list.points) / 2
	if points > 300 {
		t.Errorf("100000 samples in a 300 pixel plot made %d points, want at most 300", points)
	}
	if points < 150 {
		t.Errorf("100000 samples in a 300 pixel plot made %d points, want at least 150", points)
	}

	// A series of 1000 samples, a few per pixel, is grouped too.
	u.Begin(Input{})
	p = Plot{Series: []Series{{Values: values[:1000]}}}
	u.Plot(Rect{W: 300, H: 100}, &p)
	if points := len(u.list.points) / 2; points > 300 {
		t.Errorf("1000 samples in a 300 pixel plot made %d points, want at most 300", points)
	}
}

func TestPlotPointsInsideRect(t *testing.T) {
	u := New(DefaultTheme())
	u.Begin(Input{})
	r := Rect{X: 50, Y: 60, W: 300, H: 120}
	p := Plot{FixedY: true, YMin: 0, YMax: 1, Series: []Series{{Values: []float64{-5, 0.5, 7}}}}
	u.Plot(r, &p)
	for i := 0; i+1 < len(u.list.points); i += 2 {
		x, y := float64(u.list.points[i]), float64(u.list.points[i+1])
		if x < r.X || x > r.X+r.W || y < r.Y || y > r.Y+r.H {
			t.Errorf("point (%v, %v) lies outside the plot %+v", x, y, r)
		}
	}
}

func TestFormatValueNegativeZero(t *testing.T) {
	u := New(DefaultTheme())
	if got := u.formatValue(math.Copysign(0, -1), 4); got != "0" {
		t.Errorf("formatValue(-0) = %q, want %q", got, "0")
	}
	if got := u.formatValue(0, 4); got != "0" {
		t.Errorf("formatValue(0) after -0 = %q, want %q", got, "0")
	}
}

func TestPlotLegendBelowLongTitle(t *testing.T) {
	legendTop := func(title string) float64 {
		u := New(DefaultTheme())
		u.Begin(Input{})
		p := Plot{Title: title, Series: []Series{{Label: "MOP", Values: []float64{0, 1}}}}
		u.Plot(Rect{W: 200, H: 150}, &p)
		for _, o := range u.list.base {
			if o.kind == opText && o.text == "MOP" {
				return o.rect.Y
			}
		}
		t.Fatalf("plot %q drew no legend", title)
		return 0
	}
	short, long := legendTop("loss"), legendTop("effective dimensionality per epoch")
	if long <= short {
		t.Errorf("legend top with a long title = %v, want below %v, its place beside a short title", long, short)
	}
}
