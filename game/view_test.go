package game

import (
	"slices"
	"testing"

	"github.com/neuromop/neuromop/sim"
)

func TestOccupancyHeatPerRun(t *testing.T) {
	var v viewState
	v.init()
	occ := func(hot int) *sim.Occupancy {
		o := &sim.Occupancy{Bins: 3, Counts: make([]float64, 9)}
		o.Counts[hot] = 1
		return o
	}
	// Bin 0 is the bottom-left cell, which is the first cell of the last
	// heatmap row.
	a := v.occupancyHeat(0, occ(0))
	b := v.occupancyHeat(1, occ(8))
	if a == b {
		t.Fatal("runs 0 and 1 share one heatmap")
	}
	if want := []float64{0, 0, 0, 0, 0, 0, 1, 0, 0}; !slices.Equal(a.Values, want) {
		t.Errorf("run 0 heatmap %v, want %v", a.Values, want)
	}
	if want := []float64{0, 0, 1, 0, 0, 0, 0, 0, 0}; !slices.Equal(b.Values, want) {
		t.Errorf("run 1 heatmap %v, want %v: run 0's data must not show in it", b.Values, want)
	}
	if again := v.occupancyHeat(0, occ(4)); again != a || again.Values[4] != 1 || again.Values[6] != 0 {
		t.Errorf("run 0's heatmap was not reused and rewritten: %v", again.Values)
	}
}
