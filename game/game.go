// Package game is the Ebitengine front end of NeuroMOP: it reads input,
// advances the training and the display agents in Update within a time
// budget, and paints the scene in Draw. It runs unchanged in the browser
// and as a desktop program, and never imports syscall/js.
package game

import (
	"fmt"
	"image"
	"math"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/neuromop/neuromop/game/ui"
	"github.com/neuromop/neuromop/sim"
)

// Options configures a Game.
type Options struct {
	// Scale is the number of screen pixels per CSS or window pixel. Zero
	// selects the device scale factor of the monitor.
	Scale float64
	// Settings are the settings to start with; nil selects
	// DefaultSettings.
	Settings *Settings
	// Notices are shown in the canvas from the start, such as the messages
	// of rejected URL parameters.
	Notices []string
	// OnSettings, when not nil, is called from Update with Settings.Query
	// whenever the settings or the training state change, so that the
	// browser can keep its URL in step.
	OnSettings func(query string)
	// NewTransport, when not nil, starts a training worker. The runs then
	// train in workers, unless Settings.Local is set, and the benchmark of
	// Settings.Bench runs in one. Without it everything runs in Update.
	NewTransport NewTransportFunc
	// WorkerTimeouts bound the silence of the training workers of the
	// runs. The zero value selects DefaultWorkerTimeouts.
	WorkerTimeouts WorkerTimeouts
}

// Training speeds: the time of a frame that training may take, in
// milliseconds. The display agents have a budget of their own.
const (
	minSpeed     = 2
	maxSpeed     = 12
	defaultSpeed = 4

	// panelPeriod is the number of frames between two replays of the
	// panel UI without input, a sixth of a second at 60 frames per second.
	panelPeriod = 10

	displayBudget   = 3 * time.Millisecond
	displayRate     = 60 // display steps per second
	maxDisplaySteps = 3  // steps of one display in a frame
)

// Game is the ebiten.Game of NeuroMOP.
//
// Its widgets are recorded by two UIs. The scene UI holds what changes in
// every frame: the scene, the notices and the help. Draw replays it onto
// the screen in every frame. The panel UI holds the bars, the side panel
// and the plots. Draw replays it into the image panels, which is copied to
// the screen, only when input arrived or panelPeriod frames have passed,
// because the panels' many text runs are the largest part of a frame's
// drawing in software WebGL. The copy and the scene cover the whole
// screen, so the screen is not cleared between frames.
type Game struct {
	opts    Options
	ui      *ui.UI // panel UI
	sceneUI *ui.UI
	input   ui.InputReader

	panels      *ebiten.Image // the panel UI, replayed when panelsDirty
	panelsDirty bool
	layout      Layout // of the last Update
	lastInput   ui.Input

	// width and height are the logical size of the window, and scale the
	// screen pixels per logical pixel, all set by LayoutF.
	width, height, scale float64

	settings Settings
	runs     []*Run // one run, or MOP, R and free in the compare view
	// kept are the runs of the previous settings, paused, or nil.
	kept    *keptRuns
	notices []string
	query   string // last query passed to OnSettings

	speed     float64 // training budget per frame, in ms
	showHeat  bool
	showHelp  bool
	openGroup string
	drafts    map[string]float64 // slider values while they are dragged
	pointer   ui.Input

	view viewState

	lastDisplay time.Time // when the display steps were last counted
	owedSteps   float64   // display steps due at displayRate

	ticks  int64
	frames atomic.Int64

	pacer *pacer // the duty of the training workers

	bench       *benchRun // the benchmark of Settings.Bench, until it reports
	benchResult *sim.BenchResult

	mu      sync.Mutex
	queue   []command
	pending Settings // settings after every queued command
	status  Status
}

var (
	_ ebiten.Game      = (*Game)(nil)
	_ ebiten.LayoutFer = (*Game)(nil)
)

