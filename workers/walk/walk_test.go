package walk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
)

// tree writes files (slash path → content) under a new temporary directory.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, content := range files {
		write(t, dir, rel, content)
	}
	return dir
}

func write(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, dir, target, rel string) {
	t.Helper()
	if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(rel))); err != nil {
		t.Fatal(err)
	}
}

func open(t *testing.T, arg string) *Root {
	t.Helper()
	r, err := Open(arg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

type result struct {
	files []source.File
	notes []finding.Notification
	order []string // paths of files and notifications, in the order they came
}

func (r result) paths() []string {
	var out []string
	for _, f := range r.files {
		out = append(out, f.Path)
	}
	return out
}

func (r result) note(rel string) (finding.Notification, bool) {
	for _, n := range r.notes {
		if n.Path == rel {
			return n, true
		}
	}
	return finding.Notification{}, false
}

func scan(t *testing.T, fsys fs.FS, opts Options) result {
	t.Helper()
	var r result
	err := Walk(context.Background(), fsys, opts,
		func(f source.File) error {
			r.files = append(r.files, f)
			r.order = append(r.order, f.Path)
			return nil
		},
		func(n finding.Notification) {
			r.notes = append(r.notes, n)
			r.order = append(r.order, n.Path)
		})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return r
}

// faultFS wraps a file system to inject failures and watch what the walker opens.
type faultFS struct {
	fsys       fs.FS
	openErr    map[string]error // Open fails with this error
	readDirErr map[string]error // ReadDir fails with this error
	endless    map[string]bool  // Open returns a file that never ends
	reverse    bool             // ReadDir lists entries in reverse order

	mu    sync.Mutex
	opens map[string]int
}

func (f *faultFS) Open(name string) (fs.File, error) {
	f.mu.Lock()
	if f.opens == nil {
		f.opens = map[string]int{}
	}
	f.opens[name]++
	f.mu.Unlock()
	if err := f.openErr[name]; err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	file, err := f.fsys.Open(name)
	if err == nil && f.endless[name] {
		return endless{file}, nil
	}
	return file, err
}

func (f *faultFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := f.readDirErr[name]; err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	entries, err := fs.ReadDir(f.fsys, name)
	if f.reverse {
		slices.Reverse(entries)
	}
	return entries, err
}

func (f *faultFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(f.fsys, name) }

func (f *faultFS) opened(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.opens[name]
}

// endless stands for a file that grows while it is read.
type endless struct{ fs.File }

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

func TestLanguageByExtension(t *testing.T) {
	dir := tree(t, map[string]string{
		"a.c": "int a;", "b.CPP": "int b;", "c.H": "int c;", "d.hpp": "", "e.go": "package e",
		"f.cc": "", "g.cxx": "", "h.C": "",
		"README.md": "x", "Makefile": "x", "x.py": "x", "notes.txt": "x", "lib.so": "x",
	})
	r := scan(t, open(t, dir).FS, Options{})
	want := map[string]source.Lang{
		"a.c": source.C, "b.CPP": source.CPP, "c.H": source.C, "d.hpp": source.CPP,
		"e.go": source.Go, "f.cc": source.CPP, "g.cxx": source.CPP, "h.C": source.C,
	}
	got := map[string]source.Lang{}
	for _, f := range r.files {
		got[f.Path] = f.Lang
	}
	if !maps.Equal(got, want) {
		t.Errorf("files = %v, want %v", got, want)
	}
	if len(r.notes) != 0 {
		t.Errorf("non-source files must be ignored silently, got %v", r.notes)
	}
}

func TestRules(t *testing.T) {
	dir := tree(t, map[string]string{
		"src/main.c":        "",
		"src/main_test.go":  "",
		"src/util.go":       "",
		"src/x.gen.c":       "",
		"src/build/b2.c":    "",
		"src/legacy/old.c":  "",
		"src/legacy/keep.c": "",
		"build/b.c":         "",
		"vendor/v.go":       "",
		"vendor/v_test.go":  "",
		"third/vendor/t.c":  "",
		"node_modules/m.c":  "",
		".git/g.c":          "",
		".idea/i.c":         "",
		"__pycache__/p.c":   "",
	})
	base := []string{"build/b.c", "src/build/b2.c", "src/legacy/keep.c", "src/legacy/old.c",
		"src/main.c", "src/util.go", "src/x.gen.c"}
	without := func(drop ...string) []string {
		return slices.DeleteFunc(slices.Clone(base), func(p string) bool { return slices.Contains(drop, p) })
	}
	with := func(add ...string) []string {
		out := append(slices.Clone(base), add...)
		slices.Sort(out)
		return out
	}
	tests := []struct {
		name string
		opts Options
		want []string
	}{
		{"default excludes and no tests", Options{}, base},
		{"exclude element matches any depth", Options{Exclude: []string{"build"}},
			without("build/b.c", "src/build/b2.c")},
		{"exclude element glob on file names", Options{Exclude: []string{"*.gen.c"}},
			without("src/x.gen.c")},
		{"exclude anchored", Options{Exclude: []string{"src/legacy/**"}},
			without("src/legacy/keep.c", "src/legacy/old.c")},
		{"exclude with leading slash is anchored", Options{Exclude: []string{"/build"}},
			without("build/b.c")},
		{"exclude with trailing slash is not anchored", Options{Exclude: []string{"build/"}},
			without("build/b.c", "src/build/b2.c")},
		{"include reopens a default exclude", Options{Include: []string{"vendor/**"}},
			with("vendor/v.go", "vendor/v_test.go")},
		{"include element reopens it at any depth", Options{Include: []string{"vendor"}},
			with("third/vendor/t.c", "vendor/v.go", "vendor/v_test.go")},
		{"include wins over an explicit exclude",
			Options{Exclude: []string{"src/legacy/**"}, Include: []string{"src/legacy/keep.c"}},
			without("src/legacy/old.c")},
		{"include wins over an excluded file glob",
			Options{Exclude: []string{"*.c"}, Include: []string{"src/main.c"}},
			[]string{"src/main.c", "src/util.go"}},
		{"IncludeTests", Options{IncludeTests: true}, with("src/main_test.go")},
		// A leading ** adds tests where the walk goes, without reopening vendor.
		{"include tests by glob", Options{Include: []string{"**/*_test.go"}}, with("src/main_test.go")},
	}
	root := open(t, dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := scan(t, root.FS, tt.opts)
			if !slices.Equal(r.paths(), tt.want) {
				t.Errorf("files = %q\nwant    %q", r.paths(), tt.want)
			}
			if len(r.notes) != 0 {
				t.Errorf("rules must skip silently, got %v", r.notes)
			}
		})
	}
}

