//go:build !js

package main_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/neuromop/neuromop/game"
	"github.com/neuromop/neuromop/wasm/browsertest"
	"github.com/neuromop/neuromop/wasm/webserve"
)

// trainingQuery is a run that never ends, with epochs of a few hundred
// milliseconds in the page.
var trainingQuery = strings.Replace(agentQuery(), "epochs=2", "epochs=100000", 1) + "&autostart=1"

func TestDivergenceNotice(t *testing.T) {
	site := browsertest.Site(t)
	srv := browsertest.Serve(t, webserve.Handler(site))
	b := browsertest.NewBrowser(t)
	for _, mode := range []string{"worker", "local"} {
		t.Run(mode, func(t *testing.T) {
			p := b.NewPage(t, viewportWidth, viewportHeight)
			query := trainingQuery + "&lr=1e4"
			if mode == "local" {
				query += "&worker=0"
			}
			if err := p.Open(srv.URL + "/?" + query); err != nil {
				t.Fatal(err)
			}
			if err := p.WaitFor(running, startTimeout); err != nil {
				t.Fatal(err)
			}
			if err := p.WaitFor(`window.neuromop.status().error.includes('training diverged at epoch 1')`, trainTimeout); err != nil {
				t.Fatal(err)
			}
			s := readAppStatus(t, p, "window")
			t.Logf("status error: %s", s.Error)
			if !strings.Contains(s.Error, "restored the weights of the last epoch, learning rate lowered to") {
				t.Errorf("status error %q does not say what the trainer did", s.Error)
			}
			if got := readStatusMode(t, p); got != mode {
				t.Errorf("status mode %q, want %q", got, mode)
			}
			checkNoticeShown(t, p, "divergence-"+mode+".png")

			cond := fmt.Sprintf(`window.neuromop.status().epoch >= %d && window.neuromop.status().training`, s.Epoch+3)
			if err := p.WaitFor(cond, trainTimeout); err != nil {
				t.Errorf("training did not go on after the divergence: %v", err)
			}
			checkNoConsoleErrors(t, p)
		})
	}
}

func readStatusMode(t *testing.T, p *browsertest.Page) string {
	t.Helper()
	var mode string
	if err := p.Eval(`window.neuromop.status().mode`, &mode); err != nil {
		t.Fatal(err)
	}
	return mode
}

// pace is the training and drawing of a page over an interval.
type pace struct {
	epochs, frames, ticks int64
}

// epochsPerFrame returns the epochs trained per frame drawn, or 0 without
// frames.
func (p pace) epochsPerFrame() float64 {
	if p.frames == 0 {
		return 0
	}
	return float64(p.epochs) / float64(p.frames)
}

// paceOf returns the epochs, frames and Update calls of p over d.
func paceOf(t *testing.T, p *browsertest.Page, d time.Duration) pace {
	t.Helper()
	before, beforeTicks := readAppStatus(t, p, "window"), readStatus(t, p, "window").Ticks
	time.Sleep(d)
	after, afterTicks := readAppStatus(t, p, "window"), readStatus(t, p, "window").Ticks
	return pace{int64(after.Epoch - before.Epoch), after.Frames - before.Frames, afterTicks - beforeTicks}
}

