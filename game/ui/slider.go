package ui

import "math"

// sliderFraction returns where x lies along the track r as a fraction in
// [0, 1], clamped at the ends.
func sliderFraction(r Rect, x float64) float64 {
	if r.W <= 0 {
		return 0
	}
	return min(max((x-r.X)/r.W, 0), 1)
}

// valueAt maps the pointer position x on track r to a value in [lo, hi].
func valueAt(r Rect, x, lo, hi float64) float64 {
	return lo + sliderFraction(r, x)*(hi-lo)
}

// fractionOf returns where v lies in [lo, hi] as a fraction in [0, 1].
func fractionOf(v, lo, hi float64) float64 {
	if hi == lo || math.IsNaN(v) {
		return 0
	}
	return min(max((v-lo)/(hi-lo), 0), 1)
}

// wheelStep is the fraction of a float slider's range that one wheel notch
// moves it.
const wheelStep = 0.01

// Slider draws a horizontal slider for *v in [lo, hi] that shows the label
// and the value. Dragging sets the value from the pointer, and the wheel
// over it moves the value by one hundredth of the range per notch. It
// reports whether *v changed in this tick. A *v outside [lo, hi] is shown
// clamped and left alone until the user moves the slider.
func (u *UI) Slider(r Rect, label string, v *float64, lo, hi float64) bool {
	old := *v
	id := widgetID{label: label}
	u.press(id, r)
	switch {
	case u.active == id && u.in.Down:
		*v = valueAt(r, u.in.X, lo, hi)
	case u.in.WheelY != 0 && u.hover(id, r):
		*v = min(max(*v+u.in.WheelY*wheelStep*(hi-lo), lo), hi)
	}

	u.drawSlider(r, label, fractionOf(*v, lo, hi), u.formatValue(*v, 3))
	return *v != old
}

// SliderInt is Slider for integers. The pointer position is rounded to the
// nearest integer, and one wheel notch moves the value by 1.
func (u *UI) SliderInt(r Rect, label string, v *int, lo, hi int) bool {
	old := *v
	id := widgetID{label: label}
	u.press(id, r)
	switch {
	case u.active == id && u.in.Down:
		*v = int(math.Round(valueAt(r, u.in.X, float64(lo), float64(hi))))
	case u.in.WheelY != 0 && u.hover(id, r):
		step := 1
		if u.in.WheelY < 0 {
			step = -1
		}
		*v = min(max(*v+step, lo), hi)
	}

	f := fractionOf(float64(*v), float64(lo), float64(hi))
	u.drawSlider(r, label, f, u.formatValue(float64(*v), 10))
	return *v != old
}

func (u *UI) drawSlider(r Rect, label string, fraction float64, value string) {
	u.fillRect(r, u.fillFor(widgetID{label: label}, r))
	fill := r
	fill.W = r.W * fraction
	u.fillRect(fill, u.Theme.Accent)
	knobX := r.X + fill.W
	u.line(knobX, r.Y, knobX, r.Y+r.H, 2, u.Theme.Text)
	u.strokeRect(r, 1, u.Theme.Border)

	u.textIn(r, visible(label), u.Theme.Text, false)
	u.textRight(r, value, u.Theme.Text)
}
