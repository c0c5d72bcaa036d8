//go:build unix

package walk

import (
	"context"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
)

func TestFIFO(t *testing.T) {
	dir := tree(t, map[string]string{"a.c": "int a;", "z.c": "int z;"})
	for _, name := range []string{"pipe.c", "pipe"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fsys := &faultFS{fsys: open(t, dir).FS}
	done := make(chan result, 1)
	go func() {
		var r result
		err := Walk(context.Background(), fsys, Options{},
			func(f source.File) error { r.files = append(r.files, f); return nil },
			func(n finding.Notification) { r.notes = append(r.notes, n) })
		if err != nil {
			t.Errorf("Walk: %v", err)
		}
		done <- r
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Walk blocked: it opened a FIFO")
	}
	if len(r.notes) != 1 {
		t.Fatalf("notes = %+v, want one for pipe.c", r.notes)
	}
	if n := r.notes[0]; n.Path != "pipe.c" || n.ID != finding.NoteNotRegular || n.Level != finding.Note ||
		n.Message != "skipped: pipe.c is a named pipe (FIFO), not a regular file; it was not opened" {
		t.Errorf("note = %+v", n)
	}
	if fsys.opened("pipe.c") != 0 || fsys.opened("pipe") != 0 {
		t.Error("a FIFO was opened")
	}
	if !slices.Equal(r.paths(), []string{"a.c", "z.c"}) {
		t.Errorf("files = %q", r.paths())
	}
}
