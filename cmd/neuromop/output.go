package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/neuromop/neuromop/sim"
)

// progress prints progress and warnings to stderr. Its methods are safe
// for concurrent use.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	quiet bool
}

func newProgress(w io.Writer, quiet bool) *progress { return &progress{w: w, quiet: quiet} }

// printf prints one line of progress, unless quiet.
func (p *progress) printf(format string, args ...any) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format+"\n", args...)
}

// warnf prints one warning line, even when quiet.
func (p *progress) warnf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "warning: "+format+"\n", args...)
}

// epochPrinter returns a sim.Trainer.OnEpoch callback that prints one line
// per epoch, prefixed by prefix, and a warning for a divergence notice.
func (p *progress) epochPrinter(prefix string, epochs int) func(sim.EpochStats) {
	return func(st sim.EpochStats) {
		m := st.Eval
		p.printf("%sepoch %d/%d: survival %.3f, mean lifetime %.1f, action entropy %.3f, loss %.3g, %.0f samples/s",
			prefix, st.Epoch, epochs, m.Survival, m.MeanLifetime, m.ActionEntropy, st.Loss, st.SamplesPerSecond)
		if st.Notice != "" {
			p.warnf("%sepoch %d: %s", prefix, st.Epoch, st.Notice)
		}
	}
}

// writeJSON writes v as indented JSON. It first checks that v holds no
// NaN or infinity, which JSON cannot represent, and names the field of the
// first one.
func writeJSON(w io.Writer, v any) error {
	if path, x, ok := findNonFinite(reflect.ValueOf(v), ""); ok {
		return fmt.Errorf("internal error: %s is %v, which JSON cannot represent; the simulation produced a non-finite metric", path, x)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// findNonFinite returns the JSON path of the first NaN or infinity in v.
func findNonFinite(v reflect.Value, path string) (string, float64, bool) {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		if x := v.Float(); math.IsNaN(x) || math.IsInf(x, 0) {
			return path, x, true
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return findNonFinite(v.Elem(), path)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if p, x, ok := findNonFinite(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); ok {
				return p, x, true
			}
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			if p, x, ok := findNonFinite(iter.Value(), fmt.Sprintf("%s.%v", path, iter.Key())); ok {
				return p, x, true
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if p, x, ok := findNonFinite(v.Field(i), strings.TrimPrefix(path+"."+name, ".")); ok {
				return p, x, true
			}
		}
	}
	return "", 0, false
}

// metricRow is one row of the metrics table.
type metricRow struct {
	name  string
	value func(m *sim.Metrics) *float64
}

func plain(f func(m *sim.Metrics) float64) func(m *sim.Metrics) *float64 {
	return func(m *sim.Metrics) *float64 { x := f(m); return &x }
}

var metricRows = []metricRow{
	{"survival", plain(func(m *sim.Metrics) float64 { return m.Survival })},
	{"mean lifetime (steps)", plain(func(m *sim.Metrics) float64 { return m.MeanLifetime })},
	{"median lifetime (steps)", plain(func(m *sim.Metrics) float64 { return m.MedianLifetime })},
	{"action entropy", plain(func(m *sim.Metrics) float64 { return m.ActionEntropy })},
	{"entropy-margin correlation", plain(func(m *sim.Metrics) float64 { return m.EntropyMarginCorrelation })},
	{"variability", plain(func(m *sim.Metrics) float64 { return m.Variability })},
	{"effective dimension of r", plain(func(m *sim.Metrics) float64 { return m.EffectiveDim })},
	{"effective dimension of a", plain(func(m *sim.Metrics) float64 { return m.ActionEffectiveDim })},
	{"energy", func(m *sim.Metrics) *float64 { return m.Energy }},
	{"null-space fraction", func(m *sim.Metrics) *float64 { return m.NullSpaceFraction }},
	{"saturated fraction", func(m *sim.Metrics) *float64 { return m.SaturatedFraction }},
	{"reward occupancy", func(m *sim.Metrics) *float64 { return m.RewardOccupancy }},
	{"crossed", func(m *sim.Metrics) *float64 { return m.Crossed }},
	{"passage entropy", func(m *sim.Metrics) *float64 { return m.PassageEntropy }},
}

// printMetricsTable prints one column of metrics per agent. A row that
// applies to none of the agents is left out, and "-" marks a metric that
// does not apply to one agent.
func printMetricsTable(w io.Writer, names []string, ms []*sim.Metrics) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "metric\t%s\n", strings.Join(names, "\t"))
	for _, row := range metricRows {
		cells := make([]string, len(ms))
		applies := false
		for i, m := range ms {
			cells[i] = "-"
			if x := row.value(m); x != nil {
				cells[i] = formatMetric(*x)
				applies = true
			}
		}
		if applies {
			fmt.Fprintf(tw, "%s\t%s\n", row.name, strings.Join(cells, "\t"))
		}
	}
	return tw.Flush()
}

func formatMetric(x float64) string {
	if x != 0 && (math.Abs(x) >= 1e5 || math.Abs(x) < 1e-3) {
		return strconv.FormatFloat(x, 'e', 3, 64)
	}
	return strconv.FormatFloat(x, 'f', 3, 64)
}
