//go:build !js

package main_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/neuromop/neuromop/game"
	"github.com/neuromop/neuromop/wasm/browsertest"
	"github.com/neuromop/neuromop/wasm/webserve"
)

// TestPageWiderThanMaxTexture resizes the viewport beyond the 8192 pixels
// of SwiftShader's MAX_TEXTURE_SIZE and checks that the page goes on
// drawing at a reduced scale, and again after a return to a normal size.
func TestPageWiderThanMaxTexture(t *testing.T) {
	page := openPage(t, "?autostart=1")

	if err := chromedp.Do(page.Context(), chromedp.EmulateViewport(9000, 5000)); err != nil {
		t.Fatal(err)
	}
	before := readStatus(t, page, "window").Frames
	// Software WebGL takes far longer for a frame of this size than for
	// one of the normal viewport, so the wait is generous.
	cond := fmt.Sprintf(`window.neuromop.status().width === 9000 && window.neuromop.status().frames >= %d`, before+3)
	if err := page.WaitFor(cond, time.Minute); err != nil {
		t.Fatal(err)
	}
	wide := readStatus(t, page, "window")
	if wide.Height != 5000 {
		t.Errorf("status size = %v × %v, want 9000 × 5000 logical pixels", wide.Width, wide.Height)
	}
	if limit := 8192.0; wide.Scale*wide.Width > limit+1 {
		t.Errorf("screen width = %v × %v = %v device pixels, want at most %v",
			wide.Scale, wide.Width, wide.Scale*wide.Width, limit)
	}
	var state string
	if err := page.Eval(`document.documentElement.dataset.state`, &state); err != nil {
		t.Fatal(err)
	}
	if state != "running" {
		t.Fatalf("page state at 9000 × 5000 = %q, want running", state)
	}

	if err := chromedp.Do(page.Context(), chromedp.EmulateViewport(viewportWidth, viewportHeight)); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitFor(`window.neuromop.status().width === 1024`, time.Minute); err != nil {
		t.Fatal(err)
	}
	var training bool
	if err := page.Eval(`window.neuromop.status().training`, &training); err != nil {
		t.Fatal(err)
	}
	if !training {
		t.Errorf("status training = false after the resizes, want the run still training")
	}
	checkDrawn(t, page, "wide-viewport.png")
	checkNoConsoleErrors(t, page)
}

// TestPageSilentWorkerFallsBack serves a worker.js that never posts a
// message and checks that the page gives up on the worker once
// game.DefaultWorkerTimeouts.Start has passed, trains in the page and
// shows the reason.
func TestPageSilentWorkerFallsBack(t *testing.T) {
	site := browsertest.Site(t)
	mux := http.NewServeMux()
	mux.Handle("/", webserve.Handler(site))
	mux.HandleFunc("/worker.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", webserve.ContentType("worker.js"))
		w.Header().Set("Content-Security-Policy", webserve.ContentSecurityPolicy)
		fmt.Fprint(w, "'use strict';\nself.onmessage = () => {};\n")
	})
	srv := browsertest.Serve(t, mux)
	page := browsertest.NewBrowser(t).NewPage(t, viewportWidth, viewportHeight)
	if err := page.Open(srv.URL + "/" + query(smallSeeded) + "&autostart=1"); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitFor(running, startTimeout); err != nil {
		t.Fatal(err)
	}
	if mode := readMode(t, page); mode != "worker" {
		t.Fatalf("status mode before the timeout = %q, want worker", mode)
	}

	timeout := game.DefaultWorkerTimeouts.Start + time.Minute
	if err := page.WaitFor(`window.neuromop.status().mode === 'local'`, timeout); err != nil {
		t.Fatal(err)
	}
	var msg string
	if err := page.Eval(`window.neuromop.status().error`, &msg); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "training runs in the page") {
		t.Errorf("status error %q does not say that training runs in the page", msg)
	}
	if !strings.Contains(msg, "timed out") {
		t.Errorf("status error %q does not say that the worker timed out", msg)
	}
	if err := page.WaitFor(`window.neuromop.status().epoch >= 1`, trainTimeout); err != nil {
		t.Fatal(err)
	}
	checkNoConsoleErrors(t, page)
}

// TestStatusErrorsListsAll opens a link with more rejected values than
// the canvas shows and checks that status().errors has the message of
// each, while status().error stays short.
func TestStatusErrorsListsAll(t *testing.T) {
	page := openPage(t, "?task=nosuch&gamma=NaN&n=-5&seed=1e999&K=abc&alpha=&view=bogus&worker=2&"+
		"autostart=yes&bench=x&zzz=1")
	var errs []string
	if err := page.Eval(`window.neuromop.status().errors`, &errs); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`invalid task "nosuch"`, `invalid gamma "NaN"`, `invalid view "bogus"`,
		`invalid worker "2"`, `invalid bench "x"`, `unknown parameter "zzz"`} {
		found := false
		for _, e := range errs {
			found = found || strings.Contains(e, want)
		}
		if !found {
			t.Errorf("status().errors lacks %q; it is %q", want, errs)
		}
	}
	var short string
	if err := page.Eval(`window.neuromop.status().error`, &short); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("and %d more messages, listed in status().errors", len(errs)-game.MaxNotices); !strings.HasSuffix(short, want) {
		t.Errorf("status().error %q, want it to end with %q", short, want)
	}
	checkNoConsoleErrors(t, page)
}

// TestPageStalledDownloadFallsBack serves the first bytes of worker.wasm
// and then holds the response open, and checks that the page gives up on
// the worker, trains in the page and shows the reason.
func TestPageStalledDownloadFallsBack(t *testing.T) {
	site := browsertest.Site(t)
	module, err := os.ReadFile(filepath.Join(site, "worker.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", webserve.Handler(site))
	release := make(chan struct{})
	mux.HandleFunc("/worker.wasm", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", webserve.ContentType("worker.wasm"))
		w.Header().Set("Content-Length", fmt.Sprint(len(module)))
		w.Write(module[:8])
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	srv := browsertest.Serve(t, mux)
	t.Cleanup(func() { close(release) })
	page := browsertest.NewBrowser(t).NewPage(t, viewportWidth, viewportHeight)
	if err := page.Open(srv.URL + "/" + query(smallSeeded) + "&autostart=1"); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitFor(running, startTimeout); err != nil {
		t.Fatal(err)
	}

	timeout := game.DefaultWorkerTimeouts.Start + time.Minute
	if err := page.WaitFor(`window.neuromop.status().mode === 'local'`, timeout); err != nil {
		t.Fatal(err)
	}
	var msg string
	if err := page.Eval(`window.neuromop.status().error`, &msg); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "training runs in the page") || !strings.Contains(msg, "timed out") {
		t.Errorf("status error %q, want that the worker timed out and training runs in the page", msg)
	}
	if err := page.WaitFor(`window.neuromop.status().epoch >= 1`, trainTimeout); err != nil {
		t.Fatal(err)
	}
}