func TestExcludedDirectoryNotEntered(t *testing.T) {
	dir := tree(t, map[string]string{"a.c": "", "node_modules/x/y.c": "", "gen/z.c": ""})
	fsys := &faultFS{fsys: open(t, dir).FS, readDirErr: map[string]error{
		"node_modules": fs.ErrPermission, "gen": fs.ErrPermission,
	}}
	r := scan(t, fsys, Options{Exclude: []string{"gen"}})
	if !slices.Equal(r.paths(), []string{"a.c"}) || len(r.notes) != 0 {
		t.Errorf("excluded directories were listed: files %q, notes %v", r.paths(), r.notes)
	}
}

func TestBadPattern(t *testing.T) {
	for _, opts := range []Options{{Exclude: []string{"src/["}}, {Include: []string{""}}} {
		err := Walk(context.Background(), os.DirFS(t.TempDir()), opts,
			func(source.File) error { return nil }, func(finding.Notification) {})
		if err == nil || !strings.HasPrefix(err.Error(), "walk: bad pattern") {
			t.Errorf("Walk(%+v) = %v, want a bad-pattern error", opts, err)
		}
	}
}

func TestTooLarge(t *testing.T) {
	dir := tree(t, map[string]string{"small.c": "int x;", "limit.c": "0123456789"})
	f, err := os.Create(filepath.Join(dir, "big.c"))
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: 30 MB on paper, nothing on disk, so the test stays fast.
	if err := f.Truncate(30 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()

	fsys := &faultFS{fsys: open(t, dir).FS}
	r := scan(t, fsys, Options{})
	n, ok := r.note("big.c")
	if !ok || n.ID != finding.NoteTooLarge || n.Level != finding.Warning ||
		n.Message != "skipped: 31457280 bytes is over the 4194304-byte limit (--max-file-size)" {
		t.Errorf("note = %+v", n)
	}
	if c := fsys.opened("big.c"); c != 0 {
		t.Errorf("big.c opened %d times; a file over the limit must not be read", c)
	}
	if !slices.Equal(r.paths(), []string{"limit.c", "small.c"}) {
		t.Errorf("files = %q", r.paths())
	}

	r = scan(t, fsys, Options{MaxFileSize: 9})
	if n, ok := r.note("limit.c"); !ok || n.ID != finding.NoteTooLarge || !strings.Contains(n.Message, "9-byte limit") {
		t.Errorf("MaxFileSize 9: note = %+v", n)
	}
	if r = scan(t, fsys, Options{MaxFileSize: 10}); !slices.Contains(r.paths(), "limit.c") {
		t.Errorf("MaxFileSize 10: a file of exactly the limit must be read, files = %q", r.paths())
	}
}

func TestFileGrowsWhileRead(t *testing.T) {
	dir := tree(t, map[string]string{"grow.c": "int x;", "ok.c": "int y;"})
	fsys := &faultFS{fsys: open(t, dir).FS, endless: map[string]bool{"grow.c": true}}
	r := scan(t, fsys, Options{MaxFileSize: 1 << 10})
	if n, ok := r.note("grow.c"); !ok || n.ID != finding.NoteTooLarge || !strings.Contains(n.Message, "grew") {
		t.Errorf("note = %+v", n)
	}
	if !slices.Equal(r.paths(), []string{"ok.c"}) {
		t.Errorf("files = %q", r.paths())
	}
}

func TestSymlinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Log("symlinks need privileges on Windows; covered on other systems")
		return
	}
	outside := tree(t, map[string]string{"hostname": "secret", "d/x.c": "secret"})
	dir := tree(t, map[string]string{"real.c": "int r;", "sub/s.c": "int s;"})
	symlink(t, dir, ".", "loop")
	symlink(t, dir, "self.c", "self.c")
	symlink(t, dir, "missing.c", "gone.c")
	symlink(t, dir, "missing", "gone")
	symlink(t, dir, filepath.Join(outside, "hostname"), "out.c")
	symlink(t, dir, filepath.Join(outside, "d"), "outdir")
	symlink(t, dir, "sub", "dirlink")
	symlink(t, dir, "real.c", "alias.c")
	symlink(t, dir, "real.c", "libreal.so")   // a file link without a source name: silent
	symlink(t, dir, "missing.txt", "old.txt") // dangling, with a non-source extension: silent

	fsys := &faultFS{fsys: open(t, dir).FS}
	r := scan(t, fsys, Options{})
	want := map[string]string{
		"loop":    "symlink to a directory not followed: it points back to an enclosing directory",
		"self.c":  "symlink not followed: it loops or leads outside the scan root",
		"gone.c":  "symlink not followed: its target does not exist",
		"gone":    "symlink not followed: its target does not exist",
		"out.c":   "symlink not followed: it loops or leads outside the scan root",
		"outdir":  "symlink not followed: it loops or leads outside the scan root",
		"dirlink": "symlink to a directory not followed: files under it are not scanned through this link",
		"alias.c": "symlink not followed: the file it points to is not scanned",
	}
	for _, n := range r.notes {
		msg, ok := want[n.Path]
		switch {
		case !ok:
			t.Errorf("unexpected notification %+v", n)
		case n.ID != finding.NoteSymlink || n.Level != finding.Note || !strings.HasPrefix(n.Message, msg):
			t.Errorf("%s: got %+v, want %q", n.Path, n, msg)
		case strings.Contains(n.Message, outside):
			t.Errorf("%s: message names a path outside the root: %q", n.Path, n.Message)
		}
		delete(want, n.Path)
	}
	for p := range want {
		t.Errorf("no notification for %s", p)
	}
	if !slices.Equal(r.paths(), []string{"real.c", "sub/s.c"}) {
		t.Errorf("files = %q", r.paths())
	}
	for _, link := range []string{"loop", "self.c", "gone.c", "out.c", "outdir", "dirlink", "alias.c"} {
		if fsys.opened(link) != 0 || fsys.opened(link+"/x.c") != 0 {
			t.Errorf("symlink %s was followed", link)
		}
	}
}

