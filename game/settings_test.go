package game

import (
	"net/url"
	"runtime"
	"strings"
	"testing"

	"github.com/neuromop/neuromop/sim"
)

func parse(t *testing.T, query string) (Settings, []string) {
	t.Helper()
	q, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	return ParseSettings(q)
}

func TestParseSettingsDefaults(t *testing.T) {
	s, msgs := parse(t, "")
	if len(msgs) != 0 {
		t.Errorf("messages for an empty query: %v, want none", msgs)
	}
	want, _ := sim.DefaultConfig("square")
	if s.Config != want {
		t.Errorf("config of an empty query = %+v, want the square defaults %+v", s.Config, want)
	}
	if s.Compare || s.Autostart || s.Bench {
		t.Errorf("options of an empty query = compare %v, autostart %v, bench %v, want all off",
			s.Compare, s.Autostart, s.Bench)
	}
}

func TestParseSettingsExample(t *testing.T) {
	s, msgs := parse(t, "task=shapes&shape=ring&agent=mop&seed=3&alpha=1&autostart=1")
	if len(msgs) != 0 {
		t.Errorf("messages: %v, want none", msgs)
	}
	want, _ := sim.DefaultConfig("shapes")
	want.Shape, want.Seed = "ring", 3
	if s.Config != want {
		t.Errorf("config = %+v, want %+v", s.Config, want)
	}
	if !s.Autostart {
		t.Errorf("autostart = false, want true")
	}
	if s.Config.Units != 64 {
		t.Errorf("units of the shapes task = %d, want its default 64", s.Config.Units)
	}
}

func TestParseSettingsEveryParam(t *testing.T) {
	// Every parameter of the table is accepted by name with its default.
	c, _ := sim.DefaultConfig("square")
	q := url.Values{}
	for name, v := range c.Values() {
		q.Set(name, v)
	}
	s, msgs := ParseSettings(q)
	if len(msgs) != 0 {
		t.Errorf("messages for every parameter at its default: %v, want none", msgs)
	}
	if s.Config != c {
		t.Errorf("config = %+v, want %+v", s.Config, c)
	}
}

func TestParseSettingsInvalid(t *testing.T) {
	tests := []struct {
		query string
		want  string // the message, as sim words it
		n     int    // the number of neurons the query keeps
	}{
		{"gamma=7", `invalid gamma "7": want a number in (0, 1)`, 100},
		{"task=squar", `invalid task "squar": want one of energy, square, shapes, corridor, reward, saturation, cartpole`, 100},
		{"K=0", `invalid K "0": want an integer in [1, 256]`, 100},
		{"beta=0.5", "invalid beta 0.5: the state entropy needs sigma > 0", 100},
		{"n=10&da=20", "invalid da 20: want at most n = 10, or 0 for one current per neuron", 10},
		{"view=grid", `invalid view "grid": want compare or single`, 100},
		{"autostart=maybe", `invalid autostart "maybe": want 1 or 0`, 100},
		{"colour=red", `unknown parameter "colour"`, 100},
	}
	for _, tt := range tests {
		defaults, _ := sim.DefaultConfig("square")
		defaults.N = tt.n
		s, msgs := parse(t, tt.query)
		if len(msgs) != 1 {
			t.Errorf("%s: messages %q, want exactly one", tt.query, msgs)
			continue
		}
		if !strings.HasPrefix(msgs[0], tt.want) {
			t.Errorf("%s: message %q, want it to start with %q", tt.query, msgs[0], tt.want)
		}
		if s.Config != defaults {
			t.Errorf("%s: config %+v, want the defaults with n %d %+v", tt.query, s.Config, tt.n, defaults)
		}
	}
}

func TestParseSettingsKeepsValidWithInvalid(t *testing.T) {
	s, msgs := parse(t, "task=square&gamma=7&alpha=0.5&seed=3")
	if len(msgs) != 1 {
		t.Fatalf("messages %q, want one for gamma", msgs)
	}
	if s.Config.Gamma != 0.9 {
		t.Errorf("gamma = %v, want the default 0.9", s.Config.Gamma)
	}
	if s.Config.Alpha != 0.5 || s.Config.Seed != 3 {
		t.Errorf("alpha, seed = %v, %v, want 0.5, 3", s.Config.Alpha, s.Config.Seed)
	}
}

