//go:build !js

package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/neuromop/neuromop/game"
	"github.com/neuromop/neuromop/game/ui"
	"github.com/neuromop/neuromop/sim"
	"github.com/neuromop/neuromop/wasm/browsertest"
	"github.com/neuromop/neuromop/wasm/webserve"
)

// agentParams is a run of two epochs that the page trains in seconds, as
// URL parameters and as the flags of the neuromop command.
var agentParams = [][2]string{
	{"task", "square"}, {"seed", "5"}, {"epochs", "2"}, {"agents", "8"}, {"steps", "10"},
	{"eval-agents", "4"}, {"eval-steps", "20"}, {"final-agents", "8"}, {"final-steps", "40"},
	{"n", "20"}, {"K", "8"}, {"units", "8"}, {"batch", "32"}, {"passes", "1"},
}

func agentQuery() string {
	var parts []string
	for _, p := range agentParams {
		parts = append(parts, p[0]+"="+p[1])
	}
	return strings.Join(parts, "&")
}

func agentFlags() []string {
	var flags []string
	for _, p := range agentParams {
		flags = append(flags, "-"+p[0], p[1])
	}
	return flags
}

// buildCLI builds the neuromop command into a temporary directory of t
// and returns its path.
func buildCLI(t *testing.T) string {
	t.Helper()
	root, err := browsertest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "neuromop")
	build := exec.Command("go", "build", "-o", path, "./cmd/neuromop")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building neuromop failed: %v\n%s", err, out)
	}
	return path
}

// runCLI runs the neuromop command at cli with args and returns its
// standard output.
func runCLI(t *testing.T, cli string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("neuromop %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.Bytes()
}

// agentDoc is the part of an agent file that the tests compare.
type agentDoc struct {
	Params        map[string]string `json:"params"`
	ValueNet      json.RawMessage   `json:"value_net"`
	EpochsTrained int               `json:"epochs_trained"`
	Metrics       json.RawMessage   `json:"metrics"`
}

func decodeAgentDoc(t *testing.T, text string) agentDoc {
	t.Helper()
	var d agentDoc
	if err := json.Unmarshal([]byte(text), &d); err != nil {
		t.Fatalf("the agent file is not JSON: %v\n%.300s", err, text)
	}
	return d
}

// sameJSON reports whether a and b hold the same JSON value.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("invalid JSON %.200s: %v", a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("invalid JSON %.200s: %v", b, err)
	}
	return reflect.DeepEqual(x, y)
}

// eigenMetrics are the metrics computed from eigenvalues by gonum, whose
// amd64 assembly kernels sum in another order than its pure Go code in
// WebAssembly, so the page and the CLI differ in their last bits.
var eigenMetrics = map[string]bool{"effective_dim": true, "action_effective_dim": true, "null_space_fraction": true}

// checkMetrics compares two metrics objects of agent files: every member
// exactly, except those of eigenMetrics within a relative 1e-12.
func checkMetrics(t *testing.T, what string, got, want json.RawMessage) {
	t.Helper()
	var g, w map[string]any
	if err := json.Unmarshal(got, &g); err != nil || g == nil {
		t.Fatalf("%s: metrics %.100s are not a JSON object", what, got)
	}
	if err := json.Unmarshal(want, &w); err != nil || w == nil {
		t.Fatalf("%s: expected metrics %.100s are not a JSON object", what, want)
	}
	for name, wv := range w {
		gv, ok := g[name]
		switch {
		case !ok:
			t.Errorf("%s: metrics lack %s", what, name)
		case eigenMetrics[name]:
			gf, _ := gv.(float64)
			wf, _ := wv.(float64)
			if math.Abs(gf-wf) > 1e-12*math.Abs(wf) {
				t.Errorf("%s: %s = %v, want %v within a relative 1e-12", what, name, gv, wv)
			}
		case !reflect.DeepEqual(gv, wv):
			t.Errorf("%s: %s = %v, want %v", what, name, gv, wv)
		}
	}
	if len(g) != len(w) {
		t.Errorf("%s: metrics have %d members, want %d", what, len(g), len(w))
	}
}

func exportAgent(t *testing.T, p *browsertest.Page) string {
	t.Helper()
	var text string
	if err := p.Eval(`window.neuromop.exportAgent()`, &text); err != nil {
		t.Fatal(err)
	}
	return text
}