func TestUnreadableFile(t *testing.T) {
	dir := tree(t, map[string]string{"a.c": "", "src/secret.c": "", "src/z.c": ""})
	fsys := &faultFS{fsys: open(t, dir).FS, openErr: map[string]error{"src/secret.c": fs.ErrPermission}}
	r := scan(t, fsys, Options{})
	n, ok := r.note("src/secret.c")
	if !ok || n.ID != finding.NoteUnreadable || n.Level != finding.Warning ||
		n.Message != "skipped: cannot read src/secret.c: permission denied" {
		t.Errorf("note = %+v", n)
	}
	if !slices.Equal(r.paths(), []string{"a.c", "src/z.c"}) {
		t.Errorf("files = %q", r.paths())
	}

	// A real unreadable file, where permissions are enforced (not for root, not on Windows).
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Log("running as root or on Windows: chmod 000 cannot make a file unreadable; fault injection above covers it")
		return
	}
	if err := os.Chmod(filepath.Join(dir, "src", "z.c"), 0); err != nil {
		t.Fatal(err)
	}
	r = scan(t, open(t, dir).FS, Options{})
	n, ok = r.note("src/z.c")
	if !ok || n.ID != finding.NoteUnreadable || !strings.Contains(n.Message, "src/z.c") ||
		strings.Contains(n.Message, dir) {
		t.Errorf("chmod 000: note = %+v", n)
	}
}

