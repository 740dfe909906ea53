package game

import (
	"image/color"
	"math"

	"github.com/neuromop/neuromop/game/ui"
	"github.com/neuromop/neuromop/sim"
)

// Plane maps a box of readout space onto a screen rectangle, with the
// second coordinate increasing upwards.
type Plane struct {
	Rect   ui.Rect
	Lo, Hi [2]float64
}

// FitPlane returns the plane of [lo, hi] inside area, centred, with equal
// scales on both axes when square is true and stretched to area otherwise.
func FitPlane(area ui.Rect, lo, hi [2]float64, square bool) Plane {
	r := area
	if square {
		w, h := hi[0]-lo[0], hi[1]-lo[1]
		s := min(area.W/w, area.H/h)
		r.W, r.H = w*s, h*s
		r.X = area.X + (area.W-r.W)/2
		r.Y = area.Y + (area.H-r.H)/2
	}
	return Plane{Rect: r, Lo: lo, Hi: hi}
}

// ToScreen returns the screen position of the point p.
func (pl *Plane) ToScreen(p [2]float64) (x, y float64) {
	fx := (p[0] - pl.Lo[0]) / (pl.Hi[0] - pl.Lo[0])
	fy := (p[1] - pl.Lo[1]) / (pl.Hi[1] - pl.Lo[1])
	return pl.Rect.X + fx*pl.Rect.W, pl.Rect.Y + (1-fy)*pl.Rect.H
}

// ToScreenClamped returns the screen position of p moved onto the plane's
// rectangle, so that a trail that leaves the box is drawn along its edge.
func (pl *Plane) ToScreenClamped(p [2]float64) (x, y float64) {
	x, y = pl.ToScreen(p)
	r := pl.Rect
	return min(max(x, r.X), r.X+r.W), min(max(y, r.Y), r.Y+r.H)
}

