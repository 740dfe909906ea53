//go:build !js

package main_test

import (
	"strings"
	"testing"
)

func TestPageSetRejectsArraysAndObjects(t *testing.T) {
	page := openPage(t, "")

	cases := []struct {
		expr, want string
	}{
		{`window.neuromop.set({alpha: [0.5]})`, `invalid argument: "alpha" is an array`},
		{`window.neuromop.set({seed: 3, gamma: {valueOf() { return 0.5 }}})`, `invalid argument: "gamma" is an object`},
		{`window.neuromop.set({alpha: new Number(0.5)})`, `invalid argument: "alpha" is an object`},
	}
	for _, tc := range cases {
		var msgs []string
		if err := page.Eval(tc.expr, &msgs); err != nil {
			t.Fatalf("%s: %v", tc.expr, err)
		}
		if len(msgs) != 1 || !strings.HasPrefix(msgs[0], tc.want) {
			t.Errorf("%s = %q, want one message starting with %q", tc.expr, msgs, tc.want)
		}
	}
	s := readAppStatus(t, page, "window")
	if strings.Contains(s.Query, "alpha=") || strings.Contains(s.Query, "seed=") {
		t.Errorf("query %q, want the rejected calls to change nothing", s.Query)
	}

	var msgs []string
	if err := page.Eval(`window.neuromop.set({alpha: 0.5, seed: "3"})`, &msgs); err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 0 {
		t.Errorf("set({alpha: 0.5, seed: \"3\"}) = %q, want no messages", msgs)
	}
}