func TestUnreadableDirectory(t *testing.T) {
	dir := tree(t, map[string]string{"a.c": "", "b/x.c": "", "b/c/y.c": "", "c.c": ""})
	fsys := &faultFS{fsys: open(t, dir).FS, readDirErr: map[string]error{"b": fs.ErrPermission}}
	r := scan(t, fsys, Options{})
	n, ok := r.note("b")
	if !ok || n.ID != finding.NoteUnreadable || n.Level != finding.Warning ||
		n.Message != "skipped: cannot list directory b: permission denied; files under it may be missing from the scan" {
		t.Errorf("note = %+v", n)
	}
	if !slices.Equal(r.paths(), []string{"a.c", "c.c"}) {
		t.Errorf("files = %q", r.paths())
	}

	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Log("running as root or on Windows: chmod 000 cannot make a directory unreadable; fault injection above covers it")
		return
	}
	b := filepath.Join(dir, "b")
	if err := os.Chmod(b, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(b, 0o755) }) // or TempDir cannot remove it
	r = scan(t, open(t, dir).FS, Options{})
	if n, ok := r.note("b"); !ok || n.ID != finding.NoteUnreadable || strings.Contains(n.Message, dir) {
		t.Errorf("chmod 000: note = %+v", n)
	}
	if !slices.Equal(r.paths(), []string{"a.c", "c.c"}) {
		t.Errorf("chmod 000: files = %q", r.paths())
	}
}

func TestOpen(t *testing.T) {
	dir := tree(t, map[string]string{"a.c": "int a;", "sub/b_test.go": "package b", "README.md": "x"})
	resolved, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		arg       string
		dir, only string
		files     []string
		err       string // substring of the error, "" for success
	}{
		{arg: dir, dir: resolved, files: []string{"a.c"}},
		{arg: dir + "/...", dir: resolved, files: []string{"a.c"}},
		{arg: filepath.Join(dir, "a.c"), dir: resolved, only: "a.c", files: []string{"a.c"}},
		// Naming a test file asks for it, whatever the test-file rule says.
		{arg: filepath.Join(dir, "sub", "b_test.go"), dir: filepath.Join(resolved, "sub"),
			only: "b_test.go", files: []string{"b_test.go"}},
		{arg: filepath.Join(dir, "missing"), err: "walk: " + filepath.Join(dir, "missing") + ": no such file or directory"},
		{arg: filepath.Join(dir, "README.md"), err: filepath.Join(dir, "README.md") + ": not a C, C++ or Go source file"},
		{arg: filepath.Join(dir, "a.c") + "/...", err: filepath.Join(dir, "a.c") + ": not a directory"},
		{arg: "", err: "walk: empty path"},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			root, err := Open(tt.arg)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Open = %v, want error containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer root.Close()
			if root.Dir != tt.dir || root.Only != tt.only {
				t.Errorf("Root = {Dir %q Only %q}, want {%q %q}", root.Dir, root.Only, tt.dir, tt.only)
			}
			r := scan(t, root.FS, Options{Only: root.Only})
			if !slices.Equal(r.paths(), tt.files) || len(r.notes) != 0 {
				t.Errorf("files = %q, notes %v; want %q", r.paths(), r.notes, tt.files)
			}
		})
	}
	if _, err := Open(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing path: %v does not wrap fs.ErrNotExist", err)
	}
}