// Status is a snapshot of the running game for tests and diagnostics.
type Status struct {
	FPS    float64 // frames drawn per second, as measured by Ebitengine
	TPS    float64 // Update calls per second, as measured by Ebitengine
	Ticks  int64   // Update calls so far
	Frames int64   // Draw calls so far
	Width  float64 // window width in logical pixels
	Height float64 // window height in logical pixels
	Scale  float64 // screen pixels per logical pixel

	Task  string
	Agent string // agent kind of the first run
	View  string // single or compare
	State string // RunState of the first run
	// Training reports whether the first run trains in each frame.
	Training bool
	Epoch    int // finished epochs, or display rounds without training
	Epochs   int // epochs of the run
	Progress float64
	// The metrics of the last epoch's evaluation, or nil before it. The
	// free and silent networks report their last display round.
	Survival      *float64
	MeanLifetime  *float64
	ActionEntropy *float64
	EffectiveDim  *float64
	// SamplesPerSecond is the training throughput of the last epoch.
	SamplesPerSecond float64
	// Mode is the place the first run trains in: "worker" or "local".
	Mode string
	// Duty is the share of their time that the training workers train,
	// from 0 to 1, as Settings.Pace fixes it or the page chooses it, and
	// 1 once a worker has rejected a pace command. It keeps its value
	// during the short rests in which the page measures IdleFPS, the
	// frame rate without training. IdleFPS is 0 before the first rest and
	// while Settings.Pace fixes the duty.
	Duty    float64
	IdleFPS float64
	// Bench is the result of the benchmark that Settings.Bench requests,
	// or nil until it has finished.
	Bench *sim.BenchResult
	// Error joins the notices shown in the canvas with "; ", or is empty.
	// It contains at most MaxNotices of them, and a count of the rest.
	Error string
	// Errors lists every notice, each shortened by ShortenNotices, or is
	// nil. The caller must not modify it.
	Errors []string
	// Query is the URL query of the settings, as OnSettings receives it.
	Query string
	// TrainTime, DisplayTime and UpdateTime are the durations of the
	// training, of the display steps and of the whole of the last Update.
	TrainTime, DisplayTime, UpdateTime time.Duration
}

// New returns a game with opts applied and its runs created, idle unless
// the settings request autostart. It sets Ebitengine's tick rate to the
// frame rate, so that Update runs once per frame and slow frames do not
// spend a frame's budgets several times over. It also turns off the
// clearing of the screen, because Draw covers all of it with opaque pixels.
func New(opts Options) *Game {
	ebiten.SetTPS(ebiten.SyncWithFPS)
	ebiten.SetScreenClearedEveryFrame(false)
	s := DefaultSettings()
	if opts.Settings != nil {
		s = *opts.Settings
	}
	g := &Game{
		opts:    opts,
		ui:      ui.New(ui.DefaultTheme()),
		sceneUI: ui.New(ui.DefaultTheme()),
		scale:   1,
		speed:   defaultSpeed,
		pacer:   newPacer(0),
		drafts:  map[string]float64{},
		// The run group, with the agent kind and the seed, starts open.
		openGroup: "run",
	}
	g.view.init()
	g.notices = append(g.notices, ShortenNotices(opts.Notices)...)
	g.apply(s, false)
	g.pending = g.settings
	return g
}

// apply makes s the settings. A change of any parameter or of the view
// replaces the runs, and the old ones are kept, paused, as g.kept. When s
// returns to the settings of g.kept, those runs come back in the state
// they had. New runs keep training when the old ones trained or s requests
// autostart. A reset, or a change of where the runs train, closes the
// runs.
func (g *Game) apply(s Settings, reset bool) {
	oldKey := runKeyOf(&g.settings)
	rebuild := reset || g.runs == nil || runKeyOf(&s) != oldKey
	wasTraining := len(g.runs) > 0 && g.runs[0].Training()
	if s.Bench && !g.settings.Bench {
		g.startBench(s.Local)
	}
	g.settings = s
	g.panelsDirty = true
	switch {
	case !rebuild:
		if s.Autostart && !g.runs[0].Training() && g.runs[0].State() != RunDone {
			g.forRuns((*Run).Start)
		}
	case reset:
		g.closeRuns()
		g.buildRuns()
		if s.Autostart {
			g.forRuns((*Run).Start)
		}
	default:
		restored := g.takeKept(runKeyOf(&s))
		if s.Local != oldKey.local {
			// The runs of the other place of training would hold a
			// worker, or the page's memory, for nothing.
			g.discardRuns(oldKey, "training moved between the page and the worker")
		} else {
			g.keepRuns(oldKey)
		}
		if restored != nil {
			g.runs = restored.resume()
			g.view.reset()
		} else {
			g.buildRuns()
			if s.Autostart || wasTraining {
				g.forRuns((*Run).Start)
			}
		}
		g.limitKept()
	}
	g.syncAutostart()
}

