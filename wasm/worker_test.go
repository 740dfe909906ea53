//go:build !js

package main_test

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/neuromop/neuromop/game"
	"github.com/neuromop/neuromop/sim"
	"github.com/neuromop/neuromop/wasm/browsertest"
	"github.com/neuromop/neuromop/wasm/webserve"
)

// benchTimeout bounds the benchmark in the page: 5 epochs of the default
// square task, about 4 s natively and a few times that in WebAssembly.
const benchTimeout = 3 * time.Minute

// epochRecorder records the status of every epoch in window.epochLog. It
// polls status() every 5 ms, well within a frame, and status() changes
// once per Update, so it records every epoch unless one Update applies
// two.
const epochRecorder = `(() => {
  window.epochLog = [];
  let last = window.neuromop.status().epoch;
  setInterval(() => {
    const s = window.neuromop.status();
    if (s.epoch !== last) {
      last = s.epoch;
      window.epochLog.push({epoch: s.epoch, survival: s.survival, mean_lifetime: s.mean_lifetime,
        samples_per_second: s.samples_per_second, mode: s.mode, at_ms: performance.now()});
    }
  }, 5);
  return true;
})()`

// epochEntry is one element of window.epochLog.
type epochEntry struct {
	Epoch            int     `json:"epoch"`
	Survival         float64 `json:"survival"`
	MeanLifetime     float64 `json:"mean_lifetime"`
	SamplesPerSecond float64 `json:"samples_per_second"`
	Mode             string  `json:"mode"`
	AtMS             float64 `json:"at_ms"`
}

// pageBench mirrors status().bench.
type pageBench struct {
	SamplesPerSecond    float64           `json:"samples_per_second"`
	NsPerControllerStep float64           `json:"ns_per_controller_step"`
	GFLOPS              float64           `json:"gflops"`
	Config              map[string]string `json:"config"`
}

// openPage opens the page at query, such as "?task=square", and waits
// until it runs.
func openPage(t *testing.T, query string) *browsertest.Page {
	t.Helper()
	site := browsertest.Site(t)
	srv := browsertest.Serve(t, webserve.Handler(site))
	page := browsertest.NewBrowser(t).NewPage(t, viewportWidth, viewportHeight)
	if err := page.Open(srv.URL + "/" + query); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitFor(running, startTimeout); err != nil {
		t.Fatal(err)
	}
	return page
}

func readMode(t *testing.T, page *browsertest.Page) string {
	t.Helper()
	var mode string
	if err := page.Eval(`window.neuromop.status().mode`, &mode); err != nil {
		t.Fatal(err)
	}
	return mode
}

// trainEpochs starts the training, waits until the epoch reaches epochs,
// and returns the recorded epochs.
func trainEpochs(t *testing.T, page *browsertest.Page, epochs int, timeout time.Duration) []epochEntry {
	t.Helper()
	if err := page.Eval(epochRecorder, nil); err != nil {
		t.Fatal(err)
	}
	if err := page.Eval(`window.neuromop.start()`, nil); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitFor(fmt.Sprintf(`window.neuromop.status().epoch >= %d`, epochs), timeout); err != nil {
		t.Fatal(err)
	}
	var log []epochEntry
	if err := page.Eval(`window.epochLog`, &log); err != nil {
		t.Fatal(err)
	}
	return log
}

// smallSeeded is a seeded square run whose epochs are long enough, about a
// second each in the page's worker on two cores, for the recorder to
// record each one.
var smallSeeded = map[string]string{
	"task": "square", "seed": "3", "epochs": "4", "eval-agents": "16",
	"final-agents": "8", "final-steps": "50",
}

func query(params map[string]string) string {
	q := "?"
	for _, k := range slices.Sorted(maps.Keys(params)) {
		if len(q) > 1 {
			q += "&"
		}
		q += k + "=" + params[k]
	}
	return q
}

func TestWorkerMatchesNative(t *testing.T) {
	page := openPage(t, query(smallSeeded))
	if mode := readMode(t, page); mode != "worker" {
		t.Fatalf("status mode = %q, want worker", mode)
	}
	epochs, err := strconv.Atoi(smallSeeded["epochs"])
	if err != nil {
		t.Fatal(err)
	}
	log := trainEpochs(t, page, epochs, trainTimeout)

	c, err := sim.ConfigFromValues(smallSeeded)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := sim.NewTrainer(c)
	if err != nil {
		t.Fatal(err)
	}
	tr.Run()

	seen := map[int]epochEntry{}
	for _, e := range log {
		seen[e.Epoch] = e
		if e.Mode != "worker" {
			t.Errorf("epoch %d trained in mode %q, want worker", e.Epoch, e.Mode)
		}
	}
	for i, want := range tr.History {
		got, ok := seen[i+1]
		if !ok {
			t.Errorf("epoch %d was not seen in the page; the recorder saw %+v", i+1, log)
			continue
		}
		if got.Survival != want.Eval.Survival {
			t.Errorf("epoch %d survival in the page = %v, natively %v", i+1, got.Survival, want.Eval.Survival)
		}
		if got.MeanLifetime != want.Eval.MeanLifetime {
			t.Errorf("epoch %d mean lifetime in the page = %v, natively %v", i+1, got.MeanLifetime, want.Eval.MeanLifetime)
		}
		t.Logf("epoch %d: survival %v, mean lifetime %v in the page and natively", i+1, got.Survival, got.MeanLifetime)
	}
	checkNoConsoleErrors(t, page)
}

// cliBenchFields are the fields of `neuromop bench -json`.
var cliBenchFields = []string{"config", "gflops", "ns_per_controller_step", "samples_per_second"}

