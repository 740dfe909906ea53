package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rssEpochs is the length of the run whose resident set the test watches.
const rssEpochs = 2000

// tiny are the flags of an epoch that takes a few milliseconds, so that
// rssEpochs epochs take seconds and the memory that an epoch keeps, if
// any, adds up over many epochs.
var tiny = []string{"-agents", "4", "-steps", "5", "-eval-agents", "2", "-eval-steps", "5",
	"-final-agents", "2", "-final-steps", "5"}

var progressLine = regexp.MustCompile(`^epoch (\d+)/\d+:`)

// vmRSS returns the resident set of process pid in bytes, from the VmRSS
// line of /proc/pid/status.
func vmRSS(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("invalid VmRSS line %q: %v", line, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no VmRSS line in /proc/%d/status", pid)
}

// TestTrainResidentSetFlat trains rssEpochs tiny epochs and reads the
// resident set of the process at every 10th epoch's progress line. It
// compares the median of epochs 200 to 700, after the warm-up, with the
// median of the last 500 epochs.
//
// The tolerance, rssTolerance, covers two things. The collector lets the
// heap grow to twice its live size between collections, which moves the
// resident set by a few MiB from one sample to the next. And the command
// keeps every epoch's metrics for its output, sim.Trainer.History, about
// 0.3 kB an epoch, so 0.6 MB at the end. A leak of 5 kB an epoch would add
// about 9 MB and fail the test.
func TestTrainResidentSetFlat(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the resident set is read from /proc, which only Linux has")
	}
	const rssTolerance = 8 << 20

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := append([]string{"train", "-task", "square", "-seed", "1", "-epochs", strconv.Itoa(rssEpochs), "-json"}, tiny...)
	cmd := exec.CommandContext(ctx, binary, args...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	rss := map[int]int64{} // by epoch
	scanner := bufio.NewScanner(stderr)
	for scanner.Scan() {
		m := progressLine.FindStringSubmatch(scanner.Text())
		if m == nil {
			continue
		}
		epoch, _ := strconv.Atoi(m[1])
		if epoch%10 != 0 {
			continue
		}
		b, err := vmRSS(cmd.Process.Pid)
		if err != nil {
			t.Fatal(err)
		}
		rss[epoch] = b
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("neuromop %s: %v", strings.Join(args, " "), err)
	}
	if len(rss) < rssEpochs/10 {
		t.Fatalf("read the resident set at %d progress lines, want %d", len(rss), rssEpochs/10)
	}

	window := func(from, to int) (median, lo, hi int64) {
		var v []int64
		for e := from; e <= to; e += 10 {
			v = append(v, rss[e])
		}
		slices.Sort(v)
		return v[len(v)/2], v[0], v[len(v)-1]
	}
	early, earlyLo, earlyHi := window(200, 700)
	late, lateLo, lateHi := window(rssEpochs-500, rssEpochs)
	t.Logf("resident set: median %.1f MiB (%.1f to %.1f) at epochs 200-700, %.1f MiB (%.1f to %.1f) at epochs %d-%d",
		mib(early), mib(earlyLo), mib(earlyHi), mib(late), mib(lateLo), mib(lateHi), rssEpochs-500, rssEpochs)
	if late-early > rssTolerance {
		t.Errorf("resident set grew from a median of %.1f MiB to %.1f MiB, want at most %.1f MiB of growth",
			mib(early), mib(late), mib(rssTolerance))
	}
	if !strings.Contains(stdout.String(), `"epochs": 2000`) {
		t.Errorf("the run's JSON output lacks \"epochs\": 2000")
	}
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