// compareKinds are the agent kinds of the compare view, left to right.
var compareKinds = []string{"mop", "r", "free"}

func (g *Game) buildRuns() {
	kinds := []string{g.settings.Config.Agent}
	if g.settings.Compare {
		kinds = compareKinds
	}
	g.runs = nil
	for _, kind := range kinds {
		c := g.settings.Config
		c.Agent = kind
		r, err := NewRemoteRun(c, g.transport(g.settings.Local))
		if err != nil {
			// Settings.Apply validates every value, so this is a rule of
			// sim that Validate does not check. The task's defaults run.
			g.notices = append(g.notices, err.Error())
			c = defaultConfig(c.Task)
			c.Agent = kind
			if r, err = NewRemoteRun(c, g.transport(g.settings.Local)); err != nil {
				panic("game: defaults rejected: " + err.Error())
			}
		}
		if g.settings.Compare {
			r.EvaluateEachEpoch()
		}
		g.setTimeouts(r)
		g.runs = append(g.runs, r)
	}
	// The panels of the compare view show the shapes in turn together, so
	// that MOP, R and free are seen in the same shape at the same time.
	if c := g.settings.Config; g.settings.Compare && c.Task == "shapes" && c.Shape == "all" {
		clock := &RoundClock{}
		for _, r := range g.runs {
			clock.Join(r.Display)
		}
	}
	g.view.reset()
}

// maxKeptHeap is the Go heap in bytes above which the runs of the
// previous settings are closed instead of kept. The page's WebAssembly
// memory is at most 4 GiB, and Go's collector needs room beyond the live
// heap.
//
// NOTE: the memory of a kept run's training worker is its own and is not
// counted, so kept runs in workers are bounded only by their count.
const maxKeptHeap = 1 << 30

// closeRuns closes the runs for good.
func (g *Game) closeRuns() {
	for _, r := range g.runs {
		r.Close()
	}
	g.runs = nil
}

// takeKept returns the kept runs of key and clears g.kept, or returns nil.
func (g *Game) takeKept(key runKey) *keptRuns {
	k := g.kept
	if k == nil || k.key != key {
		return nil
	}
	g.kept = nil
	return k
}

// keepRuns pauses the runs, which were built for key, and keeps them as
// g.kept, in place of the runs kept before, which are closed with a notice
// when they had trained.
func (g *Game) keepRuns(key runKey) {
	if g.runs == nil {
		return
	}
	g.discardKept("only the runs of the last settings are kept")
	g.kept = keep(key, g.runs)
	g.runs = nil
}

