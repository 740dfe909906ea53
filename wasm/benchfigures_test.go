//go:build !js

package main_test

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/neuromop/neuromop/sim"
	"github.com/neuromop/neuromop/wasm/browsertest"
	"github.com/neuromop/neuromop/wasm/webserve"
)

// loadRuns is the number of rounds of cold, warm and offline loads whose
// times TestBenchFigures reports.
const loadRuns = 7

// squareEpochs is the number of epochs of the default square run that
// TestBenchFigures trains. At full time the run had reached survival 0.9
// at epoch 6 and kept it from epoch 11.
const squareEpochs = 15

// squareFigures are the figures of the default square run in the page's
// worker.
type squareFigures struct {
	Query       string  `json:"query"`
	IdleFPS     float64 `json:"idle_fps"`
	TrainingFPS float64 `json:"training_fps"`
	// IdleAfterFPS is the frame rate once the training has paused after
	// squareEpochs. The cost of a frame depends on what the scene shows,
	// so this rate, with trained agents, is the one to compare with
	// TrainingFPS.
	IdleAfterFPS float64 `json:"idle_after_fps"`
	// Duty is the mean of status().duty while TrainingFPS was sampled.
	Duty float64 `json:"duty"`
	// WallSamplesPerSecond is the count of samples of the epochs trained
	// over the time from start() to the last one.
	WallSamplesPerSecond float64 `json:"wall_samples_per_second"`
	// FirstEpoch is the first epoch whose evaluation has survival ≥ 0.9,
	// and FirstSeconds the time from start() until the page showed it.
	FirstEpoch   int     `json:"first_epoch_survival_0_9"`
	FirstSeconds float64 `json:"first_seconds"`
	// StayedEpoch is the epoch from which every evaluation up to epoch
	// squareEpochs has survival ≥ 0.9, and StayedSeconds the time from
	// start() until the page showed it.
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
	SquareFull  squareFigures `json:"square_worker_full_time"`
	Local       fpsFigures    `json:"local"`
	Load        loadFigures   `json:"load"`
}

// TestBenchFigures collects the browser figures of BENCHMARKS.md and logs
// them as one JSON object: the benchmark of ?bench=1 in the worker and in
// the page, the default square run in the worker (fps idle and while
// training, throughput, time to survival ≥ 0.9), fps in local mode, and the
// load times of the page, cold, warm and offline, over loadRuns rounds. It
// runs only with BENCH=1 set, and takes several minutes:
//
//	BENCH=1 go test -count=1 -run '^TestBenchFigures$' -timeout 30m -v ./wasm
//
// Only the load times, in about two minutes:
//
//	BENCH=1 go test -count=1 -run '^TestBenchFigures$/^load$' -v ./wasm
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
		out.Square = measureSquare(t, "?task=square")
	})
	t.Run("square-worker-full-time", func(t *testing.T) {
		out.SquareFull = measureSquare(t, "?task=square&pace=1")
	})
	t.Run("fps-local", func(t *testing.T) {
		out.Local = measureFPS(t, "?task=square&worker=0", 2*time.Second, 10*time.Second)
	})
	t.Run("load", func(t *testing.T) {
		out.Load = measureLoads(t, loadRuns)
	})

	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("browser figures:\n%s", data)
}

