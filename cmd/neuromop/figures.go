package main

import (
	"encoding/csv"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/neuromop/neuromop/sim"
)

// Figure size: 15 cm × 11 cm, about 570 × 415 pixels at gonum/plot's
// default of 96 dots per inch.
const (
	figureWidth  = 15 * vg.Centimeter
	figureHeight = 11 * vg.Centimeter
)

// writeOutputs writes metrics.csv and the figures of a run to dir and
// returns the names of the files written. A run without a final
// evaluation, such as an interrupted one, has no occupancy.png.
func writeOutputs(dir string, tr *sim.Trainer) ([]string, error) {
	var written []string
	for _, out := range outputFiles {
		if out.name == "occupancy.png" && tr.Final == nil {
			continue
		}
		path := filepath.Join(dir, out.name)
		if _, err := outputTarget(path); err != nil {
			return written, fmt.Errorf("%s: %v", path, err)
		}
		if err := out.write(path, tr); err != nil {
			return written, err
		}
		written = append(written, out.name)
	}
	return written, nil
}

// outputFiles are the files that -out writes, in the order it writes them.
var outputFiles = []struct {
	name  string
	write func(path string, tr *sim.Trainer) error
}{
	{"metrics.csv", func(path string, tr *sim.Trainer) error { return writeMetricsCSV(path, tr.History) }},
	{"lifetime.png", saveLifetimeFigure},
	{"entropy.png", saveEntropyFigure},
	{"occupancy.png", saveOccupancyFigure},
}

// checkOutputFiles reports a file of dir that -out would write and that
// exists as something other than a regular file, such as a FIFO, before
// training starts.
func checkOutputFiles(dir string) error {
	for _, out := range outputFiles {
		path := filepath.Join(dir, out.name)
		if _, err := outputTarget(path); err != nil {
			return fmt.Errorf("cannot write the -out file %s: %v; remove it or choose another -out directory", path, err)
		}
	}
	return nil
}

var csvHeader = []string{
	"epoch", "survival", "mean_lifetime", "median_lifetime", "action_entropy",
	"entropy_margin_correlation", "variability", "effective_dim", "action_effective_dim",
	"energy", "null_space_fraction", "saturated_fraction", "reward_occupancy", "crossed",
	"passage_entropy", "loss", "learning_rate", "samples_per_second", "notice",
}

