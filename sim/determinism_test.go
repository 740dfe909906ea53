package sim

import (
	"encoding/json"
	"testing"
)

func tinyConfig(t *testing.T, task string) Config {
	t.Helper()
	c, err := DefaultConfig(task)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"epochs": "3", "agents": "12", "steps": "20", "eval-agents": "6", "eval-steps": "30",
		"final-agents": "8", "final-steps": "40",
	} {
		if err := c.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func runJSON(t *testing.T, c Config) string {
	t.Helper()
	tr, err := NewTrainer(c)
	if err != nil {
		t.Fatal(err)
	}
	tr.Run()
	out, err := json.Marshal(struct {
		History []EpochStats
		Final   *Metrics
		Theta   []float64
	}{stripSpeed(tr.History), tr.Final, tr.Target.Theta})
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// stripSpeed zeroes the wall-clock figures, the only fields that may differ
// between identical runs.
func stripSpeed(h []EpochStats) []EpochStats {
	out := append([]EpochStats(nil), h...)
	for i := range out {
		out[i].SamplesPerSecond = 0
	}
	return out
}

func TestSeededRunsIdentical(t *testing.T) {
	for _, task := range Tasks {
		t.Run(task, func(t *testing.T) {
			c := tinyConfig(t, task)
			if a, b := runJSON(t, c), runJSON(t, c); a != b {
				t.Errorf("two runs with seed %d differ:\n%s\n%s", c.Seed, a, b)
			}
		})
	}
}

func TestWorkerCountIrrelevant(t *testing.T) {
	for _, task := range []string{"square", "shapes", "cartpole"} {
		t.Run(task, func(t *testing.T) {
			c := tinyConfig(t, task)
			c.Workers = 1
			one := runJSON(t, c)
			c.Workers = 3
			if three := runJSON(t, c); one != three {
				t.Errorf("1 and 3 workers give different results")
			}
		})
	}
}

func TestSeedsDiffer(t *testing.T) {
	c := tinyConfig(t, "square")
	a := runJSON(t, c)
	c.Seed = 2
	if b := runJSON(t, c); a == b {
		t.Error("seeds 1 and 2 give identical runs")
	}
}

func TestAdvanceBudgetIrrelevant(t *testing.T) {
	c := tinyConfig(t, "square")
	whole := runJSON(t, c)
	tr, err := NewTrainer(c)
	if err != nil {
		t.Fatal(err)
	}
	for tr.Advance(0) {
	}
	out, _ := json.Marshal(struct {
		History []EpochStats
		Final   *Metrics
		Theta   []float64
	}{stripSpeed(tr.History), tr.Final, tr.Target.Theta})
	if string(out) != whole {
		t.Error("advancing one unit at a time gives a different run than Run")
	}
}

func TestEvaluationSharesInitialStates(t *testing.T) {
	c := tinyConfig(t, "square")
	env, err := NewEnv(&c)
	if err != nil {
		t.Fatal(err)
	}
	v := NewValueNetFor(&c, env, PolicyMOP)
	var first [][]float64
	for _, p := range []Policy{PolicyMOP, PolicyR, PolicyFree, PolicySilent} {
		pop, _ := NewEvaluation(env, &c, p, v, 5, 10)
		for i, a := range pop.Agents {
			if first == nil || len(first) <= i {
				first = append(first, append([]float64(nil), a.State...))
				continue
			}
			for j := range a.State {
				if a.State[j] != first[i][j] {
					t.Fatalf("%s agent %d starts at a different state than mop", p, i)
				}
			}
		}
	}
}
