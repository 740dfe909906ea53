//go:build !js

package main_test

import (
	"math"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/memory"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/neuromop/neuromop/wasm/browsertest"
	"github.com/neuromop/neuromop/wasm/webserve"
)

// soakQuery is the page that the soak test leaves running: the compare
// view, whose MOP and R runs train without end and whose free network
// plays round after round. So everything that grows per epoch, per round or
// per frame grows during the test.
const soakQuery = "task=square&view=compare&autostart=1&epochs=100000&agents=16&steps=20" +
	"&eval-agents=8&eval-steps=50&K=16"

// soakSample is one measurement of the page's memory.
type soakSample struct {
	at        time.Duration // since the first sample
	epoch     int
	frames    int64
	goLive    float64 // Go heap marked live by the last collection
	goSys     float64 // WebAssembly memory that the Go runtime has grown
	jsHeap    float64 // JavaScript heap in use after a collection
	domNodes  float64
	listeners float64
}

// soakLimit bounds the growth of one measure between the first and the last
// third of the samples after the warm-up: the larger of an absolute bound
// and a fraction of the first third's level. The level of a third is the
// median of its samples, or their minimum for a measure with floor set.
type soakLimit struct {
	name     string
	value    func(s soakSample) float64
	absolute float64
	fraction float64
	unit     float64 // for messages: 1 << 20 for MiB, 1 for counts
	floor    bool
}

// level returns the median of l's values over samples, or their minimum if
// l.floor is set.
func (l soakLimit) level(samples []soakSample) float64 {
	if !l.floor {
		return median(samples, l.value)
	}
	m := math.Inf(1)
	for _, s := range samples {
		m = min(m, l.value(s))
	}
	return m
}

// soakLimits are the bounds of the soak test. The Go live heap is the heap
// that the page's last collection marked live, which includes whatever a
// frame or a message from a worker held at that moment. On a loaded
// machine it varies by several MiB from sample to sample. Its level is the
// minimum of a third: a leak raises every sample, the floor included. The
// WebAssembly memory grows in steps of 4 MiB arenas, so the bounds of those
// measures are a few MiB. The JavaScript heap and the DOM are measured
// after a forced collection, so their bounds are small.
var soakLimits = []soakLimit{
	{"Go live heap", func(s soakSample) float64 { return s.goLive }, 4 << 20, 0.10, 1 << 20, true},
	{"WebAssembly memory", func(s soakSample) float64 { return s.goSys }, 16 << 20, 0.10, 1 << 20, false},
	{"JavaScript heap", func(s soakSample) float64 { return s.jsHeap }, 4 << 20, 0.10, 1 << 20, false},
	{"DOM nodes", func(s soakSample) float64 { return s.domNodes }, 20, 0, 1, false},
	{"event listeners", func(s soakSample) float64 { return s.listeners }, 20, 0, 1, false},
}

// soakDuration returns the duration in the environment variable SOAK, such
// as 30m, or 2 minutes without it.
func soakDuration(t *testing.T) time.Duration {
	spec := os.Getenv("SOAK")
	if spec == "" {
		return 2 * time.Minute
	}
	d, err := time.ParseDuration(spec)
	if err != nil || d <= 0 {
		t.Fatalf("invalid SOAK %q: want a positive duration such as 30m", spec)
	}
	return d
}

// TestSoak leaves the page training for the duration of soakDuration and
// samples its memory. It fails when the page stops drawing or training,
// logs an error, or when a measure of soakLimits keeps growing after the
// warm-up, the first quarter of the run and at least 30 s.
func TestSoak(t *testing.T) {
	if testing.Short() && os.Getenv("SOAK") == "" {
		t.Skip("the soak test takes 2 minutes; run it without -short, or set SOAK")
	}
	duration := soakDuration(t)
	interval := min(max(duration/60, 2*time.Second), 30*time.Second)
	warmUp := max(duration/4, 30*time.Second)

	site := browsertest.Site(t)
	srv := browsertest.Serve(t, webserve.Handler(site))
	p := browsertest.NewBrowser(t).NewPage(t, viewportWidth, viewportHeight)
	if err := p.Open(srv.URL + "/?" + soakQuery); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(running, startTimeout); err != nil {
		t.Fatal(err)
	}

	var samples []soakSample
	start := time.Now()
	for time.Since(start) < duration {
		time.Sleep(min(interval, duration-time.Since(start)))
		s := sampleSoak(t, p, time.Since(start))
		if len(samples) > 0 {
			last := samples[len(samples)-1]
			if s.frames <= last.frames {
				t.Fatalf("frames stopped at %d after %s", s.frames, s.at.Round(time.Second))
			}
		}
		samples = append(samples, s)
		t.Logf("soak %s: epoch %d, frames %d, Go live %.1f MiB, WebAssembly %.1f MiB, JS %.1f MiB, %v nodes, %v listeners",
			s.at.Round(time.Second), s.epoch, s.frames, s.goLive/(1<<20), s.goSys/(1<<20), s.jsHeap/(1<<20),
			s.domNodes, s.listeners)
		if errs := p.ConsoleErrors(); len(errs) > 0 {
			t.Fatalf("console errors during the soak: %v", errs)
		}
	}
	if first, last := samples[0], samples[len(samples)-1]; last.epoch <= first.epoch {
		t.Errorf("epoch %d at the end, %d at the start, want training to go on", last.epoch, first.epoch)
	}

	var steady []soakSample
	for _, s := range samples {
		if s.at >= warmUp {
			steady = append(steady, s)
		}
	}
	if len(steady) < 6 {
		t.Fatalf("%d samples after the warm-up of %s, want at least 6", len(steady), warmUp)
	}
	third := len(steady) / 3
	early, late := steady[:third], steady[len(steady)-third:]
	for _, l := range soakLimits {
		from, to := l.level(early), l.level(late)
		limit := max(l.absolute, l.fraction*from)
		t.Logf("%s: %.1f in the first third after the warm-up, %.1f in the last", l.name, from/l.unit, to/l.unit)
		if to-from > limit {
			t.Errorf("%s grew from %.1f to %.1f after the warm-up, want at most %.1f of growth",
				l.name, from/l.unit, to/l.unit, limit/l.unit)
		}
	}
	checkDrawn(t, p, "soak.png")
}

func sampleSoak(t *testing.T, p *browsertest.Page, at time.Duration) soakSample {
	t.Helper()
	ctx := p.Context()
	if _, err := chromedp.Call(ctx, heapprofiler.CollectGarbage, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	heap, err := chromedp.Call(ctx, runtime.GetHeapUsage, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	dom, err := chromedp.Call(ctx, memory.GetDOMCounters, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Epoch         int     `json:"epoch"`
		Frames        int64   `json:"frames"`
		HeapLiveBytes float64 `json:"heapLiveBytes"`
		SysBytes      float64 `json:"sysBytes"`
	}
	if err := p.Eval(`window.neuromop.status()`, &st); err != nil {
		t.Fatal(err)
	}
	return soakSample{
		at: at, epoch: st.Epoch, frames: st.Frames,
		goLive: st.HeapLiveBytes, goSys: st.SysBytes, jsHeap: heap.UsedSize,
		domNodes: float64(dom.Nodes), listeners: float64(dom.JsEventListeners),
	}
}

func median(samples []soakSample, value func(soakSample) float64) float64 {
	v := make([]float64, len(samples))
	for i, s := range samples {
		v[i] = value(s)
	}
	slices.Sort(v)
	return v[len(v)/2]
}
