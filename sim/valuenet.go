package sim

import (
	"math"

	"gonum.org/v1/gonum/blas/blas64"
)

// ValueNet is the feedforward value network: hidden layers of tanh (or
// relu) units and one linear output, scaled by Scale so that the trained
// output stays of order 1:
//
//	V(x) = Scale · (w_L·f(… f(W_1ᵀx + b_1) …) + b_L)
//
// All weights live in one slice, Theta, so that optimizers and copies act on
// one vector.
type ValueNet struct {
	Sizes []int   // layer widths, input first, output (1) last
	Relu  bool    // hidden units are relu instead of tanh
	Scale float64 // output scale
	Theta []float64
	// Grad has the layout of Theta; Gradient adds to it.
	Grad   []float64
	w, b   [][]float64 // views into Theta: w[l] is Sizes[l]×Sizes[l+1] row-major
	gw, gb [][]float64 // the same views into Grad
}

// NewValueNet returns a network of the given layer widths with weights
// drawn from s: normal with variance 1/fan-in, biases 0, and a final layer
// scaled down by 10 so the untrained output is near 0.
func NewValueNet(sizes []int, relu bool, scale float64, s *Stream) *ValueNet {
	v := newValueNetShape(sizes, relu, scale)
	for l := range v.w {
		std := 1 / math.Sqrt(float64(sizes[l]))
		if l == len(v.w)-1 {
			std /= 10
		}
		for i := range v.w[l] {
			v.w[l][i] = std * s.Norm()
		}
	}
	return v
}

func newValueNetShape(sizes []int, relu bool, scale float64) *ValueNet {
	v := &ValueNet{Sizes: append([]int(nil), sizes...), Relu: relu, Scale: scale}
	total := 0
	for l := 0; l+1 < len(sizes); l++ {
		total += sizes[l]*sizes[l+1] + sizes[l+1]
	}
	v.Theta = make([]float64, total)
	v.Grad = make([]float64, total)
	v.w, v.b = v.views(v.Theta)
	v.gw, v.gb = v.views(v.Grad)
	return v
}

func (v *ValueNet) views(flat []float64) (w, b [][]float64) {
	off := 0
	for l := 0; l+1 < len(v.Sizes); l++ {
		nw := v.Sizes[l] * v.Sizes[l+1]
		w = append(w, flat[off:off+nw])
		off += nw
		b = append(b, flat[off:off+v.Sizes[l+1]])
		off += v.Sizes[l+1]
	}
	return w, b
}

// Clone returns a deep copy of v.
func (v *ValueNet) Clone() *ValueNet {
	c := newValueNetShape(v.Sizes, v.Relu, v.Scale)
	copy(c.Theta, v.Theta)
	return c
}

// CopyFrom sets the weights of v to those of src, which must have the same
// shape.
func (v *ValueNet) CopyFrom(src *ValueNet) { copy(v.Theta, src.Theta) }

// Finite reports whether every weight is finite.
func (v *ValueNet) Finite() bool {
	for _, x := range v.Theta {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// Workspace holds the activations of a batch of up to Rows inputs, so that
// forward and backward passes allocate nothing.
type Workspace struct {
	Rows   int
	acts   [][]float64 // acts[l]: Rows×Sizes[l]; acts[0] is the input copy
	deltas [][]float64
}

// NewWorkspace returns a workspace for batches of up to rows inputs.
func (v *ValueNet) NewWorkspace(rows int) *Workspace {
	ws := &Workspace{Rows: rows}
	for _, n := range v.Sizes {
		ws.acts = append(ws.acts, make([]float64, rows*n))
		ws.deltas = append(ws.deltas, make([]float64, rows*n))
	}
	return ws
}

// Forward sets out[r] = V(x_r) for the rows×Sizes[0] row-major inputs x.
// Each output depends only on its own row, so results do not depend on how
// rows are batched.
func (v *ValueNet) Forward(ws *Workspace, x []float64, rows int, out []float64) {
	v.forward(ws, x, rows)
	last := ws.acts[len(ws.acts)-1]
	for r := 0; r < rows; r++ {
		out[r] = v.Scale * last[r]
	}
}

func (v *ValueNet) forward(ws *Workspace, x []float64, rows int) {
	in := x
	layers := len(v.w)
	for l := 0; l < layers; l++ {
		nIn, nOut := v.Sizes[l], v.Sizes[l+1]
		w, b := v.w[l], v.b[l]
		act := ws.acts[l+1][:rows*nOut]
		for r := 0; r < rows; r++ {
			o := act[r*nOut : (r+1)*nOut]
			copy(o, b)
			affine(o, in[r*nIn:(r+1)*nIn], w)
		}
		if l < layers-1 {
			v.activate(act)
		}
		in = act
	}
	if layers > 0 {
		copy(ws.acts[0][:rows*v.Sizes[0]], x[:rows*v.Sizes[0]])
	}
}

// affine adds Σ_i x_i·w[i, :] to o, for w of len(x) rows of len(o)
// columns. The sum runs over i in order for each output, as a sequence of
// axpy operations would, four rows at a time so that each pass over o does
// four multiply-adds per load and store.
func affine(o, x, w []float64) {
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

func (v *ValueNet) activate(a []float64) {
	if v.Relu {
		for i, x := range a {
			if x < 0 {
				a[i] = 0
			}
		}
		return
	}
	for i, x := range a {
		a[i] = Tanh(x)
	}
}

// Gradient adds to Grad the gradient of the loss
// ½·mean_r (V(x_r)/Scale − y_r/Scale)² over the batch and returns that
// loss. The loss is measured on the scaled output so that its size does
// not depend on the value scale.
func (v *ValueNet) Gradient(ws *Workspace, x, y []float64, rows int) float64 {
	v.forward(ws, x, rows)
	layers := len(v.w)
	top := ws.deltas[layers][:rows]
	pred := ws.acts[layers][:rows]
	var loss float64
	inv := 1 / float64(rows)
	for r := 0; r < rows; r++ {
		d := pred[r] - y[r]/v.Scale
		loss += 0.5 * d * d * inv
		top[r] = d * inv
	}
	impl := blas64.Implementation()
	gw, gb := v.gw, v.gb
	for l := layers - 1; l >= 0; l-- {
		nIn, nOut := v.Sizes[l], v.Sizes[l+1]
		delta := ws.deltas[l+1][:rows*nOut]
		a := ws.acts[l][:rows*nIn]
		for r := 0; r < rows; r++ {
			dr := delta[r*nOut : (r+1)*nOut]
			for j, d := range dr {
				gb[l][j] += d
			}
			for i, ai := range a[r*nIn : (r+1)*nIn] {
				if ai != 0 {
					impl.Daxpy(nOut, ai, dr, 1, gw[l][i*nOut:(i+1)*nOut], 1)
				}
			}
		}
		if l == 0 {
			break
		}
		below := ws.deltas[l][:rows*nIn]
		w := v.w[l]
		for r := 0; r < rows; r++ {
			dr := delta[r*nOut : (r+1)*nOut]
			for i := 0; i < nIn; i++ {
				wi := w[i*nOut : (i+1)*nOut]
				var s float64
				for j, d := range dr {
					s += wi[j] * d
				}
				ai := a[r*nIn+i]
				if v.Relu {
					if ai <= 0 {
						s = 0
					}
				} else {
					s *= 1 - ai*ai
				}
				below[r*nIn+i] = s
			}
		}
	}
	return loss
}