// writeMetricsCSV writes one row per epoch of the evaluation after it. A
// metric that does not apply to the task is an empty cell.
func writeMetricsCSV(path string, history []sim.EpochStats) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(csvHeader)
	num := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	opt := func(x *float64) string {
		if x == nil {
			return ""
		}
		return num(*x)
	}
	for _, st := range history {
		m := &st.Eval
		w.Write([]string{
			strconv.Itoa(st.Epoch), num(m.Survival), num(m.MeanLifetime), num(m.MedianLifetime),
			num(m.ActionEntropy), num(m.EntropyMarginCorrelation), num(m.Variability),
			num(m.EffectiveDim), num(m.ActionEffectiveDim), opt(m.Energy), opt(m.NullSpaceFraction),
			opt(m.SaturatedFraction), opt(m.RewardOccupancy), opt(m.Crossed), opt(m.PassageEntropy),
			num(st.Loss), num(st.LearningRate), num(st.SamplesPerSecond), st.Notice,
		})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// epochLine returns the points (epoch, y(stats)) of the history.
func epochLine(history []sim.EpochStats, y func(st *sim.EpochStats) float64) plotter.XYs {
	xys := make(plotter.XYs, len(history))
	for i := range history {
		xys[i].X = float64(history[i].Epoch)
		xys[i].Y = y(&history[i])
	}
	return xys
}

// newEpochPlot returns a plot with epochs 0 to the run's last on x and the
// range [0, yMax] on y, so that it is well formed even with no epochs.
func newEpochPlot(tr *sim.Trainer, title, yLabel string, yMax float64) *plot.Plot {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s: %s agent on task %s, seed %d", title, tr.Config.Agent, tr.Config.Task, tr.Config.Seed)
	p.X.Label.Text = "epoch"
	p.Y.Label.Text = yLabel
	p.X.Min, p.X.Max = 0, float64(max(1, len(tr.History)))
	p.Y.Min, p.Y.Max = 0, yMax
	p.Add(plotter.NewGrid())
	return p
}

// addLine adds a line of the given color and legend entry to p.
func addLine(p *plot.Plot, xys plotter.XYs, c color.Color, legend string) error {
	if len(xys) == 0 {
		return nil
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return err
	}
	l.Color = c
	l.Width = vg.Points(1.5)
	p.Add(l)
	p.Legend.Add(legend, l)
	return nil
}

var (
	blue   = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	orange = color.RGBA{R: 255, G: 127, B: 14, A: 255}
)

func saveLifetimeFigure(path string, tr *sim.Trainer) error {
	steps := float64(tr.Config.EvalSteps)
	p := newEpochPlot(tr, "Lifetime", fmt.Sprintf("lifetime (steps, at most %d)", tr.Config.EvalSteps), steps*1.05)
	p.Legend.Top = false
	p.Legend.Left = true
	if err := addLine(p, epochLine(tr.History, func(st *sim.EpochStats) float64 { return st.Eval.MeanLifetime }),
		blue, "mean"); err != nil {
		return err
	}
	if err := addLine(p, epochLine(tr.History, func(st *sim.EpochStats) float64 { return st.Eval.MedianLifetime }),
		orange, "median"); err != nil {
		return err
	}
	return p.Save(figureWidth, figureHeight, path)
}

func saveEntropyFigure(path string, tr *sim.Trainer) error {
	p := newEpochPlot(tr, "Action entropy", "normalized action entropy", 1.05)
	p.Legend.Top = false
	if err := addLine(p, epochLine(tr.History, func(st *sim.EpochStats) float64 { return st.Eval.ActionEntropy }),
		blue, "mean per step"); err != nil {
		return err
	}
	return p.Save(figureWidth, figureHeight, path)
}

// occupancyGrid is a sim.Occupancy as a plotter.GridXYZ: column c and row
// r are the bins at the centre (X(c), Y(r)).
type occupancyGrid struct{ o *sim.Occupancy }

func (g occupancyGrid) Dims() (c, r int)   { return g.o.Bins, g.o.Bins }
func (g occupancyGrid) Z(c, r int) float64 { return g.o.Counts[r*g.o.Bins+c] }
func (g occupancyGrid) X(c int) float64    { return g.centre(0, c) }
func (g occupancyGrid) Y(r int) float64    { return g.centre(1, r) }

func (g occupancyGrid) centre(axis, i int) float64 {
	width := (g.o.Hi[axis] - g.o.Lo[axis]) / float64(g.o.Bins)
	return g.o.Lo[axis] + (float64(i)+0.5)*width
}

// saveOccupancyFigure draws the occupancy histogram of the final
// evaluation, with the outline of each evaluated context's allowed region
// and of the rewarded region, where the task has them.
func saveOccupancyFigure(path string, tr *sim.Trainer) error {
	if tr.Final == nil || tr.Final.Occupancy == nil {
		return fmt.Errorf("no final evaluation to draw")
	}
	occ := tr.Final.Occupancy
	p := plot.New()
	c := tr.Config
	p.Title.Text = fmt.Sprintf("Occupancy: %s agent on task %s, %d agents × %d steps",
		c.Agent, c.Task, tr.Final.Agents, tr.Final.Steps)
	p.X.Label.Text, p.Y.Label.Text = "readout y1", "readout y2"
	switch c.Task {
	case "cartpole":
		p.X.Label.Text, p.Y.Label.Text = "cart position x (m)", "pole angle θ (rad)"
	case "square", "reward", "saturation":
		p.X.Label.Text, p.Y.Label.Text = "activity r1", "activity r2"
	}

	pal := moreland.Kindlmann().Palette(256)
	heat := plotter.NewHeatMap(occupancyGrid{occ}, pal)
	heat.Min = 0
	heat.Max = max(heat.Max, 1e-12)
	// The cells are drawn as anti-aliased rectangles. A backdrop of the
	// colour of 0 keeps the seams between them from showing the white
	// canvas. A rasterized heat map would have no seams, but it is scaled
	// with interpolation, which blurs the bins.
	backdrop, err := plotter.NewPolygon(plotter.XYs{
		{X: occ.Lo[0], Y: occ.Lo[1]}, {X: occ.Hi[0], Y: occ.Lo[1]},
		{X: occ.Hi[0], Y: occ.Hi[1]}, {X: occ.Lo[0], Y: occ.Hi[1]},
	})
	if err != nil {
		return err
	}
	backdrop.Color = pal.Colors()[0]
	backdrop.LineStyle.Width = 0
	p.Add(backdrop, heat)
	p.X.Min, p.X.Max = occ.Lo[0], occ.Hi[0]
	p.Y.Min, p.Y.Max = occ.Lo[1], occ.Hi[1]

	if ne, ok := tr.Env.(*sim.NetworkEnv); ok {
		var regions []*sim.Region
		for _, ctx := range uniqueContexts(sim.EvalContexts(&c, ne, c.FinalAgents)) {
			if r := ne.Region(ctx); r != nil {
				regions = append(regions, r)
			}
		}
		if err := addOutlines(p, regions, color.White); err != nil {
			return err
		}
		if r := ne.RewardRegion(); r != nil {
			if err := addOutlines(p, []*sim.Region{r}, orange); err != nil {
				return err
			}
		}
	}
	return p.Save(figureWidth, figureWidth, path)
}

func uniqueContexts(ctxs []int) []int {
	u := slices.Clone(ctxs)
	slices.Sort(u)
	return slices.Compact(u)
}

// addOutlines draws every ring of the regions as a closed line.
func addOutlines(p *plot.Plot, regions []*sim.Region, c color.Color) error {
	for _, r := range regions {
		for _, ring := range r.Rings {
			if len(ring) == 0 {
				continue
			}
			xys := make(plotter.XYs, 0, len(ring)+1)
			for _, v := range ring {
				xys = append(xys, plotter.XY{X: v[0], Y: v[1]})
			}
			xys = append(xys, xys[0])
			l, err := plotter.NewLine(xys)
			if err != nil {
				return err
			}
			l.Color = c
			l.Width = vg.Points(1)
			p.Add(l)
		}
	}
	return nil
}
