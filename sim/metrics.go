package sim

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// OccupancyBins is the number of bins per axis of the occupancy histogram.
const OccupancyBins = 40

// saturationLevel is the activity above which a tanh unit counts as
// saturated.
const saturationLevel = 0.9

// Stats accumulates the metrics of an evaluation, one record per agent and
// step. Every sum is kept per agent (and the covariances per fixed group of
// agents) and merged in agent order, so the metrics do not depend on how
// many workers stepped the agents.
type Stats struct {
	env       Env
	steps     int
	agents    []agentStats
	groups    int
	groupSize int
	covR      []*covariance // activity r, per group
	covA      []*covariance // actions, per group
	occLo     [2]float64
	occHi     [2]float64
	hasEnergy bool
	tanh      bool
	reward    bool
	corridor  bool
}

type agentStats struct {
	ctx       int
	lifetime  int
	ended     bool
	n         int
	mean, m2  [2]float64 // Welford sums of the readout
	entSum    float64
	margins   []float64
	entropies []float64
	energySum float64
	satSum    float64
	inReward  int
	occ       []int32
	crossed   bool
	passEnt   float64
	passN     int
}

// covariance accumulates Σ x xᵀ over the steps of a group of agents, and
// each agent's Σ x, for the covariance of deviations from each agent's own
// mean.
type covariance struct {
	d      int
	outer  []float64
	sums   [][]float64
	counts []int
}

func newCovariance(d, agents int) *covariance {
	c := &covariance{d: d, outer: make([]float64, d*d), counts: make([]int, agents)}
	c.sums = make([][]float64, agents)
	for i := range c.sums {
		c.sums[i] = make([]float64, d)
	}
	return c
}

func (c *covariance) add(member int, x []float64) {
	d := c.d
	for i, xi := range x {
		if xi == 0 {
			continue
		}
		row := c.outer[i*d : (i+1)*d]
		for j, xj := range x {
			row[j] += xi * xj
		}
	}
	s := c.sums[member]
	for i, xi := range x {
		s[i] += xi
	}
	c.counts[member]++
}

// NewStats returns an accumulator for agents agents of env over at most
// steps steps, with agent i in context contexts[i].
func NewStats(env Env, contexts []int, steps int) *Stats {
	m := len(contexts)
	s := &Stats{env: env, agents: make([]agentStats, m)}
	d := env.ActivityDim()
	s.groups, s.groupSize = covarianceGroups(d, m)
	for g := 0; g < s.groups; g++ {
		members := min(s.groupSize, m-g*s.groupSize)
		s.covR = append(s.covR, newCovariance(d, members))
		s.covA = append(s.covA, newCovariance(env.ActionDim(), members))
	}
	s.occLo, s.occHi = ReadoutBounds(env, 0)
	for c := 1; c < env.Contexts(); c++ {
		lo, hi := ReadoutBounds(env, c)
		for k := 0; k < 2; k++ {
			s.occLo[k] = math.Min(s.occLo[k], lo[k])
			s.occHi[k] = math.Max(s.occHi[k], hi[k])
		}
	}
	if ne, ok := env.(*NetworkEnv); ok {
		s.hasEnergy = true
		s.tanh = !ne.Net.Relu
		s.reward = ne.reward != nil
		s.corridor = ne.rule == terminalRegion && len(ne.regions) == 1
	}
	for i := range s.agents {
		a := &s.agents[i]
		a.ctx = contexts[i]
		a.occ = make([]int32, OccupancyBins*OccupancyBins)
		a.margins = make([]float64, 0, steps)
		a.entropies = make([]float64, 0, steps)
	}
	return s
}

// covarianceGroups returns how many groups of agents share a covariance
// matrix, and the size of each group but the last, for m agents with
// activity of length d. Each agent has its own group while the matrices of
// r stay under 2^24 entries in all.
func covarianceGroups(d, m int) (groups, size int) {
	maxGroups := max(1, (1<<24)/(d*d+1))
	groups = min(m, maxGroups)
	size = (m + groups - 1) / groups
	return (m + size - 1) / size, size
}

