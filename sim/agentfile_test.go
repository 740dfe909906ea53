package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// smallConfig returns the configuration of task with the small sizes the
// agent-file tests train and evaluate.
func smallConfig(t testing.TB, task string, settings ...string) Config {
	t.Helper()
	c, err := DefaultConfig(task)
	if err != nil {
		t.Fatal(err)
	}
	small := []string{"epochs=2", "agents=8", "steps=10", "eval-agents=4", "eval-steps=10",
		"final-agents=8", "final-steps=40", "workers=1"}
	for _, kv := range append(small, settings...) {
		name, value, _ := strings.Cut(kv, "=")
		if err := c.Set(name, value); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

// untrainedAgent returns the agent file of c's untrained value network.
func untrainedAgent(t testing.TB, c Config) *AgentFile {
	t.Helper()
	env, err := NewEnv(&c)
	if err != nil {
		t.Fatal(err)
	}
	return &AgentFile{Config: c, Value: NewValueNetFor(&c, env, ParsePolicy(c.Agent)), Env: env}
}

func encode(t testing.TB, a *AgentFile) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := EncodeAgent(&buf, a); err != nil {
		t.Fatalf("EncodeAgent: %v", err)
	}
	return buf.Bytes()
}

func metricsJSON(t *testing.T, m *Metrics) string {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatalf("metrics do not encode: %v", err)
	}
	return string(b)
}

func TestAgentFileRoundTrip(t *testing.T) {
	cases := []struct {
		name     string
		task     string
		settings []string
	}{
		{"square mop", "square", nil},
		{"square r", "square", []string{"agent=r"}},
		{"shapes relu hidden", "shapes", []string{"units=8", "hidden=relu", "layers=1"}},
		{"energy random B", "energy", []string{"da=10", "n=40"}},
		{"cartpole", "cartpole", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := smallConfig(t, tc.task, tc.settings...)
			tr, err := NewTrainer(c)
			if err != nil {
				t.Fatal(err)
			}
			tr.Run()
			data := encode(t, tr.AgentFile())

			a, err := DecodeAgent(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("DecodeAgent: %v", err)
			}
			if got, want := a.Config, tr.Config; got != want {
				t.Errorf("decoded config = %+v, want %+v", got, want)
			}
			if got, want := a.EpochsTrained, c.Epochs; got != want {
				t.Errorf("EpochsTrained = %d, want %d", got, want)
			}
			if !reflect.DeepEqual(a.Value.Sizes, tr.Target.Sizes) {
				t.Errorf("sizes = %v, want %v", a.Value.Sizes, tr.Target.Sizes)
			}
			if a.Value.Relu != tr.Target.Relu || a.Value.Scale != tr.Target.Scale {
				t.Errorf("relu, scale = %t, %v, want %t, %v", a.Value.Relu, a.Value.Scale, tr.Target.Relu, tr.Target.Scale)
			}
			for i, x := range a.Value.Theta {
				if math.Float64bits(x) != math.Float64bits(tr.Target.Theta[i]) {
					t.Fatalf("theta[%d] = %v, want %v", i, x, tr.Target.Theta[i])
				}
			}
			if got, want := metricsJSON(t, a.Metrics), metricsJSON(t, tr.Final); got != want {
				t.Errorf("stored metrics = %s, want %s", got, want)
			}

			m, _ := Evaluate(a.Env, &a.Config, ParsePolicy(a.Config.Agent), a.Value, c.FinalAgents, c.FinalSteps)
			if got, want := metricsJSON(t, &m), metricsJSON(t, tr.Final); got != want {
				t.Errorf("evaluation of the decoded agent = %s, want %s", got, want)
			}
			if !reflect.DeepEqual(m.Occupancy, tr.Final.Occupancy) {
				t.Errorf("occupancy of the decoded agent differs from the trained agent's")
			}

			if again := encode(t, a); !bytes.Equal(again, data) {
				t.Errorf("encoding the decoded agent gives a different file")
			}
		})
	}
}

// tinyAgentFile returns a valid agent file of a 2-neuron network with a
// 2-unit value network, small enough to edit by hand and to fuzz fast.
func tinyAgentFile(t testing.TB) []byte {
	t.Helper()
	c := smallConfig(t, "square", "n=2", "layers=1", "units=2")
	return encode(t, untrainedAgent(t, c))
}

