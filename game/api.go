package game

import "github.com/neuromop/neuromop/sim"

// commandKind is a request from outside the game loop.
type commandKind int

const (
	cmdStart commandKind = iota
	cmdPause
	cmdReset
	cmdSettings
	cmdImport  // replace the runs with one of agent
	cmdExport  // pass the first run's agent file to export
	cmdNotices // replace the notices
)

// command is a request queued by Start, Pause, Reset, Set, ImportAgent or
// ExportAgent and carried out by the next Update, so that callers on other goroutines, or JavaScript
// callbacks in the browser, never touch the runs while a frame uses them.
type command struct {
	kind     commandKind
	settings Settings
	notices  []string
	agent    *sim.AgentFile
	export   func(name, text string, err error)
}

func (g *Game) enqueue(c command) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.queue = append(g.queue, c)
}

// Start makes the runs train from the next Update on. It is safe to call
// from any goroutine.
func (g *Game) Start() { g.enqueue(command{kind: cmdStart}) }

// Pause stops the training in the next Update. It is safe to call from any
// goroutine.
func (g *Game) Pause() { g.enqueue(command{kind: cmdPause}) }

// Reset replaces the runs with idle ones of the same settings in the next
// Update. It is safe to call from any goroutine.
func (g *Game) Reset() { g.enqueue(command{kind: cmdReset}) }

// Set applies params, by URL parameter name, as Settings.Apply does, and
// returns the messages of the rejected values at once, each shortened by
// ShortenNotices. The runs change in the next Update, and the messages
// replace the notices shown in the canvas. It is safe to call from any
// goroutine.
func (g *Game) Set(params map[string]string) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	s, msgs := g.pending.Apply(params)
	msgs = ShortenNotices(msgs)
	g.pending = s
	g.queue = append(g.queue, command{kind: cmdSettings, settings: s, notices: msgs})
	if msgs == nil {
		msgs = []string{}
	}
	return msgs
}

// drainQueue carries out the queued commands in order.
func (g *Game) drainQueue() {
	g.mu.Lock()
	queue := g.queue
	g.queue = nil
	g.mu.Unlock()

	for _, c := range queue {
		switch c.kind {
		case cmdStart:
			g.forRuns((*Run).Start)
		case cmdPause:
			g.forRuns((*Run).Pause)
		case cmdReset:
			g.reset()
		case cmdSettings:
			g.notices = c.notices
			g.apply(c.settings, false)
		case cmdImport:
			g.importAgent(c.settings, c.agent)
		case cmdExport:
			c.export(g.exportAgent())
		case cmdNotices:
			g.notices = c.notices
		}
	}
	if len(queue) > 0 {
		g.syncPending()
	}
}
