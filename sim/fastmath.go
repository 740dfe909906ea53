package sim

import "math"

// The functions in this file replace math.Exp, math.Log and math.Tanh,
// which use assembly on some architectures (amd64 among them) and pure Go
// on others (wasm). Portable versions make results identical across
// platforms that do not fuse multiply-add (amd64 and wasm).

const (
	ln2Hi = 6.93147180369123816490e-01
	ln2Lo = 1.90821492927058770002e-10
	log2e = 1.44269504088896338700e+00
)

// expTable[j] = 2**(j/64), built from square roots and products, which
// IEEE 754 rounds identically on every platform.
var expTable = func() (t [64]float64) {
	var roots [6]float64 // 2**(1/64), 2**(1/32), ..., 2**(1/2)
	r := 2.0
	for i := 5; i >= 0; i-- {
		r = math.Sqrt(r)
		roots[i] = r
	}
	for j := range t {
		v := 1.0
		for b := 0; b < 6; b++ {
			if j&(1<<b) != 0 {
				v *= roots[b]
			}
		}
		t[j] = v
	}
	return t
}()

// Exp returns e**x with a relative error of a few ulp.
func Exp(x float64) float64 {
	switch {
	case x != x:
		return x
	case x > 709.782712893384:
		return math.Inf(1)
	case x < -745.1332191019412:
		return 0
	}
	// x = (64·m + j)·ln2/64 + r with |r| ≤ ln2/128.
	k := math.Floor(x*(64*log2e) + 0.5)
	r := (x - k*(ln2Hi/64)) - k*(ln2Lo/64)
	ki := int(k)
	j := ki & 63
	m := (ki - j) >> 6
	// Taylor series of e**r - 1 to degree 6.
	p := 1.0 / 720
	p = p*r + 1.0/120
	p = p*r + 1.0/24
	p = p*r + 1.0/6
	p = p*r + 0.5
	p = p*r + 1
	p = p * r
	t := expTable[j]
	return scale2(t+t*p, m)
}

// scale2 returns x·2**k for k in [−1075, 1024].
func scale2(x float64, k int) float64 {
	if k > 1023 {
		x *= 0x1p1023
		k -= 1023
	}
	if k < -1022 {
		x *= 0x1p-1022
		k += 1022
		if k < -1022 {
			x *= 0x1p-1022
			k += 1022
		}
	}
	return x * math.Float64frombits(uint64(k+1023)<<52)
}

// Log returns the natural logarithm of x with an error of about 1 ulp.
// It returns −Inf for 0, NaN for negative x and +Inf for +Inf.
func Log(x float64) float64 {
	switch {
	case x != x || math.IsInf(x, 1):
		return x
	case x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	}
	m, e := math.Frexp(x) // x = m·2**e, m in [0.5, 1)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	// log(m) = 2·atanh(s) with s = (m−1)/(m+1), |s| ≤ 0.1716.
	s := (m - 1) / (m + 1)
	s2 := s * s
	p := 1.0 / 23
	p = p*s2 + 1.0/21
	p = p*s2 + 1.0/19
	p = p*s2 + 1.0/17
	p = p*s2 + 1.0/15
	p = p*s2 + 1.0/13
	p = p*s2 + 1.0/11
	p = p*s2 + 1.0/9
	p = p*s2 + 1.0/7
	p = p*s2 + 1.0/5
	p = p*s2 + 1.0/3
	p = p*s2 + 1
	fe := float64(e)
	return fe*ln2Hi + (2*s*p + fe*ln2Lo)
}

// Tanh returns the hyperbolic tangent of x with an absolute error below
// 1e-15.
func Tanh(x float64) float64 {
	a := math.Abs(x)
	if a > 22 {
		return math.Copysign(1, x)
	}
	if a < 1e-8 {
		return x
	}
	e := Exp(-2 * a)
	return math.Copysign((1-e)/(1+e), x)
}

// LogSech2 returns log(1 − tanh²(x)) = −2·log(cosh(x)) without the
// cancellation of the direct formula for large |x|.
func LogSech2(x float64) float64 {
	a := math.Abs(x)
	return -2 * (a + Log(1+Exp(-2*a)) - math.Ln2)
}

// LogSumExp returns log Σ exp(x_i), subtracting the maximum first so that
// values of any finite magnitude neither overflow nor underflow. It returns
// −Inf for an empty slice.
func LogSumExp(x []float64) float64 {
	if len(x) == 0 {
		return math.Inf(-1)
	}
	m := x[0]
	for _, v := range x[1:] {
		if v > m {
			m = v
		}
	}
	if math.IsInf(m, 0) {
		return m
	}
	var s float64
	for _, v := range x {
		s += Exp(v - m)
	}
	return m + Log(s)
}
