package game

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/neuromop/neuromop/sim"
)

// agentQuery is a run of two epochs that finishes in well under a second.
const agentQuery = "task=square&seed=3&epochs=2&agents=8&steps=5&eval-agents=4&eval-steps=10" +
	"&final-agents=4&final-steps=20&n=20&K=8&units=8&batch=32&passes=1&workers=1"

func newAgentGame(t *testing.T, query string) *Game {
	t.Helper()
	s, msgs := parse(t, query)
	if len(msgs) != 0 {
		t.Fatal(msgs)
	}
	return New(Options{Settings: &s})
}

// trainToEnd starts the runs and trains them until the first is done.
func trainToEnd(t *testing.T, g *Game) {
	t.Helper()
	g.forRuns((*Run).Start)
	for i := 0; i < 100000 && g.runs[0].State() != RunDone; i++ {
		g.train(time.Millisecond)
	}
	if g.runs[0].State() != RunDone {
		t.Fatalf("run state %v after training, want done", g.runs[0].State())
	}
}

// exportText runs an export through the queue, as the next Update does.
func exportText(t *testing.T, g *Game) (name, text string) {
	t.Helper()
	var err error
	called := false
	g.ExportAgent(func(n, s string, e error) { name, text, err, called = n, s, e, true })
	if called {
		t.Fatalf("ExportAgent called back before the next Update")
	}
	g.drainQueue()
	if !called {
		t.Fatalf("the Update after ExportAgent did not call back")
	}
	if err != nil {
		t.Fatalf("export failed: %v", err)
	}
	return name, text
}

func TestExportImportRoundTrip(t *testing.T) {
	g := newAgentGame(t, agentQuery)
	trainToEnd(t, g)
	name, text := exportText(t, g)
	if want := "neuromop-square-mop-seed3-2epochs.agent.json"; name != want {
		t.Errorf("file name %q, want %q", name, want)
	}
	original := g.runs[0].Trainer.(*LocalTrainer).Sim()

	h := newAgentGame(t, "task=corridor")
	if msg := h.ImportAgent(text); msg != "" {
		t.Fatalf("ImportAgent rejected an exported file: %s", msg)
	}
	h.drainQueue()
	if got, want := h.settings.Config, original.Config; got != want {
		t.Fatalf("settings after the import %+v, want the file's %+v", got, want)
	}
	if len(h.runs) != 1 || h.runs[0].Config != original.Config {
		t.Fatalf("runs after the import: %d, first of config %+v, want one of the file's", len(h.runs), h.runs[0].Config)
	}
	imported := h.runs[0].Trainer.(*LocalTrainer).Sim()
	for i, w := range original.Target.Theta {
		if imported.Target.Theta[i] != w {
			t.Fatalf("imported weight %d = %v, want %v", i, imported.Target.Theta[i], w)
		}
	}
	if imported.Epoch() != 2 || imported.Phase() != "final" {
		t.Errorf("imported trainer at epoch %d in phase %s, want 2 in final", imported.Epoch(), imported.Phase())
	}

	trainToEnd(t, h)
	got, _ := json.Marshal(imported.Final)
	want, _ := json.Marshal(original.Final)
	if string(got) != string(want) {
		t.Errorf("final evaluation of the imported agent\n%s\nwant the original's\n%s", got, want)
	}
	if _, again := exportText(t, h); again != text {
		t.Errorf("the imported agent exports a different file after its evaluation")
	}
}

func TestImportContinuesTraining(t *testing.T) {
	g := newAgentGame(t, strings.Replace(agentQuery, "epochs=2", "epochs=3", 1))
	g.forRuns((*Run).StepEpoch)
	for i := 0; i < 100000 && g.runs[0].Epoch() < 1; i++ {
		g.train(time.Millisecond)
	}
	_, text := exportText(t, g)

	h := newAgentGame(t, "task=square")
	if msg := h.ImportAgent(text); msg != "" {
		t.Fatal(msg)
	}
	h.drainQueue()
	tr := h.runs[0].Trainer
	if tr.Epoch() != 1 || tr.Phase() != "rollout" {
		t.Fatalf("imported trainer at epoch %d in phase %s, want 1 in rollout", tr.Epoch(), tr.Phase())
	}
	trainToEnd(t, h)
	if tr.Epoch() != 3 {
		t.Errorf("epochs after the imported run ended = %d, want 3", tr.Epoch())
	}
}

