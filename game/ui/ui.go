package ui

import (
	"image/color"
	"strconv"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
)

// Input is the pointer state for one tick, in screen pixels. A touch and the
// left mouse button both count as the primary button.
type Input struct {
	X, Y     float64 // pointer position
	Down     bool    // primary button held during this tick
	Pressed  bool    // primary button went down in this tick
	Released bool    // primary button went up in this tick
	WheelY   float64 // wheel movement, positive away from the user
}

// UI records widgets during Update and draws them in Draw. The zero value
// is not usable, so create one with New.
type UI struct {
	Theme Theme

	// Scale is the number of screen pixels per logical pixel, usually the
	// device pixel ratio. Values below or equal to 0 count as 1.
	Scale float64

	in       Input    // pointer state of this tick, in logical pixels
	active   widgetID // widget that holds the pointer, or noWidget
	hovering bool     // the pointer is over a panel or widget this tick

	// The open dropdown and the rectangle of its option list, recorded in the
	// previous tick so that widgets called before the dropdown in this tick
	// can tell that the list covers them.
	open     widgetID
	openList Rect
	openSeen bool

	list   drawList
	render renderer
	values map[valueKey]string

	// holes, parts and subtraction are the scratch space of PanelAround.
	holes, parts []Rect
	subtraction  subtraction
}

// widgetID identifies an interactive widget or one of its options across
// frames. Item is 0 for the widget itself and i+1 for its option i.
type widgetID struct {
	label string
	item  int
}

var (
	noWidget = widgetID{item: -1}
	// consumed holds the pointer after a press that closed a dropdown, so
	// that the press acts on nothing else.
	consumed = widgetID{item: -2}
)

// valueKey is a number and its precision in the cache of formatted values,
// which lets a steady frame show numbers without allocating.
type valueKey struct {
	value float64
	prec  int
}

// maxCachedValues bounds the cache of formatted values. A slider that is
// dragged formats a new value every tick, and the cache is cleared when it
// reaches this size.
const maxCachedValues = 512

// New returns a UI with the given theme at scale 1.
func New(theme Theme) *UI {
	return &UI{
		Theme:  theme,
		Scale:  1,
		active: noWidget,
		open:   noWidget,
		values: make(map[valueKey]string),
	}
}

func (u *UI) scale() float64 {
	if u.Scale <= 0 {
		return 1
	}
	return u.Scale
}

// Begin starts a frame with the input of this tick. It clears the draw
// list, so call it once per Update before any widget.
func (u *UI) Begin(in Input) {
	s := u.scale()
	in.X /= s
	in.Y /= s
	u.in = in
	u.hovering = false
	u.openSeen = false
	u.list.reset()

	// A press outside an open dropdown closes it, and the press is consumed
	// so that it does not also act on the widget below.
	if u.open != noWidget && in.Pressed && !u.openList.Contains(in.X, in.Y) {
		u.open = noWidget
		u.active = consumed
	}
}

// End finishes the frame. It releases the pointer capture once the primary
// button is up and closes a dropdown that was not drawn in this frame.
func (u *UI) End() {
	if !u.in.Down {
		u.active = noWidget
	}
	if !u.openSeen {
		u.open = noWidget
	}
}

// Draw replays the widgets recorded since Begin onto dst. It may be called
// any number of times per frame and changes no widget state.
func (u *UI) Draw(dst *ebiten.Image) {
	u.render.replay(dst, &u.list, u.Theme.Face, u.scale())
}

// WantsPointer reports whether the pointer is over a widget or panel drawn
// in this frame, or a widget holds the pointer. A game calls it after its
// widgets to decide whether a click belongs to the scene behind them.
func (u *UI) WantsPointer() bool {
	return u.hovering || u.active != noWidget
}

// Pointer returns the pointer position of this tick in logical pixels.
func (u *UI) Pointer() (x, y float64) {
	return u.in.X, u.in.Y
}

// hover reports whether the pointer is over r and no open dropdown list
// covers that point, unless id owns the list.
func (u *UI) hover(id widgetID, r Rect) bool {
	if !r.Contains(u.in.X, u.in.Y) {
		return false
	}
	u.hovering = true
	covered := u.open != noWidget && u.open.label != id.label && u.openList.Contains(u.in.X, u.in.Y)
	if covered {
		return false
	}
	return u.active == noWidget || u.active == id
}

