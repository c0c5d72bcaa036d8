// Package walk is the first stage of glassbox's pipeline: it walks the scan root and hands each
// C, C++ and Go source file to analysis exactly once, read once and hashed, as a source.File
// (scan root → walk → source.File → per-file analysis → findings → SARIF). Every file it
// cannot or will not read becomes a finding.Notification instead, so a scan always completes
// and no file goes missing without a word.
//
// Source under review is confidential: the walker reads only through the fs.FS it is given
// (Open confines it to the root with os.OpenRoot), never follows a symlink, and never puts
// file content in a message.
package walk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
)

// DefaultMaxFileSize is the largest file read when Options.MaxFileSize is 0. Hand-written
// source is far smaller; larger "source" files are generated tables or embedded blobs that
// cost memory and parse time without telling a reviewer anything.
const DefaultMaxFileSize = 4 << 20

// Options select what Walk visits.
type Options struct {
	// Exclude holds doublestar globs on slash paths relative to the root. A pattern without
	// '/' matches any single path element, as in .gitignore ("build", "*.gen.c"); a pattern
	// with '/' is anchored at the root ("src/legacy/**"). A matching directory is not entered.
	// They add to DefaultExcludes.
	Exclude []string
	// Include holds globs, in the same syntax, that win over Exclude, DefaultExcludes and the
	// test-file rule: Include "vendor/**" scans vendor again, "**/*_test.go" adds Go tests.
	// An excluded directory is entered again only when a pattern names it: one without '/'
	// that matches its name ("vendor"), or one whose leading segments match its path
	// ("vendor/**"). A pattern starting with "**" re-includes files only where the walk goes
	// anyway.
	Include []string
	// MaxFileSize bounds the bytes read from one file; larger files are skipped with a
	// notification. 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// IncludeTests scans Go *_test.go files, which are skipped by default because they never
	// ship (gosec does the same).
	IncludeTests bool
	// Only, when not empty, is the one slash path relative to the root to visit instead of
	// the whole tree: Root.Only for a single-file argument. Exclude and the test-file rule do
	// not apply to it, because naming a file asks for it.
	Only string
}