func TestImportRejectsBadFiles(t *testing.T) {
	g := newAgentGame(t, agentQuery)
	_, valid := exportText(t, g)
	edit := func(f func(doc map[string]any)) string {
		var doc map[string]any
		if err := json.Unmarshal([]byte(valid), &doc); err != nil {
			t.Fatal(err)
		}
		f(doc)
		out, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	valueNet := func(doc map[string]any) map[string]any { return doc["value_net"].(map[string]any) }
	cases := []struct {
		name, text, want string
	}{
		{"empty", "", "agent file: empty"},
		{"truncated", valid[:len(valid)/2], "agent file: truncated after"},
		{"not JSON", "<img src=x onerror=alert(1)>", "agent file: invalid JSON at byte"},
		{"wrong version", edit(func(d map[string]any) { d["version"] = 7 }), "version 7 is not supported"},
		{"shape mismatch", edit(func(d map[string]any) { valueNet(d)["sizes"] = []any{20, 9, 8, 1} }),
			"value_net.sizes[1] is 9, want units = 8"},
		{"NaN weight", strings.Replace(valid, `"theta": [`, `"theta": [NaN, `, 1), "invalid JSON"},
		{"NaN weight string", edit(func(d map[string]any) { valueNet(d)["theta"].([]any)[0] = "NaN" }),
			`value_net.theta[0] is the string "NaN", want a number`},
		{"huge sizes", edit(func(d map[string]any) { valueNet(d)["sizes"] = []any{1e12, 1e12, 1e12, 1} }),
			"value_net.sizes[0] is 1000000000000, want 20"},
		{"huge theta", strings.Replace(valid, `"theta": [`, `"theta": [1e999, `, 1), "outside the range of float64"},
		{"too large for the page", edit(func(d map[string]any) {
			params := d["params"].(map[string]any)
			params["agents"], params["K"] = 2048, 256
		}), "the agent file's run is too large for the page"},
	}

	g.Start()
	g.drainQueue()
	run := g.runs[0]
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg := g.ImportAgent(tc.text)
			if !strings.Contains(msg, tc.want) {
				t.Fatalf("ImportAgent = %q, want a message containing %q", msg, tc.want)
			}
			g.drainQueue()
			if g.runs[0] != run || len(g.runs) != 1 {
				t.Errorf("a rejected file replaced the run")
			}
			if !g.runs[0].Training() {
				t.Errorf("a rejected file stopped the training")
			}
			if len(g.notices) != 1 || g.notices[0] != msg {
				t.Errorf("notices %q, want the message %q", g.notices, msg)
			}
		})
	}
}

func TestImportThenSetAppliesOverFile(t *testing.T) {
	g := newAgentGame(t, agentQuery)
	_, text := exportText(t, g)
	h := newAgentGame(t, "task=corridor&view=compare")
	if msg := h.ImportAgent(text); msg != "" {
		t.Fatal(msg)
	}
	h.Set(map[string]string{"alpha": "0.5"})
	h.drainQueue()
	c := h.settings.Config
	if c.Task != "square" || c.Alpha != 0.5 || c.Units != 8 || h.settings.Compare {
		t.Errorf("settings task %s, alpha %v, units %d, compare %v, want the file's square with alpha 0.5 in the single view",
			c.Task, c.Alpha, c.Units, h.settings.Compare)
	}
}

func TestExportFreeNetworkFails(t *testing.T) {
	g := newAgentGame(t, "task=square&agent=free")
	var err error
	g.ExportAgent(func(_, _ string, e error) { err = e })
	g.drainQueue()
	if err == nil || !strings.Contains(err.Error(), "free network has no value network") {
		t.Errorf("export of the free network: error %v, want one about the missing value network", err)
	}
}

