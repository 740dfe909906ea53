package sim

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func tinyValues() map[string]string {
	return map[string]string{
		"task": "square", "seed": "4", "epochs": "3", "agents": "8", "steps": "10",
		"eval-agents": "4", "eval-steps": "20", "final-agents": "4", "final-steps": "30",
	}
}

func TestTrainingWorkerMatchesTrainer(t *testing.T) {
	var reports []WorkerReport
	w := &TrainingWorker{Send: func(r WorkerReport) { reports = append(reports, r) }}
	w.Handle(WorkerCommand{Op: "reset", Params: tinyValues()})
	w.Handle(WorkerCommand{Op: "run"})
	for i := 0; i < 10000 && (len(reports) == 0 || reports[len(reports)-1].Op != "done"); i++ {
		w.Tick(time.Millisecond)
	}
	var epochs []EpochStats
	var done *WorkerReport
	for i := range reports {
		switch reports[i].Op {
		case "epoch":
			epochs = append(epochs, *reports[i].Stats)
			if len(reports[i].Theta) == 0 {
				t.Errorf("epoch %d report has no weights", reports[i].Epoch)
			}
		case "done":
			done = &reports[i]
		case "error":
			t.Fatalf("worker error: %s", reports[i].Error)
		}
	}
	if done == nil {
		t.Fatal("worker never reported done")
	}
	c, err := ConfigFromValues(tinyValues())
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := NewTrainer(c)
	tr.Run()
	if got, want := len(epochs), len(tr.History); got != want {
		t.Fatalf("worker reported %d epochs, want %d", got, want)
	}
	for i := range epochs {
		if !reflect.DeepEqual(epochs[i].Eval, tr.History[i].Eval) {
			t.Errorf("epoch %d: worker metrics differ from the trainer's", i+1)
		}
	}
	if !reflect.DeepEqual(done.Final, tr.Final) {
		t.Error("worker's final metrics differ from the trainer's")
	}
}

func TestTrainingWorkerStepPauses(t *testing.T) {
	var reports []WorkerReport
	w := &TrainingWorker{Send: func(r WorkerReport) { reports = append(reports, r) }}
	w.Handle(WorkerCommand{Op: "reset", Params: tinyValues()})
	w.Handle(WorkerCommand{Op: "step"})
	for i := 0; i < 1000 && w.running; i++ {
		w.Tick(time.Millisecond)
	}
	if w.running {
		t.Fatal("worker still running after a step")
	}
	if got := w.trainer.Epoch(); got != 1 {
		t.Errorf("epochs after one step = %d, want 1", got)
	}
}

func TestTrainingWorkerRejectsBadParams(t *testing.T) {
	var reports []WorkerReport
	w := &TrainingWorker{Send: func(r WorkerReport) { reports = append(reports, r) }}
	p := tinyValues()
	p["gamma"] = "7"
	w.Handle(WorkerCommand{Op: "reset", Params: p})
	if len(reports) != 1 || reports[0].Op != "error" || !strings.Contains(reports[0].Error, `invalid gamma "7"`) {
		t.Fatalf("reports = %+v, want one error naming gamma", reports)
	}
	w.Handle(WorkerCommand{Op: "run"})
	w.Tick(time.Millisecond)
	if len(reports) != 1 {
		t.Errorf("a worker without a trainer sent %d more reports", len(reports)-1)
	}
	w.Handle(WorkerCommand{Op: "jump"})
	if last := reports[len(reports)-1]; last.Op != "error" || !strings.Contains(last.Error, `"jump"`) {
		t.Errorf("unknown command: last report %+v, want an error", last)
	}
}

// runWorker handles cmds, then ticks w until it stops running, and returns
// every report.
func runWorker(t *testing.T, cmds ...WorkerCommand) []WorkerReport {
	t.Helper()
	var reports []WorkerReport
	w := &TrainingWorker{Send: func(r WorkerReport) { reports = append(reports, r) }}
	for _, cmd := range cmds {
		w.Handle(cmd)
	}
	for i := 0; i < 100000 && w.Running(); i++ {
		w.Tick(time.Millisecond)
	}
	if w.Running() {
		t.Fatal("worker still running after 100000 ticks")
	}
	return reports
}

// viaJSON returns cmd after a round trip through JSON, the form in which
// the page sends it to the worker module.
func viaJSON(t *testing.T, cmd WorkerCommand) WorkerCommand {
	t.Helper()
	data, err := json.Marshal(cmd)
	if err != nil {
		t.Fatalf("encoding the %s command: %v", cmd.Op, err)
	}
	var back WorkerCommand
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("decoding the %s command: %v", cmd.Op, err)
	}
	return back
}

// loadCommand returns the "load" command of the agent a.
func loadCommand(a *AgentFile) WorkerCommand {
	return WorkerCommand{Op: "load", Params: a.Config.Values(), Agent: &WorkerAgent{
		Theta: a.Value.Theta, Scale: a.Value.Scale, EpochsTrained: a.EpochsTrained,
	}}
}