// TestHiddenTab hides the page behind a new tab, as a user who switches
// tabs does, which stops its animation frames, and brings it back. In
// the page the training waits while hidden. In a worker it goes on, and
// the page shows the epochs at once on return. In both the page draws
// again after the visibilitychange, with one Update per frame and no
// catch-up of the frames it missed.
func TestHiddenTab(t *testing.T) {
	site := browsertest.Site(t)
	srv := browsertest.Serve(t, webserve.Handler(site))
	b := browsertest.NewBrowser(t)
	for _, mode := range []string{"worker", "local"} {
		t.Run(mode, func(t *testing.T) {
			p := b.NewPage(t, viewportWidth, viewportHeight)
			ctx := p.Context()
			query := trainingQuery
			if mode == "local" {
				query += "&worker=0"
			}
			if err := p.Open(srv.URL + "/?" + query); err != nil {
				t.Fatal(err)
			}
			if err := p.WaitFor(running+` && window.neuromop.status().epoch >= 2`, trainTimeout); err != nil {
				t.Fatal(err)
			}
			if err := p.Eval(`window.visibilityLog = [];
				document.addEventListener('visibilitychange', () => window.visibilityLog.push(document.visibilityState))`, nil); err != nil {
				t.Fatal(err)
			}
			visible := paceOf(t, p, 4*time.Second)
			t.Logf("visible: %d epochs, %d frames, %d updates in 4 s", visible.epochs, visible.frames, visible.ticks)

			other, err := chromedp.CallBrowser(ctx, target.CreateTarget, target.CreateTargetParams{URL: "about:blank"})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				chromedp.CallBrowser(ctx, target.CloseTarget, target.CloseTargetParams{TargetID: other.TargetID})
			})
			if err := p.WaitFor(`document.visibilityState === 'hidden'`, 10*time.Second); err != nil {
				t.Fatal(err)
			}
			hidden := readAppStatus(t, p, "window")
			time.Sleep(5 * time.Second)
			still := readAppStatus(t, p, "window")
			if d := still.Frames - hidden.Frames; d > 2 {
				t.Errorf("the hidden page drew %d frames in 5 s, want its frames to stop", d)
			}
			if mode == "local" && still.Epoch != hidden.Epoch {
				t.Errorf("the hidden page trained from epoch %d to %d, want a pause", hidden.Epoch, still.Epoch)
			}
			stillTicks := readStatus(t, p, "window").Ticks

			if _, err := chromedp.Call(ctx, page.BringToFront, cdp.Empty{}); err != nil {
				t.Fatal(err)
			}
			if err := p.WaitFor(`document.visibilityState === 'visible'`, 10*time.Second); err != nil {
				t.Fatal(err)
			}
			var log []string
			if err := p.Eval(`window.visibilityLog`, &log); err != nil {
				t.Fatal(err)
			}
			if strings.Join(log, ",") != "hidden,visible" {
				t.Errorf("visibilitychange events saw %q, want hidden then visible", log)
			}
			cond := fmt.Sprintf(`window.neuromop.status().frames > %d`, still.Frames+5)
			if err := p.WaitFor(cond, 20*time.Second); err != nil {
				t.Fatalf("the page did not draw again after it became visible: %v", err)
			}
			back, backTicks := readAppStatus(t, p, "window"), readStatus(t, p, "window").Ticks
			frames := back.Frames - still.Frames
			t.Logf("epoch %d when hidden, %d after %d frames on return", hidden.Epoch, back.Epoch, frames)
			if mode == "worker" && back.Epoch <= hidden.Epoch {
				t.Errorf("epoch %d on return, want the worker's epochs trained while hidden beyond %d", back.Epoch, hidden.Epoch)
			}

			// No catch-up: with the tick rate ebiten.SyncWithFPS, which
			// game.New sets, Ebitengine runs one Update per frame drawn, so
			// the frames missed while hidden (tens per second) are not
			// replayed, and a local run trains in those frames at its
			// per-frame budget. On a machine at a load average of 20, 17
			// updates came with 13 frames drawn, so the bounds allow twice
			// as many updates as frames, far below a replay.
			if d := backTicks - stillTicks; d > 2*frames+3 {
				t.Errorf("%d updates in the first %d frames after return, want one per frame", d, frames)
			}
			if mode == "local" {
				limit := float64(frames)*max(2*visible.epochsPerFrame(), 1) + 2
				if d := float64(back.Epoch - still.Epoch); d > limit {
					t.Errorf("%v epochs in the first %d frames after return, want at most %.0f at the pace before hiding",
						d, frames, limit)
				}
			}
			after := paceOf(t, p, 4*time.Second)
			t.Logf("after return: %d epochs, %d frames, %d updates in 4 s", after.epochs, after.frames, after.ticks)
			if after.frames == 0 || after.ticks > 2*after.frames+3 {
				t.Errorf("after return %d updates for %d frames in 4 s, want about one update per frame drawn",
					after.ticks, after.frames)
			}
			if !back.Training {
				t.Errorf("status training = false after return, want the run to go on")
			}
			checkNoConsoleErrors(t, p)
		})
	}
}

// dialogWatch records the JavaScript dialogs that a page opens and
// dismisses them, so that a test can fail on any alert.
type dialogWatch struct {
	mu      sync.Mutex
	opened  []string
	pending chan struct{}
}