// press reports whether the primary button went down over r in this tick,
// and makes id the active widget when it did.
func (u *UI) press(id widgetID, r Rect) bool {
	if u.in.Pressed && u.active == noWidget && u.hover(id, r) {
		u.active = id
		return true
	}
	return false
}

// click reports whether the primary button went up over r after going down
// over the same widget.
func (u *UI) click(id widgetID, r Rect) bool {
	u.press(id, r)
	return u.in.Released && u.active == id && r.Contains(u.in.X, u.in.Y)
}

// fillFor returns the fill colour of a widget in its current state.
func (u *UI) fillFor(id widgetID, r Rect) color.RGBA {
	switch {
	case u.active == id:
		return u.Theme.Active
	case u.hover(id, r):
		return u.Theme.Hover
	default:
		return u.Theme.Widget
	}
}

// visible returns the part of label shown on screen, before any "##".
func visible(label string) string {
	if i := strings.Index(label, "##"); i >= 0 {
		return label[:i]
	}
	return label
}

// formatValue returns v formatted with up to prec significant digits.
// Negative zero, which a tick at -0.5 + 0.5 can produce, is shown as 0.
func (u *UI) formatValue(v float64, prec int) string {
	if v == 0 {
		v = 0
	}
	key := valueKey{value: v, prec: prec}
	if s, ok := u.values[key]; ok {
		return s
	}
	if len(u.values) >= maxCachedValues {
		clear(u.values)
	}
	s := strconv.FormatFloat(v, 'g', prec, 64)
	u.values[key] = s
	return s
}

// Recording helpers. Every widget draws through these, so the draw list is
// the only thing Draw reads.

func (u *UI) fillRect(r Rect, c color.RGBA) {
	u.list.base = append(u.list.base, op{kind: opFillRect, rect: r, color: c})
}

func (u *UI) strokeRect(r Rect, width float64, c color.RGBA) {
	u.list.base = append(u.list.base, op{kind: opStrokeRect, rect: r, width: width, color: c})
}

func (u *UI) line(x0, y0, x1, y1, width float64, c color.RGBA) {
	r := Rect{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
	u.list.base = append(u.list.base, op{kind: opLine, rect: r, width: width, color: c})
}

func (u *UI) image(r Rect, img *ebiten.Image) {
	u.list.base = append(u.list.base, op{kind: opImage, rect: r, image: img})
}

// text records s with its top-left corner at (x, y).
func (u *UI) text(x, y float64, s string, c color.RGBA) {
	if s == "" {
		return
	}
	u.list.base = append(u.list.base, op{kind: opText, rect: Rect{X: x, Y: y}, text: s, color: c})
}

// textIn records s inside r, vertically centred, aligned left when centre
// is false and centred otherwise.
func (u *UI) textIn(r Rect, s string, c color.RGBA, centre bool) {
	w, h := u.measure(s)
	x := r.X + u.Theme.Padding
	if centre {
		x = r.X + (r.W-w)/2
	}
	u.text(x, r.Y+(r.H-h)/2, s, c)
}

// textRight records s inside r, vertically centred and aligned right.
func (u *UI) textRight(r Rect, s string, c color.RGBA) {
	w, h := u.measure(s)
	u.text(r.X+r.W-u.Theme.Padding-w, r.Y+(r.H-h)/2, s, c)
}

// measure returns the width and line height of s in logical pixels.
func (u *UI) measure(s string) (w, h float64) {
	m := u.Theme.Face.Metrics()
	return text.Advance(s, u.Theme.Face), m.HAscent + m.HDescent
}

// toOverlay moves the operations recorded since index first of the base
// layer to the overlay layer.
func (u *UI) toOverlay(first int) {
	u.list.overlay = append(u.list.overlay, u.list.base[first:]...)
	u.list.base = u.list.base[:first]
}

// Texts returns the strings that the current frame recorded so far, in the
// order they were recorded.
func (u *UI) Texts() []string {
	var s []string
	for _, o := range u.list.base {
		if o.kind == opText {
			s = append(s, o.text)
		}
	}
	return s
}