func TestTrainingWorkerLoadMatchesTrainer(t *testing.T) {
	cases := []struct {
		name   string
		epochs int // epochs trained before the agent is saved
	}{
		{"untrained", 0},
		{"trains on", 1},
		{"final only", 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := smallConfig(t, "square", "epochs=3")
			saved, err := NewTrainer(c)
			if err != nil {
				t.Fatal(err)
			}
			for saved.Epoch() < tc.epochs {
				saved.AdvanceEpoch()
			}
			a := decoded(t, saved.AgentFile())

			local, err := NewTrainer(a.Config)
			if err != nil {
				t.Fatal(err)
			}
			if err := local.LoadAgent(a); err != nil {
				t.Fatal(err)
			}
			local.Run()

			reports := runWorker(t, viaJSON(t, loadCommand(a)), WorkerCommand{Op: "run"})
			phase := loadedPhase(c, tc.epochs)
			if first := reports[0]; first.Op != "progress" || first.Epoch != tc.epochs || first.Phase != phase {
				t.Errorf("first report %+v, want progress at epoch %d in phase %s", first, tc.epochs, phase)
			}
			var epochs []EpochStats
			var theta []float64
			var done *WorkerReport
			for i := range reports {
				switch r := &reports[i]; r.Op {
				case "epoch":
					st := *r.Stats
					st.SamplesPerSecond = 0 // wall-clock throughput
					epochs = append(epochs, st)
					theta = r.Theta
				case "done":
					done = r
				case "error":
					t.Fatalf("worker error: %s", r.Error)
				}
			}
			want := make([]EpochStats, len(local.History))
			for i, st := range local.History {
				st.SamplesPerSecond = 0
				want[i] = st
			}
			if len(epochs) != len(want) {
				t.Fatalf("worker reported %d epochs, want %d", len(epochs), len(want))
			}
			for i := range epochs {
				if !reflect.DeepEqual(epochs[i], want[i]) {
					t.Errorf("epoch %d of the worker\n%+v\nwant the loaded trainer's\n%+v", want[i].Epoch, epochs[i], want[i])
				}
			}
			if len(want) > 0 && !reflect.DeepEqual(theta, local.Target.Theta) {
				t.Errorf("the worker's last target weights differ from the loaded trainer's")
			}
			if done == nil {
				t.Fatal("worker never reported done")
			}
			if done.Epoch != 3 {
				t.Errorf("done report at epoch %d, want 3", done.Epoch)
			}
			if got, want := metricsJSON(t, done.Final), metricsJSON(t, local.Final); got != want {
				t.Errorf("final metrics of the worker\n%s\nwant the loaded trainer's\n%s", got, want)
			}
		})
	}
}

// loadedPhase returns the phase in which a trainer of c starts after it
// loads an agent that has finished the given epochs.
func loadedPhase(c Config, epochs int) string {
	if epochs >= c.Epochs {
		return "final"
	}
	return "rollout"
}