func watchDialogs(t *testing.T, p *browsertest.Page) *dialogWatch {
	t.Helper()
	w := &dialogWatch{pending: make(chan struct{}, 16)}
	err := chromedp.Listen(p.Context(), func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			w.mu.Lock()
			w.opened = append(w.opened, fmt.Sprintf("%s(%q)", d.Type, d.Message))
			w.mu.Unlock()
			select {
			case w.pending <- struct{}{}:
			default:
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	// A dialog blocks the page until it is handled, and the listener may
	// not send commands, so this goroutine dismisses it.
	go func() {
		for range w.pending {
			chromedp.Call(p.Context(), page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	t.Cleanup(func() { close(w.pending) })
	return w
}

func (w *dialogWatch) check(t *testing.T) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, d := range w.opened {
		t.Errorf("the page opened a dialog: %s", d)
	}
}

// domTags returns the tag names of the page's elements, sorted.
func domTags(t *testing.T, p *browsertest.Page) string {
	t.Helper()
	var tags string
	if err := p.Eval(`Array.from(document.querySelectorAll('*'), e => e.tagName).sort().join(',')`, &tags); err != nil {
		t.Fatal(err)
	}
	return tags
}

// hostileQuery encodes pairs, which may repeat names, as a URL query.
func hostileQuery(pairs ...[2]string) string {
	var parts []string
	for _, kv := range pairs {
		parts = append(parts, url.QueryEscape(kv[0])+"="+url.QueryEscape(kv[1]))
	}
	return strings.Join(parts, "&")
}

const (
	alertImg    = `<img src=x onerror=alert(1)>`
	alertScript = `"><script>alert(1)</script>`
)

func TestHostileURLParameters(t *testing.T) {
	// The base run trains quickly whatever the hostile values replace, so
	// that each page can show that it keeps training.
	base := "task=square&steps=5&eval-steps=10&final-steps=10&units=8&batch=32&passes=1&epochs=100000&autostart=1"
	many := make([][2]string, 0, 300)
	for i := range 300 {
		many = append(many, [2]string{fmt.Sprintf("p%03d", i), "1"})
	}
	cases := []struct {
		name  string
		query string
		// want are parts of status().error, one per rejected value.
		want []string
		// query must and must not contain these parts afterwards.
		kept, dropped []string
	}{
		{
			name: "numbers",
			query: hostileQuery([2]string{"n", "1e9"}, [2]string{"agents", "-3"}, [2]string{"K", "NaN"},
				[2]string{"alpha", "Infinity"}, [2]string{"gamma", ""}, [2]string{"seed", "-1"},
				[2]string{"mu", "1e999"}, [2]string{"eval-agents", "0x10"}),
			want: []string{`invalid n "1e9": want an integer in [`, `invalid agents "-3"`, `invalid K "NaN"`,
				`invalid alpha "Infinity"`, `invalid gamma "": want a number in (0, 1)`, `invalid seed "-1"`,
				`invalid mu "1e999"`, `invalid eval-agents "0x10"`},
			dropped: []string{"n=", "agents=", "K=", "alpha=", "gamma=", "seed=", "mu="},
		},
		{
			name: "markup values",
			query: hostileQuery([2]string{"task", alertImg}, [2]string{"shape", alertScript},
				[2]string{"agent", `<svg/onload=alert(1)>`}, [2]string{"view", `<b>compare</b>`},
				[2]string{"worker", alertImg}),
			want: []string{`invalid task "<img src=x onerror=alert(1)>"`, `invalid shape "\"><script>alert(1)</script>"`,
				`invalid agent "<svg/onload=alert(1)>"`, `invalid view "<b>compare</b>"`,
				`invalid worker "<img src=x onerror=alert(1)>"`},
			kept:    []string{"task=square"},
			dropped: []string{"script", "img", "svg", "view="},
		},
		{
			name: "markup names",
			query: hostileQuery([2]string{alertImg, "1"}, [2]string{alertScript, "2"},
				[2]string{"temperature", "5"}, [2]string{"seed", "3"}, [2]string{"seed", "4"},
				[2]string{"alpha", "0.3"}, [2]string{"alpha", "oops"}),
			want: []string{`unknown parameter "<img src=x onerror=alert(1)>"`,
				`unknown parameter "\"><script>alert(1)</script>"`, `unknown parameter "temperature"`,
				`invalid alpha "oops"`},
			kept:    []string{"seed=4"},
			dropped: []string{"alpha=", "temperature", "script", "img"},
		},
		{
			name: "long and many",
			query: "alpha=%zz&" + hostileQuery(append([][2]string{{"gamma", "0.5"},
				{"mu", strings.Repeat("9", 100000)}, {strings.Repeat("y", 5000), "1"}}, many...)...),
			want: []string{`invalid URL query: invalid URL escape "%zz"`, `invalid mu "999`,
				`want a number in [0, 100]`, "and 295 more messages, listed in status().errors"},
			kept:    []string{"gamma=0.5"},
			dropped: []string{"999", "yyy", "p000"},
		},
	}

	site := browsertest.Site(t)
	srv := browsertest.Serve(t, webserve.Handler(site))
	b := browsertest.NewBrowser(t)

	clean := b.NewPage(t, viewportWidth, viewportHeight)
	if err := clean.Open(srv.URL + "/?" + base); err != nil {
		t.Fatal(err)
	}
	if err := clean.WaitFor(running, startTimeout); err != nil {
		t.Fatal(err)
	}
	cleanTags := domTags(t, clean)

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := b.NewPage(t, viewportWidth, viewportHeight)
			dialogs := watchDialogs(t, p)
			if err := p.Open(srv.URL + "/?" + base + "&" + tc.query); err != nil {
				t.Fatal(err)
			}
			if err := p.WaitFor(running, startTimeout); err != nil {
				t.Fatal(err)
			}
			s := readAppStatus(t, p, "window")
			for _, want := range tc.want {
				if !strings.Contains(s.Error, want) {
					t.Errorf("status error lacks %q; it is:\n%s", want, s.Error)
				}
			}
			if len(s.Error) > (game.MaxNotices+1)*(game.MaxNoticeBytes+2) {
				t.Errorf("status error has %d bytes, want the notices bounded", len(s.Error))
			}
			for _, part := range tc.kept {
				if !strings.Contains(s.Query, part) {
					t.Errorf("query %q lacks %q", s.Query, part)
				}
			}
			for _, part := range tc.dropped {
				if strings.Contains(s.Query, part) {
					t.Errorf("query %q keeps %q, want the rejected value dropped", s.Query, part)
				}
			}
			var search string
			if err := p.Eval(`location.search`, &search); err != nil {
				t.Fatal(err)
			}
			if search != "?"+s.Query {
				t.Errorf("location.search %.200q, want the query of the settings %q", search, "?"+s.Query)
			}

			// The app keeps running: it draws and trains.
			cond := fmt.Sprintf(`window.neuromop.status().frames > %d && window.neuromop.status().epoch >= 1`, s.Frames+10)
			if err := p.WaitFor(cond, trainTimeout); err != nil {
				t.Errorf("the page stopped after the hostile parameters: %v", err)
			}
			checkNoticeShown(t, p, "hostile-"+strings.ReplaceAll(tc.name, " ", "-")+".png")

			// Nothing was interpreted as markup.
			if tags := domTags(t, p); tags != cleanTags {
				t.Errorf("elements of the page:\n%s\nwant those of a clean load:\n%s", tags, cleanTags)
			}
			var injected bool
			if err := p.Eval(`document.body.textContent.includes('alert(1)') || document.title !== 'NeuroMOP'`, &injected); err != nil {
				t.Fatal(err)
			}
			if injected {
				t.Errorf("the page's text or title contains a hostile value")
			}
			dialogs.check(t)
			checkNoConsoleErrors(t, p)
		})
	}

	// set() takes the same values through window.neuromop and rejects each
	// with its message while the page keeps training.
	p := clean
	dialogs := watchDialogs(t, p)
	values := []string{"1e9", "-3", "NaN", "Infinity", "", alertImg, alertScript, strings.Repeat("7", 50000)}
	for _, v := range values {
		for _, name := range []string{"n", "alpha", alertImg} {
			var msgs []string
			expr := fmt.Sprintf(`window.neuromop.set({[%s]: %s})`, jsString(name), jsString(v))
			if err := p.Eval(expr, &msgs); err != nil {
				t.Fatal(err)
			}
			if len(msgs) != 1 || len(msgs[0]) > game.MaxNoticeBytes {
				t.Errorf("set({%.20q: %.20q}) = %d messages of %v, want one bounded message", name, v, len(msgs), msgs)
			}
		}
	}
	// Arguments whose members throw when read are rejected with a message
	// instead of stopping the Go program.
	for _, expr := range []string{
		`window.neuromop.set({alpha: {toString() { throw new Error("x") }}})`,
		`window.neuromop.set(new Proxy({}, {ownKeys() { throw new Error("p") }}))`,
	} {
		var msgs []string
		if err := p.Eval(expr, &msgs); err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "invalid argument") {
			t.Errorf("%s = %q, want one invalid-argument message", expr, msgs)
		}
	}
	before := readAppStatus(t, p, "window")
	cond := fmt.Sprintf(`window.neuromop.status().epoch > %d`, before.Epoch)
	if err := p.WaitFor(cond, trainTimeout); err != nil {
		t.Errorf("the page stopped training after the rejected set() calls: %v", err)
	}
	if tags := domTags(t, p); tags != cleanTags {
		t.Errorf("set() changed the page's elements to:\n%s", tags)
	}
	dialogs.check(t)
	checkNoConsoleErrors(t, p)
}

