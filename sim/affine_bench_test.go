package sim

import "testing"

// affine32 is a float32 copy of affine, kept only to measure what single
// precision would save in the value network's inner kernel.
func affine32(o, x, w []float32) {
	n := len(o)
	i := 0
	for ; i+4 <= len(x); i += 4 {
		x0, x1, x2, x3 := x[i], x[i+1], x[i+2], x[i+3]
		w0 := w[i*n : (i+1)*n]
		w1 := w[(i+1)*n : (i+2)*n]
		w2 := w[(i+2)*n : (i+3)*n]
		w3 := w[(i+3)*n : (i+4)*n]
		w0, w1, w2, w3 = w0[:len(o)], w1[:len(o)], w2[:len(o)], w3[:len(o)]
		for j := range o {
			o[j] = o[j] + x0*w0[j] + x1*w1[j] + x2*w2[j] + x3*w3[j]
		}
	}
	for ; i < len(x); i++ {
		xi := x[i]
		wi := w[i*n : (i+1)*n]
		wi = wi[:len(o)]
		for j := range o {
			o[j] += xi * wi[j]
		}
	}
}

// BenchmarkAffine measures the first layer of the default value network,
// 100 inputs by 32 units, in float64 (the simulation's affine) and in a
// float32 copy.
func BenchmarkAffine(b *testing.B) {
	const in, out = 100, 32
	s := NewStream(1, 0)
	x64, w64, o64 := make([]float64, in), make([]float64, in*out), make([]float64, out)
	x32, w32, o32 := make([]float32, in), make([]float32, in*out), make([]float32, out)
	for i := range x64 {
		x64[i] = s.Norm()
		x32[i] = float32(x64[i])
	}
	for i := range w64 {
		w64[i] = s.Norm()
		w32[i] = float32(w64[i])
	}
	b.Run("float64", func(b *testing.B) {
		for b.Loop() {
			clear(o64)
			affine(o64, x64, w64)
		}
	})
	b.Run("float32", func(b *testing.B) {
		for b.Loop() {
			clear(o32)
			affine32(o32, x32, w32)
		}
	})
}