// Walk visits every file under fsys in lexical order of slash paths and calls emit for each
// source file and note for each notification; neither may be nil. It returns early only when
// ctx is done (ctx.Err()), when emit returns an error (that error), or before starting when
// Options hold a bad pattern or an invalid Only path. Unreadable directories and files are
// notifications, not errors.
func Walk(ctx context.Context, fsys fs.FS, opts Options, emit func(source.File) error, note func(finding.Notification)) error {
	r, err := newRules(opts)
	if err != nil {
		return err
	}
	if opts.Only != "" && !fs.ValidPath(opts.Only) {
		return fmt.Errorf("walk: invalid path %q: want a slash path relative to the root", opts.Only)
	}
	w := &walker{ctx: ctx, fsys: fsys, rules: r, limit: opts.MaxFileSize, emit: emit, note: note}
	if w.limit <= 0 {
		w.limit = DefaultMaxFileSize
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if opts.Only != "" {
		return w.only(opts.Only)
	}
	return w.dir(scope{}, ".")
}

type walker struct {
	ctx   context.Context
	fsys  fs.FS
	rules rules
	limit int64
	emit  func(source.File) error
	note  func(finding.Notification)
}

func (w *walker) dir(s scope, dir string) error {
	entries, err := fs.ReadDir(w.fsys, dir)
	if err != nil {
		// ReadDir may still return the entries it got before failing: scan those too.
		w.notify(finding.NoteUnreadable, finding.Warning, dir, fmt.Sprintf(
			"skipped: cannot list directory %s: %s; files under it may be missing from the scan", dir, cause(err)))
	}
	slices.SortFunc(entries, byPath)
	for _, d := range entries {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		if err := w.entry(s, join(dir, d.Name()), d); err != nil {
			return err
		}
	}
	return nil
}

// byPath orders directory entries so that the walk yields full paths in byte order: a
// directory sorts as its name plus '/', so "a.c" < "a/b.c" < "a0.c" as strings compare,
// which fs.WalkDir's order by name alone does not give.
func byPath(a, b fs.DirEntry) int {
	return strings.Compare(sortKey(a), sortKey(b))
}

func sortKey(d fs.DirEntry) string {
	if d.IsDir() {
		return d.Name() + "/"
	}
	return d.Name()
}

func join(dir, name string) string {
	if dir == "." {
		return name
	}
	return dir + "/" + name
}

func (w *walker) entry(s scope, rel string, d fs.DirEntry) error {
	if d.IsDir() {
		child, ok := w.rules.enter(s, rel)
		if !ok {
			return nil
		}
		return w.dir(child, rel)
	}
	_, src := source.LangByName(d.Name())
	link := d.Type()&fs.ModeSymlink != 0
	// Most files in a tree are not source: drop them before any pattern matching.
	if !src && !link {
		return nil
	}
	if !w.rules.selects(s, rel) {
		return nil
	}
	switch {
	case link:
		w.symlink(rel, src)
	case !d.Type().IsRegular():
		w.notify(finding.NoteNotRegular, finding.Note, rel, fmt.Sprintf(
			"skipped: %s is %s, not a regular file; it was not opened", rel, kind(d.Type())))
	default:
		return w.file(rel, d)
	}
	return nil
}

// only visits the single path Options.Only names.
func (w *walker) only(rel string) error {
	d, err := lookup(w.fsys, rel)
	if err != nil {
		w.notify(finding.NoteUnreadable, finding.Warning, rel,
			fmt.Sprintf("skipped: cannot find %s: %s", rel, cause(err)))
		return nil
	}
	if d.IsDir() {
		return w.dir(scope{}, rel)
	}
	return w.entry(scope{included: true}, rel, d)
}

// lookup describes rel without following it if it is a symlink and without opening it (it may
// be a FIFO). fs.Lstat falls back to Stat and then Open on a plain fs.FS, so without
// ReadLinkFS the entry is found by listing its directory.
func lookup(fsys fs.FS, rel string) (fs.DirEntry, error) {
	if _, ok := fsys.(fs.ReadLinkFS); ok {
		info, err := fs.Lstat(fsys, rel)
		if err != nil {
			return nil, err
		}
		return fs.FileInfoToDirEntry(info), nil
	}
	entries, err := fs.ReadDir(fsys, path.Dir(rel))
	for _, d := range entries {
		if d.Name() == path.Base(rel) {
			return d, nil
		}
	}
	if err == nil {
		err = fs.ErrNotExist
	}
	return nil, err
}

// file reads one regular source file and emits it.
func (w *walker) file(rel string, d fs.DirEntry) error {
	info, err := d.Info()
	if err != nil {
		w.unreadable(rel, "stat", err)
		return nil
	}
	// Decided from the directory entry so that a huge file is never opened, let alone read.
	if info.Size() > w.limit {
		w.notify(finding.NoteTooLarge, finding.Warning, rel, fmt.Sprintf(
			"skipped: %d bytes is over the %d-byte limit (--max-file-size)", info.Size(), w.limit))
		return nil
	}
	raw, err := w.read(rel, info.Size())
	switch {
	case errors.Is(err, errGrew):
		w.notify(finding.NoteTooLarge, finding.Warning, rel, fmt.Sprintf(
			"skipped: the file grew past the %d-byte limit (--max-file-size) while it was read", w.limit))
		return nil
	case err != nil:
		w.unreadable(rel, "read", err)
		return nil
	}
	f, _ := source.NewFile(rel, raw) // the name was checked by the caller
	return w.emit(f)
}

// errGrew means a file held more than the limit although its directory entry said otherwise.
var errGrew = errors.New("walk: file grew past the size limit")

// read returns the content of rel, reading at most limit+1 bytes whatever the file's size has
// become since it was listed.
func (w *walker) read(rel string, size int64) ([]byte, error) {
	f, err := w.fsys.Open(rel)
	if err != nil {
		return nil, err
	}
	// A read-only file has nothing to flush: a Close error cannot lose data.
	defer f.Close()
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, w.limit+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > w.limit {
		return nil, errGrew
	}
	return buf.Bytes(), nil
}

// symlink reports a symlink the reviewer should know was not followed. Links are never
// followed: a loop would never end, an escape would read outside the root, and a link inside
// the tree would scan its target twice. Only links that may hide source are reported, to keep
// a tree's many library links (libfoo.so -> libfoo.so.1) out of the report.
func (w *walker) symlink(rel string, src bool) {
	msg := w.linkMessage(rel, src)
	if msg != "" {
		w.notify(finding.NoteSymlink, finding.Note, rel, msg)
	}
}

func (w *walker) linkMessage(rel string, src bool) string {
	statFS, ok := w.fsys.(fs.StatFS)
	if !ok {
		// fs.Stat would fall back to opening the target, which may be a FIFO: judge by name.
		if src || path.Ext(rel) == "" {
			return "symlink not followed: symlinks are never followed"
		}
		return ""
	}
	target, err := statFS.Stat(rel)
	switch {
	case err == nil && target.IsDir():
		if w.pointsUp(rel, target) {
			return "symlink to a directory not followed: it points back to an enclosing directory, so following it would loop"
		}
		return "symlink to a directory not followed: files under it are not scanned through this link"
	case err == nil && src:
		return "symlink not followed: the file it points to is not scanned through this link"
	case err == nil, !src && path.Ext(rel) != "":
		return ""
	case errors.Is(err, fs.ErrNotExist):
		return "symlink not followed: its target does not exist"
	case errors.Is(err, fs.ErrPermission):
		return "symlink not followed: its target cannot be inspected: " + cause(err)
	}
	return "symlink not followed: it loops or leads outside the scan root (" + cause(err) + ")"
}

// pointsUp reports whether a directory link resolves to one of its own ancestors.
func (w *walker) pointsUp(rel string, target fs.FileInfo) bool {
	for dir := path.Dir(rel); ; dir = path.Dir(dir) {
		if info, err := fs.Stat(w.fsys, dir); err == nil && os.SameFile(info, target) {
			return true
		}
		if dir == "." {
			return false
		}
	}
}

func (w *walker) unreadable(rel, op string, err error) {
	w.notify(finding.NoteUnreadable, finding.Warning, rel,
		fmt.Sprintf("skipped: cannot %s %s: %s", op, rel, cause(err)))
}

func (w *walker) notify(id string, level finding.Level, rel, msg string) {
	w.note(finding.Notification{ID: id, Level: level, Path: rel, Message: msg})
}

// cause is the error text without the path an fs.PathError carries: that path may be absolute
// on the reviewer's machine, and messages name the relative path themselves.
func cause(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// kind names a non-regular file type for a message.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "an irregular file"
}