// jsString returns s as a JavaScript string literal.
func jsString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == '<' || r == '>':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// TestContentSecurityPolicy checks that the page and the server declare
// the policy and that the browser enforces it: an inline script and an
// inline event handler added to the running page are blocked, each with a
// securitypolicyviolation event.
func TestContentSecurityPolicy(t *testing.T) {
	site := browsertest.Site(t)
	srv := browsertest.Serve(t, webserve.Handler(site))
	p := browsertest.NewBrowser(t).NewPage(t, viewportWidth, viewportHeight)

	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Content-Security-Policy"); got != webserve.ContentSecurityPolicy {
		t.Errorf("Content-Security-Policy header %q, want %q", got, webserve.ContentSecurityPolicy)
	}

	if err := p.Open(srv.URL + "/"); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(running, startTimeout); err != nil {
		t.Fatal(err)
	}
	var meta string
	if err := p.Eval(`document.querySelector('meta[http-equiv="Content-Security-Policy"]').content`, &meta); err != nil {
		t.Fatal(err)
	}
	if meta != webserve.ContentSecurityPolicy {
		t.Errorf("meta Content-Security-Policy %q, want the server's %q", meta, webserve.ContentSecurityPolicy)
	}

	// inject adds one piece of inline code to the page and returns the
	// directive of the violation it causes, or "" after 5 s without one.
	inject := func(add string) string {
		t.Helper()
		script := `new Promise((resolve) => {
			const seen = (e) => {
				document.removeEventListener('securitypolicyviolation', seen);
				resolve(e.blockedURI === 'inline' ? e.effectiveDirective : 'blocked ' + e.blockedURI);
			};
			document.addEventListener('securitypolicyviolation', seen);
			setTimeout(() => resolve(''), 5000);
			` + add + `
		})`
		var directive string
		if err := p.Eval(script, &directive); err != nil {
			t.Fatal(err)
		}
		return directive
	}
	injections := []struct{ name, code string }{
		{"inline script", `const s = document.createElement('script');
			s.textContent = 'window.inlineRan = true';
			document.body.append(s);`},
		{"inline event handler", `const img = document.createElement('img');
			img.setAttribute('onerror', 'window.inlineRan = true');
			img.src = 'data:,not-an-image';
			document.body.append(img);`},
	}
	for _, in := range injections {
		if d := inject(in.code); !strings.HasPrefix(d, "script-src") {
			t.Errorf("%s: violation %q, want one of a script-src directive blocking inline code", in.name, d)
		} else {
			t.Logf("%s: blocked by %s", in.name, d)
		}
	}
	var ran bool
	if err := p.Eval(`Boolean(window.inlineRan)`, &ran); err != nil {
		t.Fatal(err)
	}
	if ran {
		t.Errorf("the inline script or event handler ran despite the policy")
	}
	if err := p.Eval(`document.querySelectorAll('body > script, body > img').forEach(e => e.remove())`, nil); err != nil {
		t.Fatal(err)
	}

	// The blocked code is logged as console errors, and nothing else is.
	for _, msg := range p.ConsoleErrors() {
		if !strings.Contains(msg, "Content Security Policy") {
			t.Errorf("console error: %s", msg)
		}
	}
}
