package game

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neuromop/neuromop/sim"
)

// silentTransport is a training worker that never sends a report, such
// as one whose module stopped downloading.
type silentTransport struct {
	mu     sync.Mutex
	posted []string
	closed bool
}

func (s *silentTransport) Post(cmd sim.WorkerCommand) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.posted = append(s.posted, cmd.Op)
}

func (s *silentTransport) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
}

var shortTimeouts = WorkerTimeouts{Start: 150 * time.Millisecond, Silence: 150 * time.Millisecond}

// updateFor calls Update every 5 ms for d, as frames do.
func updateFor(t *testing.T, g *Game, d time.Duration) {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); {
		if err := g.Update(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestWatchdogSilentWorkerTrainsLocally(t *testing.T) {
	s, msgs := parse(t, agentQuery+"&autostart=1")
	if len(msgs) != 0 {
		t.Fatal(msgs)
	}
	var workers []*silentTransport
	g := New(Options{Settings: &s, WorkerTimeouts: shortTimeouts, NewTransport: func(Receiver) Transport {
		w := &silentTransport{}
		workers = append(workers, w)
		return w
	}})
	if got := g.runs[0].Mode(); got != "worker" {
		t.Fatalf("mode before the timeout = %q, want worker", got)
	}
	updateFor(t, g, 400*time.Millisecond)

	r := g.runs[0]
	if got := r.Mode(); got != "local" {
		t.Errorf("mode after the start timeout = %q, want local", got)
	}
	if len(workers) != 1 || !workers[0].closed {
		t.Errorf("the silent worker was not closed")
	}
	if st := r.State(); st != RunTraining && st != RunDone {
		t.Errorf("state after the fallback = %v, want the run training or done", st)
	}
	status := g.Status()
	if !strings.Contains(status.Error, "training runs in the page") {
		t.Errorf("status error %q does not say that training runs in the page", status.Error)
	}
	if !strings.Contains(status.Error, "timed out: no message for 150ms before its first report") {
		t.Errorf("status error %q does not give the timeout", status.Error)
	}
	before := r.Epoch()
	updateFor(t, g, 500*time.Millisecond)
	if r.Epoch() <= before && r.Progress() == 0 {
		t.Errorf("the local fallback made no progress: epoch %d, progress %v", r.Epoch(), r.Progress())
	}
}

// stallAfterStart sends the first report of a worker and then nothing.
type stallAfterStart struct {
	silentTransport
	to Receiver
}

func (s *stallAfterStart) Post(cmd sim.WorkerCommand) {
	s.silentTransport.Post(cmd)
	if cmd.Op == "reset" {
		s.to.Receive(sim.WorkerReport{Op: "progress", Phase: "rollout"})
	}
}

func TestWatchdogWorkerStallsWhileTraining(t *testing.T) {
	c := smallConfig(t, "square", "mop")
	var worker *stallAfterStart
	r, err := NewRemoteRun(c, func(to Receiver) Transport {
		worker = &stallAfterStart{to: to}
		return worker
	})
	if err != nil {
		t.Fatal(err)
	}
	remote := r.Trainer.(*RemoteTrainer)
	remote.Timeouts = shortTimeouts
	remote.unitTime = 0

	// A paused worker sends nothing and is not a stalled one.
	for end := time.Now().Add(400 * time.Millisecond); time.Now().Before(end); {
		r.Train(0)
		time.Sleep(5 * time.Millisecond)
	}
	if got := r.Mode(); got != "worker" {
		t.Fatalf("mode of an idle run after 400ms = %q, want worker", got)
	}

	r.Start()
	for end := time.Now().Add(400 * time.Millisecond); time.Now().Before(end) && r.Mode() == "worker"; {
		r.Train(0)
		time.Sleep(5 * time.Millisecond)
	}
	if got := r.Mode(); got != "local" {
		t.Fatalf("mode after 400ms of silence while training = %q, want local", got)
	}
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "no report for 150ms while training") {
		t.Errorf("run error %v, want the timeout while training", err)
	}
	if !worker.closed {
		t.Errorf("the stalled worker was not closed")
	}
}

// slowTransport runs a sim.TrainingWorker that reports every interval,
// for a worker on a slow machine: each tick trains one unit of work.
type slowTransport struct {
	mu     sync.Mutex
	worker *sim.TrainingWorker
	stop   chan struct{}
	closed bool
}

func (s *slowTransport) Post(cmd sim.WorkerCommand) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.worker.Handle(cmd)
}

func (s *slowTransport) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.stop)
	}
}

func (s *slowTransport) run(interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-ticker.C:
			s.mu.Lock()
			s.worker.Tick(0)
			s.mu.Unlock()
		}
	}
}

