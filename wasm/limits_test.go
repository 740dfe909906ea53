//go:build !js

package main_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/neuromop/neuromop/wasm/browsertest"
	"github.com/neuromop/neuromop/wasm/webserve"
)

// TestPageWiderThanMaxTexture resizes the viewport beyond the 8192 pixels
// of SwiftShader's MAX_TEXTURE_SIZE and checks that the page goes on
// drawing at a reduced scale, and again after a return to a normal size.
func TestPageWiderThanMaxTexture(t *testing.T) {
	site := browsertest.Site(t)
	srv := browsertest.Serve(t, webserve.Handler(site))
	page := browsertest.NewBrowser(t).NewPage(t, viewportWidth, viewportHeight)
	if err := page.Open(srv.URL + "/?autostart=1"); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitFor(running, startTimeout); err != nil {
		t.Fatal(err)
	}

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
