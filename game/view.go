package game

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/neuromop/neuromop/game/ui"
	"github.com/neuromop/neuromop/sim"
)

// viewState holds what the drawing of a frame reuses: plots, heatmaps,
// images and formatted labels. Images are created once per geometry and
// kept, so a steady frame creates none.
type viewState struct {
	// plots are survival, mean lifetime (steps) and effective
	// dimensionality per epoch, and the display's action entropy per step.
	plots  [4]ui.Plot
	series [][]ui.Series // per plot, reused
	// heats are the occupancy heatmaps of the runs' planes, one per run.
	// The UI records image draws and replays them at the end of the frame,
	// so each panel needs an image of its own.
	heats  []*ui.Heatmap
	raster ui.Heatmap
	energy [3]ui.Plot // energy trace per run
	eMax   []float64  // the E_max line of the energy traces
	masks  map[maskKey]*ebiten.Image
	cols   []ui.Rect
	runs   []runLayout // of the scene's panels, one per run
	planes []ui.Rect   // the readout planes of runs
	help   map[string]string

	fps     int
	fpsText string
}

func (v *viewState) init() {
	v.plots = [4]ui.Plot{
		{Title: "survival / epoch", FixedY: true, YMin: 0, YMax: 1},
		{Title: "lifetime / epoch"},
		{Title: "entropy / step", FixedY: true, YMin: 0, YMax: 1},
		{Title: "eff. dim / epoch"},
	}
	v.series = make([][]ui.Series, len(v.plots))
	v.masks = map[maskKey]*ebiten.Image{}
	v.help = map[string]string{}
	for i := range v.energy {
		v.energy[i] = ui.Plot{Title: "energy mean(r^2) and E_max"}
	}
}

// reset drops the per-run state after the runs were replaced.
func (v *viewState) reset() {
	v.eMax = v.eMax[:0]
}

func (v *viewState) fpsLabel(fps float64) string {
	if f := int(math.Round(fps)); f != v.fps || v.fpsText == "" {
		v.fps, v.fpsText = f, strconv.Itoa(f)+" FPS"
	}
	return v.fpsText
}

func (v *viewState) progressLabel(r *Run) string {
	tr := r.Trainer
	switch {
	case tr.Done():
		return fmt.Sprintf("done: %d epochs", tr.Epoch())
	case tr.Phase() == "final":
		return fmt.Sprintf("final evaluation %d%%", int(100*tr.Progress()))
	}
	return fmt.Sprintf("epoch %d/%d %s %d%%", tr.Epoch()+1, r.Config.Epochs, tr.Phase(), int(100*tr.Progress()))
}

// dutyLabel describes the duty of the training workers: fixed by pace,
// or chosen by the pacer when pace is 0. Workers that do not train, and
// workers that rejected a pace command (unpaced), get labels of their own.
// workers is the count of training workers.
func (v *viewState) dutyLabel(duty, pace float64, training, unpaced bool, workers int) string {
	subject := "worker trains"
	if workers > 1 {
		subject = "workers train"
	}
	percent := int(math.Round(100 * duty))
	switch {
	case !training && workers > 1:
		return "workers not training"
	case !training:
		return "worker not training"
	case unpaced:
		return subject + " full time (unpaced)"
	case pace == 0 && duty >= 1:
		return subject + " full time"
	case pace == 0:
		return fmt.Sprintf("%s %d%% of the time", subject, percent)
	case pace >= 1:
		return subject + " full time (pace=1)"
	}
	return fmt.Sprintf("%s %d%% (pace=%g)", subject, percent, pace)
}

func (v *viewState) roundLabel(r *Run) string {
	return fmt.Sprintf("%s network, no training: round %d", r.Config.Agent, r.Display.Rounds)
}

// Colours of the scenes, on the theme's dark background.
var (
	colorAllowed    = color.RGBA{0x16, 0x1c, 0x23, 0xff}
	colorTerminal   = color.RGBA{0x3b, 0x1a, 0x1e, 0xff}
	colorReward     = color.RGBA{0x1c, 0x3b, 0x27, 0xff}
	colorRewardEdge = color.RGBA{0x81, 0xc7, 0x84, 0xff}
	colorEdge       = color.RGBA{0xc8, 0xd0, 0xd8, 0xff}
	colorDeath      = color.RGBA{0xff, 0x52, 0x52, 0xff}
	colorLimit      = color.RGBA{0xe5, 0x73, 0x73, 0xff}
	colorPassage    = color.RGBA{0xff, 0xd5, 0x4f, 0xff}
)

// maskKey identifies the image of a plane's allowed region.
type maskKey struct {
	task   string
	ctx    int
	l      float64
	lo, hi [2]float64
}

// maskSize is the width and height of a region image, in pixels.
const maskSize = 160

// maxMasks bounds the cached region images. Stepping L through many values
// would otherwise keep one image per value.
const maxMasks = 24

// mask returns the image of the plane [lo, hi] for context ctx of env:
// allowed readouts dark, terminal ones red and rewarded ones green. It is
// rendered once per geometry and then reused.
func (v *viewState) mask(c *sim.Config, env *sim.NetworkEnv, ctx int, lo, hi [2]float64) *ebiten.Image {
	key := maskKey{task: c.Task, ctx: ctx, l: c.HalfWidth, lo: lo, hi: hi}
	if img, ok := v.masks[key]; ok {
		return img
	}
	if len(v.masks) >= maxMasks {
		for k, img := range v.masks {
			img.Deallocate()
			delete(v.masks, k)
		}
	}
	region, reward := env.Region(ctx), env.RewardRegion()
	pix := make([]byte, 4*maskSize*maskSize)
	for j := 0; j < maskSize; j++ {
		y := hi[1] - (float64(j)+0.5)/maskSize*(hi[1]-lo[1])
		for i := 0; i < maskSize; i++ {
			x := lo[0] + (float64(i)+0.5)/maskSize*(hi[0]-lo[0])
			col := colorTerminal
			if region == nil || region.Contains(x, y) {
				col = colorAllowed
			}
			if reward != nil && reward.Contains(x, y) {
				col = colorReward
			}
			k := 4 * (j*maskSize + i)
			pix[k], pix[k+1], pix[k+2], pix[k+3] = col.R, col.G, col.B, col.A
		}
	}
	img := ebiten.NewImage(maskSize, maskSize)
	img.WritePixels(pix)
	v.masks[key] = img
	return img
}

// occupancyHeat returns the heatmap of run i holding occ, with its top row
// at the top of the plane, creating the heatmap on first use.
func (v *viewState) occupancyHeat(i int, occ *sim.Occupancy) *ui.Heatmap {
	for len(v.heats) <= i {
		v.heats = append(v.heats, &ui.Heatmap{Map: ui.Viridis})
	}
	h := v.heats[i]
	n := occ.Bins
	if h.Cols != n || len(h.Values) != n*n {
		h.Values = make([]float64, n*n)
		h.Cols, h.Rows = n, n
	}
	for row := 0; row < n; row++ {
		copy(h.Values[row*n:(row+1)*n], occ.Counts[(n-1-row)*n:(n-row)*n])
	}
	return h
}
