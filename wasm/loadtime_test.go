//go:build !js

package main_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/neuromop/neuromop/wasm/browsertest"
)

// loadTimes are the milestones of one load of the page, in milliseconds
// since performance.timeOrigin, the start of the navigation. A field is
// nil when the browser did not report it.
type loadTimes struct {
	// LoadingIndicator is the first-contentful-paint entry of the Paint
	// Timing API. The loading indicator is the only content of the page
	// before the canvas, so it is the time the indicator was painted.
	LoadingIndicator *float64 `json:"loading_indicator_ms"`
	// FetchStart and Downloaded are the fetchStart and responseEnd of the
	// Resource Timing entry of main.wasm.
	FetchStart *float64 `json:"main_wasm_fetch_start_ms"`
	Downloaded *float64 `json:"main_wasm_downloaded_ms"`
	// Compiled, MainStarted and FirstFrameMark are the User Timing marks
	// neuromop:compiled, neuromop:main and neuromop:first-frame.
	Compiled       *float64 `json:"compiled_ms"`
	MainStarted    *float64 `json:"main_started_ms"`
	FirstFrameMark *float64 `json:"first_frame_mark_ms"`
	// FirstFrame is status().first_frame_ms.
	FirstFrame *float64 `json:"first_frame_ms"`
	// Now is performance.now() when the times were read: the page's age.
	Now float64 `json:"now_ms"`
}

// loadTimesScript returns the loadTimes of the page.
const loadTimesScript = `(() => {
  const at = (name) => {
    const entries = performance.getEntriesByName(name);
    return entries.length > 0 ? entries[0].startTime : null;
  };
  const wasm = performance.getEntriesByName(new URL('main.wasm', location.href).href)[0];
  return {
    loading_indicator_ms: at('first-contentful-paint'),
    main_wasm_fetch_start_ms: wasm ? wasm.fetchStart : null,
    main_wasm_downloaded_ms: wasm ? wasm.responseEnd : null,
    compiled_ms: at('neuromop:compiled'),
    main_started_ms: at('neuromop:main'),
    first_frame_mark_ms: at('neuromop:first-frame'),
    first_frame_ms: window.neuromop.status().first_frame_ms,
    now_ms: performance.now(),
  };
})()`

// firstFrameDrawn is true once status() reports the first frame.
const firstFrameDrawn = `window.neuromop.status().first_frame_ms !== null`

func readLoadTimes(t *testing.T, page *browsertest.Page) loadTimes {
	t.Helper()
	var lt loadTimes
	if err := page.Eval(loadTimesScript, &lt); err != nil {
		t.Fatal(err)
	}
	for _, ms := range []*float64{lt.LoadingIndicator, lt.FetchStart, lt.Downloaded, lt.Compiled,
		lt.MainStarted, lt.FirstFrameMark, lt.FirstFrame, &lt.Now} {
		if ms != nil {
			*ms = roundMS(*ms)
		}
	}
	return lt
}

// roundMS rounds ms to 0.1 ms. The times that Chromium reports here are
// multiples of 0.1 ms, and rounding drops float64 error digits such as
// those of 1754.5999999996275 for 1754.6.
func roundMS(ms float64) float64 { return math.Round(ms*10) / 10 }

func TestPageFirstFrameTime(t *testing.T) {
	page := openPage(t, "")
	var present bool
	if err := page.Eval(`'first_frame_ms' in window.neuromop.status()`, &present); err != nil {
		t.Fatal(err)
	}
	if !present {
		t.Fatalf("status() has no first_frame_ms field")
	}
	s := readStatus(t, page, "window")
	if s.FirstFrameMS == nil {
		t.Fatalf("status().first_frame_ms is null after %d frames, want the time of the first", s.Frames)
	}
	lt := readLoadTimes(t, page)
	t.Logf("load times: %s", formatLoadTimes(lt))
	if lt.FirstFrame == nil {
		t.Fatalf("status().first_frame_ms is null after the first frame")
	}
	first := *lt.FirstFrame
	if first <= 0 {
		t.Errorf("status().first_frame_ms = %v, want a positive time", first)
	}
	if first > lt.Now {
		t.Errorf("status().first_frame_ms = %v, want at most the page's age, %v ms", first, lt.Now)
	}
	if lt.FirstFrameMark == nil || *lt.FirstFrameMark != first {
		t.Errorf("mark neuromop:first-frame at %v, want the %v of status().first_frame_ms", deref(lt.FirstFrameMark), first)
	}
	if lt.MainStarted == nil || *lt.MainStarted <= 0 || *lt.MainStarted > first {
		t.Errorf("mark neuromop:main at %v, want a positive time no later than the first frame, %v", deref(lt.MainStarted), first)
	}
	if lt.Compiled == nil || lt.MainStarted != nil && *lt.Compiled > *lt.MainStarted {
		t.Errorf("mark neuromop:compiled at %v, want a time no later than neuromop:main, %v",
			deref(lt.Compiled), deref(lt.MainStarted))
	}
	if lt.Downloaded == nil || lt.Compiled != nil && *lt.Downloaded > *lt.Compiled {
		t.Errorf("main.wasm downloaded at %v, want a time no later than neuromop:compiled, %v",
			deref(lt.Downloaded), deref(lt.Compiled))
	}
	checkNoConsoleErrors(t, page)
}

func formatLoadTimes(lt loadTimes) string {
	return fmt.Sprintf("loading indicator %v, main.wasm fetched from %v to %v, compiled %v, main %v, first frame %v, now %.0f ms",
		deref(lt.LoadingIndicator), deref(lt.FetchStart), deref(lt.Downloaded), deref(lt.Compiled),
		deref(lt.MainStarted), deref(lt.FirstFrame), lt.Now)
}
