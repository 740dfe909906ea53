//go:build !js

package main_test

import (
	"encoding/json"
	"os"
	"testing"
	"time"
)

// squareFigures are the figures of the default square run in the page's
// worker.
type squareFigures struct {
	IdleFPS     float64 `json:"idle_fps"`
	TrainingFPS float64 `json:"training_fps"`
	// FirstEpoch is the first epoch whose evaluation has survival ≥ 0.9,
	// and FirstSeconds the time from start() until the page showed it.
	FirstEpoch   int     `json:"first_epoch_survival_0_9"`
	FirstSeconds float64 `json:"first_seconds"`
	// StayedEpoch is the epoch from which every evaluation has survival
	// ≥ 0.9, and StayedSeconds the time from start() until the page
	// showed it.
	StayedEpoch   int     `json:"stayed_from_epoch"`
	StayedSeconds float64 `json:"stayed_seconds"`
	// SamplesPerSecond is the mean over the epochs of status()'s
	// samples_per_second, the training throughput of each epoch.
	SamplesPerSecond float64      `json:"samples_per_second"`
	Epochs           []epochEntry `json:"epochs"`
}

// benchFigures are the browser figures of BENCHMARKS.md.
type benchFigures struct {
	UserAgent   string        `json:"user_agent"`
	BenchWorker pageBench     `json:"bench_worker"`
	BenchLocal  pageBench     `json:"bench_local"`
	Square      squareFigures `json:"square_worker"`
	Local       fpsFigures    `json:"local"`
}

// TestBenchFigures collects the browser figures of BENCHMARKS.md and logs
// them as one JSON object: the benchmark of ?bench=1 in the worker and in
// the page, the default square run in the worker (fps idle and while
// training, throughput, time to survival ≥ 0.9) and fps in local mode. It
// runs only with BENCH=1 set, and takes several minutes:
//
//	BENCH=1 go test -count=1 -run '^TestBenchFigures$' -timeout 30m -v ./wasm
func TestBenchFigures(t *testing.T) {
	if os.Getenv("BENCH") != "1" {
		t.Skip("set BENCH=1 to collect the browser figures of BENCHMARKS.md")
	}
	var out benchFigures

	// Each figure has a subtest, so that its browser stops before the next
	// figure is taken, and no other page takes time from the one measured.
	t.Run("bench-worker", func(t *testing.T) {
		page := openPage(t, "?bench=1")
		if err := page.Eval(`navigator.userAgent`, &out.UserAgent); err != nil {
			t.Fatal(err)
		}
		out.BenchWorker = readBench(t, page)
	})
	t.Run("bench-local", func(t *testing.T) {
		out.BenchLocal = readBench(t, openPage(t, "?bench=1&worker=0"))
	})
	t.Run("square-worker", func(t *testing.T) {
		out.Square = measureSquare(t)
	})
	t.Run("fps-local", func(t *testing.T) {
		out.Local = measureFPS(t, "?task=square&worker=0", 2*time.Second, 10*time.Second)
	})

	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("browser figures:\n%s", data)
}

// measureSquare trains the default square run in the worker to the end of
// its epochs.
func measureSquare(t *testing.T) squareFigures {
	t.Helper()
	page := openPage(t, "?task=square")
	var f squareFigures
	if mode := readMode(t, page); mode != "worker" {
		t.Fatalf("status mode = %q, want worker", mode)
	}
	time.Sleep(2 * time.Second)
	f.IdleFPS = sampleFPS(t, page, 10*time.Second)

	if err := page.Eval(epochRecorder, nil); err != nil {
		t.Fatal(err)
	}
	var started float64
	if err := page.Eval(`(() => { window.neuromop.start(); return performance.now(); })()`, &started); err != nil {
		t.Fatal(err)
	}
	f.TrainingFPS = sampleFPS(t, page, 10*time.Second)

	var epochs int
	if err := page.Eval(`window.neuromop.status().epochs`, &epochs); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitFor(`window.neuromop.status().epoch >= window.neuromop.status().epochs`, 15*time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := page.Eval(`window.epochLog`, &f.Epochs); err != nil {
		t.Fatal(err)
	}
	if len(f.Epochs) != epochs {
		t.Errorf("the recorder saw %d epochs, want %d", len(f.Epochs), epochs)
	}
	for i, e := range f.Epochs {
		f.SamplesPerSecond += e.SamplesPerSecond / float64(len(f.Epochs))
		if e.Survival >= 0.9 && f.FirstEpoch == 0 {
			f.FirstEpoch, f.FirstSeconds = e.Epoch, (e.AtMS-started)/1000
		}
		if e.Survival < 0.9 {
			f.StayedEpoch, f.StayedSeconds = 0, 0
		} else if f.StayedEpoch == 0 {
			f.StayedEpoch, f.StayedSeconds = e.Epoch, (f.Epochs[i].AtMS-started)/1000
		}
	}
	checkNoConsoleErrors(t, page)
	return f
}
