package sim

import (
	"encoding/json"
	"os"
	"testing"
)

// numberForm is one case of testdata/number_forms.json.
type numberForm struct {
	Param string `json:"param"`
	Value string `json:"value"`
	OK    bool   `json:"ok"`
}

func readNumberForms(t *testing.T) []numberForm {
	t.Helper()
	data, err := os.ReadFile("testdata/number_forms.json")
	if err != nil {
		t.Fatal(err)
	}
	var table struct{ Cases []numberForm }
	if err := json.Unmarshal(data, &table); err != nil {
		t.Fatalf("testdata/number_forms.json: %v", err)
	}
	return table.Cases
}

func TestSetNumberForms(t *testing.T) {
	for _, tc := range readNumberForms(t) {
		c, err := DefaultConfig("square")
		if err != nil {
			t.Fatal(err)
		}
		err = c.Set(tc.Param, tc.Value)
		switch {
		case tc.OK && err != nil:
			t.Errorf("Set(%s, %q) = %v, want it accepted", tc.Param, tc.Value, err)
		case !tc.OK && err == nil:
			t.Errorf("Set(%s, %q) accepted the value, want it rejected", tc.Param, tc.Value)
		case !tc.OK:
			want := (&ParamError{Name: tc.Param, Value: tc.Value, Want: Lookup(tc.Param).Want()}).Error()
			if err.Error() != want {
				t.Errorf("Set(%s, %q) = %q, want %q", tc.Param, tc.Value, err, want)
			}
		}
	}
}
