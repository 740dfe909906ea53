package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/neuromop/neuromop/sim"
)

func TestSaveWritesThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.json")
	writeFile(t, target, "old\n")
	for _, link := range []struct{ name, to string }{
		{"link.json", "target.json"},
		// A dangling link gets its target created.
		{"dangling.json", "new.json"},
	} {
		path := filepath.Join(dir, link.name)
		if err := os.Symlink(link.to, path); err != nil {
			t.Fatal(err)
		}
		mustRun(t, "", append([]string{"train", "-quiet", "-save", path}, small...)...)

		info, err := os.Lstat(path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symbolic link: mode %v", link.name, info.Mode())
		}
		data, err := os.ReadFile(filepath.Join(dir, link.to))
		if err != nil {
			t.Fatalf("target of %s: %v", link.name, err)
		}
		if _, err := sim.DecodeAgent(bytes.NewReader(data)); err != nil {
			t.Errorf("target of %s is not the agent: %v", link.name, err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		t.Errorf("directory has %d entries, want the two links and their targets", len(entries))
	}
}

func TestOutputsRejectSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("cannot create a FIFO: %v", err)
	}
	fifoLink := filepath.Join(dir, "fifo-link")
	if err := os.Symlink("fifo", fifoLink); err != nil {
		t.Fatal(err)
	}
	socket := filepath.Join(dir, "socket")
	ln, err := net.Listen("unix", socket)
	if err != nil {
		t.Skipf("cannot create a Unix socket: %v", err)
	}
	defer ln.Close()
	out := filepath.Join(dir, "run")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	csvFIFO := filepath.Join(out, "metrics.csv")
	if err := syscall.Mkfifo(csvFIFO, 0o644); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name string
		args []string
		path string // named in the message and left as it is
	}{
		{"save to FIFO", []string{"-save", fifo}, fifo},
		{"save through link to FIFO", []string{"-save", fifoLink}, fifoLink},
		{"save to socket", []string{"-save", socket}, socket},
		{"out file is FIFO", []string{"-out", out}, csvFIFO},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before, err := os.Lstat(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			r := neuromop(t, "", append(append([]string{"train"}, tc.args...), small...)...)
			if r.status != 2 {
				t.Errorf("exit status = %d, want 2; stderr:\n%s", r.status, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.path) || !strings.Contains(r.stderr, "not a regular file") {
				t.Errorf("stderr = %q, want a message naming %s as not a regular file", r.stderr, tc.path)
			}
			if strings.Contains(r.stderr, "epoch 1/") {
				t.Errorf("training started before the check:\n%s", r.stderr)
			}
			after, err := os.Lstat(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			if after.Mode() != before.Mode() {
				t.Errorf("%s has mode %v, want %v as before", tc.path, after.Mode(), before.Mode())
			}
		})
	}
}
