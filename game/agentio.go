package game

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"weak"

	"github.com/neuromop/neuromop/game/ui"
	"github.com/neuromop/neuromop/sim"
)

// AgentFiles connects the Save agent and Load agent buttons of the side
// panel to the program that runs the game, which reads and writes the
// files. A game without AgentFiles shows neither button.
type AgentFiles struct {
	// Save receives an exported agent file: a suggested file name and
	// the JSON text of sim.EncodeAgent. Update calls it.
	Save func(name, text string)
	// Open requests a file to import. The program reads the file the user
	// picks and passes its text to ImportAgent. Update calls it.
	Open func()
}

// agentFiles maps each game to its AgentFiles. The keys are weak, and a
// cleanup removes an entry once its game is unreachable.
var agentFiles = struct {
	sync.Mutex
	m map[weak.Pointer[Game]]AgentFiles
}{m: map[weak.Pointer[Game]]AgentFiles{}}

// SetAgentFiles makes the side panel show the Save agent and Load agent
// buttons, which call f. It is safe to call from any goroutine.
func (g *Game) SetAgentFiles(f AgentFiles) {
	key := weak.Make(g)
	agentFiles.Lock()
	_, had := agentFiles.m[key]
	agentFiles.m[key] = f
	agentFiles.Unlock()
	if !had {
		runtime.AddCleanup(g, func(key weak.Pointer[Game]) {
			agentFiles.Lock()
			delete(agentFiles.m, key)
			agentFiles.Unlock()
		}, key)
	}
}

func (g *Game) agentFiles() (AgentFiles, bool) {
	agentFiles.Lock()
	defer agentFiles.Unlock()
	f, ok := agentFiles.m[weak.Make(g)]
	return f, ok
}

// ExportAgent requests the agent file of the first run, the MOP run in
// the compare view. The next Update calls done with a suggested file name
// and the JSON text, or with the reason why there is no file: the free
// and silent networks have no value network. It is safe to call from any
// goroutine.
func (g *Game) ExportAgent(done func(name, text string, err error)) {
	g.enqueue(command{kind: cmdExport, export: done})
}

// ImportAgent decodes text as an agent file and returns "" or the message
// of sim.DecodeAgent, or of the page's limits on a run (checkPage), which a
// file written by the CLI can exceed. The next Update shows the message in
// the canvas, or
// replaces the runs with one run of the file's configuration, in the
// single view, that starts from the file's weights, see
// sim.Trainer.LoadAgent. A rejected file leaves the runs as they are. It
// is safe to call from any goroutine.
func (g *Game) ImportAgent(text string) string {
	a, err := sim.DecodeAgent(strings.NewReader(text))
	if err != nil {
		msg := err.Error()
		g.enqueue(command{kind: cmdNotices, notices: []string{msg}})
		return msg
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	s := g.pending
	s.Config, s.Compare, s.Autostart = a.Config, false, false
	if err := checkPage(&s); err != nil {
		msg := "the agent file's run is too large for the page: " + err.Error()
		g.queue = append(g.queue, command{kind: cmdNotices, notices: []string{msg}})
		return msg
	}
	g.pending = s
	g.queue = append(g.queue, command{kind: cmdImport, settings: s, agent: a})
	return ""
}

// importAgent replaces the runs with a run of a and makes s the settings.
// The new run trains at once when the old first run was training.
func (g *Game) importAgent(s Settings, a *sim.AgentFile) {
	r, err := newAgentRun(a, g.transport(s.Local))
	if err != nil {
		g.notices = []string{err.Error()}
		return
	}
	g.setTimeouts(r)
	wasTraining := g.runs[0].Training()
	for _, old := range g.runs {
		old.Close()
	}
	g.settings = s
	g.runs = append(g.runs[:0], r)
	g.view.reset()
	g.notices = nil
	g.panelsDirty = true
	if wasTraining {
		r.Start()
	}
	g.syncAutostart()
}

// newAgentRun returns an idle run of a's configuration whose trainer
// starts from a's weights. The run trains in a training worker started
// with newTransport, or locally when newTransport is nil.
func newAgentRun(a *sim.AgentFile, newTransport NewTransportFunc) (*Run, error) {
	var tr Trainer
	if newTransport != nil {
		remote, err := NewRemoteAgentTrainer(a, newTransport)
		if err != nil {
			return nil, err
		}
		tr = remote
	} else {
		local, err := NewLocalAgentTrainer(a)
		if err != nil {
			return nil, err
		}
		tr = local
	}
	c := a.Config
	r := &Run{Config: c, Policy: sim.ParsePolicy(c.Agent), Trainer: tr, loaded: a.EpochsTrained}
	r.Display = NewDisplay(tr.Env(), c, r.Policy, tr.Target())
	return r, nil
}

// exportAgent encodes the agent of the first run, with its final
// evaluation once that is done. A run that trains in a worker exports the
// weights of its last epoch report.
func (g *Game) exportAgent() (name, text string, err error) {
	r := g.runs[0]
	if r.Trainer == nil {
		return "", "", fmt.Errorf("the %s network has no value network to save; choose agent mop or r", r.Config.Agent)
	}
	a := &sim.AgentFile{Config: r.Config, Value: r.Trainer.Target(), EpochsTrained: r.Trainer.Epoch()}
	switch tr := r.Trainer.(type) {
	case *LocalTrainer:
		a = tr.Sim().AgentFile()
	case *RemoteTrainer:
		a.Metrics = tr.Final()
	}
	var b strings.Builder
	if err := sim.EncodeAgent(&b, a); err != nil {
		return "", "", err
	}
	c := &a.Config
	name = fmt.Sprintf("neuromop-%s-%s-seed%d-%depochs.agent.json", c.Task, c.Agent, c.Seed, a.EpochsTrained)
	return name, b.String(), nil
}

// agentRow adds the Save agent and Load agent buttons to the side panel
// of a game with AgentFiles. Save is shown only for a run with a value
// network.
func (g *Game) agentRow(p *ui.Panel) {
	files, ok := g.agentFiles()
	if !ok {
		return
	}
	u := g.ui
	cols := ui.Columns(g.view.cols[:0], p.Row(), 2, 4)
	if g.runs[0].Trains() && u.Button(cols[0], "Save agent##agent") {
		if name, text, err := g.exportAgent(); err != nil {
			g.notices = []string{err.Error()}
		} else {
			files.Save(name, text)
		}
	}
	if u.Button(cols[1], "Load agent##agent") {
		files.Open()
	}
}
