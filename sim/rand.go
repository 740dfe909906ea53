package sim

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// Stream is a deterministic source of uniform and normal variates. Streams
// with the same seed and id produce the same sequence on every platform.
type Stream struct {
	pcg       rand.PCG
	spare     float64
	haveSpare bool
}

// Stream ids separate the independent random sequences of a run.
const (
	streamNetwork   uint64 = 1
	streamTrain     uint64 = 1 << 32
	streamEvalInit  uint64 = 2 << 32
	streamEvalAct   uint64 = 3 << 32
	streamValueInit uint64 = 4 << 32
	streamShuffle   uint64 = 5 << 32
	streamProbe     uint64 = 6 << 32
)

// NewStream returns the stream id of the run seeded with seed.
func NewStream(seed, id uint64) *Stream {
	s := &Stream{}
	s.Seed(seed, id)
	return s
}

// Seed restarts s as the stream id of seed.
func (s *Stream) Seed(seed, id uint64) {
	s.pcg.Seed(seed, id^0x9e3779b97f4a7c15)
	s.haveSpare = false
}

// Float64 returns a uniform variate in [0, 1).
func (s *Stream) Float64() float64 {
	return float64(s.pcg.Uint64()>>11) * 0x1p-53
}

// Uniform returns a uniform variate in [lo, hi).
func (s *Stream) Uniform(lo, hi float64) float64 {
	return lo + (hi-lo)*s.Float64()
}

// IntN returns a uniform integer in [0, n). It panics if n ≤ 0.
func (s *Stream) IntN(n int) int {
	if n <= 0 {
		panic("sim: IntN of a non-positive bound")
	}
	// Lemire's multiply-shift rejection method, exact for any n.
	bound := uint64(n)
	for {
		hi, lo := bits.Mul64(s.pcg.Uint64(), bound)
		if lo >= (-bound)%bound {
			return int(hi)
		}
	}
}

// Norm returns a standard normal variate, by the Marsaglia polar method.
func (s *Stream) Norm() float64 {
	if s.haveSpare {
		s.haveSpare = false
		return s.spare
	}
	for {
		u := 2*s.Float64() - 1
		v := 2*s.Float64() - 1
		q := u*u + v*v
		if q >= 1 || q == 0 {
			continue
		}
		f := math.Sqrt(-2 * Log(q) / q)
		s.spare = v * f
		s.haveSpare = true
		return u * f
	}
}