func TestSetAgentFiles(t *testing.T) {
	g := newAgentGame(t, "task=square")
	if _, ok := g.agentFiles(); ok {
		t.Fatalf("a new game has AgentFiles, want none")
	}
	opened := 0
	g.SetAgentFiles(AgentFiles{Save: func(string, string) {}, Open: func() { opened++ }})
	f, ok := g.agentFiles()
	if !ok {
		t.Fatalf("agentFiles after SetAgentFiles reports none")
	}
	f.Open()
	if opened != 1 {
		t.Errorf("Open called %d times, want 1", opened)
	}
	if _, ok := newAgentGame(t, "task=square").agentFiles(); ok {
		t.Errorf("another game shares the AgentFiles")
	}
}

func TestLimitNotices(t *testing.T) {
	var probe sim.Config
	long := sim.Lookup("alpha").Parse(&probe, strings.Repeat("x", 100000)).Error()
	got := LimitNotices([]string{long})
	if len(got) != 1 || len(got[0]) > MaxNoticeBytes {
		t.Fatalf("LimitNotices of a 100 kB message = %d messages, first of %d bytes, want one of at most %d",
			len(got), len(got[0]), MaxNoticeBytes)
	}
	if !strings.HasPrefix(got[0], `invalid alpha "xxx`) || !strings.HasSuffix(got[0], "want a number in (0, 100]") {
		t.Errorf("shortened message %q, want its start and its end kept", got[0])
	}

	many := make([]string, 20)
	for i := range many {
		many[i] = "m"
	}
	got = LimitNotices(many)
	if len(got) != MaxNotices+1 {
		t.Fatalf("LimitNotices of 20 messages returned %d, want %d", len(got), MaxNotices+1)
	}
	if want := "and 12 more messages, listed in status().errors"; got[MaxNotices] != want {
		t.Errorf("last message %q, want %q", got[MaxNotices], want)
	}

	multibyte := strings.Repeat("α", 400)
	if s := shortenNotice(multibyte); !strings.HasPrefix(s, "α") || !strings.HasSuffix(s, "α") || len(s) > MaxNoticeBytes {
		t.Errorf("shortenNotice cut a rune or kept %d bytes: %q", len(s), s)
	}
	if LimitNotices(nil) != nil {
		t.Errorf("LimitNotices(nil) is not nil")
	}
}