// limitKept closes the kept runs when the Go heap exceeds maxKeptHeap.
func (g *Game) limitKept() {
	if g.kept == nil {
		return
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if m.HeapAlloc > maxKeptHeap {
		g.discardKept(fmt.Sprintf("the page's memory in use, %d MiB, leaves no room for them", m.HeapAlloc>>20))
	}
}

// discardRuns closes the runs, which were built for key, and, when they
// had trained, adds a notice with the count of epochs lost and reason.
func (g *Game) discardRuns(key runKey, reason string) {
	if g.runs == nil {
		return
	}
	g.discard(keep(key, g.runs), reason)
	g.runs = nil
}

// discardKept closes the kept runs, see discard.
func (g *Game) discardKept(reason string) {
	if k := g.kept; k != nil {
		g.kept = nil
		g.discard(k, reason)
	}
}

// discard closes the runs of k and, when they had trained, adds a notice
// with the count of epochs lost and reason.
func (g *Game) discard(k *keptRuns, reason string) {
	if n := k.epochs(); n > 0 {
		g.notices = append(g.notices, fmt.Sprintf("discarded the %d trained epochs of %s, because %s",
			n, k.key.describe(), reason))
	}
	k.close()
}

// setTimeouts gives a run that trains in a worker the timeouts of the
// options.
func (g *Game) setTimeouts(r *Run) {
	remote, ok := r.Trainer.(*RemoteTrainer)
	if ok && g.opts.WorkerTimeouts != (WorkerTimeouts{}) {
		remote.Timeouts = g.opts.WorkerTimeouts
	}
}

// transport returns the function that starts training workers, or nil
// when the runs train in Update.
func (g *Game) transport(local bool) NewTransportFunc {
	if local {
		return nil
	}
	return g.opts.NewTransport
}

func (g *Game) forRuns(f func(*Run)) {
	for _, r := range g.runs {
		f(r)
	}
}

// syncAutostart keeps Settings.Autostart equal to whether the first run
// trains or has trained, so that a link of a training run starts training.
func (g *Game) syncAutostart() {
	r := g.runs[0]
	if r.Trains() {
		st := r.State()
		g.settings.Autostart = st == RunTraining || st == RunStepping || st == RunDone && r.Epoch() > 0
	}
	q := g.settings.Query()
	if q != g.query {
		g.query = q
		if g.opts.OnSettings != nil {
			g.opts.OnSettings(q)
		}
	}
}

// Update applies queued commands and keys, advances the training and the
// display agents within their budgets, and records the widgets.
func (g *Game) Update() error {
	start := time.Now()
	g.ticks++
	g.drainQueue()
	g.handleKeys()

	g.train(time.Duration(g.speed * float64(time.Millisecond)))
	g.pace(start)
	g.pollBench()
	trained := time.Now()
	g.stepDisplays()
	stepped := time.Now()

	g.pointer = g.input.Read()
	if g.pointer != g.lastInput || g.ticks%panelPeriod == 0 {
		g.panelsDirty = true
	}
	g.lastInput = g.pointer
	panelInput := g.pointer
	if g.showHelp {
		// The help covers the panels, so they get no pointer.
		panelInput = ui.Input{X: -1, Y: -1}
	}
	g.ui.Scale, g.sceneUI.Scale = g.scale, g.scale
	g.ui.Begin(panelInput)
	g.sceneUI.Begin(g.pointer)
	params := g.layoutFrame()
	g.sceneUI.End()
	g.ui.End()
	if params != nil {
		g.applyParams(params)
	}
	g.syncAutostart()
	// The next Set starts from the training state of this frame, such as
	// a pause by key, so that it does not restart a paused run.
	g.syncPending()
	g.publishStatus(stepped.Sub(start)-stepped.Sub(trained), stepped.Sub(trained), time.Since(start))
	return nil
}

// train gives each training or evaluating run an equal share of budget,
// starting with a different run in each frame, so that the runs of the
// compare view advance at the same pace. Every run with a trainer gets the
// call, so that runs in training workers apply their reports while paused
// too. The free network of the compare view then gets one point per epoch
// that the furthest trained run has finished.
func (g *Game) train(budget time.Duration) {
	n := 0
	for _, r := range g.runs {
		if r.Training() || r.Evaluating() {
			n++
		}
	}
	share := budget
	if n > 0 {
		share = budget / time.Duration(n)
	}
	first := int(g.ticks) % len(g.runs)
	for i := range g.runs {
		g.runs[(first+i)%len(g.runs)].Train(share)
	}
	epochs := 0
	for _, r := range g.runs {
		if r.Trains() {
			epochs = max(epochs, r.Epoch())
		}
	}
	for _, r := range g.runs {
		r.SetEpochs(epochs)
	}
}

// pace counts the frame that started at now in the pacer, and gives each
// training worker the pacer's duty.
func (g *Game) pace(now time.Time) {
	g.pacer.fixed = g.settings.Pace
	paced, other := false, false
	for _, r := range g.runs {
		t, remote := r.Trainer.(*RemoteTrainer)
		switch {
		case remote && !t.Paced():
			other = other || r.Training()
		case r.Training():
			paced = paced || remote
			other = other || !remote
		}
	}
	// Frames while a worker trains full time against the pacer's
	// commands, or while the page trains, measure neither state.
	g.pacer.Frame(now, paced, other, g.width, g.height)
	d := g.pacer.Duty()
	for _, r := range g.runs {
		if t, ok := r.Trainer.(*RemoteTrainer); ok {
			t.SetDuty(d)
		}
	}
}

// duty returns the duty of the training workers: the pacer's, or 1 when
// a worker has rejected a pace command.
func (g *Game) duty() float64 {
	if g.unpaced() {
		return 1
	}
	return g.pacer.Level()
}

// unpaced reports whether a run's worker has rejected a pace command, so
// that it trains full time.
func (g *Game) unpaced() bool {
	for _, r := range g.runs {
		if t, ok := r.Trainer.(*RemoteTrainer); ok && !t.Paced() {
			return true
		}
	}
	return false
}

// stepDisplays steps the display agents at displayRate steps per second,
// and at most maxDisplaySteps steps or displayBudget in a frame, though at
// least one step. A slow frame drops the steps beyond those limits.
func (g *Game) stepDisplays() {
	now := time.Now()
	if !g.lastDisplay.IsZero() {
		g.owedSteps += now.Sub(g.lastDisplay).Seconds() * displayRate
	}
	g.lastDisplay = now
	steps := min(max(int(g.owedSteps), 1), maxDisplaySteps)
	g.owedSteps = max(g.owedSteps-float64(steps), 0)
	if g.owedSteps > maxDisplaySteps {
		g.owedSteps = 0
	}
	for step := 0; step < steps; step++ {
		for _, r := range g.runs {
			r.StepDisplay()
		}
		if c := g.runs[0].Display.Clock; c != nil {
			c.Advance()
		}
		if time.Since(now) >= displayBudget {
			g.owedSteps = 0
			return
		}
	}
}

// applyParams applies settings changed in the side panel, by URL name.
func (g *Game) applyParams(params map[string]string) {
	g.mu.Lock()
	s, msgs := g.settings.Apply(params)
	g.mu.Unlock()
	if len(msgs) > 0 {
		g.notices = msgs
	}
	g.apply(s, false)
	g.syncPending()
}

// reset replaces the runs with new idle ones of the same settings.
func (g *Game) reset() {
	s := g.settings
	s.Autostart = false
	g.apply(s, true)
	g.syncPending()
}

// syncPending makes the base of the next Set the current settings, unless
// commands that will change them are still queued.
func (g *Game) syncPending() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.queue) == 0 {
		g.pending = g.settings
	}
}