func TestOpenRelativeDots(t *testing.T) {
	dir := tree(t, map[string]string{"testdata/a.c": ""})
	t.Chdir(dir)
	root := open(t, "./testdata/...")
	if want, _ := filepath.EvalSymlinks(filepath.Join(dir, "testdata")); root.Dir != want {
		t.Errorf("Dir = %q, want %q", root.Dir, want)
	}
}

func TestLexicalOrder(t *testing.T) {
	dir := tree(t, map[string]string{
		"a.c": "", "a/b.c": "", "a/c/d.c": "", "a-b.c": "", "a0.c": "", "B.c": "", "z.go": "",
		"a/big.c": "0123456789", // notifications interleave in path order too
	})
	// The file system lists in reverse order; the walk must not care.
	fsys := &faultFS{fsys: open(t, dir).FS, reverse: true}
	r := scan(t, fsys, Options{MaxFileSize: 5})
	want := []string{"B.c", "a-b.c", "a.c", "a/b.c", "a/big.c", "a/c/d.c", "a0.c", "z.go"}
	if !slices.Equal(r.order, want) {
		t.Errorf("order = %q\nwant    %q", r.order, want)
	}
}

func TestContentAndHash(t *testing.T) {
	content := "#include <stdio.h>\r\nint main(void) { return 0; }\n"
	dir := tree(t, map[string]string{"m.c": content, "e.h": ""})
	r := scan(t, open(t, dir).FS, Options{})
	if len(r.files) != 2 {
		t.Fatalf("files = %q", r.paths())
	}
	for _, f := range r.files {
		want := content
		if f.Path == "e.h" {
			want = ""
		}
		sum := sha256.Sum256([]byte(want))
		if string(f.Raw) != want || f.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: raw %q sha %s, want %q %x", f.Path, f.Raw, f.SHA256, want, sum)
		}
	}
}

func TestStops(t *testing.T) {
	dir := tree(t, map[string]string{"a.c": "", "b.c": "", "c/d.c": "", "e.c": ""})
	fsys := open(t, dir).FS
	note := func(n finding.Notification) { t.Errorf("unexpected notification %+v", n) }

	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var got []string
		err := Walk(ctx, fsys, Options{}, func(f source.File) error {
			got = append(got, f.Path)
			cancel()
			return nil
		}, note)
		if !errors.Is(err, context.Canceled) || !slices.Equal(got, []string{"a.c"}) {
			t.Errorf("err %v, files %q; want context.Canceled after a.c", err, got)
		}
	})
	t.Run("cancelled before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := Walk(ctx, fsys, Options{}, func(f source.File) error {
			t.Errorf("emitted %s", f.Path)
			return nil
		}, note)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("emit error", func(t *testing.T) {
		stop := errors.New("stop")
		var got []string
		err := Walk(context.Background(), fsys, Options{}, func(f source.File) error {
			got = append(got, f.Path)
			if f.Path == "c/d.c" {
				return stop
			}
			return nil
		}, note)
		if err != stop || !slices.Equal(got, []string{"a.c", "b.c", "c/d.c"}) {
			t.Errorf("err %v, files %q; want stop after c/d.c", err, got)
		}
	})
}

func TestOnlyWithoutReadLinkFS(t *testing.T) {
	dir := tree(t, map[string]string{"x/a.c": "int a;", "x/b.c": ""})
	// faultFS has no Lstat: the entry is found by listing its directory.
	r := scan(t, &faultFS{fsys: open(t, dir).FS}, Options{Only: "x/a.c"})
	if !slices.Equal(r.paths(), []string{"x/a.c"}) {
		t.Errorf("files = %q", r.paths())
	}
	r = scan(t, &faultFS{fsys: open(t, dir).FS}, Options{Only: "x/gone.c"})
	if n, ok := r.note("x/gone.c"); !ok || n.ID != finding.NoteUnreadable {
		t.Errorf("note = %+v", n)
	}
}