// savedAgent returns the agent file of agentQuery with three epochs after
// the given number of epochs, decoded and as text.
func savedAgent(t *testing.T, epochs int) (*sim.AgentFile, string) {
	t.Helper()
	g := newAgentGame(t, strings.Replace(agentQuery, "epochs=2", "epochs=3", 1))
	for e := 0; e < epochs; e++ {
		g.forRuns((*Run).StepEpoch)
		for i := 0; i < 100000 && g.runs[0].Trainer.Epoch() <= e; i++ {
			g.train(time.Millisecond)
		}
	}
	_, text := exportText(t, g)
	a, err := sim.DecodeAgent(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if a.EpochsTrained != epochs {
		t.Fatalf("saved agent has %d epochs trained, want %d", a.EpochsTrained, epochs)
	}
	return a, text
}

// runToEnd starts r and trains it until it is done, ticking the loop
// transports of ls between frames.
func runToEnd(t *testing.T, r *Run, ls *loops) {
	t.Helper()
	r.Start()
	for i := 0; i < 100000 && r.State() != RunDone; i++ {
		ls.tick()
		r.Train(time.Millisecond)
	}
	if r.State() != RunDone {
		t.Fatalf("run state %v after training, want done", r.State())
	}
}

func TestAgentRunTrainsInWorker(t *testing.T) {
	for _, epochs := range []int{1, 3} {
		t.Run(fmt.Sprintf("%d epochs trained", epochs), func(t *testing.T) {
			a, _ := savedAgent(t, epochs)
			var ls loops
			remote, err := newAgentRun(a, ls.newTransport)
			if err != nil {
				t.Fatal(err)
			}
			local, err := newAgentRun(a, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := remote.Mode(); got != "worker" {
				t.Errorf("mode of the agent run with a transport = %q, want worker", got)
			}
			if got := local.Mode(); got != "local" {
				t.Errorf("mode of the agent run without a transport = %q, want local", got)
			}
			if len(ls.started) != 1 {
				t.Fatalf("started %d workers, want 1", len(ls.started))
			}
			if got := strings.Join(ls.started[0].posted, " "); got != "load" {
				t.Errorf("posted commands %q, want \"load\"", got)
			}
			if !reflect.DeepEqual(remote.Trainer.Target().Theta, a.Value.Theta) {
				t.Errorf("the remote trainer's target network does not start from the agent's weights")
			}
			if got, want := remote.Trainer.Target().Scale, a.Value.Scale; got != want {
				t.Errorf("the remote trainer's output scale = %v, want the agent's %v", got, want)
			}
			if got, want := remote.Trainer.Epoch(), local.Trainer.Epoch(); got != want {
				t.Errorf("remote trainer at epoch %d, want the local trainer's %d", got, want)
			}
			if got, want := remote.Trainer.Phase(), local.Trainer.Phase(); got != want {
				t.Errorf("remote trainer in phase %s, want the local trainer's %s", got, want)
			}

			runToEnd(t, remote, &ls)
			runToEnd(t, local, &ls)
			if got, want := remote.Trainer.Epoch(), 3; got != want {
				t.Errorf("remote trainer at epoch %d after training, want %d", got, want)
			}
			if len(local.History) != 3-epochs {
				t.Errorf("local run has %d epochs of history, want %d", len(local.History), 3-epochs)
			}
			if !reflect.DeepEqual(remote.History, local.History) {
				t.Errorf("the remote run's epoch metrics differ from the local run's:\n got %+v\nwant %+v",
					remote.History, local.History)
			}
			if !reflect.DeepEqual(remote.Trainer.Target().Theta, local.Trainer.Target().Theta) {
				t.Errorf("the remote run's target network differs from the local run's after training")
			}
			got, _ := json.Marshal(remote.Trainer.(*RemoteTrainer).Final())
			want, _ := json.Marshal(local.Trainer.(*LocalTrainer).Sim().Final)
			if string(got) != string(want) {
				t.Errorf("final evaluation of the remote run\n%s\nwant the local run's\n%s", got, want)
			}
			if err := remote.Err(); err != nil {
				t.Errorf("remote run error %v, want none", err)
			}
		})
	}
}

func TestAgentRunFallsBackToAgent(t *testing.T) {
	a, _ := savedAgent(t, 1)
	var ls loops
	r, err := newAgentRun(a, ls.newTransport)
	if err != nil {
		t.Fatal(err)
	}
	r.Start()
	r.Trainer.(*RemoteTrainer).Fail(errors.New("worker.wasm could not be loaded: HTTP 404"))
	r.Train(0)
	if got := r.Mode(); got != "local" {
		t.Fatalf("mode after the worker failed = %q, want local", got)
	}
	tr := r.Trainer.(*LocalTrainer).Sim()
	if !reflect.DeepEqual(tr.Target.Theta, a.Value.Theta) {
		t.Errorf("the local trainer after the fallback does not start from the agent's weights")
	}
	if tr.Epoch() != 1 {
		t.Errorf("local trainer after the fallback at epoch %d, want the agent's 1", tr.Epoch())
	}
	if !r.Training() {
		t.Errorf("the run stopped training after the fallback, want it to go on")
	}
}

func TestAgentRunRejectsBadValueNet(t *testing.T) {
	a, _ := savedAgent(t, 1)
	n := len(a.Value.Theta)
	cases := []struct {
		name string
		edit func(a *sim.AgentFile)
		want string
	}{
		{"missing", func(a *sim.AgentFile) { a.Value = nil }, "the agent has no value network to load"},
		{"short", func(a *sim.AgentFile) { a.Value.Theta = a.Value.Theta[:n-1] },
			fmt.Sprintf("with %d weights, want sizes %v with %d weights", n-1, a.Value.Sizes, n)},
		{"NaN weight", func(a *sim.AgentFile) { a.Value.Theta[2] = math.NaN() },
			"weight 2 of the agent's value network is NaN, want a finite number"},
		{"infinite scale", func(a *sim.AgentFile) { a.Value.Scale = math.Inf(1) },
			"the scale of the agent's value network is +Inf, want a finite positive number"},
		{"negative epochs", func(a *sim.AgentFile) { a.EpochsTrained = -2 },
			"the agent has -2 epochs trained, want at least 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bad := *a
			bad.Value = a.Value.Clone()
			tc.edit(&bad)
			var ls loops
			_, err := newAgentRun(&bad, ls.newTransport)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("newAgentRun error %v, want one containing %q", err, tc.want)
			}
			if len(ls.started) != 0 {
				t.Errorf("a rejected agent started %d workers, want none", len(ls.started))
			}
		})
	}
}