func TestApplyTaskResetsDefaults(t *testing.T) {
	s, _ := parse(t, "task=square&alpha=0.5&seed=4&agent=r")
	s, msgs := s.Apply(map[string]string{"task": "cartpole"})
	if len(msgs) != 0 {
		t.Fatalf("messages %q, want none", msgs)
	}
	want, _ := sim.DefaultConfig("cartpole")
	want.Seed, want.Agent = 4, "r"
	if s.Config != want {
		t.Errorf("config after a new task = %+v, want its defaults with seed and agent kept %+v", s.Config, want)
	}
	// The same task again changes nothing.
	s.Config.Alpha = 2
	s, _ = s.Apply(map[string]string{"task": "cartpole"})
	if s.Config.Alpha != 2 {
		t.Errorf("alpha after the same task = %v, want 2 kept", s.Config.Alpha)
	}
}

func TestQueryRoundTrip(t *testing.T) {
	tests := []struct{ query, want string }{
		{"", "task=square"},
		{"task=shapes&shape=ring&agent=mop&seed=3&alpha=1&autostart=1", "task=shapes&shape=ring&seed=3&autostart=1"},
		{"view=compare&bench=1&lr=0.002&task=energy", "task=energy&lr=0.002&view=compare&bench=1"},
		{"eval-agents=16&agents=32&task=square", "task=square&agents=32&eval-agents=16"},
	}
	for _, tt := range tests {
		s, msgs := parse(t, tt.query)
		if len(msgs) != 0 {
			t.Errorf("%q: messages %q, want none", tt.query, msgs)
		}
		got := s.Query()
		if got != tt.want {
			t.Errorf("Query of %q = %q, want %q", tt.query, got, tt.want)
		}
		back, _ := parse(t, got)
		if back != s {
			t.Errorf("settings of %q = %+v, want %+v", got, back, s)
		}
	}
}

func TestJointRulesIgnoreOrder(t *testing.T) {
	for _, query := range []string{"task=saturation&sigma=0&beta=0", "task=saturation&beta=0&sigma=0"} {
		s, msgs := parse(t, query)
		if len(msgs) != 0 {
			t.Errorf("%s: messages %q, want none", query, msgs)
		}
		if s.Config.Sigma != 0 || s.Config.Beta != 0 {
			t.Errorf("%s: sigma %v, beta %v; want 0 and 0", query, s.Config.Sigma, s.Config.Beta)
		}
	}
}

func TestPageMemoryMatchesHeap(t *testing.T) {
	s, msgs := parse(t, "n=200&agents=64&steps=10&epochs=1&eval-steps=20&final-steps=20&workers=1")
	if len(msgs) != 0 {
		t.Fatalf("messages %q, want none", msgs)
	}
	estimate := sim.Total(pageMemory(&s))

	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	r, err := NewRun(s.Config)
	if err != nil {
		t.Fatal(err)
	}
	tr := r.Trainer.(*LocalTrainer).Sim()
	// The live heap is largest while an evaluation runs, with its agents
	// and records, or at the start of the final one.
	var peak uint64
	for _, phase := range []string{"rollout", "eval", "final"} {
		for tr.Phase() != phase {
			tr.Advance(0)
		}
		tr.Advance(0)
		peak = max(peak, heap()-min(before, heap()))
	}
	runtime.KeepAlive(r)

	growth := float64(peak)
	t.Logf("estimate %.1f MiB, heap growth %.1f MiB", estimate/(1<<20), growth/(1<<20))
	if estimate < growth {
		t.Errorf("estimate %.0f bytes is below the heap growth %.0f bytes", estimate, growth)
	}
	if estimate > 2*growth {
		t.Errorf("estimate %.0f bytes is more than twice the heap growth %.0f bytes", estimate, growth)
	}
}

func TestApplyKeepsValuesBesideJointRule(t *testing.T) {
	s, msgs := parse(t, "alpha=0.5&da=101&seed=4")
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "invalid da 101: want at most n = 100") {
		t.Errorf("messages %q, want one for da", msgs)
	}
	if s.Config.Alpha != 0.5 {
		t.Errorf("alpha = %v, want 0.5 kept", s.Config.Alpha)
	}
	if s.Config.Seed != 4 {
		t.Errorf("seed = %v, want 4 kept", s.Config.Seed)
	}
	if s.Config.ActionDim != 0 {
		t.Errorf("da = %v, want the default 0", s.Config.ActionDim)
	}
	if got, want := s.Query(), "task=square&seed=4&alpha=0.5"; got != want {
		t.Errorf("Query() = %q, want %q", got, want)
	}

	s, msgs = s.Apply(map[string]string{"mu": "0.3", "da": "500"})
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "invalid da 500") {
		t.Errorf("Apply messages %q, want one for da", msgs)
	}
	if s.Config.Mu != 0.3 {
		t.Errorf("mu = %v, want 0.3 kept", s.Config.Mu)
	}
}