func (g *Game) publishStatus(train, display, update time.Duration) {
	r := g.runs[0]
	notices := g.allNotices()
	s := Status{
		FPS:    ebiten.ActualFPS(),
		TPS:    ebiten.ActualTPS(),
		Ticks:  g.ticks,
		Width:  g.width,
		Height: g.height,
		Scale:  g.scale,

		Task:             g.settings.Config.Task,
		Agent:            r.Config.Agent,
		View:             "single",
		State:            r.State().String(),
		Training:         r.Training(),
		Epoch:            r.Epoch(),
		Epochs:           r.Config.Epochs,
		Progress:         r.Progress(),
		SamplesPerSecond: r.SamplesPerSecond(),
		Mode:             g.mode(),
		Duty:             g.duty(),
		IdleFPS:          g.pacer.IdleFPS(),
		Bench:            g.benchResult,
		Error:            strings.Join(LimitNotices(notices), "; "),
		Errors:           notices,
		Query:            g.query,
		TrainTime:        train,
		DisplayTime:      display,
		UpdateTime:       update,
	}
	if g.settings.Compare {
		s.View = "compare"
	}
	if m := r.Latest(); m != nil {
		s.Survival = ptr(m.Survival)
		s.MeanLifetime = ptr(m.MeanLifetime)
		s.ActionEntropy = ptr(m.ActionEntropy)
		s.EffectiveDim = ptr(m.EffectiveDim)
	}
	g.mu.Lock()
	g.status = s
	g.mu.Unlock()
}

func ptr(v float64) *float64 { return &v }

// mode returns where the first run trains, or where it would train for a
// run without a trainer.
func (g *Game) mode() string {
	if m := g.runs[0].Mode(); m != "" {
		return m
	}
	if g.transport(g.settings.Local) != nil {
		return "worker"
	}
	return "local"
}

// allNotices returns the notices and the divergence notice of each run.
func (g *Game) allNotices() []string {
	var diverged []string
	for _, r := range g.runs {
		if err := r.Err(); err != nil {
			diverged = append(diverged, r.Config.Agent+": "+err.Error())
		}
	}
	if diverged == nil {
		return g.notices
	}
	return append(append([]string(nil), g.notices...), diverged...)
}