// ReadoutBounds returns the box the occupancy histogram of context ctx
// covers: the allowed region with a margin of a tenth of its size, the
// cart-pole's limits of x and θ, or ±1.5 for the energy task.
func ReadoutBounds(env Env, ctx int) (lo, hi [2]float64) {
	if _, ok := env.(*CartPole); ok {
		return [2]float64{-CartXMax, -CartThetaMax}, [2]float64{CartXMax, CartThetaMax}
	}
	ne := env.(*NetworkEnv)
	reg := ne.Region(ctx)
	if reg == nil {
		return [2]float64{-1.5, -1.5}, [2]float64{1.5, 1.5}
	}
	lo, hi = reg.Bounds()
	for k := 0; k < 2; k++ {
		pad := 0.1 * (hi[k] - lo[k])
		lo[k] -= pad
		hi[k] += pad
	}
	return lo, hi
}

func (s *Stats) record(i int, a *Agent, o *Observation) {
	st := &s.agents[i]
	st.n++
	for k := 0; k < 2; k++ {
		d := o.Readout[k] - st.mean[k]
		st.mean[k] += d / float64(st.n)
		st.m2[k] += d * (o.Readout[k] - st.mean[k])
	}
	st.entSum += a.Entropy
	if len(st.margins) < cap(st.margins) {
		st.margins = append(st.margins, o.Margin)
		st.entropies = append(st.entropies, a.Entropy)
	}
	st.energySum += o.Energy
	if s.tanh {
		sat := 0
		for _, r := range o.Activity {
			if math.Abs(r) > saturationLevel {
				sat++
			}
		}
		st.satSum += float64(sat) / float64(len(o.Activity))
	}
	if o.InReward {
		st.inReward++
	}
	if bx, by, ok := s.bin(o.Readout); ok {
		st.occ[by*OccupancyBins+bx]++
	}
	if s.corridor {
		pass := Shapes.Corridor.Passage
		x, y := o.Readout[0], o.Readout[1]
		if x > Shapes.Corridor.GoalX {
			st.crossed = true
		}
		if x >= pass[0][0] && x <= pass[1][0] && y >= pass[0][1] && y <= pass[1][1] {
			st.passEnt += a.Entropy
			st.passN++
		}
	}
	g, member := i/s.groupSize, i%s.groupSize
	s.covR[g].add(member, o.Activity)
	s.covA[g].add(member, a.Action)
}

func (s *Stats) bin(y [2]float64) (bx, by int, ok bool) {
	fx := (y[0] - s.occLo[0]) / (s.occHi[0] - s.occLo[0])
	fy := (y[1] - s.occLo[1]) / (s.occHi[1] - s.occLo[1])
	if !(fx >= 0 && fx < 1 && fy >= 0 && fy < 1) {
		return 0, 0, false
	}
	return int(fx * OccupancyBins), int(fy * OccupancyBins), true
}

func (s *Stats) agentEnded(i int, a *Agent) {
	st := &s.agents[i]
	if !st.ended {
		st.ended = true
		st.lifetime = a.Age
	}
}

// Metrics are the measures of an evaluation. Fields that do not apply to a
// task are nil and print as null.
type Metrics struct {
	Agents int `json:"agents"`
	Steps  int `json:"steps"`
	// Survival is the fraction of agents that reached the last step.
	Survival float64 `json:"survival"`
	// MeanLifetime and MedianLifetime are over agents, in steps survived
	// before the first terminal state, capped at Steps.
	MeanLifetime   float64 `json:"mean_lifetime"`
	MedianLifetime float64 `json:"median_lifetime"`
	// ActionEntropy is the mean normalized action entropy per step.
	ActionEntropy float64 `json:"action_entropy"`
	// EntropyMarginCorrelation is Pearson's correlation between a step's
	// action entropy and the state's distance from the nearest terminal
	// boundary; EntropyByMargin bins the same relation.
	EntropyMarginCorrelation float64     `json:"entropy_margin_correlation"`
	EntropyByMargin          []MarginBin `json:"entropy_by_margin"`
	// Variability is the standard deviation over time of each readout
	// component, averaged over the two components and the agents.
	Variability float64 `json:"variability"`
	// Spread is the standard deviation of the readout over all recorded
	// steps of all agents together, averaged over the two components: how
	// widely the trajectories cover the plane.
	Spread float64 `json:"spread"`
	// EffectiveDim is the participation ratio (Σλ)²/Σλ² of the covariance
	// of r along the paths of the agents that survived to the last step
	// (deviations from each agent's mean), or along all paths when none
	// survived; ActionEffectiveDim is the same for the actions, and
	// NullSpaceFraction uses the same paths.
	EffectiveDim       float64 `json:"effective_dim"`
	ActionEffectiveDim float64 `json:"action_effective_dim"`
	// Energy is the mean of r_i² per step.
	Energy *float64 `json:"energy"`
	// NullSpaceFraction is the share of the injected current's variance
	// (B·a) orthogonal to the readout rows.
	NullSpaceFraction *float64 `json:"null_space_fraction"`
	// SaturatedFraction is the mean fraction of tanh units with
	// abs(r_i) > 0.9.
	SaturatedFraction *float64 `json:"saturated_fraction,omitempty"`
	// RewardOccupancy is the fraction of steps with the readout in the
	// rewarded square.
	RewardOccupancy *float64 `json:"reward_occupancy,omitempty"`
	// Crossed is the fraction of agents whose readout reached the right
	// room; PassageEntropy is the mean action entropy of steps inside the
	// passage.
	Crossed        *float64 `json:"crossed,omitempty"`
	PassageEntropy *float64 `json:"passage_entropy,omitempty"`
	// Occupancy is the 2-D histogram of the readout, or of (x, θ).
	Occupancy *Occupancy `json:"-"`
}