func TestApplyRejectsLaterValueOfJointRule(t *testing.T) {
	// n applies first, in the order of sim.Params, so da is the value that
	// breaks the rule.
	s, msgs := parse(t, "da=50&n=20")
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "invalid da 50: want at most n = 20") {
		t.Errorf("messages %q, want one for da", msgs)
	}
	if s.Config.N != 20 || s.Config.ActionDim != 0 {
		t.Errorf("n, da = %d, %d, want 20, 0", s.Config.N, s.Config.ActionDim)
	}
}

func TestPageAcceptsDefaults(t *testing.T) {
	for _, task := range sim.Tasks {
		for _, compare := range []bool{false, true} {
			s := Settings{Config: defaultConfig(task), Compare: compare}
			if err := checkPage(&s); err != nil {
				t.Errorf("%s, compare %v: %v", task, compare, err)
			}
		}
	}
}

func TestPageRejectsCompareMemory(t *testing.T) {
	s, msgs := parse(t, "view=compare&worker=0&n=2000&agents=64&steps=1000&autostart=1")
	if len(msgs) != 1 {
		t.Fatalf("messages %q, want one for n", msgs)
	}
	for _, want := range []string{"invalid n 2000", "the compare view needs an estimated", "want at most", "or use the single view"} {
		if !strings.Contains(msgs[0], want) {
			t.Errorf("message %q, want it to contain %q", msgs[0], want)
		}
	}
	if s.Config.N != 100 || s.Config.Agents != 64 || s.Config.Steps != 1000 || !s.Compare {
		t.Errorf("n, agents, steps, compare = %d, %d, %d, %v; want 100, 64, 1000, true",
			s.Config.N, s.Config.Agents, s.Config.Steps, s.Compare)
	}
	if mem := sim.Total(pageMemory(&s)); mem > MaxPageBytes {
		t.Errorf("the accepted settings need %.0f bytes, above MaxPageBytes", mem)
	}
}

func TestPageRejectsLongUnits(t *testing.T) {
	for _, query := range []string{"n=600", "n=2000&da=2000", "units=512"} {
		s, msgs := parse(t, query)
		if len(msgs) == 0 {
			t.Errorf("%s: accepted, with a slice of %.3g operations", query, sim.Largest(pageWork(&s)).Amount)
			continue
		}
		if s.Config != defaultConfig("square") {
			t.Errorf("%s: config %+v, want the defaults", query, s.Config)
		}
		if !strings.Contains(msgs[0], "want at most") {
			t.Errorf("%s: message %q, want the limit", query, msgs[0])
		}
	}
	_, msgs := parse(t, "n=600")
	for _, want := range []string{"invalid n 600:", "floating-point operations", "want at most 3e+08", "neuromop train"} {
		if len(msgs) > 0 && !strings.Contains(msgs[0], want) {
			t.Errorf("n=600: message %q, want it to contain %q", msgs[0], want)
		}
	}
}

func TestPageChecksCompareRunsTogether(t *testing.T) {
	s, msgs := parse(t, "n=400")
	if len(msgs) != 0 {
		t.Fatalf("n=400: messages %q, want none", msgs)
	}
	s, msgs = s.Apply(map[string]string{"view": "compare"})
	if len(msgs) != 1 || !strings.Contains(msgs[0], "the compare view") {
		t.Errorf("compare view with n 400: messages %q, want one for the three runs", msgs)
	}
	if s.Compare {
		t.Error("compare view accepted")
	}
	// A smaller network given with the view makes it fit.
	s, msgs = s.Apply(map[string]string{"view": "compare", "n": "200"})
	if len(msgs) != 0 || !s.Compare || s.Config.N != 200 {
		t.Errorf("compare view with n 200: messages %q, compare %v, n %d; want none, true, 200", msgs, s.Compare, s.Config.N)
	}
}

func TestParseSettingsNamesRepeatedKeys(t *testing.T) {
	q, err := url.ParseQuery("seed=3&seed=4&alpha=0.5")
	if err != nil {
		t.Fatal(err)
	}
	s, msgs := ParseSettings(q)
	if s.Config.Seed != 4 || s.Config.Alpha != 0.5 {
		t.Errorf("seed %d, alpha %v, want the last seed 4 and alpha 0.5", s.Config.Seed, s.Config.Alpha)
	}
	want := `parameter seed given 2 times: using its last value "4", dropping ["3"]`
	if len(msgs) != 1 || msgs[0] != want {
		t.Errorf("messages %q, want only %q", msgs, want)
	}
}
