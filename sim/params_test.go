package sim

import (
	"flag"
	"io"
	"strings"
	"testing"
)

func TestDefaultsValid(t *testing.T) {
	for _, task := range Tasks {
		c, err := DefaultConfig(task)
		if err != nil {
			t.Fatalf("%s: %v", task, err)
		}
		if err := c.Validate(); err != nil {
			t.Errorf("%s defaults invalid: %v", task, err)
		}
		if _, err := NewEnv(&c); err != nil {
			t.Errorf("%s: NewEnv: %v", task, err)
		}
	}
}

func TestSetRejects(t *testing.T) {
	cases := []struct{ name, value, wantMsg string }{
		{"task", "squar", `invalid task "squar": want one of energy, square, shapes, corridor, reward, saturation, cartpole`},
		{"gamma", "1", `invalid gamma "1": want a number in (0, 1)`},
		{"gamma", "0", `invalid gamma "0": want a number in (0, 1)`},
		{"K", "0", `invalid K "0": want an integer in [1, 256]`},
		{"agents", "-3", `invalid agents "-3"`},
		{"n", "1e9", `invalid n "1e9"`},
		{"alpha", "NaN", `invalid alpha "NaN"`},
		{"lr", "Infinity", `invalid lr "Infinity"`},
		{"lr", "", `invalid lr ""`},
		{"seed", "x", `invalid seed "x"`},
		{"nope", "1", `unknown parameter "nope"`},
	}
	for _, c := range cases {
		cfg, _ := DefaultConfig("square")
		err := cfg.Set(c.name, c.value)
		if err == nil {
			t.Errorf("Set(%q, %q) accepted", c.name, c.value)
			continue
		}
		if !strings.HasPrefix(err.Error(), c.wantMsg) {
			t.Errorf("Set(%q, %q) error = %q, want prefix %q", c.name, c.value, err, c.wantMsg)
		}
	}
}

func TestSetLeavesValueOnError(t *testing.T) {
	c, _ := DefaultConfig("square")
	if err := c.Set("alpha", "-1"); err == nil {
		t.Fatal("alpha -1 accepted")
	}
	if c.Alpha != 1 {
		t.Errorf("alpha after a rejected value = %v, want the default 1", c.Alpha)
	}
}

func TestFormatParseRoundTrip(t *testing.T) {
	for _, task := range Tasks {
		c, _ := DefaultConfig(task)
		var d Config
		for name, v := range c.Values() {
			if err := d.Set(name, v); err != nil {
				t.Fatalf("%s: Set(%s, %s): %v", task, name, v, err)
			}
		}
		if d != c {
			t.Errorf("%s: config after a round trip through Values differs", task)
		}
	}
}

func TestFlagsApplyOverTaskDefaults(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fl := BindFlags(fs)
	if err := fs.Parse([]string{"-alpha", "0.5", "-task", "cartpole"}); err != nil {
		t.Fatal(err)
	}
	c, err := fl.Config()
	if err != nil {
		t.Fatal(err)
	}
	if c.Task != "cartpole" || c.Alpha != 0.5 || c.K != 5 {
		t.Errorf("config = task %s, alpha %v, K %d; want cartpole, 0.5, 5", c.Task, c.Alpha, c.K)
	}
	fs = flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	BindFlags(fs)
	err = fs.Parse([]string{"-gamma", "1.5"})
	if err == nil || !strings.Contains(err.Error(), `invalid gamma "1.5": want a number in (0, 1)`) {
		t.Errorf("-gamma 1.5: error %v, want the range message", err)
	}
}

func TestValidateJoinsParameters(t *testing.T) {
	c, _ := DefaultConfig("square")
	c.ActionDim = c.N + 1
	if err := c.Validate(); err == nil {
		t.Error("da > n accepted")
	}
	c, _ = DefaultConfig("square")
	c.Beta, c.Sigma = 0.1, 0
	if err := c.Validate(); err == nil {
		t.Error("beta > 0 with sigma = 0 accepted")
	}
}

