package game

// Trail is a ring buffer of the latest points of one trajectory, in the
// units of the plane it is drawn on. Its capacity is fixed, so a trail of
// any length costs the same memory and drawing time.
type Trail struct {
	points [][2]float64
	start  int // index of the oldest point once the buffer is full
	n      int
}

// NewTrail returns an empty trail that keeps the latest capacity points. It
// panics if capacity < 1.
func NewTrail(capacity int) *Trail {
	if capacity < 1 {
		panic("game: NewTrail needs a capacity of at least 1")
	}
	return &Trail{points: make([][2]float64, capacity)}
}

// Push appends p, dropping the oldest point when the trail is full.
func (t *Trail) Push(p [2]float64) {
	c := len(t.points)
	if t.n < c {
		t.points[(t.start+t.n)%c] = p
		t.n++
		return
	}
	t.points[t.start] = p
	t.start = (t.start + 1) % c
}

// Len returns the number of points stored.
func (t *Trail) Len() int { return t.n }

// Cap returns the number of points the trail keeps.
func (t *Trail) Cap() int { return len(t.points) }

// At returns the i-th oldest point. It panics if i is out of range.
func (t *Trail) At(i int) [2]float64 {
	if i < 0 || i >= t.n {
		panic("game: Trail index out of range")
	}
	return t.points[(t.start+i)%len(t.points)]
}

// Last returns the newest point, and false for an empty trail.
func (t *Trail) Last() ([2]float64, bool) {
	if t.n == 0 {
		return [2]float64{}, false
	}
	return t.At(t.n - 1), true
}

// Reset removes every point and keeps the capacity.
func (t *Trail) Reset() { t.start, t.n = 0, 0 }