func TestImportInWorkerMode(t *testing.T) {
	_, text := savedAgent(t, 1)
	var exports []string
	for _, query := range []string{"task=corridor", "task=corridor&worker=0"} {
		var ls loops
		s, msgs := parse(t, query)
		if len(msgs) != 0 {
			t.Fatal(msgs)
		}
		g := New(Options{Settings: &s, NewTransport: ls.newTransport})
		if msg := g.ImportAgent(text); msg != "" {
			t.Fatalf("%s: ImportAgent rejected an exported file: %s", query, msg)
		}
		g.drainQueue()
		wantMode := "worker"
		if s.Local {
			wantMode = "local"
		}
		if got := g.runs[0].Mode(); got != wantMode {
			t.Errorf("%s: mode of the imported run = %q, want %s", query, got, wantMode)
		}
		if s.Local && len(ls.started) != 0 {
			t.Errorf("%s: started %d workers, want none", query, len(ls.started))
		}
		if !s.Local {
			last := ls.started[len(ls.started)-1]
			if got := strings.Join(last.posted, " "); got != "load" {
				t.Errorf("%s: the imported run's worker got %q, want \"load\"", query, got)
			}
		}
		runToEnd(t, g.runs[0], &ls)
		_, exported := exportText(t, g)
		exports = append(exports, exported)
	}
	if exports[0] != exports[1] {
		t.Errorf("the agent trained in the worker exports\n%.400s\nwant the local one's\n%.400s", exports[0], exports[1])
	}
}

func TestImportedRunCountsLoadedEpochs(t *testing.T) {
	g := newAgentGame(t, agentQuery)
	trainToEnd(t, g)
	_, text := exportText(t, g)

	h := newAgentGame(t, "task=square")
	if msg := h.ImportAgent(text); msg != "" {
		t.Fatal(msg)
	}
	h.drainQueue()
	h.publishStatus(0, 0, 0)
	if got := h.Status().Epoch; got != 2 {
		t.Errorf("status epoch after importing a file of 2 trained epochs = %d, want 2", got)
	}
	if h.Status().Survival != nil {
		t.Errorf("status survival %v before the imported run's final evaluation, want none", *h.Status().Survival)
	}
	trainToEnd(t, h)
	h.publishStatus(0, 0, 0)
	st := h.Status()
	if st.Epoch != 2 {
		t.Errorf("status epoch after the imported run's final evaluation = %d, want 2", st.Epoch)
	}
	want := g.runs[0].Trainer.(*LocalTrainer).Sim().Final.Survival
	if st.Survival == nil || *st.Survival != want {
		t.Errorf("status survival after the imported run's final evaluation = %v, want the final evaluation's %v",
			st.Survival, want)
	}
}
