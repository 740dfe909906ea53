//go:build !js

package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/neuromop/neuromop/wasm/browsertest"
	"github.com/neuromop/neuromop/wasm/webserve"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

const (
	viewportWidth  = 1024
	viewportHeight = 640

	// startTimeout bounds the download, compilation and first frame of
	// main.wasm. SwiftShader on two shared cores needs a few seconds.
	startTimeout = 90 * time.Second

	// minVariance separates a drawn page from a blank or single-colour one.
	// The demo scene measures in the hundreds, see browsertest.Variance.
	minVariance = 50

	running = `document.documentElement.dataset.state === 'running' && window.neuromop.status().fps > 0`
)

// status mirrors the object that window.neuromop.status() returns.
type status struct {
	FPS       float64 `json:"fps"`
	TPS       float64 `json:"tps"`
	Ticks     int64   `json:"ticks"`
	Frames    int64   `json:"frames"`
	Width     float64 `json:"width"`
	Height    float64 `json:"height"`
	Scale     float64 `json:"scale"`
	HeapBytes float64 `json:"heapBytes"`
	// FirstFrameMS is the time of the first frame on the canvas since
	// performance.timeOrigin, or nil before it.
	FirstFrameMS *float64 `json:"first_frame_ms"`
}

// screenshotDir returns where tests write their screenshots: the directory
// in the environment variable SCREENSHOT_DIR, or the test's temporary
// directory.
func screenshotDir(t *testing.T) string {
	if dir := os.Getenv("SCREENSHOT_DIR"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// checkDrawn takes a screenshot of the viewport, saves it as name in the
// screenshot directory, and fails the test when it is nearly blank.
func checkDrawn(t *testing.T, page *browsertest.Page, name string) {
	t.Helper()
	data, err := page.Screenshot("")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(screenshotDir(t), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	img, err := browsertest.DecodePNG(data)
	if err != nil {
		t.Fatal(err)
	}
	if v := browsertest.Variance(img); v < minVariance {
		t.Errorf("screenshot %s has luma variance %.1f, want at least %v: the page looks blank", path, v, minVariance)
	}
	t.Logf("screenshot: %s", path)
}

func checkNoConsoleErrors(t *testing.T, page *browsertest.Page) {
	t.Helper()
	for _, msg := range page.ConsoleErrors() {
		t.Errorf("console error: %s", msg)
	}
}

func readStatus(t *testing.T, page *browsertest.Page, window string) status {
	t.Helper()
	var s status
	if err := page.Eval(window+".neuromop.status()", &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPageRuns(t *testing.T) {
	page := openPage(t, "")

	s := readStatus(t, page, "window")
	if s.Ticks <= 0 || s.Frames <= 0 {
		t.Errorf("status ticks = %d, frames = %d, want both positive", s.Ticks, s.Frames)
	}
	if s.Width != viewportWidth || s.Height != viewportHeight {
		t.Errorf("status size = %v × %v, want %d × %d", s.Width, s.Height, viewportWidth, viewportHeight)
	}

	var hidden struct {
		Loading, Error bool
	}
	if err := page.Eval(`({Loading: document.getElementById('loading').hidden,
		Error: document.getElementById('error').hidden})`, &hidden); err != nil {
		t.Fatal(err)
	}
	if !hidden.Loading {
		t.Errorf("the loading indicator is still shown while the game runs")
	}
	if !hidden.Error {
		t.Errorf("the error overlay is shown while the game runs")
	}

	checkDrawn(t, page, "page.png")
	checkNoConsoleErrors(t, page)
}

func TestPageHighDensity(t *testing.T) {
	site := browsertest.Site(t)
	srv := browsertest.Serve(t, webserve.Handler(site))
	page := browsertest.NewBrowser(t).NewPage(t, 640, 400, chromedp.EmulateScale(2))

	if err := page.Open(srv.URL + "/"); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitFor(running, startTimeout); err != nil {
		t.Fatal(err)
	}
	s := readStatus(t, page, "window")
	if s.Scale != 2 {
		t.Errorf("status scale at device pixel ratio 2 = %v, want 2", s.Scale)
	}
	if s.Width != 640 || s.Height != 400 {
		t.Errorf("status size = %v × %v, want 640 × 400 logical pixels", s.Width, s.Height)
	}
	var canvasWidth int
	if err := page.Eval(`document.querySelector('canvas').width`, &canvasWidth); err != nil {
		t.Fatal(err)
	}
	if canvasWidth != 1280 {
		t.Errorf("canvas drawing buffer width = %d, want 1280 device pixels", canvasWidth)
	}
	checkDrawn(t, page, "high-density.png")
	checkNoConsoleErrors(t, page)
}

func TestPageInIframe(t *testing.T) {
	site := browsertest.Site(t)
	mux := http.NewServeMux()
	mux.Handle("/", webserve.Handler(site))
	mux.HandleFunc("/host.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", webserve.ContentSecurityPolicy)
		fmt.Fprint(w, `<!doctype html><title>host</title><link rel="icon" href="icon.svg">
<h1>Host page</h1>
<iframe id="app" src="index.html" width="900" height="600" title="NeuroMOP"></iframe>`)
	})
	srv := browsertest.Serve(t, mux)
	page := browsertest.NewBrowser(t).NewPage(t, viewportWidth, viewportHeight)

	if err := page.Open(srv.URL + "/host.html"); err != nil {
		t.Fatal(err)
	}
	const app = "document.getElementById('app').contentWindow"
	cond := app + ".document.documentElement.dataset.state === 'running' && " +
		app + ".neuromop.status().fps > 0"
	if err := page.WaitFor(cond, startTimeout); err != nil {
		t.Fatal(err)
	}
	s := readStatus(t, page, app)
	if s.Width != 900-4 && s.Width != 900 {
		// The iframe's default 2 px border takes 4 px of its width.
		t.Errorf("status width inside a 900 px iframe = %v, want 896 or 900", s.Width)
	}

	// Ebitengine does not focus the canvas inside an iframe, so the notice
	// is shown until a click focuses the canvas.
	notice := app + ".document.getElementById('focus-notice').hidden"
	if err := page.WaitFor("!"+notice, 5*time.Second); err != nil {
		t.Errorf("the focus notice is hidden in an iframe before any click: %v", err)
	}
	var frame struct{ X, Y float64 }
	if err := page.Eval(`(() => { const r = document.getElementById('app').getBoundingClientRect();
		return {X: r.left + r.width * 0.75, Y: r.top + r.height * 0.5}; })()`, &frame); err != nil {
		t.Fatal(err)
	}
	if err := page.Click(frame.X, frame.Y); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitFor(notice, 5*time.Second); err != nil {
		t.Errorf("the focus notice stays after a click on the canvas: %v", err)
	}

	checkDrawn(t, page, "iframe.png")
	checkNoConsoleErrors(t, page)
}

func TestPageOffline(t *testing.T) {
	site := browsertest.Site(t)
	srv := browsertest.Serve(t, webserve.Handler(site))
	page := browsertest.NewBrowser(t).NewPage(t, viewportWidth, viewportHeight)

	if err := page.Open(srv.URL + "/?demo=1"); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitFor(running, startTimeout); err != nil {
		t.Fatal(err)
	}
	// The service worker stores the files while it installs, and controls
	// the page once it has activated.
	stored := `caches.open('neuromop-v2').then(c => c.keys()).then(keys => keys.map(k => k.url))`
	if err := page.WaitFor(`navigator.serviceWorker.controller !== null`, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	var urls []string
	if err := page.Eval(stored, &urls); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"/", "/index.html", "/main.wasm", "/wasm_exec.js", "/main.js", "/style.css",
		"/worker.js", "/worker.wasm"} {
		found := false
		for _, u := range urls {
			if u == srv.URL+name {
				found = true
			}
		}
		if !found {
			t.Errorf("the service worker cache lacks %s; it has %v", name, urls)
		}
	}

	srv.Close()
	if err := page.Reload(); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitFor(running+` && window.neuromop.status().ticks < 600`, startTimeout); err != nil {
		t.Fatalf("after the server stopped, the reloaded page did not run: %v", err)
	}
	checkDrawn(t, page, "offline.png")
}

func TestLoaderFallsBackFromStreaming(t *testing.T) {
	// A server that sends main.wasm as application/octet-stream makes
	// WebAssembly.instantiateStreaming reject, and the loader must then
	// download the module whole.
	site := browsertest.Site(t)
	mux := http.NewServeMux()
	mux.Handle("/", webserve.Handler(site))
	mux.HandleFunc("/main.wasm", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		http.ServeFile(w, r, filepath.Join(site, "main.wasm"))
	})
	srv := browsertest.Serve(t, mux)
	page := browsertest.NewBrowser(t).NewPage(t, viewportWidth, viewportHeight)

	if err := page.Open(srv.URL + "/"); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitFor(running, startTimeout); err != nil {
		t.Fatal(err)
	}
	warned := false
	for _, m := range page.Messages() {
		if strings.Contains(m.Text, "instantiateStreaming failed") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("the loader logged no warning about the failed streaming compile")
	}
	checkNoConsoleErrors(t, page)
}

func TestLoaderWithoutStreaming(t *testing.T) {
	site := browsertest.Site(t)
	srv := browsertest.Serve(t, webserve.Handler(site))
	page := browsertest.NewBrowser(t).NewPage(t, viewportWidth, viewportHeight)

	if err := page.AddScriptOnNewDocument(`delete WebAssembly.instantiateStreaming;`); err != nil {
		t.Fatal(err)
	}
	if err := page.Open(srv.URL + "/"); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitFor(running, startTimeout); err != nil {
		t.Fatal(err)
	}
	checkNoConsoleErrors(t, page)
}

// errorText returns the text of the error overlay once it is shown.
func errorText(t *testing.T, page *browsertest.Page, timeout time.Duration) string {
	t.Helper()
	cond := `document.documentElement.dataset.state === 'error' && !document.getElementById('error').hidden`
	if err := page.WaitFor(cond, timeout); err != nil {
		t.Fatal(err)
	}
	var text string
	if err := page.Eval(`document.getElementById('error-message').textContent`, &text); err != nil {
		t.Fatal(err)
	}
	return text
}

func TestLoaderShowsDownloadError(t *testing.T) {
	site := browsertest.Site(t)
	mux := http.NewServeMux()
	mux.Handle("/", webserve.Handler(site))
	mux.Handle("/main.wasm", http.NotFoundHandler())
	srv := browsertest.Serve(t, mux)
	page := browsertest.NewBrowser(t).NewPage(t, viewportWidth, viewportHeight)

	if err := page.Open(srv.URL + "/"); err != nil {
		t.Fatal(err)
	}
	text := errorText(t, page, 30*time.Second)
	if !strings.Contains(text, "HTTP 404") {
		t.Errorf("error overlay text %q does not mention HTTP 404", text)
	}
}

func TestLoaderShowsCompileError(t *testing.T) {
	site := browsertest.Site(t)
	mux := http.NewServeMux()
	mux.Handle("/", webserve.Handler(site))
	mux.HandleFunc("/main.wasm", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/wasm")
		fmt.Fprint(w, "<b>not WebAssembly</b>")
	})
	srv := browsertest.Serve(t, mux)
	page := browsertest.NewBrowser(t).NewPage(t, viewportWidth, viewportHeight)

	if err := page.Open(srv.URL + "/"); err != nil {
		t.Fatal(err)
	}
	text := errorText(t, page, 30*time.Second)
	if !strings.Contains(text, "could not be loaded") {
		t.Errorf("error overlay text %q does not say that loading failed", text)
	}
	var bold int
	if err := page.Eval(`document.querySelectorAll('#error b').length`, &bold); err != nil {
		t.Fatal(err)
	}
	if bold != 0 {
		t.Errorf("the error overlay parsed text as HTML")
	}
}

func TestGoPanicShowsOverlay(t *testing.T) {
	site := browsertest.Site(t, "neuromop_crashtest")
	srv := browsertest.Serve(t, webserve.Handler(site))
	page := browsertest.NewBrowser(t).NewPage(t, viewportWidth, viewportHeight)

	if err := page.Open(srv.URL + "/"); err != nil {
		t.Fatal(err)
	}
	text := errorText(t, page, startTimeout)
	for _, want := range []string{"panic: crash test: deliberate panic on tick 120", "guard.go"} {
		if !strings.Contains(text, want) {
			t.Errorf("error overlay text lacks %q; it is:\n%s", want, text)
		}
	}
	checkDrawn(t, page, "panic.png")
}

// firefoxHost is a page that shows the game in an iframe and reports the
// game's state to /report twice a second, because Firefox's --screenshot
// mode gives a test no other way to read the page. The image that the
// server holds back delays the load event, and with it the screenshot,
// until the game has had time to start.
const firefoxHost = `<!doctype html><title>host</title><link rel="icon" href="icon.svg">
<iframe id="app" src="index.html" width="1000" height="700" title="NeuroMOP"></iframe>
<img src="hold.svg" width="1" height="1" alt="">
<script>
setInterval(() => {
  const w = document.getElementById('app').contentWindow;
  const report = {state: w.document.documentElement.dataset.state || '',
    error: w.document.getElementById('error-message').textContent, frames: 0};
  try { report.frames = w.neuromop.status().frames; } catch (e) {}
  fetch('report', {method: 'POST', body: JSON.stringify(report)});
}, 500);
</script>`

// firefoxReport is the last state that the host page reported.
type firefoxReport struct {
	mu     sync.Mutex
	State  string `json:"state"`
	Error  string `json:"error"`
	Frames int64  `json:"frames"`
}

func TestFirefoxSmoke(t *testing.T) {
	firefox := browsertest.FirefoxPath()
	if firefox == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("neither firefox-esr nor firefox is on PATH, and CI=true requires the Firefox smoke test to run")
		}
		t.Skip("neither firefox-esr nor firefox is on PATH")
	}
	site := browsertest.Site(t)

	var report firefoxReport
	mux := http.NewServeMux()
	mux.Handle("/", webserve.Handler(site))
	mux.HandleFunc("/host.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, firefoxHost)
	})
	mux.Handle("/hold.svg", browsertest.Delayed(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		fmt.Fprint(w, `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`)
	}), 20*time.Second))
	mux.HandleFunc("/report", func(w http.ResponseWriter, r *http.Request) {
		report.mu.Lock()
		defer report.mu.Unlock()
		if err := json.NewDecoder(r.Body).Decode(&report); err != nil {
			t.Errorf("decoding a report of the host page: %v", err)
		}
	})
	srv := browsertest.Serve(t, mux)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out := filepath.Join(screenshotDir(t), "firefox.png")
	if err := browsertest.FirefoxScreenshot(ctx, firefox, t.TempDir(), srv.URL+"/host.html", out, 1040, 760); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	img, err := browsertest.DecodePNG(data)
	if err != nil {
		t.Fatal(err)
	}
	if v := browsertest.Variance(img); v < minVariance {
		t.Errorf("Firefox screenshot %s has luma variance %.1f, want at least %v", out, v, minVariance)
	}
	t.Logf("Firefox screenshot: %s", out)

	report.mu.Lock()
	defer report.mu.Unlock()
	t.Logf("Firefox page state %q, frames %d, error %q", report.State, report.Frames, report.Error)
	if !browsertest.FirefoxWebGL() {
		t.Logf("Firefox has no X display here, so it has no WebGL and only a non-blank page is checked")
		return
	}
	if report.State != "running" || report.Frames <= 0 {
		t.Errorf("in Firefox the page state is %q with %d frames, want running with frames drawn; error: %s",
			report.State, report.Frames, report.Error)
	}
}