// editAgentFile decodes data into generic JSON, applies edit and encodes
// the result.
func editAgentFile(t *testing.T, data []byte, edit func(doc map[string]any)) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func valueNetOf(doc map[string]any) map[string]any { return doc["value_net"].(map[string]any) }

func paramsOf(doc map[string]any) map[string]any { return doc["params"].(map[string]any) }

var scaleRE = regexp.MustCompile(`"scale": [^,]+`)

func TestDecodeAgentRejects(t *testing.T) {
	valid := tinyAgentFile(t)
	edit := func(f func(doc map[string]any)) []byte { return editAgentFile(t, valid, f) }
	replace := func(old, new string) []byte {
		if !bytes.Contains(valid, []byte(old)) {
			t.Fatalf("the tiny agent file does not contain %q", old)
		}
		return bytes.Replace(valid, []byte(old), []byte(new), 1)
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "agent file: empty"},
		{"truncated", valid[:len(valid)/2], "agent file: truncated after"},
		{"not JSON", []byte("sizes: [1, 2]"), "agent file: invalid JSON at byte"},
		{"array", []byte("[1, 2]"), "the agent file is an array, want a JSON object"},
		{"trailing data", append(append([]byte(nil), valid...), "{}"...), "unexpected data after the end"},
		{"unknown member", edit(func(d map[string]any) { d["weights"] = 1 }), `unknown member "weights"`},
		{"missing params", edit(func(d map[string]any) { delete(d, "params") }), `missing member "params"`},
		{"wrong format", edit(func(d map[string]any) { d["format"] = "pytorch" }), `format is "pytorch", want "neuromop-agent"`},
		{"unknown version", edit(func(d map[string]any) { d["version"] = 2 }), "version 2 is not supported, want 1"},
		{"version string", edit(func(d map[string]any) { d["version"] = "1" }), `version is "1", want an integer`},
		{"unknown task", edit(func(d map[string]any) { d["task"] = "squar" }), `invalid task "squar": want one of`},
		{"free agent", edit(func(d map[string]any) {
			d["agent"] = "free"
			paramsOf(d)["agent"] = "free"
		}), `agent is "free", want mop or r`},
		{"agent mismatch", edit(func(d map[string]any) { d["agent"] = "r" }), `params.agent is "mop" but agent is "r"`},
		{"task mismatch", edit(func(d map[string]any) { paramsOf(d)["task"] = "reward" }), `params.task is "reward" but task is "square"`},
		{"gamma out of range", edit(func(d map[string]any) { paramsOf(d)["gamma"] = "1.5" }),
			`params: invalid gamma "1.5": want a number in (0, 1)`},
		{"unknown parameter", edit(func(d map[string]any) { paramsOf(d)["temperature"] = "1" }),
			`params: unknown parameter "temperature"`},
		{"parameter not a string", edit(func(d map[string]any) { paramsOf(d)["gamma"] = true }),
			"params.gamma is true, want a string or a number"},
		{"joint rule", edit(func(d map[string]any) { paramsOf(d)["beta"] = "0.1" }), "the state entropy needs sigma > 0"},
		{"input width", edit(func(d map[string]any) { valueNetOf(d)["sizes"] = []any{3, 2, 1} }),
			"value_net.sizes[0] is 3, want 2, the value-network input of task square with n = 2"},
		{"hidden width", edit(func(d map[string]any) { valueNetOf(d)["sizes"] = []any{2, 5, 1} }),
			"value_net.sizes[1] is 5, want units = 2"},
		{"two outputs", edit(func(d map[string]any) { valueNetOf(d)["sizes"] = []any{2, 2, 2} }),
			"value_net.sizes[2] is 2, want 1, the single output"},
		{"layer count", edit(func(d map[string]any) { valueNetOf(d)["sizes"] = []any{2, 2, 2, 1} }),
			"value_net.sizes has 4 widths, want 3"},
		{"absurd size", edit(func(d map[string]any) { valueNetOf(d)["sizes"] = []any{1e9, 2, 1} }),
			"value_net.sizes[0] is 1000000000, want 2"},
		{"absurd size list", edit(func(d map[string]any) { valueNetOf(d)["sizes"] = []any{1e9} }),
			"value_net.sizes has 1 widths, want 3"},
		{"size 1e9 literal", replace(`"sizes": [
      2,`, `"sizes": [
      1e9,`), "value_net.sizes[0] is 1e9, want a positive integer"},
		{"negative size", edit(func(d map[string]any) { valueNetOf(d)["sizes"] = []any{-2, 2, 1} }),
			"value_net.sizes[0] is -2, want a positive integer"},
		{"sizes not an array", edit(func(d map[string]any) { valueNetOf(d)["sizes"] = "2 2 1" }),
			`value_net.sizes is "2 2 1", want an array of numbers`},
		{"few weights", edit(func(d map[string]any) {
			th := valueNetOf(d)["theta"].([]any)
			valueNetOf(d)["theta"] = th[:len(th)-1]
		}), "value_net.theta has 8 weights, want 9 for sizes [2 2 1]"},
		{"NaN string weight", edit(func(d map[string]any) { valueNetOf(d)["theta"].([]any)[3] = "NaN" }),
			`value_net.theta[3] is the string "NaN", want a number (JSON has no NaN or infinity)`},
		{"huge weight", replace(`"theta": [
      `, `"theta": [
      1e999, `), "value_net.theta[0] is 1e999, outside the range of float64"},
		{"null weight", edit(func(d map[string]any) { valueNetOf(d)["theta"].([]any)[0] = nil }),
			"value_net.theta[0] is null, want a number"},
		{"zero scale", edit(func(d map[string]any) { valueNetOf(d)["scale"] = 0 }),
			"value_net.scale is 0, want a finite positive number"},
		{"huge scale", scaleRE.ReplaceAll(valid, []byte(`"scale": 1e999`)), "value_net.scale is 1e999, want a positive number"},
		{"relu mismatch", edit(func(d map[string]any) { valueNetOf(d)["relu"] = true }),
			"value_net.relu is true but params.hidden is tanh"},
		{"missing theta", edit(func(d map[string]any) { delete(valueNetOf(d), "theta") }),
			"missing member value_net.theta"},
		{"negative epochs", edit(func(d map[string]any) { d["epochs_trained"] = -1 }),
			"epochs_trained is -1, want at least 0"},
		{"epochs above params", edit(func(d map[string]any) { d["epochs_trained"] = 99 }),
			"epochs_trained is 99, more than params.epochs = 2; want at most 2"},
		{"missing parameter", edit(func(d map[string]any) { delete(paramsOf(d), "gamma") }),
			"params lacks gamma; an agent file lists every parameter"},
		{"missing parameters", edit(func(d map[string]any) {
			delete(paramsOf(d), "agent")
			delete(paramsOf(d), "sigma")
		}), "params lacks agent, sigma;"},
		{"BOM twice", append([]byte("\uFEFF\uFEFF"), valid...), "invalid JSON at byte"},
		{"bad metrics", edit(func(d map[string]any) { d["metrics"] = map[string]any{"survival": "all"} }),
			"metrics are not valid"},
		{"duplicate member", replace(`"format": "neuromop-agent",`, `"format": "neuromop-agent", "format": "x",`),
			`member "format" appears twice`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := DecodeAgent(bytes.NewReader(tc.data))
			if err == nil {
				t.Fatalf("DecodeAgent accepted the file, want an error containing %q", tc.want)
			}
			if a != nil {
				t.Errorf("DecodeAgent returned an agent with the error %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %q, want it to contain %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "agent file: ") {
				t.Errorf("error = %q, want the prefix %q", err, "agent file: ")
			}
		})
	}
}