// importAgent passes text to window.neuromop.importAgent and returns its
// message.
func importAgent(t *testing.T, p *browsertest.Page, text string) string {
	t.Helper()
	arg, err := json.Marshal(text)
	if err != nil {
		t.Fatal(err)
	}
	var msg string
	if err := p.Eval(fmt.Sprintf(`window.neuromop.importAgent(%s)`, arg), &msg); err != nil {
		t.Fatal(err)
	}
	return msg
}

// evaluateImported waits until the page has replaced a finished run with
// the imported idle one, starts it and waits for its final evaluation.
func evaluateImported(t *testing.T, p *browsertest.Page) {
	t.Helper()
	if err := p.WaitFor(`window.neuromop.status().state === 'idle'`, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := p.Eval(`window.neuromop.start()`, nil); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(`window.neuromop.status().state === 'done'`, trainTimeout); err != nil {
		t.Fatal(err)
	}
}

// TestAgentFilesPageAndCLI trains the same small run in the page and with
// neuromop train, and moves the agents both ways. The page's file evaluates
// in neuromop eval to the CLI's final metrics. The CLI's file, imported and
// evaluated in the page, exports with the same contents.
func TestAgentFilesPageAndCLI(t *testing.T) {
	site := browsertest.Site(t)
	srv := browsertest.Serve(t, webserve.Handler(site))
	p := browsertest.NewBrowser(t).NewPage(t, viewportWidth, viewportHeight)
	dir := t.TempDir()

	cliFile := filepath.Join(dir, "cli.agent.json")
	var trained struct {
		Metrics json.RawMessage `json:"metrics"`
	}
	cli := buildCLI(t)
	out := runCLI(t, cli, append(append([]string{"train"}, agentFlags()...), "-save", cliFile, "-json", "-quiet")...)
	if err := json.Unmarshal(out, &trained); err != nil {
		t.Fatalf("neuromop train -json printed %s: %v", out, err)
	}
	cliText, err := os.ReadFile(cliFile)
	if err != nil {
		t.Fatal(err)
	}

	if err := p.Open(srv.URL + "/?" + agentQuery() + "&autostart=1"); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(running, startTimeout); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(`window.neuromop.status().state === 'done'`, trainTimeout); err != nil {
		t.Fatal(err)
	}
	pageText := exportAgent(t, p)
	pageDoc, cliDoc := decodeAgentDoc(t, pageText), decodeAgentDoc(t, string(cliText))
	if !reflect.DeepEqual(pageDoc.Params, cliDoc.Params) {
		t.Errorf("page file params %v, want the CLI's %v", pageDoc.Params, cliDoc.Params)
	}
	if !sameJSON(t, pageDoc.ValueNet, cliDoc.ValueNet) {
		t.Errorf("the page trained other weights than neuromop train with the same parameters")
	}
	if pageDoc.EpochsTrained != 2 {
		t.Errorf("page file epochs_trained %d, want 2", pageDoc.EpochsTrained)
	}

	// Page to CLI: neuromop eval reproduces the final evaluation.
	pageFile := filepath.Join(dir, "page.agent.json")
	if err := os.WriteFile(pageFile, []byte(pageText), 0o644); err != nil {
		t.Fatal(err)
	}
	var evaluated struct {
		Metrics json.RawMessage `json:"metrics"`
	}
	out = runCLI(t, cli, "eval", "-load", pageFile, "-json")
	if err := json.Unmarshal(out, &evaluated); err != nil {
		t.Fatalf("neuromop eval -json printed %s: %v", out, err)
	}
	if !sameJSON(t, evaluated.Metrics, trained.Metrics) {
		t.Errorf("neuromop eval of the page's file:\n%s\nwant the final metrics of neuromop train:\n%s",
			evaluated.Metrics, trained.Metrics)
	}

	// CLI to page: the imported agent's evaluation in the page reproduces
	// the file, metrics included.
	if msg := importAgent(t, p, string(cliText)); msg != "" {
		t.Fatalf("importAgent rejected the CLI's file: %s", msg)
	}
	evaluateImported(t, p)
	again := decodeAgentDoc(t, exportAgent(t, p))
	if !reflect.DeepEqual(again.Params, cliDoc.Params) || !sameJSON(t, again.ValueNet, cliDoc.ValueNet) ||
		again.EpochsTrained != cliDoc.EpochsTrained {
		t.Errorf("the CLI's agent, evaluated in the page, exports other parameters, weights or epochs")
	}
	checkMetrics(t, "the CLI's agent evaluated in the page", again.Metrics, cliDoc.Metrics)

	// Page round trip: the page's own file, imported and evaluated,
	// reproduces the final evaluation.
	if msg := importAgent(t, p, pageText); msg != "" {
		t.Fatalf("importAgent rejected the page's file: %s", msg)
	}
	evaluateImported(t, p)
	roundTrip := decodeAgentDoc(t, exportAgent(t, p))
	checkMetrics(t, "the page's agent evaluated in the page", roundTrip.Metrics, trained.Metrics)
	if !sameJSON(t, roundTrip.ValueNet, pageDoc.ValueNet) {
		t.Errorf("the page round trip changed the weights")
	}
	if s := readAppStatus(t, p, "window"); s.Error != "" {
		t.Errorf("status error %q, want none", s.Error)
	}
	checkNoConsoleErrors(t, p)
}

// agentButton returns the centre of the side panel's Save agent (0) or
// Load agent (1) button in a window of the test viewport: the second row
// of the panel.
func agentButton(i int) [2]float64 {
	l := game.ComputeLayout(viewportWidth, viewportHeight)
	th := ui.DefaultTheme()
	row := ui.Rect{
		X: l.Left.X + th.Padding, Y: l.Left.Y + th.Padding + th.RowHeight + th.Gap,
		W: l.Left.W - 2*th.Padding, H: th.RowHeight,
	}
	r := ui.Columns(nil, row, 2, 4)[i]
	return [2]float64{r.X + r.W/2, r.Y + r.H/2}
}

// TestAgentFileControls uses the page's own controls: the canvas's Save
// agent button downloads the file, the Load agent button opens the file
// picker, whose file main.js imports, and a file dropped on the page is
// imported too.
func TestAgentFileControls(t *testing.T) {
	site := browsertest.Site(t)
	srv := browsertest.Serve(t, webserve.Handler(site))
	p := browsertest.NewBrowser(t).NewPage(t, viewportWidth, viewportHeight)
	ctx := p.Context()
	downloads := t.TempDir()

	if err := p.Open(srv.URL + "/?" + agentQuery() + "&worker=0"); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(running, startTimeout); err != nil {
		t.Fatal(err)
	}

	// Save agent: the download contains the text that exportAgent returns.
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads, EventsEnabled: ptrTo(true),
	}); err != nil {
		t.Fatal(err)
	}
	slowClick(t, p, agentButton(0))
	saved := waitDownload(t, progress)
	data, err := os.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	if want := "neuromop-square-mop-seed5-0epochs.agent.json"; filepath.Base(saved) != want {
		t.Errorf("downloaded file %s, want the name %s", filepath.Base(saved), want)
	}
	if exported := exportAgent(t, p); string(data) != exported {
		t.Errorf("the downloaded file differs from exportAgent()")
	}

	// Load agent: the file picker's file is imported. A truncated file is
	// rejected with its message in the status.
	if _, err := chromedp.Call(ctx, page.SetInterceptFileChooserDialog, page.SetInterceptFileChooserDialogParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(t.TempDir(), "truncated.agent.json")
	if err := os.WriteFile(truncated, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	choosers := chromedp.Events(ctx, page.FileChooserOpened)
	slowClick(t, p, agentButton(1))
	chooser := waitEvent(t, choosers, "the file picker to open")
	if _, err := chromedp.Call(ctx, dom.SetFileInputFiles, dom.SetFileInputFilesParams{
		Files: []string{truncated}, BackendNodeID: chooser.BackendNodeID,
	}); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(`window.neuromop.status().error.includes('agent file: truncated after')`, 20*time.Second); err != nil {
		t.Error(err)
	}

	// A drop of a file of another seed replaces the run.
	other := bytes.Replace(data, []byte(`"seed": "5"`), []byte(`"seed": "6"`), 1)
	if bytes.Equal(other, data) {
		t.Fatalf("the saved file has no seed 5 parameter")
	}
	dropped := filepath.Join(t.TempDir(), "seed6.agent.json")
	if err := os.WriteFile(dropped, other, 0o644); err != nil {
		t.Fatal(err)
	}
	drop(t, p, dropped)
	if err := p.WaitFor(`window.neuromop.status().query.includes('seed=6')`, 20*time.Second); err != nil {
		t.Error(err)
	}
	if s := readAppStatus(t, p, "window"); s.Error != "" {
		t.Errorf("status error %q after a valid drop, want none", s.Error)
	}
	var url string
	if err := p.Eval(`location.href`, &url); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, srv.URL+"/?") {
		t.Errorf("after the drop the tab shows %s, want the page", url)
	}

	// main.js reads one byte more than maxAgentFileBytes of a file, so a
	// limit of 100 bytes leaves importAgent 101 bytes of the valid file.
	if err := p.Eval(`window.neuromop.maxAgentFileBytes = 100`, nil); err != nil {
		t.Fatal(err)
	}
	drop(t, p, dropped)
	if err := p.WaitFor(`window.neuromop.status().error.includes('agent file: truncated after 101 bytes')`, 20*time.Second); err != nil {
		t.Error(err)
	}
	checkNoConsoleErrors(t, p)
}