// measureSquare trains squareEpochs epochs of the default square run in
// the worker, with the page options of query. It samples the frame rate
// idle for 10 s, while training for 10 s from 20 s after the start, once
// the pacer has settled, and idle again for 10 s after the last epoch.
func measureSquare(t *testing.T, query string) squareFigures {
	t.Helper()
	page := openPage(t, query)
	f := squareFigures{Query: query}
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
	time.Sleep(20 * time.Second)
	n := 0
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); n++ {
		time.Sleep(500 * time.Millisecond)
		var st struct {
			FPS  float64 `json:"fps"`
			Duty float64 `json:"duty"`
		}
		if err := page.Eval(`window.neuromop.status()`, &st); err != nil {
			t.Fatal(err)
		}
		f.TrainingFPS += st.FPS
		f.Duty += st.Duty
	}
	f.TrainingFPS /= float64(n)
	f.Duty /= float64(n)

	if err := page.WaitFor(fmt.Sprintf(`window.neuromop.status().epoch >= %d`, squareEpochs), 15*time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := page.Eval(`window.neuromop.pause()`, nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	f.IdleAfterFPS = sampleFPS(t, page, 10*time.Second)
	if err := page.Eval(`window.epochLog`, &f.Epochs); err != nil {
		t.Fatal(err)
	}
	if len(f.Epochs) < squareEpochs {
		t.Fatalf("the recorder saw %d epochs, want %d", len(f.Epochs), squareEpochs)
	}
	f.Epochs = f.Epochs[:squareEpochs]
	c, err := sim.DefaultConfig("square")
	if err != nil {
		t.Fatal(err)
	}
	last := f.Epochs[squareEpochs-1]
	f.WallSamplesPerSecond = float64(squareEpochs*c.Agents*c.Steps) / ((last.AtMS - started) / 1000)
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

// spread is the median and range of one figure over several loads.
type spread struct {
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	N      int     `json:"n"`
}

func spreadOf(values []float64) spread {
	if len(values) == 0 {
		return spread{}
	}
	v := slices.Sorted(slices.Values(values))
	n := len(v)
	median := v[n/2]
	if n%2 == 0 {
		median = (v[n/2-1] + v[n/2]) / 2
	}
	return spread{Median: roundMS(median), Min: roundMS(v[0]), Max: roundMS(v[n-1]), N: n}
}

// loadSpreads are the spreads of the fields of loadTimes over several
// loads, by JSON name.
type loadSpreads map[string]spread

func spreadsOf(loads []loadTimes) loadSpreads {
	fields := map[string]func(loadTimes) *float64{
		"loading_indicator_ms":    func(l loadTimes) *float64 { return l.LoadingIndicator },
		"main_wasm_downloaded_ms": func(l loadTimes) *float64 { return l.Downloaded },
		"compiled_ms":             func(l loadTimes) *float64 { return l.Compiled },
		"main_started_ms":         func(l loadTimes) *float64 { return l.MainStarted },
		"first_frame_ms":          func(l loadTimes) *float64 { return l.FirstFrame },
	}
	out := loadSpreads{}
	for name, field := range fields {
		var values []float64
		for _, l := range loads {
			if v := field(l); v != nil {
				values = append(values, *v)
			}
		}
		out[name] = spreadOf(values)
	}
	return out
}

// loadFigures are the load times of several rounds of loads of the page,
// each round in a Chromium with a new profile. A round loads the page
// cold, with empty caches. Once the service worker controls the page and
// has stored its files, it loads the page warm in a new tab, with the
// server running. The service worker then fetches each file from the
// server, and the browser's HTTP cache serves it after a revalidation.
// Then it stops the server and loads the page offline in a new tab, from
// the service worker's cache.
type loadFigures struct {
	Cold           []loadTimes `json:"cold"`
	Warm           []loadTimes `json:"warm"`
	Offline        []loadTimes `json:"offline"`
	ColdSpreads    loadSpreads `json:"cold_spreads"`
	WarmSpreads    loadSpreads `json:"warm_spreads"`
	OfflineSpreads loadSpreads `json:"offline_spreads"`
}

// storedFiles is true once the service worker's cache contains main.wasm
// and worker.wasm, the last files that it stores.
const storedFiles = `navigator.serviceWorker.controller !== null &&
  caches.open('neuromop-v2').then(c => c.keys()).then(keys => {
    const urls = keys.map(k => k.url);
    return ['main.wasm', 'worker.wasm'].every(f => urls.includes(new URL(f, location.href).href));
  })`

// measureLoads loads the page n times each cold, warm and offline. Each
// load has the browser to itself, because the tab of each load closes
// before the next load opens.
func measureLoads(t *testing.T, n int) loadFigures {
	t.Helper()
	site := browsertest.Site(t)
	var f loadFigures
	for i := 0; i < n; i++ {
		t.Run(fmt.Sprintf("load-%d", i+1), func(t *testing.T) {
			srv := browsertest.Serve(t, webserve.Handler(site))
			browser := browsertest.NewBrowser(t)
			// The browser's own start takes CPU for a moment after its
			// first tab opened.
			time.Sleep(2 * time.Second)
			t.Run("cold", func(t *testing.T) {
				page, lt := loadOnce(t, browser, srv.URL+"/")
				f.Cold = append(f.Cold, lt)
				if err := page.WaitFor(storedFiles, time.Minute); err != nil {
					t.Fatal(err)
				}
			})
			time.Sleep(time.Second)
			t.Run("warm", func(t *testing.T) {
				_, lt := loadOnce(t, browser, srv.URL+"/")
				f.Warm = append(f.Warm, lt)
			})
			srv.Close()
			time.Sleep(time.Second)
			t.Run("offline", func(t *testing.T) {
				_, lt := loadOnce(t, browser, srv.URL+"/")
				f.Offline = append(f.Offline, lt)
			})
		})
	}
	f.ColdSpreads, f.WarmSpreads, f.OfflineSpreads = spreadsOf(f.Cold), spreadsOf(f.Warm), spreadsOf(f.Offline)
	return f
}

// loadOnce opens url in a new tab of browser, which closes when the test
// ends, and returns the tab and its load times once the first frame is
// drawn.
func loadOnce(t *testing.T, browser *browsertest.Browser, url string) (*browsertest.Page, loadTimes) {
	t.Helper()
	page := browser.NewPage(t, viewportWidth, viewportHeight)
	if err := page.Open(url); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitFor(firstFrameDrawn, startTimeout); err != nil {
		t.Fatal(err)
	}
	lt := readLoadTimes(t, page)
	t.Logf("%s", formatLoadTimes(lt))
	checkNoConsoleErrors(t, page)
	return page, lt
}