func TestDecodeAgentSkipsByteOrderMark(t *testing.T) {
	valid := tinyAgentFile(t)
	want, err := DecodeAgent(bytes.NewReader(valid))
	if err != nil {
		t.Fatal(err)
	}
	a, err := DecodeAgent(bytes.NewReader(append([]byte("\uFEFF"), valid...)))
	if err != nil {
		t.Fatalf("DecodeAgent of the file after a byte order mark: %v", err)
	}
	if a.Config != want.Config {
		t.Errorf("config = %+v, want %+v", a.Config, want.Config)
	}
	if !reflect.DeepEqual(a.Value.Theta, want.Value.Theta) {
		t.Errorf("theta = %v, want %v", a.Value.Theta, want.Value.Theta)
	}
}

func TestDecodeAgentAcceptsNumberParams(t *testing.T) {
	data := editAgentFile(t, tinyAgentFile(t), func(d map[string]any) {
		paramsOf(d)["gamma"] = 0.95
		delete(d, "metrics")
	})
	a, err := DecodeAgent(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("DecodeAgent: %v", err)
	}
	if got, want := a.Config.Gamma, 0.95; got != want {
		t.Errorf("gamma = %v, want %v", got, want)
	}
}

// countingReader returns zeros without end and counts the bytes read.
type countingReader struct{ n int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	clear(p)
	r.n += int64(len(p))
	return len(p), nil
}