// drop drags the file at path onto the middle of the page and drops it
// there, as a user's drag from a file manager does.
func drop(t *testing.T, p *browsertest.Page, path string) {
	t.Helper()
	x, y := float64(viewportWidth)/2, float64(viewportHeight)/2
	data := &input.DragData{Items: []*input.DragDataItem{}, Files: []string{path}, DragOperationsMask: 1}
	for _, kind := range []input.DispatchDragEventType{input.DispatchDragEventTypeDragEnter,
		input.DispatchDragEventTypeDragOver, input.DispatchDragEventTypeDrop} {
		params := input.DispatchDragEventParams{Type: kind, X: x, Y: y, Data: data}
		if _, err := chromedp.Call(p.Context(), input.DispatchDragEvent, params); err != nil {
			t.Fatalf("drag event %s: %v", kind, err)
		}
	}
}

// slowClick presses the left mouse button at (x, y) and releases it after
// two frames, so that the game's UI, which reads the pointer once per
// frame, gets the press and the release in different frames.
func slowClick(t *testing.T, p *browsertest.Page, at [2]float64) {
	x, y := at[0], at[1]
	t.Helper()
	waitFrames := func() {
		frames := readAppStatus(t, p, "window").Frames
		if err := p.WaitFor(fmt.Sprintf(`window.neuromop.status().frames > %d`, frames+1), 20*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.MouseEvent(chromedp.MouseMoved, x, y, chromedp.ButtonNone),
		chromedp.MouseEvent(chromedp.MousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.MouseEvent(chromedp.MouseReleased, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
	}
	for _, step := range steps {
		if err := chromedp.Do(p.Context(), step); err != nil {
			t.Fatal(err)
		}
		waitFrames()
	}
}

func ptrTo[T any](v T) *T { return &v }

// waitDownload returns the path of the next completed download.
func waitDownload(t *testing.T, events func(func(browser.EventDownloadProgress, error) bool)) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan string, 1)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			if ev.State == browser.DownloadProgressStateCompleted {
				done <- ev.FilePath
				return
			}
		}
	}()
	select {
	case path := <-done:
		return path
	case <-ctx.Done():
		t.Fatalf("no download completed within 30 s")
	}
	return ""
}

