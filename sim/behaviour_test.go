package sim

import (
	"testing"
)

// The tests in this file train with each task's default parameters and a
// fixed seed, and check the claims a correct implementation must show.
// They take minutes, so -short skips them.

func trainTask(t *testing.T, task string, overrides ...string) *Trainer {
	t.Helper()
	if testing.Short() {
		t.Skip("trains a full run; skipped with -short")
	}
	c, err := DefaultConfig(task)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(overrides); i += 2 {
		if err := c.Set(overrides[i], overrides[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := NewTrainer(c)
	if err != nil {
		t.Fatal(err)
	}
	tr.Run()
	if tr.Err() != nil {
		t.Fatalf("training diverged: %v", tr.Err())
	}
	return tr
}

func evalKind(tr *Trainer, kind string) Metrics {
	c := tr.Config
	m, _ := Evaluate(tr.Env, &c, ParsePolicy(kind), nil, c.FinalAgents, c.FinalSteps)
	return m
}

func TestSquareClaims(t *testing.T) {
	t.Parallel()
	mop := trainTask(t, "square")
	r := trainTask(t, "square", "agent", "r")
	free := evalKind(mop, "free")
	if got := mop.Final.Survival; got < 0.9 {
		t.Errorf("MOP survival = %.3f, want ≥ 0.9", got)
	}
	if got := free.Survival; got > 0.5 {
		t.Errorf("free survival = %.3f, want ≤ 0.5", got)
	}
	if got := free.MedianLifetime; got >= 150 {
		t.Errorf("free median lifetime = %.1f, want < 150", got)
	}
	if m, rv := mop.Final.Variability, r.Final.Variability; m <= rv {
		t.Errorf("variability: MOP %.4f, R %.4f; want MOP above R", m, rv)
	}
	// The participation ratio of r is lower for MOP than for R with these
	// defaults, about 9 against 16, the reverse of the published result.
	// README.md explains why. The actions' participation ratio orders as
	// published, so the test checks that one.
	if m, rd := mop.Final.ActionEffectiveDim, r.Final.ActionEffectiveDim; m <= rd {
		t.Errorf("effective dimensionality of the actions: MOP %.3f, R %.3f; want MOP above R", m, rd)
	}
	if got := *mop.Final.NullSpaceFraction; got <= *free.NullSpaceFraction {
		t.Errorf("null-space fraction: MOP %.4f, free %.4f; want MOP above free", got, *free.NullSpaceFraction)
	}
}

func TestEnergyClaims(t *testing.T) {
	t.Parallel()
	mop := trainTask(t, "energy")
	r := trainTask(t, "energy", "agent", "r")
	free := evalKind(mop, "free")
	if got := free.MedianLifetime; got >= 100 {
		t.Errorf("free median lifetime = %.1f, want < 100", got)
	}
	if got := mop.Final.Survival; got < 0.9 {
		t.Errorf("MOP survival = %.3f, want ≥ 0.9", got)
	}
	if m, rv := *mop.Final.Energy, *r.Final.Energy; rv >= m {
		t.Errorf("energy: R %.4f, MOP %.4f; want R below MOP", rv, m)
	}
	if got := mop.Final.EntropyMarginCorrelation; got <= 0 {
		t.Errorf("MOP entropy–margin correlation = %.3f, want > 0 (less entropy near E_max)", got)
	}
}

func TestShapesClaims(t *testing.T) {
	t.Parallel()
	mop := trainTask(t, "shapes")
	for i, name := range ShapeNames {
		m := mop.FinalStats.Metrics([]int{i})
		if m.Survival < 0.8 {
			t.Errorf("%s: MOP survival = %.3f, want ≥ 0.8", name, m.Survival)
		}
	}
	// The evaluations after the first and the last epoch run equally long.
	first := mop.History[0].Eval.Variability
	last := mop.History[len(mop.History)-1].Eval.Variability
	if last <= first {
		t.Errorf("variability after the last epoch %.4f, after the first %.4f; want growth", last, first)
	}
}

func TestCartPoleClaims(t *testing.T) {
	t.Parallel()
	mop := trainTask(t, "cartpole")
	if got := mop.Final.Survival; got < 0.9 {
		t.Errorf("MOP survival = %.3f, want ≥ 0.9", got)
	}
	if first, last := mop.History[0].Eval.MeanLifetime, mop.Final.MeanLifetime; last <= first {
		t.Errorf("mean lifetime %.1f after training, %.1f after the first epoch; want growth", last, first)
	}
}

func TestRewardConcentratesOccupancy(t *testing.T) {
	t.Parallel()
	none := trainTask(t, "reward", "mu", "0")
	half := trainTask(t, "reward", "mu", "0.5")
	a, b := *none.Final.RewardOccupancy, *half.Final.RewardOccupancy
	if b <= a*1.5 {
		t.Errorf("occupancy of the rewarded square: μ=0.5 %.3f, μ=0 %.3f; want at least 1.5 times higher", b, a)
	}
}

func TestSaturationFallsWithBeta(t *testing.T) {
	t.Parallel()
	none := trainTask(t, "saturation", "beta", "0")
	some := trainTask(t, "saturation")
	a, b := *none.Final.SaturatedFraction, *some.Final.SaturatedFraction
	if b >= a {
		t.Errorf("saturated fraction: β>0 %.4f, β=0 %.4f; want lower with β>0", b, a)
	}
}

func TestCorridorCrossed(t *testing.T) {
	t.Parallel()
	mop := trainTask(t, "corridor")
	if got := *mop.Final.Crossed; got < 0.25 {
		t.Errorf("fraction of agents that crossed the passage = %.3f, want ≥ 0.25", got)
	}
}
