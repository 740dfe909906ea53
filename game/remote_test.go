package game

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/neuromop/neuromop/game/ui"
	"github.com/neuromop/neuromop/sim"
)

// loopTransport runs a sim.TrainingWorker in the test's goroutine: Post
// applies a command at once, and tick trains a slice, as the loop of the
// worker module does between messages.
type loopTransport struct {
	worker *sim.TrainingWorker
	posted []string
	closed bool
}

func newLoop(to Receiver) *loopTransport {
	return &loopTransport{worker: &sim.TrainingWorker{Send: to.Receive}}
}

func (l *loopTransport) Post(cmd sim.WorkerCommand) {
	l.posted = append(l.posted, cmd.Op)
	l.worker.Handle(cmd)
}

func (l *loopTransport) Close() { l.closed = true }

func (l *loopTransport) tick() {
	if !l.closed {
		l.worker.Tick(time.Millisecond)
	}
}

// loops records the transports that a NewTransportFunc started.
type loops struct{ started []*loopTransport }

func (ls *loops) newTransport(to Receiver) Transport {
	l := newLoop(to)
	ls.started = append(ls.started, l)
	return l
}

func (ls *loops) tick() {
	for _, l := range ls.started {
		l.tick()
	}
}

func TestRemoteRunMatchesLocal(t *testing.T) {
	c := smallConfig(t, "square", "mop")
	var ls loops
	remote, err := NewRemoteRun(c, ls.newTransport)
	if err != nil {
		t.Fatal(err)
	}
	local, err := NewRun(c)
	if err != nil {
		t.Fatal(err)
	}
	if got := remote.Mode(); got != "worker" {
		t.Errorf("mode of a remote run = %q, want worker", got)
	}
	if got := local.Mode(); got != "local" {
		t.Errorf("mode of a local run = %q, want local", got)
	}
	if !reflect.DeepEqual(remote.Trainer.Target().Theta, local.Trainer.Target().Theta) {
		t.Errorf("the untrained target networks of the remote and local runs differ")
	}

	remote.Start()
	local.Start()
	for i := 0; i < 100000 && remote.State() != RunDone; i++ {
		ls.tick()
		remote.Train(0)
	}
	for i := 0; i < 100000 && local.State() != RunDone; i++ {
		local.Train(time.Millisecond)
	}
	if remote.State() != RunDone || remote.Epoch() != c.Epochs {
		t.Fatalf("remote run: state %v at epoch %d, want done at epoch %d", remote.State(), remote.Epoch(), c.Epochs)
	}
	if got, want := remote.History, local.History; !reflect.DeepEqual(got, want) {
		t.Errorf("remote run's epoch metrics differ from the local run's:\n got %+v\nwant %+v", got, want)
	}
	if !reflect.DeepEqual(remote.Trainer.Target().Theta, local.Trainer.Target().Theta) {
		t.Errorf("the remote run's target network differs from the local run's after training")
	}
	// The display restarts once per Train call that applies new epochs.
	if remote.Display.Rounds < 2 {
		t.Errorf("display rounds of the remote run = %d, want at least 2: it restarts after epochs",
			remote.Display.Rounds)
	}
	if remote.Err() != nil {
		t.Errorf("remote run error %v, want none", remote.Err())
	}
	remote.Close()
	if !ls.started[0].closed {
		t.Errorf("Close of a remote run left its transport open")
	}
}

func TestRemoteRunStepsOneEpoch(t *testing.T) {
	var ls loops
	r, err := NewRemoteRun(smallConfig(t, "square", "mop"), ls.newTransport)
	if err != nil {
		t.Fatal(err)
	}
	r.StepEpoch()
	for i := 0; i < 10000 && r.State() == RunStepping; i++ {
		ls.tick()
		r.Train(0)
	}
	if r.State() != RunPaused || r.Epoch() != 1 {
		t.Errorf("after one step: state %v, epoch %d, want paused at epoch 1", r.State(), r.Epoch())
	}
	if got := strings.Join(ls.started[0].posted, " "); got != "reset step pause" {
		t.Errorf("posted commands %q, want \"reset step pause\"", got)
	}
	for i := 0; i < 100; i++ {
		ls.tick()
		r.Train(0)
	}
	if r.Epoch() != 1 {
		t.Errorf("a paused remote run reached epoch %d, want 1", r.Epoch())
	}
}

