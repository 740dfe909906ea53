package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/neuromop/neuromop/sim"
)

// binary is the neuromop command that TestMain builds.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "neuromop-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "neuromop")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "building neuromop failed: %v\n", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// small are the flags of a training run that takes well under a second.
var small = []string{"-epochs", "1", "-agents", "8", "-steps", "10", "-eval-agents", "4", "-eval-steps", "10",
	"-final-agents", "4", "-final-steps", "20"}

type result struct {
	stdout, stderr string
	status         int
}

// neuromop runs the binary with args in dir, which may be empty.
func neuromop(t *testing.T, dir string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	status := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("neuromop %s: %v", strings.Join(args, " "), err)
		}
		status = ee.ExitCode()
	}
	return result{stdout.String(), stderr.String(), status}
}

// mustRun runs the binary and fails the test unless it exits with 0.
func mustRun(t *testing.T, dir string, args ...string) result {
	t.Helper()
	r := neuromop(t, dir, args...)
	if r.status != 0 {
		t.Fatalf("neuromop %s: exit status %d, want 0; stderr:\n%s", strings.Join(args, " "), r.status, r.stderr)
	}
	return r
}

func decodeJSON(t *testing.T, s string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("stdout is not JSON (%v):\n%s", err, s)
	}
}

func keys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func sorted(xs ...string) []string {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	return xs
}

