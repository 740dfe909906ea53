// Package assets embeds the geometry of the tasks: the six shapes, the two
// rooms of the corridor and the rewarded square, as polygons in readout
// units centred at 0.
package assets

import _ "embed"

// Geometry is a JSON document with three members. "shapes" lists the six
// shapes by name, each as rings of [x, y] vertices, where a point is inside
// when it is inside an odd number of rings (so the ring shape is an outer
// and an inner polygon). Every shape has area 1, the area of the square of
// side 2L for L = 0.5. "corridor" is the free space of two rooms of side 1
// joined by a passage of width 0.2, with the start point of the agents in
// the left room, the passage rectangle and the x above which a readout is in
// the right room. "reward" is the rewarded inner square of the reward task.
//
//go:embed geometry.json
var Geometry []byte