func TestRemoteRunFallsBackToLocal(t *testing.T) {
	c := smallConfig(t, "square", "mop")
	var ls loops
	r, err := NewRemoteRun(c, ls.newTransport)
	if err != nil {
		t.Fatal(err)
	}
	r.Start()
	remote := r.Trainer.(*RemoteTrainer)
	remote.Fail(errors.New("worker.wasm could not be loaded: HTTP 404"))
	r.Train(0)
	if got := r.Mode(); got != "local" {
		t.Fatalf("mode after the worker failed = %q, want local", got)
	}
	if !ls.started[0].closed {
		t.Errorf("the failed worker's transport is still open")
	}
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("run error %v, want the worker's failure", err)
	}
	if !r.Training() {
		t.Errorf("the run stopped training after the fallback, want it to go on")
	}
	for i := 0; i < 100000 && r.State() != RunDone; i++ {
		r.Train(time.Millisecond)
	}
	if r.Epoch() != c.Epochs {
		t.Errorf("epochs after the fallback = %d, want %d", r.Epoch(), c.Epochs)
	}
}

func TestRemoteTrainerRejectsBadWeights(t *testing.T) {
	var ls loops
	tr, err := NewRemoteTrainer(smallConfig(t, "square", "mop"), ls.newTransport)
	if err != nil {
		t.Fatal(err)
	}
	tr.Receive(sim.WorkerReport{Op: "epoch", Epoch: 1, Stats: &sim.EpochStats{Epoch: 1}, Theta: []float64{1, 2}})
	tr.Advance(0)
	if err := tr.Failed(); err == nil || !strings.Contains(err.Error(), "has 2 weights") {
		t.Errorf("Failed() = %v, want an error about the number of weights", err)
	}
}

func TestRemoteTrainerQueueStaysSmall(t *testing.T) {
	var ls loops
	tr, err := NewRemoteTrainer(smallConfig(t, "square", "mop"), ls.newTransport)
	if err != nil {
		t.Fatal(err)
	}
	tr.Advance(0)
	theta := make([]float64, len(tr.Target().Theta))
	for epoch := 1; epoch <= 3; epoch++ {
		for i := 0; i < 100; i++ {
			tr.Receive(sim.WorkerReport{Op: "progress", Epoch: epoch - 1, Phase: "rollout", Progress: float64(i) / 100})
		}
		theta[0] = float64(epoch)
		tr.Receive(sim.WorkerReport{Op: "epoch", Epoch: epoch, Stats: &sim.EpochStats{Epoch: epoch},
			Theta: append([]float64(nil), theta...)})
	}
	if n := len(tr.inbox); n != 6 {
		t.Errorf("queue of 3 epochs of reports holds %d reports, want 6", n)
	}
	for i, r := range tr.inbox {
		if r.Op == "epoch" && r.Epoch < 3 && r.Theta != nil {
			t.Errorf("queued report %d of epoch %d keeps its weights, want only the newest", i, r.Epoch)
		}
	}
	tr.Advance(0)
	if tr.Epoch() != 3 || tr.Target().Theta[0] != 3 {
		t.Errorf("after the queue: epoch %d, first weight %v, want 3 and 3", tr.Epoch(), tr.Target().Theta[0])
	}
}

// newWorkerGame returns a game of query whose runs train in the workers
// that newTransport starts.
func newWorkerGame(t *testing.T, query string, newTransport NewTransportFunc) *Game {
	t.Helper()
	s, msgs := parse(t, query)
	if len(msgs) != 0 {
		t.Fatal(msgs)
	}
	return New(Options{Settings: &s, NewTransport: newTransport})
}

func TestGameWorkerMode(t *testing.T) {
	var ls loops
	g := newWorkerGame(t, smallQuery, ls.newTransport)
	g.publishStatus(0, 0, 0)
	if got := g.Status().Mode; got != "worker" {
		t.Errorf("status mode with a transport = %q, want worker", got)
	}
	if len(ls.started) != 1 {
		t.Fatalf("started %d workers, want 1", len(ls.started))
	}

	g.Set(map[string]string{"worker": "0"})
	g.drainQueue()
	g.publishStatus(0, 0, 0)
	if got := g.Status().Mode; got != "local" {
		t.Errorf("status mode with worker=0 = %q, want local", got)
	}
	if !ls.started[0].closed {
		t.Errorf("worker=0 left the old run's worker open")
	}
	if !strings.HasSuffix(g.query, "worker=0") {
		t.Errorf("query %q, want worker=0 at the end", g.query)
	}
}

func TestGameBenchInWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("the benchmark trains 5 epochs of the default square task")
	}
	var ls loops
	s, msgs := parse(t, "bench=1")
	if len(msgs) != 0 {
		t.Fatal(msgs)
	}
	g := New(Options{Settings: &s, NewTransport: ls.newTransport})
	// The loop transport runs the benchmark inside Post, so the result is
	// there for the first poll.
	g.pollBench()
	g.publishStatus(0, 0, 0)
	b := g.Status().Bench
	if b == nil {
		t.Fatal("status bench is nil after the worker reported")
	}
	if b.SamplesPerSecond <= 0 || b.NsPerControllerStep <= 0 || b.GFLOPS <= 0 {
		t.Errorf("bench %+v, want positive throughput figures", b)
	}
	if b.Config["workers"] != "1" || b.Config["task"] != "square" {
		t.Errorf("bench config workers %q, task %q, want 1 and square", b.Config["workers"], b.Config["task"])
	}
	benchWorkers := 0
	for _, l := range ls.started {
		if len(l.posted) == 1 && l.posted[0] == "bench" {
			benchWorkers++
			if !l.closed {
				t.Errorf("the benchmark's worker is still open after its report")
			}
		}
	}
	if benchWorkers != 1 {
		t.Errorf("%d workers ran only the bench command, want 1", benchWorkers)
	}
}

func TestSettingsWorkerParam(t *testing.T) {
	s, msgs := parse(t, "worker=0")
	if len(msgs) != 0 || !s.Local {
		t.Errorf("worker=0: local %v, messages %q, want local and no messages", s.Local, msgs)
	}
	if q := s.Query(); q != "task=square&worker=0" {
		t.Errorf("query of worker=0 = %q, want task=square&worker=0", q)
	}
	s, _ = parse(t, "worker=0&worker=1")
	if s.Local || strings.Contains(s.Query(), "worker") {
		t.Errorf("worker=1: local %v, query %q, want the default, which the query leaves out", s.Local, s.Query())
	}
	_, msgs = parse(t, "worker=2")
	if len(msgs) != 1 || msgs[0] != `invalid worker "2": want 1 or 0` {
		t.Errorf("worker=2: messages %q, want one naming the value", msgs)
	}
}

// oldWorker is a loop transport whose worker rejects "pace" as a
// worker.wasm built before the command existed does.
type oldWorker struct{ *loopTransport }

func (o oldWorker) Post(cmd sim.WorkerCommand) {
	o.posted = append(o.posted, cmd.Op)
	if cmd.Op == "pace" {
		o.worker.Send(sim.WorkerReport{Op: "error", Error: `unknown worker command "pace"`})
		return
	}
	o.worker.Handle(cmd)
}

func TestRemoteTrainerOldWorkerRejectsPace(t *testing.T) {
	c := smallConfig(t, "square", "mop")
	var loop oldWorker
	tr, err := NewRemoteTrainer(c, func(to Receiver) Transport {
		loop = oldWorker{newLoop(to)}
		return loop
	})
	if err != nil {
		t.Fatal(err)
	}
	tr.Start()
	tr.SetDuty(0.5)
	for i := 0; i < 100000 && !tr.Done(); i++ {
		loop.tick()
		tr.Advance(0)
		if tr.Failed() != nil {
			t.Fatalf("the worker failed after a rejected pace: %v", tr.Failed())
		}
	}
	if !tr.Done() {
		t.Fatal("training did not finish after a rejected pace")
	}
	if err := tr.Err(); err == nil || !strings.Contains(err.Error(), "rejected the pace command") ||
		!strings.Contains(err.Error(), "reload the page") {
		t.Errorf("notice %v, want the rejected pace and the fix", err)
	}
	tr.SetDuty(0.25)
	if n := strings.Count(strings.Join(loop.posted, " "), "pace"); n != 1 {
		t.Errorf("posted %d pace commands, want none after the rejection", n)
	}
}

func TestGameReportsUnpacedWorker(t *testing.T) {
	g := newWorkerGame(t, smallQuery+"&pace=0.5", func(to Receiver) Transport { return oldWorker{newLoop(to)} })
	g.forRuns((*Run).Start)
	g.pace(time.Now())
	g.train(0)
	g.pace(time.Now())
	g.publishStatus(0, 0, 0)
	if st := g.Status(); st.Duty != 1 || st.Mode != "worker" {
		t.Errorf("status duty %g, mode %q after a rejected pace, want 1 in the worker", st.Duty, st.Mode)
	}
	frame(g, ui.Input{X: -1, Y: -1})
	if texts := g.ui.Texts(); !slices.Contains(texts, "worker trains full time (unpaced)") {
		t.Errorf("side panel texts %q, want the unpaced worker", texts)
	}
}
