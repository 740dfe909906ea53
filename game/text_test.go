package game

import (
	"strings"
	"testing"
)

func TestASCII(t *testing.T) {
	tests := []struct{ in, want string }{
		{"step length dt/τ", "step length dt/tau"},
		{"uniform in [−A, A]", "uniform in [-A, A]"},
		{"(x, ẋ, θ, θ̇)", "(x, x', theta, theta')"},
		{"plain", "plain"},
		{"日本", "??"},
	}
	for _, tt := range tests {
		if got := ASCII(tt.in); got != tt.want {
			t.Errorf("ASCII(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	got := Wrap("invalid gamma \"7\": want a number in (0, 1)", 16)
	want := []string{`invalid gamma`, `"7": want a`, `number in (0, 1)`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Wrap = %q, want %q", got, want)
	}
	for _, line := range Wrap("abcdefghij klm", 4) {
		if len(line) > 4 {
			t.Errorf("Wrap to 4 gave the line %q of %d bytes", line, len(line))
		}
	}
	if got := Wrap("one\ntwo", 80); len(got) != 2 {
		t.Errorf("Wrap of two paragraphs = %q, want two lines", got)
	}
}

func TestComputeLayout(t *testing.T) {
	l := ComputeLayout(1024, 640)
	if l.Right.W <= 0 {
		t.Fatalf("a 1024 px window has no plot column: %+v", l)
	}
	if l.Left.X+l.Left.W > l.Center.X || l.Center.X+l.Center.W > l.Right.X || l.Right.X+l.Right.W > 1024 {
		t.Errorf("areas overlap or overflow 1024 px: %+v", l)
	}
	if l.Center.W < 400 {
		t.Errorf("scene width %v in a 1024 px window, want at least 400", l.Center.W)
	}
	narrow := ComputeLayout(600, 400)
	if narrow.Right.W != 0 {
		t.Errorf("a 600 px window has a plot column of width %v, want none", narrow.Right.W)
	}
	tiny := ComputeLayout(10, 10)
	if tiny.Center.W < 0 || tiny.Center.H < 0 || tiny.Left.H < 0 {
		t.Errorf("a 10 px window has negative sizes: %+v", tiny)
	}
}