func TestWatchdogSlowWorkerKeepsTraining(t *testing.T) {
	s, msgs := parse(t, agentQuery+"&autostart=1")
	if len(msgs) != 0 {
		t.Fatal(msgs)
	}
	var workers []*slowTransport
	newTransport := func(to Receiver) Transport {
		w := &slowTransport{worker: &sim.TrainingWorker{Send: to.Receive}, stop: make(chan struct{})}
		workers = append(workers, w)
		go w.run(50 * time.Millisecond)
		return w
	}
	g := New(Options{Settings: &s, WorkerTimeouts: shortTimeouts, NewTransport: newTransport})
	t.Cleanup(func() { g.runs[0].Close() })
	updateFor(t, g, time.Second)

	r := g.runs[0]
	if got := r.Mode(); got != "worker" {
		t.Errorf("mode of a worker that reports every 50ms = %q, want worker", got)
	}
	if err := r.Err(); err != nil {
		t.Errorf("run error %v, want none", err)
	}
	if r.Progress() == 0 && r.Epoch() == 0 {
		t.Errorf("the slow worker made no progress in a second")
	}
	if workers[0].closed {
		t.Errorf("the slow worker was closed")
	}
}

func TestUnitTimeGrowsWithNetwork(t *testing.T) {
	small := smallConfig(t, "square", "mop")
	tr, err := newRemoteTrainer(small)
	if err != nil {
		t.Fatal(err)
	}
	if tr.unitTime > time.Second {
		t.Errorf("unit time of a small config = %v, want under a second", tr.unitTime)
	}
	large, err := sim.DefaultConfig("square")
	if err != nil {
		t.Fatal(err)
	}
	large.N, large.K, large.ActionDim = 1000, 32, 1000
	tr, err = newRemoteTrainer(large)
	if err != nil {
		t.Fatal(err)
	}
	if tr.unitTime < time.Minute {
		t.Errorf("unit time with n = 1000, K = 32 and d_a = 1000 = %v, want over a minute", tr.unitTime)
	}
}

// loadingTransport sends a "loading" report every interval, as
// public/worker.js does while worker.wasm downloads, and the first report
// after loadTime.
type loadingTransport struct {
	silentTransport
	to   Receiver
	stop chan struct{}
}

func (l *loadingTransport) Close() {
	l.silentTransport.Close()
	close(l.stop)
}

// load sends the loading reports until loadTime, when it sends the first
// report, or until stallTime, after which it sends nothing.
func (l *loadingTransport) load(interval, loadTime, stallTime time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	done := time.After(loadTime)
	stall := time.After(stallTime)
	for {
		select {
		case <-l.stop:
			return
		case <-stall:
			return
		case <-done:
			l.to.Receive(sim.WorkerReport{Op: "progress", Phase: "rollout"})
			return
		case <-ticker.C:
			l.to.Receive(sim.WorkerReport{Op: "loading"})
		}
	}
}

func TestWatchdogSlowDownloadKeepsWorker(t *testing.T) {
	c := smallConfig(t, "square", "mop")
	var worker *loadingTransport
	r, err := NewRemoteRun(c, func(to Receiver) Transport {
		worker = &loadingTransport{to: to, stop: make(chan struct{})}
		go worker.load(30*time.Millisecond, 400*time.Millisecond, time.Hour)
		return worker
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	remote := r.Trainer.(*RemoteTrainer)
	remote.Timeouts = shortTimeouts

	for end := time.Now().Add(600 * time.Millisecond); time.Now().Before(end); {
		r.Train(0)
		time.Sleep(5 * time.Millisecond)
	}
	if got := r.Mode(); got != "worker" {
		t.Errorf("mode after a 400ms download with loading reports = %q, want worker; error %v", got, r.Err())
	}
	if !remote.started {
		t.Errorf("the trainer did not count the first report after the loading reports as the start")
	}
}

func TestWatchdogLoadingIsNotStart(t *testing.T) {
	c := smallConfig(t, "square", "mop")
	var worker *loadingTransport
	r, err := NewRemoteRun(c, func(to Receiver) Transport {
		worker = &loadingTransport{to: to, stop: make(chan struct{})}
		// The download stalls after the loading reports of 100ms.
		go worker.load(30*time.Millisecond, time.Hour, 100*time.Millisecond)
		return worker
	})
	if err != nil {
		t.Fatal(err)
	}
	remote := r.Trainer.(*RemoteTrainer)
	remote.Timeouts = shortTimeouts

	for end := time.Now().Add(600 * time.Millisecond); time.Now().Before(end) && r.Mode() == "worker"; {
		r.Train(0)
		time.Sleep(5 * time.Millisecond)
	}
	if got := r.Mode(); got != "local" {
		t.Errorf("mode after loading reports that stopped = %q, want local", got)
	}
}