// waitEvent returns the next event of events, or fails after 30 s.
func waitEvent[E any](t *testing.T, events func(func(E, error) bool), what string) E {
	t.Helper()
	got := make(chan E, 1)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			got <- ev
			return
		}
	}()
	select {
	case ev := <-got:
		return ev
	case <-time.After(30 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
	var zero E
	return zero
}

// noticePixels counts the pixels of img in r that have the colour of the
// notice box's border and title, #ff8a80, within a small tolerance.
func noticePixels(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if near(cr>>8, 0xff) && near(cg>>8, 0x8a) && near(cb>>8, 0x80) {
				n++
			}
		}
	}
	return n
}

func near(v, want uint32) bool { return v+8 >= want && v <= want+8 }

// checkNoticeShown saves a screenshot as name and fails unless the scene
// area shows the notice box: at least a border's worth of its colour.
func checkNoticeShown(t *testing.T, p *browsertest.Page, name string) {
	t.Helper()
	data, err := p.Screenshot("")
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
	c := game.ComputeLayout(viewportWidth, viewportHeight).Center
	scene := image.Rect(int(c.X), int(c.Y), int(c.X+c.W), int(c.Y+c.H))
	if n, want := noticePixels(img, scene), 2*int(c.W-24); n < want {
		t.Errorf("screenshot %s shows %d pixels of the notice colour in the scene, want at least %d", path, n, want)
	}
}

