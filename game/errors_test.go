package game

import (
	"fmt"
	"strings"
	"testing"
)

func TestStatusErrorsListsEveryNotice(t *testing.T) {
	var queries []string
	g := newSmallGame(t, &queries)
	params := map[string]string{}
	for i := range MaxNotices + 4 {
		params[fmt.Sprintf("unknown%02d", i)] = "1"
	}
	msgs := g.Set(params)
	if len(msgs) != MaxNotices+4 {
		t.Errorf("Set returned %d messages, want one for each of the %d rejected values", len(msgs), MaxNotices+4)
	}
	g.drainQueue()
	g.publishStatus(0, 0, 0)
	s := g.Status()

	if len(s.Errors) != MaxNotices+4 {
		t.Fatalf("status errors has %d messages, want %d: %q", len(s.Errors), MaxNotices+4, s.Errors)
	}
	for i := range MaxNotices + 4 {
		want := fmt.Sprintf(`unknown parameter "unknown%02d"`, i)
		found := false
		for _, e := range s.Errors {
			found = found || strings.Contains(e, want)
		}
		if !found {
			t.Errorf("status errors lacks %q", want)
		}
	}
	if want := "and 4 more messages, listed in status().errors"; !strings.HasSuffix(s.Error, want) {
		t.Errorf("status error %q, want it to end with %q", s.Error, want)
	}
}

func TestStatusErrorsShortensLongMessage(t *testing.T) {
	var queries []string
	g := newSmallGame(t, &queries)
	g.Set(map[string]string{"mu": strings.Repeat("9", 100000)})
	g.drainQueue()
	g.publishStatus(0, 0, 0)
	s := g.Status()
	if len(s.Errors) != 1 {
		t.Fatalf("status errors has %d messages, want 1", len(s.Errors))
	}
	if len(s.Errors[0]) > MaxNoticeBytes {
		t.Errorf("status errors message has %d bytes, want at most %d", len(s.Errors[0]), MaxNoticeBytes)
	}
	if !strings.HasPrefix(s.Errors[0], `invalid mu "999`) {
		t.Errorf("status errors message %.40q..., want it to start with the name and value", s.Errors[0])
	}
}

func TestStatusErrorsEmptyWithoutNotices(t *testing.T) {
	var queries []string
	g := newSmallGame(t, &queries)
	g.publishStatus(0, 0, 0)
	if s := g.Status(); len(s.Errors) != 0 || s.Error != "" {
		t.Errorf("status errors %q and error %q without notices, want none", s.Errors, s.Error)
	}
}