// MarginBin is the mean action entropy of the steps whose margin lies in
// [Lo, Hi).
type MarginBin struct {
	Lo      float64 `json:"lo"`
	Hi      float64 `json:"hi"`
	Entropy float64 `json:"entropy"`
	Steps   int     `json:"steps"`
}

// Occupancy is a Bins×Bins histogram over the box [Lo, Hi]; Counts[y][x]
// is row-major with y increasing.
type Occupancy struct {
	Bins   int
	Lo, Hi [2]float64
	Counts []float64 // fractions of all recorded steps
}

// Metrics computes the metrics of the agents whose context is in ctxs, or
// of all agents for a nil ctxs.
func (s *Stats) Metrics(ctxs []int) Metrics {
	var sel []int
	for i := range s.agents {
		if ctxs == nil || containsInt(ctxs, s.agents[i].ctx) {
			sel = append(sel, i)
		}
	}
	m := Metrics{Agents: len(sel), Steps: s.steps}
	if len(sel) == 0 {
		return m
	}
	lifetimes := make([]float64, len(sel))
	var entSum, varSum, energySum, satSum float64
	var steps, inReward, crossed, passN, varN int
	var passEnt float64
	occ := &Occupancy{Bins: OccupancyBins, Lo: s.occLo, Hi: s.occHi,
		Counts: make([]float64, OccupancyBins*OccupancyBins)}
	for j, i := range sel {
		st := &s.agents[i]
		life := st.lifetime
		if !st.ended {
			life = s.steps
		}
		lifetimes[j] = float64(life)
		if !st.ended {
			m.Survival++
		}
		entSum += st.entSum
		steps += st.n
		if st.n > 1 {
			varSum += (math.Sqrt(st.m2[0]/float64(st.n-1)) + math.Sqrt(st.m2[1]/float64(st.n-1))) / 2
			varN++
		}
		energySum += st.energySum
		satSum += st.satSum
		inReward += st.inReward
		if st.crossed {
			crossed++
		}
		passEnt += st.passEnt
		passN += st.passN
		for b, c := range st.occ {
			occ.Counts[b] += float64(c)
		}
	}
	n := float64(len(sel))
	m.Survival /= n
	m.MeanLifetime = mean(lifetimes)
	m.MedianLifetime = median(lifetimes)
	if steps > 0 {
		m.ActionEntropy = entSum / float64(steps)
		for b := range occ.Counts {
			occ.Counts[b] /= float64(steps)
		}
	}
	if varN > 0 {
		m.Variability = varSum / float64(varN)
	}
	m.Spread = s.spread(sel)
	m.EntropyMarginCorrelation, m.EntropyByMargin = s.marginRelation(sel)
	paths := s.survivors(sel)
	m.EffectiveDim = participationRatio(s.pooledCovariance(s.covR, paths))
	actCov := s.pooledCovariance(s.covA, paths)
	m.ActionEffectiveDim = participationRatio(actCov)
	m.Occupancy = occ
	if s.hasEnergy && steps > 0 {
		e := energySum / float64(steps)
		m.Energy = &e
		if f, ok := nullSpaceFraction(s.env.(*NetworkEnv), actCov); ok {
			m.NullSpaceFraction = &f
		}
		if s.tanh {
			f := satSum / float64(steps)
			m.SaturatedFraction = &f
		}
		if s.reward {
			f := float64(inReward) / float64(steps)
			m.RewardOccupancy = &f
		}
		if s.corridor {
			f := float64(crossed) / n
			m.Crossed = &f
			if passN > 0 {
				pe := passEnt / float64(passN)
				m.PassageEntropy = &pe
			}
		}
	}
	return m
}