// TestAgentFileRejectedInPage imports broken files into a training run:
// each gets its message in the status and the run trains on.
func TestAgentFileRejectedInPage(t *testing.T) {
	site := browsertest.Site(t)
	srv := browsertest.Serve(t, webserve.Handler(site))
	p := browsertest.NewBrowser(t).NewPage(t, viewportWidth, viewportHeight)

	query := strings.Replace(agentQuery(), "epochs=2", "epochs=100000", 1) + "&autostart=1"
	if err := p.Open(srv.URL + "/?" + query); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(running+` && window.neuromop.status().epoch >= 1`, trainTimeout); err != nil {
		t.Fatal(err)
	}
	valid := exportAgent(t, p)
	before := readAppStatus(t, p, "window")

	edit := func(from, to string) string {
		if !strings.Contains(valid, from) {
			t.Fatalf("the exported file lacks %q", from)
		}
		return strings.Replace(valid, from, to, 1)
	}
	cases := []struct {
		name, text, want string
	}{
		{"truncated", valid[:len(valid)/3], "agent file: truncated after"},
		{"not JSON", "<script>alert(1)</script>", "agent file: invalid JSON at byte"},
		{"wrong version", edit(`"version": 1`, `"version": 99`), "version 99 is not supported"},
		{"shape mismatch", edit(`"sizes": [
      20,`, `"sizes": [
      21,`), "value_net.sizes[0] is 21, want 20"},
		{"NaN weight", edit(`"theta": [`, `"theta": ["NaN", `), `value_net.theta[0] is the string "NaN"`},
		{"huge sizes", edit(`"sizes": [
      20,
      8,`, `"sizes": [
      20,
      4000000000,`), "value_net.sizes[1] is 4000000000, want units = 8"},
	}
	for _, tc := range cases {
		msg := importAgent(t, p, tc.text)
		if !strings.Contains(msg, tc.want) {
			t.Errorf("%s: importAgent = %q, want a message containing %q", tc.name, msg, tc.want)
			continue
		}
		cond := fmt.Sprintf(`window.neuromop.status().error.includes(%q)`, msg)
		if err := p.WaitFor(cond, 10*time.Second); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	checkNoticeShown(t, p, "agent-rejected.png")

	cond := fmt.Sprintf(`window.neuromop.status().epoch > %d`, before.Epoch+2)
	if err := p.WaitFor(cond, trainTimeout); err != nil {
		t.Errorf("training stopped after the rejected files: %v", err)
	}
	after := readAppStatus(t, p, "window")
	if after.Query != before.Query || !after.Training {
		t.Errorf("after the rejected files: query %q, training %v, want %q and training",
			after.Query, after.Training, before.Query)
	}
	checkNoConsoleErrors(t, p)
}

// halfTrainedAgent returns the agent file of agentParams after its first
// of two epochs, trained in Go.
func halfTrainedAgent(t *testing.T) string {
	t.Helper()
	values := map[string]string{}
	for _, p := range agentParams {
		values[p[0]] = p[1]
	}
	c, err := sim.ConfigFromValues(values)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := sim.NewTrainer(c)
	if err != nil {
		t.Fatal(err)
	}
	tr.AdvanceEpoch()
	return exportNative(t, tr)
}

// trainLoaded loads the agent file text into a new trainer in Go, trains
// it to the end and returns its agent file.
func trainLoaded(t *testing.T, text string) string {
	t.Helper()
	a, err := sim.DecodeAgent(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := sim.NewTrainer(a.Config)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.LoadAgent(a); err != nil {
		t.Fatal(err)
	}
	tr.Run()
	return exportNative(t, tr)
}

// TestAgentFileTrainsInWorker loads an agent file with one of its two
// epochs trained into the page in worker mode and with worker=0. In both
// modes the agent trains its second epoch and the final evaluation, and
// the status and the exported file are the same. The exported weights
// are those of the same training in Go.
func TestAgentFileTrainsInWorker(t *testing.T) {
	site := browsertest.Site(t)
	srv := browsertest.Serve(t, webserve.Handler(site))
	text := halfTrainedAgent(t)
	nativeDoc := decodeAgentDoc(t, trainLoaded(t, text))

	// The page opens with another seed, so the file's seed in the query
	// shows that the import has replaced the run.
	query := strings.Replace(agentQuery(), "seed=5", "seed=9", 1)
	modes := []struct{ name, param string }{{"worker", ""}, {"local", "&worker=0"}}
	statuses := make([]appStatus, len(modes))
	exports := make([]agentDoc, len(modes))
	for i, mode := range modes {
		p := browsertest.NewBrowser(t).NewPage(t, viewportWidth, viewportHeight)
		if err := p.Open(srv.URL + "/?" + query + mode.param); err != nil {
			t.Fatal(err)
		}
		if err := p.WaitFor(running, startTimeout); err != nil {
			t.Fatal(err)
		}
		if msg := importAgent(t, p, text); msg != "" {
			t.Fatalf("%s mode: importAgent rejected the file: %s", mode.name, msg)
		}
		if err := p.WaitFor(`window.neuromop.status().query.includes('seed=5')`, 30*time.Second); err != nil {
			t.Fatalf("%s mode: the import did not replace the run: %v", mode.name, err)
		}
		// status().epoch counts the file's trained epoch too.
		s := readAppStatus(t, p, "window")
		if s.State != "idle" || s.Epoch != 1 {
			t.Errorf("%s mode: imported run %s at epoch %d, want idle at the file's epoch 1", mode.name, s.State, s.Epoch)
		}
		if err := p.Eval(`window.neuromop.start()`, nil); err != nil {
			t.Fatal(err)
		}
		if err := p.WaitFor(`window.neuromop.status().state === 'done'`, trainTimeout); err != nil {
			t.Fatalf("%s mode: %v", mode.name, err)
		}
		var got string
		if err := p.Eval(`window.neuromop.status().mode`, &got); err != nil {
			t.Fatal(err)
		}
		if got != mode.name {
			t.Errorf("%s mode: the imported run trained in mode %q", mode.name, got)
		}
		statuses[i] = readAppStatus(t, p, "window")
		exports[i] = decodeAgentDoc(t, exportAgent(t, p))
		if statuses[i].Error != "" {
			t.Errorf("%s mode: status error %q, want none", mode.name, statuses[i].Error)
		}
		checkNoConsoleErrors(t, p)
	}

	worker, local := statuses[0], statuses[1]
	if worker.Epoch != 2 {
		t.Errorf("worker mode: the loaded agent ended at epoch %d, want 2: the file's epoch and one more", worker.Epoch)
	}
	if want := strings.TrimSuffix(local.Query, "&worker=0"); worker.Query != want {
		t.Errorf("worker mode query %q, want the local mode's %q without worker=0", worker.Query, want)
	}
	// Each run has its own frame counts and throughput, so only the fields
	// that the training sets are compared.
	for _, s := range []*appStatus{&worker, &local} {
		s.FPS, s.Frames, s.SamplesPerSec, s.Query = 0, 0, 0, ""
	}
	if !reflect.DeepEqual(worker, local) {
		t.Errorf("status after training the loaded agent in worker mode\n%s\nwant the local mode's\n%s",
			describeStatus(worker), describeStatus(local))
	}
	if exports[0].EpochsTrained != 2 {
		t.Errorf("worker mode: exported epochs_trained %d, want 2", exports[0].EpochsTrained)
	}
	if !sameJSON(t, exports[0].ValueNet, exports[1].ValueNet) {
		t.Errorf("the loaded agent trained other weights in the worker than in the page")
	}
	if !sameJSON(t, exports[0].ValueNet, nativeDoc.ValueNet) {
		t.Errorf("the loaded agent trained other weights in the worker than in Go")
	}
	if len(exports[1].Metrics) == 0 {
		t.Fatalf("local mode: the exported file has no metrics")
	}
	checkMetrics(t, "the loaded agent's final evaluation in the worker", exports[0].Metrics, exports[1].Metrics)
}

// exportNative returns the agent file of tr.
func exportNative(t *testing.T, tr *sim.Trainer) string {
	t.Helper()
	var b strings.Builder
	if err := sim.EncodeAgent(&b, tr.AgentFile()); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// describeStatus formats s with its metrics, which are pointers.
func describeStatus(s appStatus) string {
	show := func(v *float64) string {
		if v == nil {
			return "null"
		}
		return fmt.Sprint(*v)
	}
	return fmt.Sprintf("%+v survival %s, mean lifetime %s, action entropy %s, effective dim %s", s,
		show(s.Survival), show(s.MeanLifetime), show(s.ActionEntropy), show(s.EffectiveDim))
}