func TestDecodeAgentSizeLimit(t *testing.T) {
	r := &countingReader{}
	_, err := DecodeAgent(r)
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("error = %v, want one about the size limit", err)
	}
	// io.ReadAll reads in chunks of up to 512 bytes past what it needs.
	if r.n > maxAgentFileBytes+1+512 {
		t.Errorf("read %d bytes, want at most about %d", r.n, maxAgentFileBytes+1)
	}
}

func TestMaxAgentFileFitsLargestNetwork(t *testing.T) {
	c, err := DefaultConfig("shapes")
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range [][2]string{{"n", "2000"}, {"layers", "4"}, {"units", "512"}} {
		if err := c.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	sizes := []int{c.N + len(ShapeNames), 512, 512, 512, 512, 1}
	if got, want := maxValueNetWeights(), valueNetWeights(sizes); got != want {
		t.Errorf("maxValueNetWeights() = %d, want %d for sizes %v", got, want, sizes)
	}
	// A weight as EncodeAgent writes it, at its longest.
	line := "      -1.2345678901234567e-123,\n"
	if len(line) > bytesPerWeight {
		t.Errorf("a weight takes %d bytes, more than bytesPerWeight = %d", len(line), bytesPerWeight)
	}
}

func TestEncodeAgentRejects(t *testing.T) {
	c := smallConfig(t, "square", "n=2", "layers=1", "units=2")
	cases := []struct {
		name string
		edit func(a *AgentFile)
		want string
	}{
		{"NaN weight", func(a *AgentFile) { a.Value.Theta[4] = math.NaN() }, "value_net.theta[4] is NaN"},
		{"infinite scale", func(a *AgentFile) { a.Value.Scale = math.Inf(1) }, "value_net.scale is +Inf"},
		{"free agent", func(a *AgentFile) { a.Config.Agent = "free" }, `agent is "free", want mop or r`},
		{"missing network", func(a *AgentFile) { a.Value = nil }, "no value network"},
		{"short theta", func(a *AgentFile) { a.Value.Theta = a.Value.Theta[:3] }, "value_net.theta has 3 weights, want 9"},
		{"other task", func(a *AgentFile) { a.Config.Task = "shapes" }, "value_net.sizes[0] is 2, want 8"},
		{"NaN metric", func(a *AgentFile) { a.Metrics = &Metrics{Survival: math.NaN()} }, "metrics cannot be written"},
		{"epochs above params", func(a *AgentFile) { a.EpochsTrained = 3 }, "epochs_trained is 3, more than params.epochs = 2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := untrainedAgent(t, c)
			tc.edit(a)
			err := EncodeAgent(io.Discard, a)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func FuzzDecodeAgent(f *testing.F) {
	valid := tinyAgentFile(f)
	f.Add(valid)
	f.Add(valid[:len(valid)/3])
	f.Add([]byte(`{"format": "neuromop-agent", "version": 1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := DecodeAgent(bytes.NewReader(data))
		if err != nil {
			if a != nil {
				t.Errorf("DecodeAgent returned an agent with the error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "agent file: ") {
				t.Errorf("error = %q, want the prefix %q", err, "agent file: ")
			}
			return
		}
		if got, want := len(a.Value.Theta), valueNetWeights(a.Value.Sizes); got != want {
			t.Fatalf("accepted %d weights for sizes %v, want %d", got, a.Value.Sizes, want)
		}
		if !a.Value.Finite() {
			t.Fatalf("accepted non-finite weights")
		}
		if got, want := a.Value.Sizes[0], a.Env.FeatureDim(); got != want {
			t.Fatalf("accepted input width %d, want the feature dimension %d", got, want)
		}
		// An accepted file encodes again, and the copy decodes to the same
		// agent.
		first := encode(t, a)
		b, err := DecodeAgent(bytes.NewReader(first))
		if err != nil {
			t.Fatalf("DecodeAgent of the re-encoded file: %v", err)
		}
		if b.Config != a.Config {
			t.Errorf("re-encoded config = %+v, want %+v", b.Config, a.Config)
		}
		if second := encode(t, b); !bytes.Equal(first, second) {
			t.Errorf("a second round trip changed the file")
		}
	})
}