// spread returns the pooled standard deviation of the readout of the
// selected agents, averaged over the two components, from each agent's
// Welford sums.
func (s *Stats) spread(sel []int) float64 {
	var out float64
	for k := 0; k < 2; k++ {
		var n, sum float64
		for _, i := range sel {
			st := &s.agents[i]
			n += float64(st.n)
			sum += float64(st.n) * st.mean[k]
		}
		if n < 2 {
			return 0
		}
		grand := sum / n
		var ss float64
		for _, i := range sel {
			st := &s.agents[i]
			d := st.mean[k] - grand
			ss += st.m2[k] + float64(st.n)*d*d
		}
		out += math.Sqrt(ss/(n-1)) / 2
	}
	return out
}

// survivors returns the agents of sel that never reached a terminal state,
// or sel when every agent did.
func (s *Stats) survivors(sel []int) []int {
	var out []int
	for _, i := range sel {
		if !s.agents[i].ended {
			out = append(out, i)
		}
	}
	if len(out) == 0 {
		return sel
	}
	return out
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func median(x []float64) float64 {
	y := append([]float64(nil), x...)
	sort.Float64s(y)
	n := len(y)
	if n%2 == 1 {
		return y[n/2]
	}
	return (y[n/2-1] + y[n/2]) / 2
}

// marginRelation returns the correlation of entropy with margin and the
// mean entropy in eight equal-width margin bins from 0 to the largest
// margin seen.
func (s *Stats) marginRelation(sel []int) (float64, []MarginBin) {
	var xs, ys []float64
	for _, i := range sel {
		xs = append(xs, s.agents[i].margins...)
		ys = append(ys, s.agents[i].entropies...)
	}
	if len(xs) < 2 {
		return 0, nil
	}
	corr := pearson(xs, ys)
	hi := 0.0
	for _, x := range xs {
		hi = math.Max(hi, x)
	}
	const nb = 8
	bins := make([]MarginBin, nb)
	for b := range bins {
		bins[b].Lo = hi * float64(b) / nb
		bins[b].Hi = hi * float64(b+1) / nb
	}
	for k, x := range xs {
		if hi <= 0 || x < 0 {
			continue
		}
		b := min(nb-1, int(x/hi*nb))
		bins[b].Entropy += ys[k]
		bins[b].Steps++
	}
	for b := range bins {
		if bins[b].Steps > 0 {
			bins[b].Entropy /= float64(bins[b].Steps)
		}
	}
	return corr, bins
}

// pearson returns the correlation coefficient of x and y, or 0 when either
// is constant.
func pearson(x, y []float64) float64 {
	if constant(x) || constant(y) {
		return 0
	}
	mx, my := mean(x), mean(y)
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// constant reports whether every element of x equals the first. The
// deviations from the mean of a constant slice need not be exactly 0,
// because the mean is rounded.
func constant(x []float64) bool {
	for _, v := range x {
		if v != x[0] {
			return false
		}
	}
	return true
}

// pooledCovariance returns the covariance of deviations from each agent's
// own mean, pooled over the selected agents, or nil with fewer than two
// samples. The outer products are summed per group of agents, so a group
// counts only when all its members are selected. Groups hold more than one
// agent only for networks too large for one covariance per agent.
func (s *Stats) pooledCovariance(groups []*covariance, sel []int) *mat.SymDense {
	d := groups[0].d
	sum := make([]float64, d*d)
	total, members := 0, 0
	for g, c := range groups {
		if !s.groupSelected(g, len(c.counts), sel) {
			continue
		}
		for k, v := range c.outer {
			sum[k] += v
		}
		for member, n := range c.counts {
			if n == 0 {
				continue
			}
			total += n
			members++
			mu := c.sums[member]
			for a := 0; a < d; a++ {
				for b := 0; b < d; b++ {
					sum[a*d+b] -= mu[a] * mu[b] / float64(n)
				}
			}
		}
	}
	if total-members < 1 {
		return nil
	}
	cov := mat.NewSymDense(d, nil)
	inv := 1 / float64(total-members)
	for a := 0; a < d; a++ {
		for b := a; b < d; b++ {
			cov.SetSym(a, b, sum[a*d+b]*inv)
		}
	}
	return cov
}

// groupSelected reports whether every member of group g, of size members,
// is in sel.
func (s *Stats) groupSelected(g, members int, sel []int) bool {
	for member := 0; member < members; member++ {
		if !containsInt(sel, g*s.groupSize+member) {
			return false
		}
	}
	return true
}

// participationRatio returns (Σλ)²/Σλ² of the eigenvalues λ of cov, with
// negative rounding errors counted as 0, or 0 for a nil or zero matrix.
func participationRatio(cov *mat.SymDense) float64 {
	if cov == nil {
		return 0
	}
	var eig mat.EigenSym
	if !eig.Factorize(cov, false) {
		return 0
	}
	var s1, s2 float64
	for _, l := range eig.Values(nil) {
		l = math.Max(0, l)
		s1 += l
		s2 += l * l
	}
	if s2 == 0 {
		return 0
	}
	return s1 * s1 / s2
}

// ParticipationRatio returns (Σλ)²/Σλ² of the eigenvalues of the symmetric
// d×d row-major matrix cov.
func ParticipationRatio(cov []float64, d int) float64 {
	return participationRatio(mat.NewSymDense(d, append([]float64(nil), cov...)))
}

// nullSpaceFraction returns 1 − tr(P·Σ_u)/tr(Σ_u), where Σ_u = B·Σ_a·Bᵀ is
// the covariance of the injected current and P projects on the span of the
// readout rows.
func nullSpaceFraction(env *NetworkEnv, actCov *mat.SymDense) (float64, bool) {
	if actCov == nil {
		return 0, false
	}
	net := env.Net
	n, da := net.N, net.ActionDim
	rows := env.ReadoutRows()
	basis := orthonormalize(rows)
	// toAction maps a vector of R^N to Bᵀ·v in R^{d_a}.
	toAction := func(v []float64) []float64 {
		if net.BT == nil {
			return v
		}
		out := make([]float64, da)
		for j := 0; j < da; j++ {
			var s float64
			for i := 0; i < n; i++ {
				s += net.BT[j*n+i] * v[i]
			}
			out[j] = s
		}
		return out
	}
	quad := func(x []float64) float64 {
		var s float64
		for a := 0; a < da; a++ {
			for b := 0; b < da; b++ {
				s += x[a] * actCov.At(a, b) * x[b]
			}
		}
		return s
	}
	var proj float64
	for _, q := range basis {
		proj += quad(toAction(q))
	}
	var total float64
	if net.BT == nil {
		for a := 0; a < da; a++ {
			total += actCov.At(a, a)
		}
	} else {
		for a := 0; a < da; a++ {
			for b := 0; b < da; b++ {
				var bb float64
				for i := 0; i < n; i++ {
					bb += net.BT[a*n+i] * net.BT[b*n+i]
				}
				total += actCov.At(a, b) * bb
			}
		}
	}
	if total <= 0 {
		return 0, false
	}
	return math.Max(0, math.Min(1, 1-proj/total)), true
}

// orthonormalize returns an orthonormal basis of the span of rows, by
// Gram–Schmidt.
func orthonormalize(rows [][]float64) [][]float64 {
	var basis [][]float64
	for _, r := range rows {
		v := append([]float64(nil), r...)
		for _, q := range basis {
			var d float64
			for i := range v {
				d += v[i] * q[i]
			}
			for i := range v {
				v[i] -= d * q[i]
			}
		}
		var norm float64
		for _, x := range v {
			norm += x * x
		}
		norm = math.Sqrt(norm)
		if norm < 1e-12 {
			continue
		}
		for i := range v {
			v[i] /= norm
		}
		basis = append(basis, v)
	}
	return basis
}
