package game

import "github.com/neuromop/neuromop/game/ui"

// PlotEpochs is the number of the latest epochs, or display rounds, that
// the per-epoch plots show. It bounds the drawing work of a long run.
const PlotEpochs = 500

// plotColumn draws the live plots: survival, mean lifetime and effective
// dimensionality per epoch over the last PlotEpochs epochs, and the display
// agents' action entropy per step, with one series per run.
func (g *Game) plotColumn(r ui.Rect) {
	u := g.ui
	v := &g.view
	for i := range v.plots {
		v.series[i] = v.series[i][:0]
	}
	// Every series drops the same leading epochs, so that the runs of the
	// compare view stay aligned on the shared x axis.
	longest := 0
	for _, run := range g.runs {
		longest = max(longest, len(run.Survival))
	}
	skip := max(longest-PlotEpochs, 0)
	latest := func(values []float64) []float64 { return values[min(skip, len(values)):] }
	for _, run := range g.runs {
		label := kindTitles[run.Config.Agent]
		if len(g.runs) > 1 {
			label = run.Config.Agent
		}
		v.series[0] = append(v.series[0], ui.Series{Label: label, Values: latest(run.Survival)})
		v.series[1] = append(v.series[1], ui.Series{Label: label, Values: latest(run.Lifetime)})
		v.series[2] = append(v.series[2], run.Display.Entropy.Series(label))
		v.series[3] = append(v.series[3], ui.Series{Label: label, Values: latest(run.EffectiveDim)})
	}
	gap := 6.0
	h := (r.H - gap*float64(len(v.plots)-1)) / float64(len(v.plots))
	for i := range v.plots {
		p := &v.plots[i]
		p.Series = v.series[i]
		p.X0, p.DX = float64(1+skip), 1
		if i == 2 {
			p.X0 = 0
		}
		u.Plot(ui.Rect{X: r.X, Y: r.Y + float64(i)*(h+gap), W: r.W, H: h}, p)
	}
}