// Draw paints the widgets and the scene recorded by the last Update. The
// panels are replayed into their image only when they are dirty.
func (g *Game) Draw(screen *ebiten.Image) {
	g.frames.Add(1)
	size := screen.Bounds().Size()
	if g.panels == nil || g.panels.Bounds().Size() != size {
		if g.panels != nil {
			g.panels.Deallocate()
		}
		g.panels = ebiten.NewImage(size.X, size.Y)
		g.panelsDirty = true
	}
	if g.panelsDirty {
		g.panels.Fill(g.ui.Theme.Background)
		g.ui.Draw(g.panels)
		g.panelsDirty = false
	}
	g.copyPanels(screen)
	g.sceneUI.Draw(screen)
}

// copyPanels copies the panels image to the screen around the scene area,
// which the scene UI covers, as four bands above, left of, right of and
// below it.
func (g *Game) copyPanels(screen *ebiten.Image) {
	b := screen.Bounds()
	c := g.layout.Center
	// The bands reach a pixel into the scene area where it ends inside a
	// pixel, because the scene drawn after them covers that pixel.
	x0, y0 := int(math.Ceil(c.X*g.scale)), int(math.Ceil(c.Y*g.scale))
	x1, y1 := int((c.X+c.W)*g.scale), int((c.Y+c.H)*g.scale)
	bands := [4]image.Rectangle{
		image.Rect(b.Min.X, b.Min.Y, b.Max.X, y0),
		image.Rect(b.Min.X, y0, x0, y1),
		image.Rect(x1, y0, b.Max.X, y1),
		image.Rect(b.Min.X, y1, b.Max.X, b.Max.Y),
	}
	var opts ebiten.DrawImageOptions
	opts.Blend = ebiten.BlendCopy
	for _, r := range bands {
		r = r.Intersect(b)
		if r.Empty() {
			continue
		}
		opts.GeoM.Reset()
		opts.GeoM.Translate(float64(r.Min.X), float64(r.Min.Y))
		screen.DrawImage(g.panels.SubImage(r).(*ebiten.Image), &opts)
	}
}

// fallbackMaxScreenSize is the largest screen side in pixels when
// ebiten.MaxImageSize returns 0, which it does before the graphics driver
// is ready, such as in tests. WebGL 2 guarantees a MAX_TEXTURE_SIZE of at
// least 2048.
const fallbackMaxScreenSize = 4096

// maxScreenSize returns the largest width and height of the screen image
// in pixels: the largest image that Ebitengine can allocate, which is
// WebGL's MAX_TEXTURE_SIZE rounded down to a power of two in the browser.
// A larger offscreen panics in Ebitengine v2.10.4 ("the image being put on
// an atlas is too big").
func maxScreenSize() float64 {
	if n := ebiten.MaxImageSize(); n > 0 {
		return float64(n)
	}
	return fallbackMaxScreenSize
}

// LayoutF sizes the screen in device pixels, so that text and lines are
// sharp on high-density displays, and records the logical size for layout.
// A screen larger than maxScreenSize in either direction is scaled down to
// fit, with the same aspect ratio, and Ebitengine scales it up to the
// window.
func (g *Game) LayoutF(outsideWidth, outsideHeight float64) (float64, float64) {
	s := g.opts.Scale
	if s <= 0 {
		s = ebiten.Monitor().DeviceScaleFactor()
	}
	if s <= 0 {
		s = 1
	}
	w, h := outsideWidth*s, outsideHeight*s
	if limit := maxScreenSize(); w > limit || h > limit {
		fit := min(limit/w, limit/h)
		s *= fit
		// Ebitengine rounds the size up, so it is rounded down here to
		// stay within the limit.
		// A side is at least one pixel, because Ebitengine rejects a
		// size that is not positive.
		w = max(min(math.Floor(w*fit), limit), 1)
		h = max(min(math.Floor(h*fit), limit), 1)
	}
	g.width, g.height, g.scale = outsideWidth, outsideHeight, s
	return w, h
}

// Layout is required by ebiten.Game. Ebitengine calls LayoutF instead
// because Game implements ebiten.LayoutFer.
func (g *Game) Layout(outsideWidth, outsideHeight int) (int, int) {
	w, h := g.LayoutF(float64(outsideWidth), float64(outsideHeight))
	return int(w), int(h)
}

// Status returns a snapshot taken at the end of the last Update. It is safe
// to call from any goroutine.
func (g *Game) Status() Status {
	g.mu.Lock()
	defer g.mu.Unlock()
	s := g.status
	s.Frames = g.frames.Load()
	return s
}
