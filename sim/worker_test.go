package sim

import (
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