// sub returns the screen rectangle of the box [lo, hi] of the plane.
func (pl *Plane) sub(lo, hi [2]float64) ui.Rect {
	x0, y0 := pl.ToScreen([2]float64{lo[0], hi[1]})
	x1, y1 := pl.ToScreen([2]float64{hi[0], lo[1]})
	return ui.Rect{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
}

// PlaneBounds returns the readout box a display is drawn in. It is the box
// of the occupancy histogram, which for the shapes task covers all six
// shapes. For the cart-pole it is the limits of x and θ with a margin, so
// that the limits show.
func PlaneBounds(env sim.Env) (lo, hi [2]float64) {
	lo, hi = sim.ReadoutBounds(env, 0)
	for c := 1; c < env.Contexts(); c++ {
		l, h := sim.ReadoutBounds(env, c)
		for k := 0; k < 2; k++ {
			lo[k], hi[k] = math.Min(lo[k], l[k]), math.Max(hi[k], h[k])
		}
	}
	if _, ok := env.(*sim.CartPole); ok {
		for k := 0; k < 2; k++ {
			pad := 0.08 * (hi[k] - lo[k])
			lo[k], hi[k] = lo[k]-pad, hi[k]+pad
		}
	}
	return lo, hi
}

var kindTitles = map[string]string{"mop": "MOP", "r": "R (reward maximizer)", "free": "free network", "silent": "silent network"}

// scene draws the runs into r: one panel, or three side by side in the
// compare view. The scene's background leaves out the readout planes,
// which drawPlane covers with opaque pixels.
func (g *Game) scene(r ui.Rect) {
	u := g.sceneUI
	v := &g.view
	compact := len(g.runs) > 1
	if compact {
		v.cols = ui.Columns(v.cols[:0], r.Inset(6), len(g.runs), 6)
	} else {
		v.cols = append(v.cols[:0], r.Inset(6))
	}
	_, lineH := u.Measure("0")
	v.runs, v.planes = v.runs[:0], v.planes[:0]
	for i, run := range g.runs {
		l := layoutRun(v.cols[i], run, compact, lineH)
		v.runs = append(v.runs, l)
		if l.plane.Rect.W > 0 && l.plane.Rect.H > 0 {
			v.planes = append(v.planes, l.plane.Rect)
		}
	}
	u.PanelAround(r, v.planes)
	for i := range g.runs {
		g.drawRun(&v.runs[i], i, compact)
	}
}

// runLayout is the set of rectangles of one run's panel.
type runLayout struct {
	area ui.Rect // the whole panel, with the title and metrics at its top
	// body is the part below the title and metrics, or the zero Rect when
	// it is too small to draw in.
	body ui.Rect
	// plane is the readout plane, with the zero Rect for the energy task.
	plane Plane
	// extra is the cart-pole drawing above the plane, or the activity
	// histogram below it, or the zero Rect.
	extra ui.Rect
}

// layoutRun returns the layout of run's panel in area. Compact panels of
// the compare view leave out the activity raster and histogram.
func layoutRun(area ui.Rect, run *Run, compact bool, lineH float64) runLayout {
	l := runLayout{area: area}
	body := ui.Rect{X: area.X, Y: area.Y + 2*lineH + 8, W: area.W, H: area.H - 2*lineH - 8}
	if body.W <= 10 || body.H <= 10 {
		return l
	}
	l.body = body
	if run.Config.Task == "energy" {
		return l
	}
	lo, hi := PlaneBounds(run.Display.Env)
	switch run.Config.Task {
	case "cartpole":
		l.extra = ui.Rect{X: body.X, Y: body.Y, W: body.W, H: body.H * 0.45}
		bottom := ui.Rect{X: body.X, Y: l.extra.Y + l.extra.H + 6, W: body.W, H: body.H - l.extra.H - 6}
		l.plane = FitPlane(bottom, lo, hi, false)
	case "saturation":
		if compact {
			l.plane = FitPlane(body, lo, hi, true)
			break
		}
		top := ui.Rect{X: body.X, Y: body.Y, W: body.W, H: body.H * 0.62}
		l.extra = ui.Rect{X: body.X, Y: top.Y + top.H + 6, W: body.W, H: body.H - top.H - 6}
		l.plane = FitPlane(top, lo, hi, true)
	default:
		l.plane = FitPlane(body, lo, hi, true)
	}
	return l
}

// drawRun draws run i into the panel that l lays out.
func (g *Game) drawRun(l *runLayout, i int, compact bool) {
	u := g.sceneUI
	run := g.runs[i]
	_, lineH := u.Measure("0")
	title := kindTitles[run.Config.Agent]
	u.Text(l.area.X, l.area.Y, title, u.Theme.Text)
	if m := run.Latest(); m != nil {
		u.Text(l.area.X, l.area.Y+lineH+2, g.view.metricsLabel(m, compact), u.Theme.MutedText)
	}
	if l.body == (ui.Rect{}) {
		return
	}

	switch run.Config.Task {
	case "energy":
		g.drawEnergy(l.body, i, compact)
	case "cartpole":
		drawCartPole(u, l.extra, run.Display)
		g.drawPlane(&l.plane, i)
	case "saturation":
		g.drawPlane(&l.plane, i)
		if !compact {
			drawHistogram(u, l.extra, run.Display.Histogram)
		}
	default:
		g.drawPlane(&l.plane, i)
	}
}

// drawPlane draws the readout plane pl of run i: the allowed region or the
// occupancy heatmap, the region's edges, and the trails. It first covers
// every pixel of pl.Rect with opaque colours, because scene leaves the
// background out of pl.Rect.
func (g *Game) drawPlane(pl *Plane, i int) {
	u := g.sceneUI
	run := g.runs[i]
	d := run.Display
	lo, hi := pl.Lo, pl.Hi

	ne, isNetwork := d.Env.(*sim.NetworkEnv)
	switch {
	case g.showHeat && d.Last != nil && d.Last.Occupancy != nil:
		g.drawOccupancy(pl, i, d.Last.Occupancy)
	case isNetwork:
		u.Image(pl.Rect, g.view.mask(&run.Config, ne, d.Context, lo, hi))
	default:
		u.FillRect(pl.Rect, colorAllowed)
	}
	u.StrokeRect(pl.Rect, 1, u.Theme.Border)

	if isNetwork {
		drawRegionEdges(u, pl, ne.Region(d.Context), colorEdge)
		if rw := ne.RewardRegion(); rw != nil {
			drawRegionEdges(u, pl, rw, colorRewardEdge)
		}
		if run.Config.Task == "corridor" {
			drawCorridorMarks(u, pl, lo, hi)
		}
	} else {
		drawCartLimits(u, pl)
	}
	drawTrails(u, pl, d)
	g.planeCaption(pl, run)
}

func (g *Game) planeCaption(pl *Plane, run *Run) {
	u := g.sceneUI
	d := run.Display
	_, lineH := u.Measure("0")
	caption := "readout y = W r"
	switch run.Config.Task {
	case "cartpole":
		caption = "x across, theta up"
	case "square", "saturation", "reward":
		caption = "r_1 across, r_2 up"
	case "shapes":
		caption = "shape: " + sim.ShapeNames[d.Context]
	}
	u.Text(pl.Rect.X+4, pl.Rect.Y+pl.Rect.H-lineH-3, caption, u.Theme.MutedText)
}

// drawOccupancy draws the occupancy histogram of the last display round,
// with rows flipped so that the second coordinate increases upwards.
func (g *Game) drawOccupancy(pl *Plane, i int, occ *sim.Occupancy) {
	u := g.sceneUI
	h := g.view.occupancyHeat(i, occ)
	u.FillRect(pl.Rect, colorAllowed)
	u.Heatmap(pl.sub(occ.Lo, occ.Hi), h)
}

func drawRegionEdges(u *ui.UI, pl *Plane, reg *sim.Region, c color.RGBA) {
	if reg == nil {
		return
	}
	for _, ring := range reg.Rings {
		for i := range ring {
			a, b := ring[i], ring[(i+1)%len(ring)]
			x0, y0 := pl.ToScreen(a)
			x1, y1 := pl.ToScreen(b)
			u.Line(x0, y0, x1, y1, 1.5, c)
		}
	}
}

// drawCorridorMarks outlines the passage and marks the x beyond which the
// readout has crossed into the right room.
func drawCorridorMarks(u *ui.UI, pl *Plane, lo, hi [2]float64) {
	cor := &sim.Shapes.Corridor
	pass := pl.sub(cor.Passage[0], cor.Passage[1])
	u.StrokeRect(pass, 1, ui.Premultiply(colorPassage, 0.7))
	x, y0 := pl.ToScreen([2]float64{cor.GoalX, hi[1]})
	_, y1 := pl.ToScreen([2]float64{cor.GoalX, lo[1]})
	for y := y0; y < y1; y += 8 {
		u.Line(x, y, x, min(y+4, y1), 1, ui.Premultiply(colorPassage, 0.5))
	}
}

func drawCartLimits(u *ui.UI, pl *Plane) {
	r := pl.sub([2]float64{-sim.CartXMax, -sim.CartThetaMax}, [2]float64{sim.CartXMax, sim.CartThetaMax})
	u.StrokeRect(r, 1.5, colorLimit)
}

// drawTrails draws each agent's trail, fading from old to new points, and
// its head: a square while alive and a red cross where it died.
func drawTrails(u *ui.UI, pl *Plane, d *Display) {
	pal := u.Theme.Palette
	for i, t := range d.Trails {
		n := t.Len()
		if n == 0 {
			continue
		}
		base := pal[i%len(pal)]
		dim := 1.0
		if !d.Alive(i) {
			dim = 0.4
		}
		px, py := pl.ToScreenClamped(t.At(0))
		for k := 1; k < n; k++ {
			x, y := pl.ToScreenClamped(t.At(k))
			alpha := (0.1 + 0.85*float64(k)/float64(n-1)) * dim
			u.Line(px, py, x, y, 1.5, ui.Premultiply(base, alpha))
			px, py = x, y
		}
		if d.Alive(i) {
			u.FillRect(ui.Rect{X: px - 2.5, Y: py - 2.5, W: 5, H: 5}, base)
		} else {
			u.Line(px-4, py-4, px+4, py+4, 2, colorDeath)
			u.Line(px-4, py+4, px+4, py-4, 2, colorDeath)
		}
	}
}
