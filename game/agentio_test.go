package game

import (
	"encoding/json"
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
	if want := "and 12 more rejected values, not shown"; got[MaxNotices] != want {
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
