package ui

import (
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
)

type opKind uint8

const (
	opFillRect opKind = iota
	opStrokeRect
	opLine
	opPolyline
	opText
	opImage
)

// op is one recorded drawing operation in logical pixels.
type op struct {
	kind  opKind
	rect  Rect // fill, stroke and image target; for a line, X, Y to X+W, Y+H
	width float64
	color color.RGBA
	text  string
	image *ebiten.Image

	// first and last index a range of drawList.points, as x, y pairs.
	first, last int
}

// drawList is the drawing recorded during one Update. Operations on the
// overlay layer are replayed after the base layer, so an open dropdown
// covers the widgets below it. Its slices keep their capacity from frame to
// frame, so a steady frame records without allocating.
type drawList struct {
	base    []op
	overlay []op
	points  []float32
}

func (d *drawList) reset() {
	d.base = d.base[:0]
	d.overlay = d.overlay[:0]
	d.points = d.points[:0]
}

// renderer replays a drawList. Rectangles and lines are collected into one
// triangle batch, drawn from a white pixel, until text or an image needs
// the order kept. Its slices are reused from frame to frame.
//
// Lines are drawn as quads rather than with vector.StrokePath. With one
// stroked 600-point plot line, StrokePath in Ebitengine v2.10.4 held the
// frame rate of headless Chromium's software WebGL near 2 FPS and let the
// Go heap grow past 100 MiB within a minute.
type renderer struct {
	white    *ebiten.Image
	vertices []ebiten.Vertex
	indices  []uint32
}

// replay draws every operation of d onto dst, multiplying coordinates by
// scale.
func (r *renderer) replay(dst *ebiten.Image, d *drawList, face text.Face, scale float64) {
	if r.white == nil {
		img := ebiten.NewImage(3, 3)
		img.Fill(color.White)
		r.white = img.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image)
	}
	for i := range d.base {
		r.draw(dst, d, &d.base[i], face, scale)
	}
	for i := range d.overlay {
		r.draw(dst, d, &d.overlay[i], face, scale)
	}
	r.flush(dst)
}

func (r *renderer) draw(dst *ebiten.Image, d *drawList, o *op, face text.Face, scale float64) {
	s := float32(scale)
	x, y := float32(o.rect.X)*s, float32(o.rect.Y)*s
	w, h := float32(o.rect.W)*s, float32(o.rect.H)*s

	switch o.kind {
	case opFillRect:
		r.quad(x, y, x+w, y, x+w, y+h, x, y+h, o.color)

	case opStrokeRect:
		lw := float32(o.width) * s
		r.quad(x, y, x+w, y, x+w, y+lw, x, y+lw, o.color)
		r.quad(x, y+h-lw, x+w, y+h-lw, x+w, y+h, x, y+h, o.color)
		r.quad(x, y+lw, x+lw, y+lw, x+lw, y+h-lw, x, y+h-lw, o.color)
		r.quad(x+w-lw, y+lw, x+w, y+lw, x+w, y+h-lw, x+w-lw, y+h-lw, o.color)

	case opLine:
		r.segment(x, y, x+w, y+h, float32(o.width)*s, o.color)

	case opPolyline:
		pts := d.points[o.first:o.last]
		lw := float32(o.width) * s
		for j := 0; j+3 < len(pts); j += 2 {
			r.smoothSegment(pts[j]*s, pts[j+1]*s, pts[j+2]*s, pts[j+3]*s, lw, o.color)
		}

	case opText:
		r.flush(dst)
		var opts text.DrawOptions
		opts.GeoM.Scale(scale, scale)
		opts.GeoM.Translate(o.rect.X*scale, o.rect.Y*scale)
		opts.ColorScale = colorScale(o.color)
		opts.Filter = textFilter(scale)
		text.Draw(dst, o.text, face, &opts)

	case opImage:
		r.flush(dst)
		b := o.image.Bounds()
		if b.Dx() == 0 || b.Dy() == 0 {
			return
		}
		var opts ebiten.DrawImageOptions
		opts.GeoM.Scale(o.rect.W*scale/float64(b.Dx()), o.rect.H*scale/float64(b.Dy()))
		opts.GeoM.Translate(o.rect.X*scale, o.rect.Y*scale)
		opts.Filter = ebiten.FilterNearest
		dst.DrawImage(o.image, &opts)
	}
}

