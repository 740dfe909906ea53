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
