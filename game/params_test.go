package game

import (
	"testing"

	"github.com/neuromop/neuromop/sim"
)

func TestControlForTable(t *testing.T) {
	tests := map[string]ControlKind{
		"agent":  ControlChoice,
		"phi":    ControlChoice,
		"shape":  ControlDropdown,
		"task":   ControlDropdown,
		"gamma":  ControlSlider,
		"g":      ControlSlider,
		"layers": ControlSliderInt,
		"seed":   ControlStepper,
		"n":      ControlStepper,
		"lr":     ControlStepper,
		"alpha":  ControlStepper,
	}
	for name, want := range tests {
		if got := ControlFor(sim.Lookup(name)); got != want {
			t.Errorf("ControlFor(%s) = %v, want %v", name, got, want)
		}
	}
}

func TestGroupsInTableOrder(t *testing.T) {
	got := Groups()
	want := []string{"run", "network", "terminal", "controller", "value network", "training"}
	if len(got) != len(want) {
		t.Fatalf("Groups() = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Groups()[%d] = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestStepValue(t *testing.T) {
	tests := []struct {
		name, value string
		dir         int
		want        string
		ok          bool
	}{
		{"seed", "3", +1, "4", true},
		{"seed", "0", -1, "", false},
		{"n", "100", +1, "200", true},
		{"n", "100", -1, "50", true},
		{"n", "2", -1, "", false},
		{"K", "5", +1, "6", true},
		{"K", "8", +1, "16", true},
		{"K", "256", +1, "", false},
		{"lr", "0.001", +1, "0.002", true},
		{"lr", "0.001", -1, "0.0005", true},
		{"alpha", "1", +1, "2", true},
		{"alpha", "0.7", +1, "1", true},
		{"alpha", "0.7", -1, "0.5", true},
		{"alpha", "0.01", -1, "0.005", true}, // alpha stays above 0
		{"mu", "0", +1, "0.01", true},
		{"mu", "0.01", -1, "0", true},
		{"mu", "100", +1, "", false},
		{"A", "2", +1, "5", true},
		{"epochs", "1", -1, "0", true},
	}
	for _, tt := range tests {
		c, _ := sim.DefaultConfig("square")
		if err := c.Set(tt.name, tt.value); err != nil {
			t.Fatal(err)
		}
		got, ok := StepValue(sim.Lookup(tt.name), &c, tt.dir)
		if got != tt.want || ok != tt.ok {
			t.Errorf("StepValue(%s = %s, %+d) = %q, %v, want %q, %v", tt.name, tt.value, tt.dir, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSliderValueStaysInside(t *testing.T) {
	tests := []struct {
		name string
		v    float64
		want string
	}{
		{"gamma", 1, "0.999"},
		{"gamma", 0, "0.001"},
		{"gamma", 0.9001, "0.9"},
		{"epsilon", 0, "0"},
		{"g", 1.23456, "1.23"},
		{"dt", -3, "0.001"},
	}
	for _, tt := range tests {
		p := sim.Lookup(tt.name)
		got := SliderValue(p, tt.v)
		if got != tt.want {
			t.Errorf("SliderValue(%s, %v) = %q, want %q", tt.name, tt.v, got, tt.want)
		}
		var c sim.Config
		if err := c.Set(tt.name, got); err != nil {
			t.Errorf("SliderValue(%s, %v) = %q is rejected: %v", tt.name, tt.v, got, err)
		}
	}
}
