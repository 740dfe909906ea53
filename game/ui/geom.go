package ui

import (
	"cmp"
	"slices"
)

// Rect is an axis-aligned rectangle in logical pixels. X and Y are the
// top-left corner, W and H the width and height.
type Rect struct {
	X, Y, W, H float64
}

// Contains reports whether the point (x, y) lies inside r. The left and top
// edges are inside, the right and bottom edges are outside, so adjacent
// rectangles never both contain a point.
func (r Rect) Contains(x, y float64) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}

// Inset returns r shrunk by d on every side. The width and height of the
// result are never negative.
func (r Rect) Inset(d float64) Rect {
	out := Rect{X: r.X + d, Y: r.Y + d, W: r.W - 2*d, H: r.H - 2*d}
	if out.W < 0 {
		out.X, out.W = r.X+r.W/2, 0
	}
	if out.H < 0 {
		out.Y, out.H = r.Y+r.H/2, 0
	}
	return out
}

// Columns splits r into n columns of equal width separated by gap and
// appends them to dst. It returns dst unchanged when n < 1.
func Columns(dst []Rect, r Rect, n int, gap float64) []Rect {
	if n < 1 {
		return dst
	}
	w := (r.W - gap*float64(n-1)) / float64(n)
	if w < 0 {
		w = 0
	}
	for i := range n {
		dst = append(dst, Rect{X: r.X + float64(i)*(w+gap), Y: r.Y, W: w, H: r.H})
	}
	return dst
}

// Stack lays out rows from the top of Bounds downwards, with Padding inside
// the bounds and Gap between rows. The zero value has no bounds, so every
// row it returns has zero width.
type Stack struct {
	Bounds  Rect
	Padding float64
	Gap     float64

	used float64 // height taken by rows so far, gaps included
}

// Next returns the next row of height h, with the width of Bounds less the
// padding. Rows keep coming after the bottom of Bounds is reached, and
// Overflow reports that.
func (s *Stack) Next(h float64) Rect {
	if s.used > 0 {
		s.used += s.Gap
	}
	r := Rect{
		X: s.Bounds.X + s.Padding,
		Y: s.Bounds.Y + s.Padding + s.used,
		W: s.Bounds.W - 2*s.Padding,
		H: h,
	}
	if r.W < 0 {
		r.W = 0
	}
	s.used += h
	return r
}

// Remaining returns the space below the last row, inside the padding. Its
// height is zero once the rows have filled Bounds.
func (s *Stack) Remaining() Rect {
	top := s.used
	if top > 0 {
		top += s.Gap
	}
	r := Rect{
		X: s.Bounds.X + s.Padding,
		Y: s.Bounds.Y + s.Padding + top,
		W: s.Bounds.W - 2*s.Padding,
		H: s.Bounds.H - 2*s.Padding - top,
	}
	r.W = max(r.W, 0)
	r.H = max(r.H, 0)
	return r
}

// Used returns the height of the rows so far plus the padding above and
// below them, which is the height a panel needs to fit them.
func (s *Stack) Used() float64 {
	return s.used + 2*s.Padding
}

// Overflow reports whether the rows so far reach below Bounds.
func (s *Stack) Overflow() bool {
	return s.Used() > s.Bounds.H
}

// intersect returns the part of r inside s, with zero width or height when
// they do not overlap.
func (r Rect) intersect(s Rect) Rect {
	x0, y0 := max(r.X, s.X), max(r.Y, s.Y)
	x1, y1 := min(r.X+r.W, s.X+s.W), min(r.Y+r.H, s.Y+s.H)
	return Rect{X: x0, Y: y0, W: max(x1-x0, 0), H: max(y1-y0, 0)}
}

// subtraction is the scratch space of subtract, so that a steady frame
// subtracts without allocating.
type subtraction struct {
	ys                []float64
	clipped, spanning []Rect
}

// subtract appends to dst rectangles that together cover r without the
// holes, which must not overlap one another. It cuts r into horizontal
// strips at the top and bottom edges of the holes, and each strip into
// the runs between the holes that span it, so the rectangles it appends
// do not overlap either.
func (s *subtraction) subtract(dst []Rect, r Rect, holes []Rect) []Rect {
	ys := append(s.ys[:0], r.Y, r.Y+r.H)
	clipped := s.clipped[:0]
	for _, h := range holes {
		h = h.intersect(r)
		if h.W <= 0 || h.H <= 0 {
			continue
		}
		clipped = append(clipped, h)
		ys = append(ys, h.Y, h.Y+h.H)
	}
	slices.Sort(ys)
	ys = slices.Compact(ys)
	s.ys, s.clipped = ys, clipped

	spanning := s.spanning[:0]
	for i := 0; i+1 < len(ys); i++ {
		y0, y1 := ys[i], ys[i+1]
		spanning = spanning[:0]
		for _, h := range clipped {
			if h.Y <= y0 && h.Y+h.H >= y1 {
				spanning = append(spanning, h)
			}
		}
		slices.SortFunc(spanning, func(a, b Rect) int { return cmp.Compare(a.X, b.X) })
		x := r.X
		for _, h := range spanning {
			if h.X > x {
				dst = append(dst, Rect{X: x, Y: y0, W: h.X - x, H: y1 - y0})
			}
			x = max(x, h.X+h.W)
		}
		if end := r.X + r.W; end > x {
			dst = append(dst, Rect{X: x, Y: y0, W: end - x, H: y1 - y0})
		}
	}
	s.spanning = spanning
	return dst
}
