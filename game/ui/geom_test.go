package ui

import "testing"

func TestRectContains(t *testing.T) {
	r := Rect{X: 10, Y: 20, W: 30, H: 40}
	tests := []struct {
		x, y float64
		want bool
	}{
		{10, 20, true}, // top-left corner is inside
		{39.9, 59.9, true},
		{40, 30, false}, // right edge is outside
		{20, 60, false}, // bottom edge is outside
		{9.9, 30, false},
		{20, 19.9, false},
	}
	for _, tt := range tests {
		if got := r.Contains(tt.x, tt.y); got != tt.want {
			t.Errorf("%+v.Contains(%v, %v) = %v, want %v", r, tt.x, tt.y, got, tt.want)
		}
	}
}

func TestRectInset(t *testing.T) {
	r := Rect{X: 0, Y: 0, W: 10, H: 4}
	if got, want := r.Inset(1), (Rect{X: 1, Y: 1, W: 8, H: 2}); got != want {
		t.Errorf("Inset(1) = %+v, want %+v", got, want)
	}
	got := r.Inset(3)
	if got.W != 4 || got.H != 0 {
		t.Errorf("Inset(3) = %+v, want width 4 and height 0", got)
	}
	if got.Y != 2 {
		t.Errorf("Inset(3).Y = %v, want 2, the middle of the rectangle", got.Y)
	}
}

func TestColumns(t *testing.T) {
	got := Columns(nil, Rect{X: 0, Y: 5, W: 100, H: 10}, 3, 5)
	want := []Rect{
		{X: 0, Y: 5, W: 30, H: 10},
		{X: 35, Y: 5, W: 30, H: 10},
		{X: 70, Y: 5, W: 30, H: 10},
	}
	if len(got) != len(want) {
		t.Fatalf("Columns returned %d rects, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("column %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if got := Columns(nil, Rect{W: 100}, 0, 5); len(got) != 0 {
		t.Errorf("Columns with n = 0 returned %d rects, want 0", len(got))
	}
}

func TestStackRows(t *testing.T) {
	s := Stack{Bounds: Rect{X: 10, Y: 10, W: 100, H: 60}, Padding: 5, Gap: 2}

	first := s.Next(20)
	if want := (Rect{X: 15, Y: 15, W: 90, H: 20}); first != want {
		t.Errorf("first row = %+v, want %+v", first, want)
	}
	second := s.Next(10)
	if want := (Rect{X: 15, Y: 37, W: 90, H: 10}); second != want {
		t.Errorf("second row = %+v, want %+v", second, want)
	}
	if got, want := s.Used(), 42.0; got != want {
		t.Errorf("Used() = %v, want %v", got, want)
	}
	if want := (Rect{X: 15, Y: 49, W: 90, H: 16}); s.Remaining() != want {
		t.Errorf("Remaining() = %+v, want %+v", s.Remaining(), want)
	}
	if s.Overflow() {
		t.Errorf("Overflow() = true after 42 of 60 pixels, want false")
	}

	s.Next(30)
	if !s.Overflow() {
		t.Errorf("Overflow() = false after %v of 60 pixels, want true", s.Used())
	}
	if got := s.Remaining().H; got != 0 {
		t.Errorf("Remaining().H = %v after overflow, want 0", got)
	}
}