// checkNumbers fails the test for any JSON number in v that does not parse
// as a finite float64.
func checkNumbers(t *testing.T, v any, path string) {
	t.Helper()
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			t.Errorf("%s = %s, want a finite number", path, x)
		}
	case map[string]any:
		for k, e := range x {
			checkNumbers(t, e, path+"."+k)
		}
	case []any:
		for i, e := range x {
			checkNumbers(t, e, fmt.Sprintf("%s[%d]", path, i))
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestInvalidInput(t *testing.T) {
	dir := t.TempDir()
	agent := filepath.Join(dir, "agent.json")
	mustRun(t, dir, append([]string{"train", "-quiet", "-save", agent}, small...)...)
	writeFile(t, filepath.Join(dir, "notes.txt"), "not an agent\n")
	writeFile(t, filepath.Join(dir, "short.json"), `{"format": "neuromop-agent", "version": 1, "task": "square"`)

	cases := []struct {
		args []string
		want string
	}{
		{nil, "missing command"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"help", "frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"train", "-task", "squar"}, `invalid task "squar": want one of energy, square`},
		{[]string{"train", "-task"}, "flag -task needs a value"},
		{[]string{"train", "-epochs", "-1"}, `invalid epochs "-1": want an integer in [0, `},
		{[]string{"train", "-agents", "0"}, `invalid agents "0": want an integer in [1, `},
		{[]string{"train", "-steps", "-5"}, `invalid steps "-5"`},
		{[]string{"train", "-K", "0"}, `invalid K "0"`},
		{[]string{"train", "-gamma", "1"}, `invalid gamma "1": want a number in (0, 1)`},
		{[]string{"train", "-gamma", "0"}, `invalid gamma "0": want a number in (0, 1)`},
		{[]string{"train", "-lr", "fast"}, `invalid lr "fast": want a number`},
		{[]string{"train", "-n", "1.5"}, `invalid n "1.5": want an integer`},
		{[]string{"train", "-alpha", "NaN"}, `invalid alpha "NaN"`},
		{[]string{"train", "-gamma", "0x1p-2"}, `invalid gamma "0x1p-2": want a number in (0, 1)`},
		{[]string{"train", "-gamma", "0.9_0"}, `invalid gamma "0.9_0": want a number in (0, 1)`},
		{[]string{"train", "-gamma", " 0.9"}, `invalid gamma " 0.9": want a number in (0, 1)`},
		{[]string{"train", "-json=maybe"}, `invalid boolean value "maybe" for -json`},
		{[]string{"train", "-frobnicate"}, "unknown flag -frobnicate"},
		{[]string{"train", "extra"}, `unexpected argument "extra"`},
		{[]string{"train", "-epochs", "1", "extra"}, `unexpected argument "extra"`},
		{[]string{"train", "-agent", "free"}, `invalid agent "free" for training: want mop or r`},
		{[]string{"train", "-beta", "0.1"}, "the state entropy needs sigma > 0"},
		{[]string{"train", "-da", "500"}, "invalid da 500: want at most n = 100"},
		{[]string{"train", "-save", filepath.Join(dir, "missing", "a.json")}, "does not exist; create it first"},
		{[]string{"train", "-save", dir}, "it is a directory; want a file name"},
		{[]string{"train", "-out", filepath.Join(dir, "notes.txt")}, "cannot create the -out directory"},
		{[]string{"compare", "-agent", "r"}, "flag -agent is not accepted: compare trains both mop and r"},
		{[]string{"compare", "-seed", "-1"}, `invalid seed "-1"`},
		{[]string{"eval"}, "missing -load FILE"},
		{[]string{"eval", "-load", filepath.Join(dir, "missing.json")}, "cannot read the agent file"},
		{[]string{"eval", "-load", dir}, "is a directory"},
		{[]string{"eval", "-load", filepath.Join(dir, "notes.txt")}, "agent file: invalid JSON at byte"},
		{[]string{"eval", "-load", filepath.Join(dir, "short.json")}, "agent file: truncated"},
		{[]string{"eval", "-load", agent, "-agent", "r"}, `invalid agent "r": ` + agent + " contains a mop agent"},
		{[]string{"eval", "-load", agent, "-steps", "0"}, `invalid steps "0": want an integer in [1, `},
		{[]string{"eval", "-load", agent, "-agents", "x"}, `invalid agents "x"`},
		{[]string{"eval", "-load", agent, "-n", "50"}, "flag -n is not accepted"},
		{[]string{"eval", "-load", agent, "-beta", "0.5"}, "the state entropy needs sigma > 0"},
		{[]string{"eval", "-load", agent, "-shape", "ring"},
			`invalid -shape "ring": ` + agent + " contains an agent of task square, and -shape applies to the shapes task only"},
		{[]string{"train", "-shape", "ring"}, `invalid -shape "ring": -shape applies to the shapes task only, and -task is square`},
		{[]string{"compare", "-task", "energy", "-shape", "ring"}, `-shape applies to the shapes task only, and -task is energy`},
		{[]string{"bench", "-workers", "-1"}, `invalid workers "-1"`},
		{[]string{"bench", "-K", "3"}, "flag -K is not accepted"},
		{[]string{"bench", "now"}, `unexpected argument "now"`},
		{[]string{"serve", "-dir", filepath.Join(dir, "missing")}, "not found; run ./build.sh first, or pass -dir"},
		{[]string{"serve", "-addr"}, "flag -addr needs a value"},
		{[]string{"serve", "-dir", dir, "-addr", "nonsense"}, `invalid -addr "nonsense": want HOST:PORT`},
		{[]string{"serve", "-dir", dir, "-addr", "127.0.0.1:99999"}, `invalid -addr "127.0.0.1:99999"`},
		{[]string{"serve", "-dir", filepath.Join(dir, "notes.txt")}, "notes.txt\" is not a directory; pass -dir"},
		{[]string{"serve", "-dir", dir, "-addr", "999.1.1.1:1"}, `invalid -addr "999.1.1.1:1": "999.1.1.1" is not an IP address`},
	}
	for _, tc := range cases {
		name := strings.Join(tc.args, " ")
		t.Run(name, func(t *testing.T) {
			r := neuromop(t, dir, tc.args...)
			if r.status != 2 {
				t.Errorf("exit status = %d, want 2; stderr:\n%s", r.status, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr = %q, want it to contain %q", r.stderr, tc.want)
			}
			if n := strings.Count(r.stderr, "\n"); n != 1 {
				t.Errorf("stderr has %d lines, want one message:\n%s", n, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}
}

func TestHelpListsEveryFlag(t *testing.T) {
	for _, cmd := range []string{"train", "compare", "eval", "bench", "serve"} {
		t.Run(cmd, func(t *testing.T) {
			r := mustRun(t, "", cmd, "-h")
			if !strings.HasPrefix(r.stdout, "Usage: neuromop "+cmd) {
				t.Errorf("help starts with %q, want the usage line", strings.SplitN(r.stdout, "\n", 2)[0])
			}
			if cmd != "train" && cmd != "compare" {
				return
			}
			for _, p := range sim.Params {
				if cmd == "compare" && p.Name == "agent" {
					continue
				}
				want := fmt.Sprintf("  -%s %s\n    \t%s (default %s)\n", p.Name, placeholder(&p), sim.Usage(&p), p.DefaultFor("square"))
				if !strings.Contains(r.stdout, want) {
					t.Errorf("help lacks the entry of -%s:\n%s", p.Name, want)
				}
			}
			if !strings.Contains(r.stdout, "in units of τ") {
				t.Errorf("help does not give the unit of -dt")
			}
		})
	}
	r := mustRun(t, "", "help", "eval")
	for _, name := range append([]string{"load", "agents", "steps", "json"}, evalOverrides...) {
		if !strings.Contains(r.stdout, "\n  -"+name+" ") && !strings.Contains(r.stdout, "\n  -"+name+"\n") {
			t.Errorf("help of eval lacks -%s", name)
		}
	}
	r = mustRun(t, "", "help")
	for _, c := range commands {
		if !strings.Contains(r.stdout, "  "+c.name+" ") {
			t.Errorf("overview lacks the command %s", c.name)
		}
	}
}

func TestTrainJSON(t *testing.T) {
	r := mustRun(t, "", append([]string{"train", "-json"}, small...)...)
	var out map[string]any
	decodeJSON(t, r.stdout, &out)
	if got, want := keys(out), sorted("task", "seed", "agent", "epochs", "params", "metrics", "history"); !reflect.DeepEqual(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
	checkNumbers(t, out, "")

	if got := out["task"]; got != "square" {
		t.Errorf("task = %v, want square", got)
	}
	if got := out["seed"]; got != json.Number("1") {
		t.Errorf("seed = %v, want 1", got)
	}
	history, _ := out["history"].([]any)
	if len(history) != 1 {
		t.Fatalf("history has %d epochs, want 1", len(history))
	}
	epoch := history[0].(map[string]any)
	for _, k := range []string{"epoch", "survival", "mean_lifetime", "action_entropy", "loss"} {
		if _, ok := epoch[k]; !ok {
			t.Errorf("history[0] lacks %q", k)
		}
	}

	metrics := out["metrics"].(map[string]any)
	for _, k := range []string{"survival", "mean_lifetime", "action_entropy", "variability", "effective_dim", "energy", "null_space_fraction"} {
		if _, ok := metrics[k].(json.Number); !ok {
			t.Errorf("metrics.%s = %v, want a number", k, metrics[k])
		}
	}
	if n := strings.Count(r.stderr, "epoch 1/1: survival"); n != 1 {
		t.Errorf("stderr has %d progress lines of epoch 1, want 1:\n%s", n, r.stderr)
	}
}

func TestTrainOut(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	args := append([]string{"train", "-quiet", "-out", dir}, small...)
	args = append(args, "-epochs", "3")
	mustRun(t, "", args...)

	f, err := os.Open(filepath.Join(dir, "metrics.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatalf("metrics.csv is not CSV: %v", err)
	}
	if len(rows) != 4 {
		t.Fatalf("metrics.csv has %d rows, want a header and 3 epochs", len(rows))
	}
	if !reflect.DeepEqual(rows[0], csvHeader) {
		t.Errorf("header = %v, want %v", rows[0], csvHeader)
	}
	for i, row := range rows[1:] {
		if got, want := row[0], fmt.Sprint(i+1); got != want {
			t.Errorf("row %d: epoch = %s, want %s", i+1, got, want)
		}
	}

	for _, name := range []string{"lifetime.png", "entropy.png", "occupancy.png"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Error(err)
			continue
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if b := img.Bounds(); b.Dx() < 300 || b.Dy() < 300 {
			t.Errorf("%s is %d×%d pixels, want at least 300×300", name, b.Dx(), b.Dy())
		}
	}
}

func TestTrainOutFailureKeepsAgent(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "run")
	// A link from metrics.csv into a missing directory passes the checks
	// before training, which reject only files that exist and are not
	// regular, and makes writing -out fail after training.
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join("missing", "metrics.csv"), filepath.Join(out, "metrics.csv")); err != nil {
		t.Fatal(err)
	}
	agent := filepath.Join(dir, "agent.json")
	r := neuromop(t, "", append([]string{"train", "-json", "-out", out, "-save", agent}, small...)...)
	if r.status != 1 {
		t.Errorf("exit status = %d, want 1", r.status)
	}
	if !strings.Contains(r.stderr, "writing -out "+out+" failed") {
		t.Errorf("stderr = %q, want the -out error", r.stderr)
	}
	var res map[string]any
	decodeJSON(t, r.stdout, &res)
	if _, err := os.Stat(agent); err != nil {
		t.Errorf("agent file not saved: %v", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "run" && e.Name() != "agent.json" {
			t.Errorf("left %s next to the agent file", e.Name())
		}
	}
}

func TestCompareJSON(t *testing.T) {
	metricKeys := []string{"survival", "mean_lifetime", "action_entropy", "variability", "effective_dim", "energy", "null_space_fraction"}
	checkAgents := func(t *testing.T, v any, path string) {
		t.Helper()
		agents, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s = %v, want an object", path, v)
		}
		if got, want := keys(agents), sorted("mop", "r", "free"); !reflect.DeepEqual(got, want) {
			t.Errorf("%s keys = %v, want %v", path, got, want)
		}
		for kind, m := range agents {
			for _, k := range metricKeys {
				if _, ok := m.(map[string]any)[k]; !ok {
					t.Errorf("%s.%s lacks %q", path, kind, k)
				}
			}
		}
	}

	t.Run("square", func(t *testing.T) {
		r := mustRun(t, "", append([]string{"compare", "-task", "square", "-seed", "3", "-json", "-quiet"}, small...)...)
		var out map[string]any
		decodeJSON(t, r.stdout, &out)
		if got, want := keys(out), sorted("task", "seed", "epochs", "agents"); !reflect.DeepEqual(got, want) {
			t.Errorf("keys = %v, want %v", got, want)
		}
		if out["seed"] != json.Number("3") || out["epochs"] != json.Number("1") || out["task"] != "square" {
			t.Errorf("task, seed, epochs = %v, %v, %v, want square, 3, 1", out["task"], out["seed"], out["epochs"])
		}
		checkAgents(t, out["agents"], "agents")
		checkNumbers(t, out, "")
		free := out["agents"].(map[string]any)["free"].(map[string]any)
		if free["action_entropy"] != json.Number("1") {
			t.Errorf("free action_entropy = %v, want 1", free["action_entropy"])
		}
	})

	t.Run("shapes", func(t *testing.T) {
		args := append([]string{"compare", "-task", "shapes", "-json", "-quiet", "-units", "8"}, small...)
		args = append(args, "-final-agents", "12")
		r := mustRun(t, "", args...)
		var out map[string]any
		decodeJSON(t, r.stdout, &out)
		if got, want := keys(out), sorted("task", "seed", "epochs", "agents", "contexts"); !reflect.DeepEqual(got, want) {
			t.Errorf("keys = %v, want %v", got, want)
		}
		checkAgents(t, out["agents"], "agents")

		contexts, _ := out["contexts"].(map[string]any)
		if got, want := keys(contexts), sorted(sim.ShapeNames...); !reflect.DeepEqual(got, want) {
			t.Errorf("contexts keys = %v, want %v", got, want)
		}
		for name, v := range contexts {
			checkAgents(t, v, "contexts."+name)
			if n := v.(map[string]any)["mop"].(map[string]any)["agents"]; n != json.Number("2") {
				t.Errorf("contexts.%s.mop.agents = %v, want 2 of the 12", name, n)
			}
		}

		// The members keep the order of the shapes.
		var order []string
		for _, name := range sim.ShapeNames {
			order = append(order, fmt.Sprintf("%q: {", name))
		}
		last := -1
		for _, s := range order {
			i := strings.Index(r.stdout, s)
			if i < last {
				t.Errorf("contexts are not in the order %v", sim.ShapeNames)
				break
			}
			last = i
		}
	})
}

func TestSaveThenEvalReproduces(t *testing.T) {
	for _, task := range []string{"square", "shapes"} {
		t.Run(task, func(t *testing.T) {
			dir := t.TempDir()
			agent := filepath.Join(dir, "agent.json")
			args := append([]string{"train", "-task", task, "-json", "-quiet", "-save", agent, "-units", "8"}, small...)
			args = append(args, "-epochs", "2", "-final-agents", "12")
			train := mustRun(t, "", args...)
			eval := mustRun(t, "", "eval", "-load", agent, "-json")

			var tr, ev map[string]json.RawMessage
			decodeJSON(t, train.stdout, &tr)
			decodeJSON(t, eval.stdout, &ev)
			if !bytes.Equal(tr["metrics"], ev["metrics"]) {
				t.Errorf("eval metrics differ from train's:\n train %s\n eval  %s", tr["metrics"], ev["metrics"])
			}
			if task == "shapes" && !bytes.Equal(tr["contexts"], ev["contexts"]) {
				t.Errorf("eval contexts differ from train's")
			}
			if string(ev["epochs_trained"]) != "2" {
				t.Errorf("epochs_trained = %s, want 2", ev["epochs_trained"])
			}

			free := mustRun(t, "", "eval", "-load", agent, "-json", "-agent", "free", "-steps", "15")
			var fr map[string]any
			decodeJSON(t, free.stdout, &fr)
			m := fr["metrics"].(map[string]any)
			if fr["agent"] != "free" || m["action_entropy"] != json.Number("1") || m["steps"] != json.Number("15") {
				t.Errorf("free evaluation: agent %v, action_entropy %v, steps %v, want free, 1, 15",
					fr["agent"], m["action_entropy"], m["steps"])
			}
		})
	}
}

func TestTrainDeterministic(t *testing.T) {
	args := append([]string{"train", "-json", "-quiet", "-seed", "7"}, small...)
	args = append(args, "-epochs", "2")
	first := mustRun(t, "", args...)
	second := mustRun(t, "", args...)
	if first.stdout != second.stdout {
		t.Errorf("two runs with the same seed printed different JSON:\n%s\n%s", first.stdout, second.stdout)
	}

	// The number of workers changes the params but no result.
	singleWorker := mustRun(t, "", append(args, "-workers", "1")...)
	var a, b map[string]json.RawMessage
	decodeJSON(t, first.stdout, &a)
	decodeJSON(t, singleWorker.stdout, &b)
	for _, k := range []string{"metrics", "history"} {
		if !bytes.Equal(a[k], b[k]) {
			t.Errorf("%s with -workers 1 differs from the run with one worker per core", k)
		}
	}
}

func TestDivergenceIsReported(t *testing.T) {
	// At lr = 1e4 Adam drives the loss past the divergence bound and plain
	// SGD overflows it; both are reported and neither leaks into the JSON.
	var out map[string]any
	var r result
	for _, opt := range []string{"adam", "sgd"} {
		args := append([]string{"train", "-json", "-lr", "1e4", "-opt", opt}, small...)
		r = mustRun(t, "", append(args, "-epochs", "8")...)
		if !strings.Contains(r.stderr, "warning: epoch ") || !strings.Contains(r.stderr, "restored the weights") {
			t.Errorf("-opt %s: stderr reports no divergence:\n%s", opt, r.stderr)
		}
		decodeJSON(t, r.stdout, &out)
		checkNumbers(t, out, "")
	}
	decodeJSON(t, r.stdout, &out)
	checkNumbers(t, out, "")
	notices := 0
	for _, e := range out["history"].([]any) {
		if _, ok := e.(map[string]any)["notice"]; ok {
			notices++
		}
	}
	if notices == 0 {
		t.Errorf("history has no notice of the divergence")
	}
}

func TestBenchJSON(t *testing.T) {
	r := mustRun(t, "", "bench", "-json")
	var out map[string]any
	decodeJSON(t, r.stdout, &out)
	if got, want := keys(out), sorted("samples_per_second", "ns_per_controller_step", "gflops", "config"); !reflect.DeepEqual(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
	for _, k := range []string{"samples_per_second", "ns_per_controller_step", "gflops"} {
		x, err := out[k].(json.Number).Float64()
		if err != nil || !(x > 0) || math.IsInf(x, 0) {
			t.Errorf("%s = %v, want a positive number", k, out[k])
		}
	}
	config := out["config"].(map[string]any)
	if config["task"] != "square" || config["seed"] != "1" {
		t.Errorf("config task, seed = %v, %v, want square, 1", config["task"], config["seed"])
	}
	if got, want := len(config), len(sim.Params); got != want {
		t.Errorf("config has %d parameters, want %d", got, want)
	}
}

func TestServe(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), "<!doctype html><title>NeuroMOP</title>\n")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "serve", "-dir", dir, "-addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	var url string
	for lines.Scan() {
		if _, after, ok := strings.Cut(lines.Text(), " on http://"); ok {
			url = "http://" + after
			break
		}
	}
	if url == "" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("serve printed no address")
	}
	go io.Copy(io.Discard, stderr)

	resp, err := http.Get(url + "index.html")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "NeuroMOP") {
		t.Errorf("GET index.html: status %d, body %q", resp.StatusCode, body)
	}

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve after SIGINT: %v, want exit status 0", err)
	}
}

func TestServeAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	r := neuromop(t, "", "serve", "-dir", t.TempDir(), "-addr", addr)
	if r.status != 1 {
		t.Errorf("exit status = %d, want 1", r.status)
	}
	if want := "cannot listen on " + addr + ": the address is in use"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr = %q, want it to contain %q", r.stderr, want)
	}
}

func TestPanicIsInternalError(t *testing.T) {
	saved := commands
	defer func() { commands = saved }()
	commands = append(slices.Clone(saved), command{name: "boom", run: func([]string, io.Writer, io.Writer) error {
		var m map[string]int
		m["x"] = 1 // assignment to a nil map panics
		return nil
	}})
	var stdout, stderr bytes.Buffer
	if got := run([]string{"boom"}, &stdout, &stderr); got != 1 {
		t.Errorf("exit status = %d, want 1", got)
	}
	if !strings.HasPrefix(stderr.String(), "neuromop boom: internal error: assignment to entry in nil map") {
		t.Errorf("stderr = %q, want an internal error", stderr.String())
	}
}

func TestWriteJSONRejectsNonFinite(t *testing.T) {
	m := &sim.Metrics{}
	m.EntropyByMargin = []sim.MarginBin{{}, {Entropy: math.NaN()}}
	err := writeJSON(io.Discard, trainResult{Metrics: m})
	if err == nil || !strings.Contains(err.Error(), "metrics.entropy_by_margin[1].entropy is NaN") {
		t.Errorf("error = %v, want one naming metrics.entropy_by_margin[1].entropy", err)
	}
}
