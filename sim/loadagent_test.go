package sim

import (
	"bytes"
	"strings"
	"testing"
)

// decoded returns a after a round trip through an agent file.
func decoded(t *testing.T, a *AgentFile) *AgentFile {
	t.Helper()
	back, err := DecodeAgent(bytes.NewReader(encode(t, a)))
	if err != nil {
		t.Fatal(err)
	}
	return back
}

func TestLoadAgentReproducesFinal(t *testing.T) {
	c := smallConfig(t, "square")
	tr, err := NewTrainer(c)
	if err != nil {
		t.Fatal(err)
	}
	tr.Run()
	a := decoded(t, tr.AgentFile())

	loaded, err := NewTrainer(a.Config)
	if err != nil {
		t.Fatal(err)
	}
	if err := loaded.LoadAgent(a); err != nil {
		t.Fatalf("LoadAgent: %v", err)
	}
	if loaded.Epoch() != 2 || loaded.Phase() != "final" {
		t.Errorf("loaded trainer at epoch %d in phase %s, want 2 in final", loaded.Epoch(), loaded.Phase())
	}
	loaded.Run()
	if got, want := metricsJSON(t, loaded.Final), metricsJSON(t, tr.Final); got != want {
		t.Errorf("final metrics of the loaded agent\n%s\nwant the saved run's\n%s", got, want)
	}
	if got := loaded.AgentFile().EpochsTrained; got != 2 {
		t.Errorf("epochs trained after the final evaluation = %d, want 2", got)
	}
	if len(loaded.History) != 0 {
		t.Errorf("loaded trainer has %d epochs of history, want none of its own", len(loaded.History))
	}
}

func TestLoadAgentTrainsOn(t *testing.T) {
	c := smallConfig(t, "square", "epochs=3")
	tr, err := NewTrainer(c)
	if err != nil {
		t.Fatal(err)
	}
	tr.AdvanceEpoch()
	a := decoded(t, tr.AgentFile())

	loaded, err := NewTrainer(a.Config)
	if err != nil {
		t.Fatal(err)
	}
	if err := loaded.LoadAgent(a); err != nil {
		t.Fatal(err)
	}
	if loaded.Epoch() != 1 || loaded.Phase() != "rollout" {
		t.Fatalf("loaded trainer at epoch %d in phase %s, want 1 in rollout", loaded.Epoch(), loaded.Phase())
	}
	for i, w := range tr.Target.Theta {
		if loaded.V.Theta[i] != w || loaded.Target.Theta[i] != w {
			t.Fatalf("loaded weight %d differs from the saved one", i)
		}
	}
	loaded.Run()
	if loaded.Epoch() != 3 || len(loaded.History) != 2 || loaded.History[0].Epoch != 2 {
		t.Errorf("after training on: epoch %d, %d history entries starting at %d, want 3, 2 and 2",
			loaded.Epoch(), len(loaded.History), loaded.History[0].Epoch)
	}
}

func TestLoadAgentRejects(t *testing.T) {
	c := smallConfig(t, "square")
	a := untrainedAgent(t, c)
	other := smallConfig(t, "square", "units=3")
	cases := []struct {
		name    string
		trainer func() *Trainer
		agent   *AgentFile
		want    string
	}{
		{"trainer has worked", func() *Trainer {
			tr, _ := NewTrainer(c)
			tr.AdvanceEpoch()
			return tr
		}, a, "needs a trainer that has done no work; this one has finished 1 epochs"},
		{"other parameters", func() *Trainer {
			tr, _ := NewTrainer(other)
			return tr
		}, a, "agent file: its parameters differ from those of the trainer"},
		{"other shape", func() *Trainer {
			tr, _ := NewTrainer(c)
			return tr
		}, &AgentFile{Config: c, Value: untrainedAgent(t, other).Value}, "value_net has sizes [100 3 3 1] with 319 weights, want sizes [100 32 32 1]"},
		{"no network", func() *Trainer {
			tr, _ := NewTrainer(c)
			return tr
		}, &AgentFile{Config: c}, "no value network to load"},
		{"negative epochs", func() *Trainer {
			tr, _ := NewTrainer(c)
			return tr
		}, &AgentFile{Config: c, Value: a.Value, EpochsTrained: -1}, "epochs_trained is -1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := tc.trainer()
			before := append([]float64(nil), tr.Target.Theta...)
			err := tr.LoadAgent(tc.agent)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("LoadAgent error %v, want one containing %q", err, tc.want)
			}
			for i, w := range before {
				if tr.Target.Theta[i] != w {
					t.Fatalf("a rejected agent changed weight %d", i)
				}
			}
		})
	}
}
