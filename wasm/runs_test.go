//go:build !js

package main_test

import (
	"testing"
	"time"
)

// switchState is the view, epoch and state of status().
type switchState struct {
	View  string `json:"view"`
	Epoch int    `json:"epoch"`
	State string `json:"state"`
}

// TestPageSwitchKeepsRuns pauses a run, switches to the compare view and
// back, and then to another task and back, and checks that the run comes
// back paused with its epochs.
func TestPageSwitchKeepsRuns(t *testing.T) {
	// The run has far more epochs than it trains before the pause, so that
	// it cannot finish before the pause reaches it on a loaded machine.
	page := openPage(t, "?epochs=500&agents=8&steps=10&eval-agents=4&eval-steps=20&final-agents=8&final-steps=50&autostart=1")
	if err := page.WaitFor(`window.neuromop.status().epoch >= 2`, trainTimeout); err != nil {
		t.Fatal(err)
	}
	if err := page.Eval(`window.neuromop.pause()`, nil); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitFor(`window.neuromop.status().state === 'paused'`, time.Minute); err != nil {
		t.Fatal(err)
	}
	// The worker finishes its slice of work after the pause, and an epoch
	// that ends in it is reported later.
	time.Sleep(time.Second)
	var before switchState
	if err := page.Eval(`window.neuromop.status()`, &before); err != nil {
		t.Fatal(err)
	}

	// switchTo sets params and waits until status() shows view.
	switchTo := func(params, view string) switchState {
		t.Helper()
		if err := page.Eval(`window.neuromop.set(`+params+`)`, nil); err != nil {
			t.Fatal(err)
		}
		if err := page.WaitFor(`window.neuromop.status().view === '`+view+`'`, time.Minute); err != nil {
			t.Fatal(err)
		}
		// The frames after the switch settle the runs' states.
		time.Sleep(500 * time.Millisecond)
		var s switchState
		if err := page.Eval(`window.neuromop.status()`, &s); err != nil {
			t.Fatal(err)
		}
		return s
	}

	compare := switchTo(`{view: "compare"}`, "compare")
	if compare.State == "training" {
		t.Errorf("compare view after a paused run is %q, want it idle", compare.State)
	}
	back := switchTo(`{view: "single"}`, "single")
	if back.State != "paused" || back.Epoch != before.Epoch {
		t.Errorf("single view after the compare view: %+v, want paused at epoch %d", back, before.Epoch)
	}

	if err := page.Eval(`window.neuromop.set({task: "energy"})`, nil); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitFor(`window.neuromop.status().task === 'energy'`, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := page.Eval(`window.neuromop.set({task: "square", epochs: 500, agents: 8, steps: 10, "eval-agents": 4, `+
		`"eval-steps": 20, "final-agents": 8, "final-steps": 50})`, nil); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitFor(`window.neuromop.status().task === 'square'`, time.Minute); err != nil {
		t.Fatal(err)
	}
	var restored switchState
	if err := page.Eval(`window.neuromop.status()`, &restored); err != nil {
		t.Fatal(err)
	}
	if restored.State != "paused" || restored.Epoch != before.Epoch {
		t.Errorf("square task after energy: %+v, want paused at epoch %d", restored, before.Epoch)
	}
	checkNoConsoleErrors(t, page)
}