func TestTrainingWorkerRejectsBadWeights(t *testing.T) {
	c := smallConfig(t, "square")
	a := untrainedAgent(t, c)
	n := len(a.Value.Theta)
	withAgent := func(edit func(w *WorkerAgent)) WorkerCommand {
		cmd := loadCommand(a)
		agent := *cmd.Agent
		agent.Theta = append([]float64(nil), agent.Theta...)
		edit(&agent)
		cmd.Agent = &agent
		return cmd
	}
	cases := []struct {
		name string
		cmd  WorkerCommand
		want string
	}{
		{"missing agent", WorkerCommand{Op: "load", Params: c.Values()}, "missing agent"},
		{"too few weights", withAgent(func(w *WorkerAgent) { w.Theta = w.Theta[:n-1] }),
			fmt.Sprintf("invalid load command: %d weights, want %d for the value network of sizes %v", n-1, n, a.Value.Sizes)},
		{"too many weights", withAgent(func(w *WorkerAgent) { w.Theta = append(w.Theta, 0) }),
			fmt.Sprintf("invalid load command: %d weights, want %d", n+1, n)},
		{"no weights", withAgent(func(w *WorkerAgent) { w.Theta = nil }),
			fmt.Sprintf("invalid load command: 0 weights, want %d", n)},
		{"NaN weight", withAgent(func(w *WorkerAgent) { w.Theta[3] = math.NaN() }),
			"invalid load command: weight 3 is NaN, want a finite number"},
		{"infinite weight", withAgent(func(w *WorkerAgent) { w.Theta[n-1] = math.Inf(-1) }),
			fmt.Sprintf("invalid load command: weight %d is -Inf, want a finite number", n-1)},
		{"zero scale", withAgent(func(w *WorkerAgent) { w.Scale = 0 }),
			"invalid load command: scale 0, want a finite positive number"},
		{"negative epochs", withAgent(func(w *WorkerAgent) { w.EpochsTrained = -1 }),
			"invalid load command: -1 epochs trained, want at least 0"},
		{"bad params", func() WorkerCommand {
			cmd := loadCommand(a)
			cmd.Params["gamma"] = "7"
			return cmd
		}(), `invalid gamma "7"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var reports []WorkerReport
			w := &TrainingWorker{Send: func(r WorkerReport) { reports = append(reports, r) }}
			w.Handle(WorkerCommand{Op: "reset", Params: c.Values()})
			before := w.trainer
			w.Handle(tc.cmd)
			if len(reports) != 2 {
				t.Fatalf("reports %+v, want the reset's progress and one error", reports)
			}
			if r := reports[1]; r.Op != "error" || !strings.Contains(r.Error, tc.want) {
				t.Errorf("report %+v, want an error containing %q", r, tc.want)
			}
			if w.trainer != before {
				t.Errorf("a rejected load replaced the trainer")
			}
		})
	}
}

func TestTrainingWorkerPace(t *testing.T) {
	var reports []WorkerReport
	w := &TrainingWorker{Send: func(r WorkerReport) { reports = append(reports, r) }}
	if got := w.Duty(); got != 1 {
		t.Errorf("duty of a new worker = %g, want 1", got)
	}
	if got := w.Rest(30 * time.Millisecond); got != 0 {
		t.Errorf("rest at duty 1 = %v, want 0", got)
	}
	if got := w.Slice(); got != MaxSlice {
		t.Errorf("slice at duty 1 = %v, want %v", got, MaxSlice)
	}
	quarter := 0.25
	w.Handle(viaJSON(t, WorkerCommand{Op: "pace", Duty: &quarter}))
	w.Handle(WorkerCommand{Op: "reset", Params: tinyValues()})
	if got := w.Duty(); got != 0.25 {
		t.Errorf("duty after pace 0.25 and a reset = %g, want 0.25", got)
	}
	if got := w.Rest(10 * time.Millisecond); got != 30*time.Millisecond {
		t.Errorf("rest after 10ms at duty 0.25 = %v, want 30ms", got)
	}
	if got := w.Slice(); got != MaxSlice/4 {
		t.Errorf("slice at duty 0.25 = %v, want %v", got, MaxSlice/4)
	}
	for _, tiny := range []float64{1e-6, 1e-300, 5e-324} {
		w.Handle(WorkerCommand{Op: "pace", Duty: &tiny})
		if got := w.Rest(MinSlice); got != MaxRest {
			t.Errorf("rest at duty %g = %v, want at most %v", tiny, got, MaxRest)
		}
		if got := w.Duty(); got != tiny {
			t.Errorf("duty after pace %g = %g, want it kept", tiny, got)
		}
	}
	w.Handle(WorkerCommand{Op: "pace", Duty: &quarter})

	// A rest at duty 0 ends after MaxRest, back at duty 0.25.
	now := time.Unix(1e9, 0)
	w.clock = func() time.Time { return now }
	zero := 0.0
	w.Handle(WorkerCommand{Op: "pace", Duty: &zero})
	w.Handle(WorkerCommand{Op: "run"})
	if !w.Running() || w.Duty() != 0 || w.RestLeft() != MaxRest {
		t.Errorf("at duty 0: running %v, duty %g, rest left %v, want running at duty 0 for %v",
			w.Running(), w.Duty(), w.RestLeft(), MaxRest)
	}
	if got := w.Slice(); got != MaxSlice/4 {
		t.Errorf("slice during a rest = %v, want that of duty 0.25, %v", got, MaxSlice/4)
	}
	now = now.Add(MaxRest)
	if w.Duty() != 0.25 || w.RestLeft() != 0 {
		t.Errorf("after %v of rest: duty %g, rest left %v, want 0.25 and none", MaxRest, w.Duty(), w.RestLeft())
	}
	// A command above 0 ends a rest at once.
	w.Handle(WorkerCommand{Op: "pace", Duty: &zero})
	w.Handle(WorkerCommand{Op: "pace", Duty: &quarter})
	if w.Duty() != 0.25 || w.RestLeft() != 0 {
		t.Errorf("after pace 0 and 0.25: duty %g, rest left %v, want 0.25 and no rest", w.Duty(), w.RestLeft())
	}
	for _, r := range reports {
		if r.Op == "error" {
			t.Fatalf("valid pace commands: error report %q", r.Error)
		}
	}

	for _, tc := range []struct {
		duty *float64
		want string
	}{
		{nil, "missing duty"},
		{ptrTo(-0.5), "duty -0.5"},
		{ptrTo(1.5), "duty 1.5"},
		{ptrTo(math.NaN()), "duty NaN"},
	} {
		reports = nil
		w.Handle(WorkerCommand{Op: "pace", Duty: tc.duty})
		if len(reports) != 1 || reports[0].Op != "error" || reports[0].Command != "pace" ||
			!strings.Contains(reports[0].Error, tc.want) || !strings.Contains(reports[0].Error, "from 0 to 1") {
			t.Errorf("pace %v: reports %+v, want one error naming %q and the range", tc.duty, reports, tc.want)
		}
		if got := w.Duty(); got != 0.25 {
			t.Errorf("pace %v changed the duty to %g, want it kept at 0.25", tc.duty, got)
		}
	}
}

func ptrTo(x float64) *float64 { return &x }
