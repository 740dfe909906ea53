package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/neuromop/neuromop/sim"
)

// endless are the flags of a training run of small epochs that does not
// end before the test interrupts it.
var endless = []string{"-epochs", "100000", "-agents", "8", "-steps", "10", "-eval-agents", "4", "-eval-steps", "10",
	"-final-agents", "4", "-final-steps", "20"}

// interrupt starts the binary with args, sends sig delay after stderr has
// a line containing after, and returns the outputs and the exit status.
func interrupt(t *testing.T, sig syscall.Signal, after string, delay time.Duration, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	defer timer.Stop()

	var stderr strings.Builder
	lines := bufio.NewScanner(pipe)
	sent := false
	for lines.Scan() {
		stderr.WriteString(lines.Text() + "\n")
		if !sent && strings.Contains(lines.Text(), after) {
			time.Sleep(delay)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			sent = true
		}
	}
	io.Copy(io.Discard, pipe)
	err = cmd.Wait()
	if !sent {
		t.Fatalf("stderr has no line containing %q:\n%s", after, stderr.String())
	}
	status := 0
	if ee, ok := err.(*exec.ExitError); ok {
		status = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{stdout.String(), stderr.String(), status}
}

func TestTrainInterruptWritesResults(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "run")
	agent := filepath.Join(dir, "agent.json")
	// With rollouts of one step and evaluations of 1000 steps, in which the
	// bound L = 1 of tanh keeps every agent alive, a signal 100 ms after an
	// epoch most likely arrives during the next evaluation. The target
	// network then already has the weights of the epoch that has not
	// finished.
	flags := append(slices.Clone(endless), "-steps", "1", "-eval-steps", "1000", "-L", "1")
	args := append([]string{"train", "-json", "-out", out, "-save", agent}, flags...)
	r := interrupt(t, syscall.SIGINT, "epoch 1/100000:", 100*time.Millisecond, args...)

	if r.status != 130 {
		t.Errorf("exit status = %d, want 130 for SIGINT", r.status)
	}
	if !strings.Contains(r.stderr, "interrupted by SIGINT after") {
		t.Errorf("stderr lacks the interruption message:\n%s", r.stderr)
	}
	var res struct {
		Interrupted bool            `json:"interrupted"`
		Epochs      int             `json:"epochs"`
		Metrics     json.RawMessage `json:"metrics"`
		History     []epochRecord   `json:"history"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("stdout is not the JSON result: %v\n%s", err, r.stdout)
	}
	if !res.Interrupted {
		t.Errorf("interrupted = false, want true")
	}
	if res.Epochs < 1 || res.Epochs >= 100000 {
		t.Errorf("epochs = %d, want the epochs finished before the signal", res.Epochs)
	}
	if len(res.History) != res.Epochs {
		t.Errorf("history has %d epochs, want %d", len(res.History), res.Epochs)
	}
	if string(res.Metrics) != "null" {
		t.Errorf("metrics = %s, want null without a final evaluation", res.Metrics)
	}

	f, err := os.Open(filepath.Join(out, "metrics.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatalf("metrics.csv is not CSV: %v", err)
	}
	if got, want := len(rows), res.Epochs+1; got != want {
		t.Errorf("metrics.csv has %d rows, want a header and %d epochs", got, res.Epochs)
	}
	for _, name := range []string{"lifetime.png", "entropy.png"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("figure not written: %v", err)
		}
	}

	data, err := os.ReadFile(agent)
	if err != nil {
		t.Fatalf("agent not saved: %v", err)
	}
	a, err := sim.DecodeAgent(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("saved agent does not load: %v", err)
	}
	if a.EpochsTrained != res.Epochs {
		t.Errorf("epochs_trained = %d, want %d", a.EpochsTrained, res.Epochs)
	}
	if a.Metrics != nil {
		t.Errorf("saved agent has final metrics, want none")
	}

	// The saved weights are those of the last finished epoch, whatever
	// phase of the next epoch the signal stopped: a run of that many
	// epochs, which is otherwise the same, ends with the same weights.
	ref := filepath.Join(dir, "ref.json")
	refArgs := append([]string{"train", "-quiet", "-save", ref}, flags...)
	refArgs = append(refArgs, "-epochs", strconv.Itoa(res.Epochs))
	mustRun(t, "", refArgs...)
	data, err = os.ReadFile(ref)
	if err != nil {
		t.Fatal(err)
	}
	want, err := sim.DecodeAgent(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Value.Theta, want.Value.Theta) {
		t.Errorf("saved weights differ from those of an uninterrupted run of %d epochs", res.Epochs)
	}
}

func TestCompareInterruptWritesResults(t *testing.T) {
	args := append([]string{"compare", "-json"}, endless...)
	r := interrupt(t, syscall.SIGTERM, "mop epoch 1/100000:", 0, args...)

	if r.status != 143 {
		t.Errorf("exit status = %d, want 143 for SIGTERM", r.status)
	}
	if !strings.Contains(r.stderr, "interrupted by SIGTERM") {
		t.Errorf("stderr lacks the interruption message:\n%s", r.stderr)
	}
	var res struct {
		Interrupted    bool                     `json:"interrupted"`
		EpochsFinished map[string]int           `json:"epochs_finished"`
		History        map[string][]epochRecord `json:"history"`
		Agents         json.RawMessage          `json:"agents"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("stdout is not the JSON result: %v\n%s", err, r.stdout)
	}
	if !res.Interrupted {
		t.Errorf("interrupted = false, want true")
	}
	if n := res.EpochsFinished["mop"]; n < 1 {
		t.Errorf("epochs_finished.mop = %d, want at least 1", n)
	}
	if n := res.EpochsFinished["r"]; n != 0 {
		t.Errorf("epochs_finished.r = %d, want 0 because r trains after mop", n)
	}
	for _, kind := range []string{"mop", "r"} {
		if got, want := len(res.History[kind]), res.EpochsFinished[kind]; got != want {
			t.Errorf("history.%s has %d epochs, want %d", kind, got, want)
		}
	}
	if res.Agents != nil {
		t.Errorf("agents = %.100s, want none without a final evaluation", res.Agents)
	}
}

func TestSecondSignalExitsAtOnce(t *testing.T) {
	cmd := exec.Command(binary, append([]string{"train"}, endless...)...)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	defer timer.Stop()
	lines := bufio.NewScanner(pipe)
	for lines.Scan() && !strings.Contains(lines.Text(), "epoch 1/") {
	}
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Process.Signal(syscall.SIGINT)
	io.Copy(io.Discard, pipe)
	err = cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok {
		t.Fatalf("exit = %v, want status 130", err)
	}
	if ee.ExitCode() != 130 {
		t.Errorf("exit status = %d, want 130", ee.ExitCode())
	}
}
