//go:build !js

package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ChromiumPath is the install path of Debian's chromium package.
const ChromiumPath = "/usr/bin/chromium"

// chromiumFlags are the command-line flags of every browser that NewBrowser
// starts, besides --user-data-dir. The software rasteriser SwiftShader
// provides WebGL without a GPU, and the flags for background services keep
// the browser from connecting anywhere but the test server.
var chromiumFlags = []chromedp.ExecAllocatorOption{
	chromedp.Flag("headless", "new"),
	chromedp.Flag("no-sandbox", true),
	chromedp.Flag("disable-gpu", true),
	chromedp.Flag("enable-unsafe-swiftshader", true),
	chromedp.Flag("disable-background-networking", true),
	chromedp.Flag("disable-component-update", true),
	chromedp.Flag("disable-sync", true),
	chromedp.Flag("no-first-run", true),
	chromedp.Flag("disable-quic", true),
}

// Browser is a headless Chromium process for one test.
type Browser struct {
	ctx    context.Context // chromedp context of the first tab
	output *syncBuffer     // the browser's standard output and error
}

// NewBrowser starts headless Chromium with a new profile and stops it when
// the test ends. Without a browser at ChromiumPath it skips the test, unless
// the environment variable CI is "true", where it fails the test.
func NewBrowser(tb testing.TB) *Browser {
	tb.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		msg := fmt.Sprintf("browsertest: %s not found (install Debian's chromium package)", ChromiumPath)
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s, and CI=true requires the browser tests to run", msg)
		}
		tb.Skip(msg)
	}

	b := &Browser{output: &syncBuffer{}}
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromiumPath),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.CombinedOutput(b.output),
	}, chromiumFlags...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	tb.Cleanup(func() {
		cancel()
		cancelAlloc()
		if tb.Failed() {
			tb.Logf("browsertest: Chromium output:\n%s", b.output.tail(4096))
		}
	})

	// The first action on a context starts the browser.
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("browsertest: starting %s: %v\n%s", ChromiumPath, err, b.output.tail(4096))
	}
	b.ctx = ctx
	return b
}

// Page is one browser tab. It records the console messages of the tab and
// of the same-origin frames inside it.
type Page struct {
	tb  testing.TB
	ctx context.Context

	mu       sync.Mutex
	messages []chromedp.ConsoleMessage
}

// NewPage opens a tab with a viewport of width × height CSS pixels and
// starts recording its console. opts can set a device pixel ratio with
// chromedp.EmulateScale. The tab closes when the test ends.
func (b *Browser) NewPage(tb testing.TB, width, height int64, opts ...chromedp.EmulateViewportOption) *Page {
	tb.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	tb.Cleanup(cancel)

	p := &Page{tb: tb, ctx: ctx}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height, opts...)); err != nil {
		tb.Fatalf("browsertest: opening a tab: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			p.mu.Lock()
			p.messages = append(p.messages, m)
			p.mu.Unlock()
		}
	}()
	return p
}

// Context returns the chromedp context of the tab, for actions that Page
// does not wrap.
func (p *Page) Context() context.Context { return p.ctx }

// AddScriptOnNewDocument runs source in every frame of the tab before the
// frame's own scripts, from the next navigation on.
func (p *Page) AddScriptOnNewDocument(source string) error {
	_, err := chromedp.Call(p.ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: source})
	if err != nil {
		return fmt.Errorf("browsertest: adding a script: %w", err)
	}
	return nil
}

// Open navigates the tab to url and waits for its load event.
func (p *Page) Open(url string) error {
	if err := chromedp.Do(p.ctx, chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("browsertest: opening %s: %w", url, err)
	}
	return nil
}

// Reload reloads the page and waits for its load event.
func (p *Page) Reload() error {
	if err := chromedp.Do(p.ctx, chromedp.Reload()); err != nil {
		return fmt.Errorf("browsertest: reloading: %w", err)
	}
	return nil
}

// Eval evaluates the JavaScript expression expr, waits for it when it is a
// promise, and decodes its JSON value into out. out may be nil to drop the
// value.
func (p *Page) Eval(expr string, out any) error {
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return fmt.Errorf("browsertest: evaluating %s: %w", expr, err)
	}
	if out == nil {
		return nil
	}
	if len(raw) == 0 {
		raw = []byte("null")
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("browsertest: decoding the value of %s: %w", expr, err)
	}
	return nil
}

// WaitFor polls the JavaScript expression cond every 100 ms until it is
// truthy, and fails after timeout. An expression that throws counts as
// false, so cond may read objects that do not exist yet.
func (p *Page) WaitFor(cond string, timeout time.Duration) error {
	expr := fmt.Sprintf("(() => { try { return Boolean(%s); } catch (e) { return false; } })()", cond)
	deadline := time.Now().Add(timeout)
	for {
		var ok bool
		err := p.Eval(expr, &ok)
		if err == nil && ok {
			return nil
		}
		if time.Now().After(deadline) {
			if err != nil {
				return fmt.Errorf("browsertest: %s still false after %s: %w", cond, timeout, err)
			}
			return fmt.Errorf("browsertest: %s still false after %s", cond, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Screenshot returns a PNG of the first element that matches the CSS
// selector, or of the whole viewport when selector is empty.
func (p *Page) Screenshot(selector string) ([]byte, error) {
	var (
		png []byte
		err error
	)
	if selector == "" {
		png, err = chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	} else {
		png, err = chromedp.Run(p.ctx, chromedp.Screenshot(chromedp.CSS(selector)))
	}
	if err != nil {
		return nil, fmt.Errorf("browsertest: screenshot of %q: %w", selector, err)
	}
	return png, nil
}

// Click sends a left click at (x, y) in CSS pixels of the viewport.
func (p *Page) Click(x, y float64) error {
	if err := chromedp.Do(p.ctx, chromedp.MouseClickXY(x, y)); err != nil {
		return fmt.Errorf("browsertest: clicking at (%v, %v): %w", x, y, err)
	}
	return nil
}

// Messages returns the console messages recorded so far.
func (p *Page) Messages() []chromedp.ConsoleMessage {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]chromedp.ConsoleMessage(nil), p.messages...)
}

// ConsoleErrors returns the recorded messages of type error, uncaught
// exceptions and unhandled rejections, and browser log entries of level
// error such as failed requests and Content-Security-Policy violations.
func (p *Page) ConsoleErrors() []string {
	var errs []string
	for _, m := range p.Messages() {
		if m.Type == chromedp.ConsoleError || m.IsException() {
			s := m.String()
			if m.URL != "" {
				s += " (" + m.URL + ")"
			}
			errs = append(errs, s)
		}
	}
	return errs
}

// syncBuffer is a bytes.Buffer that the browser's output goroutine and the
// test can use at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// tail returns the last n bytes written, starting at a line boundary.
func (b *syncBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	if len(s) > n {
		s = s[len(s)-n:]
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			s = s[i+1:]
		}
	}
	return s
}