func TestValidateRejectsHugeBuffers(t *testing.T) {
	cases := []struct {
		set  map[string]string
		want string
	}{
		{map[string]string{"agents": "4096", "steps": "10000"}, "invalid agents 4096, steps 10000 and n 100"},
		{map[string]string{"final-agents": "4096", "final-steps": "100000"}, "invalid final-agents 4096"},
		{map[string]string{"eval-agents": "4096", "K": "256", "n": "1000"}, "invalid K 256"},
	}
	for _, c := range cases {
		cfg, _ := DefaultConfig("square")
		for k, v := range c.set {
			if err := cfg.Set(k, v); err != nil {
				t.Fatal(err)
			}
		}
		err := cfg.Validate()
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%v: Validate error %v, want prefix %q", c.set, err, c.want)
		}
	}
}

// configOf returns the defaults of task with the name=value pairs set.
func configOf(t *testing.T, task string, pairs ...string) Config {
	t.Helper()
	c, err := DefaultConfig(task)
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range pairs {
		name, value, _ := strings.Cut(kv, "=")
		if err := c.Set(name, value); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestValidateRejectsTotalMemory(t *testing.T) {
	// Each buffer is below 1 GiB, but together they are not.
	c := configOf(t, "square", "n=2000", "agents=64", "steps=1000")
	err := c.Validate()
	if err == nil {
		t.Fatalf("n 2000, agents 64, steps 1000 accepted, with an estimated %.1f GiB", Total(c.RunMemory())/(1<<30))
	}
	for _, want := range []string{"invalid agents 64, steps 1000 and n 2000:", "a run needs an estimated 2.1 GiB of memory",
		"for the training samples", "want at most 2.0 GiB", "lower agents, steps or n"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate error %q, want it to contain %q", err, want)
		}
	}
}

func TestValidateRejectsLongUnits(t *testing.T) {
	// One step of these 64 agents takes about a minute on one core.
	c := configOf(t, "square", "n=2000", "da=2000", "K=256", "agents=64", "steps=1",
		"eval-agents=1", "eval-steps=1", "final-agents=1", "final-steps=1")
	err := c.Validate()
	if err == nil {
		t.Fatalf("one step of %.3g operations accepted", Largest(c.UnitWork()).Amount)
	}
	for _, want := range []string{"invalid K 256, agents 64, n 2000, units 32 and da 2000:",
		"one step of the training agents takes an estimated 1.35e+11 floating-point operations", "want at most 1e+11",
		"lower K, agents, n, units or da"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate error %q, want it to contain %q", err, want)
		}
	}
	// With 84 agents the candidate buffers exceed the memory limit too.
	c.Agents = 84
	if err := c.Validate(); err == nil {
		t.Error("84 agents accepted")
	}
}

func TestValidateAcceptsLargestNetwork(t *testing.T) {
	// The CLI runs the largest network of the table with the defaults.
	for _, pairs := range [][]string{{"n=2000"}, {"n=2000", "da=2000"}} {
		c := configOf(t, "square", pairs...)
		if err := c.Validate(); err != nil {
			t.Errorf("%v: %v", pairs, err)
		}
	}
}

func TestNewEnvRejectsImpossibleStarts(t *testing.T) {
	cases := []struct{ task, name, value, want string }{
		{"square", "L", "1e-300", `invalid L 1e-300: none of 2000 initial states`},
		{"reward", "L", "0.0001", `invalid L 0.0001`},
		{"energy", "emax", "0.001", `invalid emax 0.001`},
	}
	for _, c := range cases {
		cfg, _ := DefaultConfig(c.task)
		if err := cfg.Set(c.name, c.value); err != nil {
			t.Fatal(err)
		}
		_, err := NewEnv(&cfg)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s %s=%s: NewEnv error %v, want prefix %q", c.task, c.name, c.value, err, c.want)
		}
	}
}

func TestSeedAboveMaxRejected(t *testing.T) {
	c, _ := DefaultConfig("square")
	if err := c.Set("seed", "9007199254740993"); err == nil {
		t.Error("seed 2^53+1 accepted")
	}
	if err := c.Set("seed", "9007199254740992"); err != nil {
		t.Errorf("seed 2^53 rejected: %v", err)
	}
}
