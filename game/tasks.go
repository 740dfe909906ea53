package game

import (
	"fmt"
	"image/color"
	"math"

	"github.com/neuromop/neuromop/game/ui"
	"github.com/neuromop/neuromop/sim"
)

// metricsLabel returns the line of metrics above a run's scene, shortened
// for the narrow panels of the compare view.
func (v *viewState) metricsLabel(m *sim.Metrics, compact bool) string {
	if compact {
		return fmt.Sprintf("surv %.2f  life %.0f  dim %.1f", m.Survival, m.MeanLifetime, m.EffectiveDim)
	}
	return fmt.Sprintf("survival %.2f  lifetime %.0f  entropy %.2f  dim %.1f",
		m.Survival, m.MeanLifetime, m.ActionEntropy, m.EffectiveDim)
}

// drawEnergy draws the activity raster of the followed agent, neurons down
// and time across, above the trace of its energy with the E_max line. The
// compact panel of the compare view shows the trace only.
func (g *Game) drawEnergy(area ui.Rect, i int, compact bool) {
	u := g.sceneUI
	run := g.runs[i]
	d := run.Display
	traceArea := area
	if !compact {
		top := ui.Rect{X: area.X, Y: area.Y, W: area.W, H: area.H * 0.55}
		traceArea = ui.Rect{X: area.X, Y: top.Y + top.H + 6, W: area.W, H: area.H - top.H - 6}
		ras := &g.view.raster
		ras.Cols, ras.Rows, ras.Values = RasterSteps, d.RasterRows, d.Raster
		ras.FixedRange, ras.Map = true, ui.Viridis
		ras.Min, ras.Max = 0, run.Config.Rho
		if run.Config.Activation == "tanh" {
			ras.Min, ras.Max, ras.Map = -1, 1, ui.Diverging
		}
		u.Heatmap(top, ras)
		_, lineH := u.Measure("0")
		u.Text(top.X+4, top.Y+top.H-lineH-3,
			fmt.Sprintf("activity r of agent %d: %d neurons down, %d steps across", d.Followed+1, d.RasterRows, RasterSteps),
			u.Theme.Text)
	}

	if len(g.view.eMax) != EnergyLength {
		g.view.eMax = make([]float64, EnergyLength)
	}
	for k := range g.view.eMax {
		g.view.eMax[k] = run.Config.EMax
	}
	p := &g.view.energy[i]
	e := d.Energy.Series("energy")
	limit := ui.Series{Label: "E_max", Color: colorLimit, Values: g.view.eMax[:d.Energy.Len()]}
	p.Series = append(p.Series[:0], e, limit)
	u.Plot(traceArea, p)
}

// drawCartPole draws the track with its limits, every live agent's cart
// and pole faintly, and the followed agent's in full colour.
func drawCartPole(u *ui.UI, area ui.Rect, d *Display) {
	u.FillRect(area, colorAllowed)
	u.StrokeRect(area, 1, u.Theme.Border)
	const span = 2 * (sim.CartXMax + 0.4) // metres across the area
	scale := area.W / span
	// The pole is 2 m long, twice its half-length; it must fit upright.
	scale = min(scale, (area.H-30)/2.3)
	cx := area.X + area.W/2
	trackY := area.Y + area.H - 18

	u.Line(area.X+8, trackY, area.X+area.W-8, trackY, 1, u.Theme.Border)
	for _, x := range []float64{-sim.CartXMax, sim.CartXMax} {
		sx := cx + x*scale
		u.Line(sx, trackY-24, sx, trackY+10, 2, colorLimit)
	}
	pal := u.Theme.Palette
	for i := range d.Pop.Agents {
		if !d.Alive(i) || i == d.Followed {
			continue
		}
		drawCart(u, cx, trackY, scale, d.Pop.Agents[i].State, ui.Premultiply(pal[i%len(pal)], 0.25))
	}
	if d.Alive(d.Followed) {
		drawCart(u, cx, trackY, scale, d.Pop.Agents[d.Followed].State, pal[d.Followed%len(pal)])
	}
}

// drawCart draws a cart at x and its pole at angle θ from upright, from
// the state (x, ẋ, θ, θ̇).
func drawCart(u *ui.UI, cx, trackY, scale float64, state []float64, c color.RGBA) {
	x, theta := state[0], state[2]
	w, h := 0.5*scale, 0.25*scale
	sx := cx + x*scale
	u.FillRect(ui.Rect{X: sx - w/2, Y: trackY - h, W: w, H: h}, c)
	px, py := sx, trackY-h
	length := 2 * scale
	u.Line(px, py, px+length*math.Sin(theta), py-length*math.Cos(theta), 3, c)
}

// drawHistogram draws the fractions of activities per bin over [−1, 1],
// with the saturation levels ±0.9 marked.
func drawHistogram(u *ui.UI, area ui.Rect, bins []float64) {
	u.FillRect(area, u.Theme.Background)
	u.StrokeRect(area, 1, u.Theme.Border)
	_, lineH := u.Measure("0")
	inner := ui.Rect{X: area.X + 6, Y: area.Y + lineH + 6, W: area.W - 12, H: area.H - 2*lineH - 12}
	if inner.W <= 0 || inner.H <= 0 {
		return
	}
	u.Text(area.X+6, area.Y+3, "activities r of the live agents", u.Theme.MutedText)

	peak := 0.0
	for _, b := range bins {
		peak = math.Max(peak, b)
	}
	w := inner.W / float64(len(bins))
	for k, b := range bins {
		h := 0.0
		if peak > 0 {
			h = b / peak * inner.H
		}
		u.FillRect(ui.Rect{X: inner.X + float64(k)*w, Y: inner.Y + inner.H - h, W: max(w-1, 1), H: h}, u.Theme.Accent)
	}

	for _, level := range []float64{-0.9, 0.9} {
		x := inner.X + (level+1)/2*inner.W
		u.Line(x, inner.Y, x, inner.Y+inner.H, 1, colorLimit)
	}

	y := inner.Y + inner.H + 3
	u.Text(inner.X, y, "-1", u.Theme.MutedText)
	u.Text(inner.X+inner.W/2-4, y, "0", u.Theme.MutedText)
	u.Text(inner.X+inner.W-8, y, "1", u.Theme.MutedText)
	sat := "abs(r) > 0.9 saturated"
	sw, _ := u.Measure(sat)
	u.Text(inner.X+inner.W-sw, area.Y+3, sat, colorLimit)
}
