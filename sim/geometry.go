package sim

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/neuromop/neuromop/assets"
)

// Region is a planar set bounded by polygons: a point is inside when it is
// inside an odd number of rings.
type Region struct {
	Rings [][][2]float64 `json:"rings"`
}

// Contains reports whether (x, y) lies inside r, by the even-odd rule.
func (r *Region) Contains(x, y float64) bool {
	inside := false
	for _, ring := range r.Rings {
		n := len(ring)
		for i, j := 0, n-1; i < n; j, i = i, i+1 {
			xi, yi := ring[i][0], ring[i][1]
			xj, yj := ring[j][0], ring[j][1]
			if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
				inside = !inside
			}
		}
	}
	return inside
}

// Distance returns the Euclidean distance from (x, y) to the boundary of r.
func (r *Region) Distance(x, y float64) float64 {
	best := math.Inf(1)
	for _, ring := range r.Rings {
		n := len(ring)
		for i, j := 0, n-1; i < n; j, i = i, i+1 {
			d := segmentDistance(x, y, ring[j][0], ring[j][1], ring[i][0], ring[i][1])
			best = math.Min(best, d)
		}
	}
	return best
}

func segmentDistance(px, py, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, ((px-ax)*dx+(py-ay)*dy)/l2))
	}
	ex, ey := px-(ax+t*dx), py-(ay+t*dy)
	return math.Sqrt(ex*ex + ey*ey)
}

// Bounds returns the bounding box of r as minimum and maximum corners.
func (r *Region) Bounds() (lo, hi [2]float64) {
	lo = [2]float64{math.Inf(1), math.Inf(1)}
	hi = [2]float64{math.Inf(-1), math.Inf(-1)}
	for _, ring := range r.Rings {
		for _, p := range ring {
			for k := 0; k < 2; k++ {
				lo[k] = math.Min(lo[k], p[k])
				hi[k] = math.Max(hi[k], p[k])
			}
		}
	}
	return lo, hi
}

// Corridor is the free space of the corridor task.
type Corridor struct {
	Region
	Start   [2]float64    `json:"start"`
	Passage [2][2]float64 `json:"passage"`
	GoalX   float64       `json:"goal_x"`
}

// NamedRegion is a shape of the shapes task.
type NamedRegion struct {
	Name string `json:"name"`
	Region
}

// Geometry is the decoded content of assets.Geometry.
type Geometry struct {
	Shapes   []NamedRegion `json:"shapes"`
	Corridor Corridor      `json:"corridor"`
	Reward   Region        `json:"reward"`
}

// ShapeNames lists the shapes of the shapes task in context order.
var ShapeNames = []string{"square", "circle", "triangle", "diamond", "ring", "cross"}

// Shapes is the embedded geometry, decoded once.
var Shapes = mustGeometry(assets.Geometry)

func mustGeometry(data []byte) *Geometry {
	var g Geometry
	if err := json.Unmarshal(data, &g); err != nil {
		panic(fmt.Sprintf("sim: embedded geometry: %v", err))
	}
	if len(g.Shapes) != len(ShapeNames) {
		panic(fmt.Sprintf("sim: embedded geometry has %d shapes, want %d", len(g.Shapes), len(ShapeNames)))
	}
	for i, s := range g.Shapes {
		if s.Name != ShapeNames[i] {
			panic(fmt.Sprintf("sim: embedded shape %d is %q, want %q", i, s.Name, ShapeNames[i]))
		}
	}
	return &g
}

// SquareRegion returns the square of half-width l centred at 0.
func SquareRegion(l float64) Region {
	return Region{Rings: [][][2]float64{{{-l, -l}, {l, -l}, {l, l}, {-l, l}}}}
}