// quad adds the quadrilateral with corners 0 to 3, in order around it, to
// the batch.
func (r *renderer) quad(x0, y0, x1, y1, x2, y2, x3, y3 float32, c color.RGBA) {
	cr, cg, cb, ca := float32(c.R)/0xff, float32(c.G)/0xff, float32(c.B)/0xff, float32(c.A)/0xff
	base := uint32(len(r.vertices))
	for _, p := range [4][2]float32{{x0, y0}, {x1, y1}, {x2, y2}, {x3, y3}} {
		r.vertices = append(r.vertices, ebiten.Vertex{
			DstX: p[0], DstY: p[1], SrcX: 1, SrcY: 1,
			ColorR: cr, ColorG: cg, ColorB: cb, ColorA: ca,
		})
	}
	r.indices = append(r.indices, base, base+1, base+2, base, base+2, base+3)
}

// segment adds a straight line of the given width from (x0, y0) to (x1, y1)
// to the batch, as a quad without rounded ends.
func (r *renderer) segment(x0, y0, x1, y1, width float32, c color.RGBA) {
	dx, dy := x1-x0, y1-y0
	length := float32(math.Hypot(float64(dx), float64(dy)))
	if length == 0 {
		return
	}
	nx, ny := -dy/length*width/2, dx/length*width/2
	r.quad(x0+nx, y0+ny, x1+nx, y1+ny, x1-nx, y1-ny, x0-nx, y0-ny, c)
}

func (r *renderer) flush(dst *ebiten.Image) {
	if len(r.indices) == 0 {
		return
	}
	var opts ebiten.DrawTrianglesOptions
	opts.ColorScaleMode = ebiten.ColorScaleModePremultipliedAlpha
	dst.DrawTriangles32(r.vertices, r.indices, r.white, &opts)
	r.vertices = r.vertices[:0]
	r.indices = r.indices[:0]
}

// smoothSegment adds a line of the given width from (x0, y0) to (x1, y1)
// with edges that fade to transparent over one pixel, which anti-aliases
// plot lines at the cost of three quads. The segments of a polyline
// overlap at the joins, which thin lines do not show.
func (r *renderer) smoothSegment(x0, y0, x1, y1, width float32, c color.RGBA) {
	dx, dy := x1-x0, y1-y0
	length := float32(math.Hypot(float64(dx), float64(dy)))
	if length == 0 {
		return
	}
	core := max(width-1, 0) / 2 // half-width of the opaque part
	ux, uy := -dy/length, dx/length
	ix, iy := ux*core, uy*core         // to the edge of the opaque core
	ox, oy := ux*(core+1), uy*(core+1) // to the transparent outer edge

	if core > 0 {
		r.quad(x0+ix, y0+iy, x1+ix, y1+iy, x1-ix, y1-iy, x0-ix, y0-iy, c)
	}
	r.fade(x0+ix, y0+iy, x1+ix, y1+iy, x1+ox, y1+oy, x0+ox, y0+oy, c)
	r.fade(x0-ix, y0-iy, x1-ix, y1-iy, x1-ox, y1-oy, x0-ox, y0-oy, c)
}

// fade adds a quad whose corners 0 and 1 have colour c and corners 2 and 3
// are transparent.
func (r *renderer) fade(x0, y0, x1, y1, x2, y2, x3, y3 float32, c color.RGBA) {
	r.quad(x0, y0, x1, y1, x2, y2, x3, y3, c)
	n := len(r.vertices)
	for i := n - 2; i < n; i++ {
		v := &r.vertices[i]
		v.ColorR, v.ColorG, v.ColorB, v.ColorA = 0, 0, 0, 0
	}
}

// colorScale returns the colour scale that tints white to c. Both use
// premultiplied alpha.
func colorScale(c color.RGBA) ebiten.ColorScale {
	var cs ebiten.ColorScale
	cs.Scale(float32(c.R)/0xff, float32(c.G)/0xff, float32(c.B)/0xff, float32(c.A)/0xff)
	return cs
}

// textFilter keeps a bitmap font sharp at whole-number scales and smooths
// it at fractional ones, where nearest-neighbour sampling makes strokes of
// uneven width.
func textFilter(scale float64) ebiten.Filter {
	if scale == math.Trunc(scale) {
		return ebiten.FilterNearest
	}
	return ebiten.FilterLinear
}
