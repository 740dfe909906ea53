package game

import "testing"

func TestTrailKeepsLatest(t *testing.T) {
	tr := NewTrail(3)
	if _, ok := tr.Last(); ok {
		t.Errorf("Last of an empty trail reports a point")
	}
	for i := 1; i <= 5; i++ {
		tr.Push([2]float64{float64(i), -float64(i)})
	}
	if tr.Len() != 3 {
		t.Fatalf("Len = %d, want 3", tr.Len())
	}
	for i, want := range []float64{3, 4, 5} {
		if got := tr.At(i); got != [2]float64{want, -want} {
			t.Errorf("At(%d) = %v, want (%v, %v)", i, got, want, -want)
		}
	}
	if last, _ := tr.Last(); last[0] != 5 {
		t.Errorf("Last = %v, want (5, -5)", last)
	}
	tr.Reset()
	if tr.Len() != 0 || tr.Cap() != 3 {
		t.Errorf("after Reset Len, Cap = %d, %d, want 0, 3", tr.Len(), tr.Cap())
	}
	tr.Push([2]float64{7, 7})
	if got := tr.At(0); got != [2]float64{7, 7} {
		t.Errorf("At(0) after Reset and Push = %v, want (7, 7)", got)
	}
}

func TestTrailAtOutOfRange(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("At(1) of a trail of one point did not panic")
		}
	}()
	tr := NewTrail(4)
	tr.Push([2]float64{1, 1})
	tr.At(1)
}
