package sim

import "math"

// Optimizer updates weights from their gradient.
type Optimizer interface {
	// Step updates theta from grad (same length) and clears grad.
	Step(theta, grad []float64)
	// LearningRate returns the current learning rate.
	LearningRate() float64
	// SetLearningRate changes the learning rate of later steps.
	SetLearningRate(lr float64)
	// Reset clears the optimizer's moment estimates.
	Reset()
}

// NewOptimizer returns the optimizer called name ("adam" or "sgd") for n
// weights.
func NewOptimizer(name string, lr float64, n int) Optimizer {
	if name == "sgd" {
		return &SGD{LR: lr}
	}
	return NewAdam(lr, n)
}

// SGD is plain stochastic gradient descent: θ ← θ − lr·g.
type SGD struct{ LR float64 }

func (o *SGD) Step(theta, grad []float64) {
	for i, g := range grad {
		theta[i] -= o.LR * g
		grad[i] = 0
	}
}

func (o *SGD) LearningRate() float64      { return o.LR }
func (o *SGD) SetLearningRate(lr float64) { o.LR = lr }
func (o *SGD) Reset()                     {}

// Adam is the optimizer of Kingma and Ba (2015) with β1 = 0.9, β2 = 0.999
// and ε = 1e-8.
type Adam struct {
	LR         float64
	m, v       []float64
	pow1, pow2 float64 // β1^t and β2^t
}

// NewAdam returns Adam for n weights.
func NewAdam(lr float64, n int) *Adam {
	a := &Adam{LR: lr, m: make([]float64, n), v: make([]float64, n)}
	a.Reset()
	return a
}

func (o *Adam) Step(theta, grad []float64) {
	const b1, b2, eps = 0.9, 0.999, 1e-8
	o.pow1 *= b1
	o.pow2 *= b2
	c1 := 1 / (1 - o.pow1)
	c2 := 1 / (1 - o.pow2)
	for i, g := range grad {
		o.m[i] = b1*o.m[i] + (1-b1)*g
		o.v[i] = b2*o.v[i] + (1-b2)*g*g
		theta[i] -= o.LR * (o.m[i] * c1) / (math.Sqrt(o.v[i]*c2) + eps)
		grad[i] = 0
	}
}

func (o *Adam) LearningRate() float64      { return o.LR }
func (o *Adam) SetLearningRate(lr float64) { o.LR = lr }

func (o *Adam) Reset() {
	clear(o.m)
	clear(o.v)
	o.pow1, o.pow2 = 1, 1
}
