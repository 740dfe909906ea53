package ui

// Ring is a fixed-capacity buffer of the latest samples, for feeding a Plot
// one value per tick without copying. The zero value has no capacity, so
// create one with NewRing.
type Ring struct {
	buf   []float64
	start int // index of the oldest sample once the buffer is full
	full  bool
}

// NewRing returns an empty ring that keeps the latest n samples. It panics
// if n < 1.
func NewRing(n int) *Ring {
	if n < 1 {
		panic("ui: NewRing needs a capacity of at least 1")
	}
	return &Ring{buf: make([]float64, 0, n)}
}

// Push appends v, dropping the oldest sample when the ring is full.
func (r *Ring) Push(v float64) {
	if !r.full {
		r.buf = append(r.buf, v)
		r.full = len(r.buf) == cap(r.buf)
		return
	}
	r.buf[r.start] = v
	r.start = (r.start + 1) % len(r.buf)
}

// Len returns the number of samples stored.
func (r *Ring) Len() int { return len(r.buf) }

// At returns the i-th oldest sample. It panics if i is out of range.
func (r *Ring) At(i int) float64 {
	if i < 0 || i >= len(r.buf) {
		panic("ui: Ring index out of range")
	}
	return r.buf[(r.start+i)%len(r.buf)]
}

// Reset removes every sample and keeps the capacity.
func (r *Ring) Reset() {
	r.buf = r.buf[:0]
	r.start = 0
	r.full = false
}

// Series returns the samples as a plot series that reads the ring's storage
// in place, oldest first. The series is valid until the next Push.
func (r *Ring) Series(label string) Series {
	return Series{Label: label, Values: r.buf, Start: r.start}
}
