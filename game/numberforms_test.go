package game

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
)

// TestURLNumberForms checks that a URL parameter accepts and rejects the
// same forms of numbers as a flag of the CLI, from the table that the
// tests of sim read too.
func TestURLNumberForms(t *testing.T) {
	data, err := os.ReadFile("../sim/testdata/number_forms.json")
	if err != nil {
		t.Fatal(err)
	}
	var table struct {
		Cases []struct {
			Param, Value string
			OK           bool
		}
	}
	if err := json.Unmarshal(data, &table); err != nil {
		t.Fatalf("number_forms.json: %v", err)
	}
	if len(table.Cases) == 0 {
		t.Fatal("number_forms.json has no cases")
	}
	for _, tc := range table.Cases {
		_, msgs := ParseSettings(url.Values{tc.Param: {tc.Value}})
		switch {
		case tc.OK && len(msgs) != 0:
			t.Errorf("%s=%q: messages %q, want the value accepted", tc.Param, tc.Value, msgs)
		case !tc.OK && len(msgs) != 1:
			t.Errorf("%s=%q: messages %q, want one rejecting the value", tc.Param, tc.Value, msgs)
		case !tc.OK:
			if want := fmt.Sprintf("invalid %s %q: want ", tc.Param, tc.Value); !strings.HasPrefix(msgs[0], want) {
				t.Errorf("%s=%q: message %q, want it to start with %q", tc.Param, tc.Value, msgs[0], want)
			}
		}
	}
}