// readBench waits for status().bench and returns it.
func readBench(t *testing.T, page *browsertest.Page) pageBench {
	t.Helper()
	if err := page.WaitFor(`window.neuromop.status().bench !== null`, benchTimeout); err != nil {
		t.Fatal(err)
	}
	var fields []string
	if err := page.Eval(`Object.keys(window.neuromop.status().bench).sort()`, &fields); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(fields, cliBenchFields) {
		t.Errorf("status().bench fields %q, want those of neuromop bench -json, %q", fields, cliBenchFields)
	}
	var b pageBench
	if err := page.Eval(`window.neuromop.status().bench`, &b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBenchInPage(t *testing.T) {
	page := openPage(t, "?bench=1")
	b := readBench(t, page)
	t.Logf("bench in the page's worker: %.0f samples/s, %.0f ns per controller step, %.2f GFLOP/s",
		b.SamplesPerSecond, b.NsPerControllerStep, b.GFLOPS)
	if b.SamplesPerSecond <= 0 || b.NsPerControllerStep <= 0 || b.GFLOPS <= 0 {
		t.Errorf("bench %+v, want positive figures", b)
	}
	want := sim.BenchConfig()
	want.Workers = 1
	want.Epochs = sim.BenchWarmupEpochs + sim.BenchEpochs
	if !maps.Equal(b.Config, want.Values()) {
		t.Errorf("bench config %v, want the CLI's workload with one worker %v", b.Config, want.Values())
	}
	if mode := readMode(t, page); mode != "worker" {
		t.Errorf("status mode = %q, want worker", mode)
	}
	checkNoConsoleErrors(t, page)
}

// sampleFPS returns the mean of status().fps over duration, read twice a
// second. Ebitengine updates its fps figure once a second.
func sampleFPS(t *testing.T, page *browsertest.Page, duration time.Duration) float64 {
	t.Helper()
	var sum float64
	n := 0
	for end := time.Now().Add(duration); time.Now().Before(end); {
		time.Sleep(500 * time.Millisecond)
		var fps float64
		if err := page.Eval(`window.neuromop.status().fps`, &fps); err != nil {
			t.Fatal(err)
		}
		sum += fps
		n++
	}
	return sum / float64(n)
}

// fpsFigures are the frame rates of one mode, idle and while training.
type fpsFigures struct {
	Mode             string  `json:"mode"`
	IdleFPS          float64 `json:"idle_fps"`
	TrainingFPS      float64 `json:"training_fps"`
	SamplesPerSecond float64 `json:"samples_per_second"`
	// Duty and PacerIdleFPS are status().duty and status().idle_fps after
	// the first epoch.
	Duty         float64 `json:"duty"`
	PacerIdleFPS float64 `json:"pacer_idle_fps"`
}

// measureFPS opens the default square run in the mode that query selects
// and samples fps idle and then while training.
func measureFPS(t *testing.T, query string, settle, sample time.Duration) fpsFigures {
	page := openPage(t, query)
	f := fpsFigures{Mode: readMode(t, page)}
	time.Sleep(settle)
	f.IdleFPS = sampleFPS(t, page, sample)
	if err := page.Eval(`window.neuromop.start()`, nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(settle)
	f.TrainingFPS = sampleFPS(t, page, sample)
	if err := page.WaitFor(`window.neuromop.status().epoch >= 1`, trainTimeout); err != nil {
		t.Fatal(err)
	}
	var st struct {
		SamplesPerSecond float64 `json:"samples_per_second"`
		Duty             float64 `json:"duty"`
		IdleFPS          float64 `json:"idle_fps"`
	}
	if err := page.Eval(`window.neuromop.status()`, &st); err != nil {
		t.Fatal(err)
	}
	f.SamplesPerSecond, f.Duty, f.PacerIdleFPS = st.SamplesPerSecond, st.Duty, st.IdleFPS
	checkNoConsoleErrors(t, page)
	return f
}

// TestFPSWhileTraining measures the frame rate idle and while training in
// a worker paced by the page (the default), in a worker at a fixed duty,
// and in the page. The pacer's duty depends on the machine, so the test
// checks only its range.
func TestFPSWhileTraining(t *testing.T) {
	for _, mode := range []struct {
		name, mode, query string
		// The duty that status() reports after the first epoch.
		minDuty, maxDuty float64
	}{
		{"worker", "worker", "?task=square", game.MinDuty, 1},
		{"worker-half", "worker", "?task=square&pace=0.5", 0.5, 0.5},
		// status().duty is null in the page, which decodes to 0.
		{"local", "local", "?task=square&worker=0", 0, 0},
	} {
		t.Run(mode.name, func(t *testing.T) {
			f := measureFPS(t, mode.query, 2*time.Second, 5*time.Second)
			t.Logf("%s mode: %.1f fps idle, %.1f fps while training (%.2f×), duty %.2f, %.0f samples/s",
				f.Mode, f.IdleFPS, f.TrainingFPS, f.TrainingFPS/f.IdleFPS, f.Duty, f.SamplesPerSecond)
			if f.Mode != mode.mode {
				t.Errorf("status mode = %q, want %s", f.Mode, mode.mode)
			}
			if f.IdleFPS <= 0 || f.TrainingFPS <= 0 {
				t.Errorf("fps idle %v, training %v, want both positive", f.IdleFPS, f.TrainingFPS)
			}
			if f.Duty < mode.minDuty || f.Duty > mode.maxDuty {
				t.Errorf("duty %g, want %g to %g", f.Duty, mode.minDuty, mode.maxDuty)
			}
			if mode.name == "worker" && f.PacerIdleFPS <= 0 {
				t.Errorf("idle_fps %g after 5 s idle, want the pacer's measured rate", f.PacerIdleFPS)
			}
		})
	}
}
