// Package gomod gives the Go modules under a scan root the precision of types. It finds every
// go.mod under the root, loads each module with go/packages, runs the typed taint analysis
// (analyzers/gotypes/taintssa, driven by the scan's rule set) with the go/analysis checker,
// and returns the findings with the Go files they cover. The coordinator then replaces the
// tree-sitter taint findings of those files with the typed ones (Merge); pattern rules
// (egress, obfuscation) keep their tree-sitter findings. A module that does not load —
// syntax or type errors, a dependency missing from the module cache, a go.mod that needs
// a newer toolchain — falls back to tree-sitter with a notification saying why. A module is
// loaded for this operating system, or else for Windows: much of the code under review
// builds only there.
//
// It runs on the coordinator, in-process, next to the per-file jobs: a module is analysed
// whole and needs its source tree on disk, which file jobs deliberately do not ship.
//
// The go command never downloads and never writes during a scan: GOPROXY=off (dependencies
// come from the module cache or vendor/), GOTOOLCHAIN=local, GOWORK=off, and -mod=readonly
// (or -mod=vendor for a vendored module), so go.mod and go.sum in the reviewed tree are left
// as they are. A module whose replace directives lead outside the scan root, or whose tree
// holds symbolic links, is not loaded, since the go command would read beyond the root.
// Dependencies come from export data (compiled once into the build cache, without cgo):
// only the module's own code is analysed, the packs' models describe the rest.
package gomod

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/gotypes/taintssa"
	"glassbox/rules"
	"glassbox/workers/walk"
)

// NoteFallback is the notification of a module analysed without types.
const NoteFallback = "go-types-unavailable"

// DefaultLoadTimeout bounds loading one module.
const DefaultLoadTimeout = 2 * time.Minute

// Options say how to analyse the modules.
type Options struct {
	Set          *rules.Set
	IncludeTests bool
	// LoadTimeout bounds loading one module; 0 means DefaultLoadTimeout.
	LoadTimeout time.Duration
	// MaxPackage bounds the Go source of one package the typed analysis takes; a module
	// with a larger package is read by the tree-sitter engine. 0 means DefaultMaxPackage.
	MaxPackage int64
}

// DefaultMaxPackage is the largest package, in bytes of Go source, the typed analysis takes.
// Its memory grows faster than the code: nats-server's 4.1 MiB server package drove it past
// 24 GiB, where the tree-sitter engine reads the whole module in about a minute and 1 GiB.
const DefaultMaxPackage = 512 << 10

// Module is one module found under the root.
type Module struct {
	Dir      string        // slash path of the module directory, relative to the root ("." for the root)
	Path     string        // module path, from go.mod
	Packages int           // packages analysed with types
	Files    []string      // Go files analysed with types, slash paths relative to the root
	GOOS     string        // the operating system it was loaded for
	Load     time.Duration // of Elapsed, listing and type-checking it
	Reason   string        // why the module was not analysed with types, or ""
	Elapsed  time.Duration
}

// Result is the typed analysis of every module under a root.
type Result struct {
	Modules       []Module
	Findings      []finding.Finding
	Notifications []finding.Notification
}

// Covered is the set of Go files the typed analysis covered.
func (r *Result) Covered() map[string]bool {
	out := map[string]bool{}
	for _, m := range r.Modules {
		for _, f := range m.Files {
			out[f] = true
		}
	}
	return out
}

// Start runs Analyze in the background and delivers its result once: the coordinator
// starts it next to the per-file jobs. A failure to walk the root becomes a notification.
func Start(ctx context.Context, root *walk.Root, opts Options) <-chan *Result {
	ch := make(chan *Result, 1)
	go func() {
		res, err := Analyze(ctx, root, opts)
		if err != nil {
			res = &Result{Notifications: []finding.Notification{{ID: NoteFallback, Level: finding.Note,
				Message: "Go modules were not analysed with types: " + err.Error()}}}
		}
		ch <- res
	}()
	return ch
}

// Analyze finds the Go modules under root and analyses each that loads. It returns an error
// only when ctx ends or the root cannot be walked; a module that does not load is a
// notification.
func Analyze(ctx context.Context, root *walk.Root, opts Options) (*Result, error) {
	res := &Result{}
	if root.Only != "" {
		return res, nil // a single file is no module
	}
	mods, links, err := findModules(root.FS)
	if err != nil {
		return nil, err
	}
	for _, dir := range mods {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m := analyzeModule(ctx, root, dir, links[dir], opts, res)
		if m.Reason != "" {
			res.Notifications = append(res.Notifications, finding.Notification{ID: NoteFallback, Level: finding.Note,
				Path: path.Join(dir, "go.mod"), Message: fmt.Sprintf("Go module %s was analysed without types: %s.", m.Path, m.Reason)})
		}
		res.Modules = append(res.Modules, m)
	}
	res.Findings = dedup(res.Findings)
	return res, nil
}

// findModules lists the directories under the root that hold a go.mod, skipping the
// directories a scan skips by default, and which of them hold symbolic links.
func findModules(fsys fs.FS) ([]string, map[string]bool, error) {
	var mods, symlinks []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if d != nil && d.IsDir() && p != "." {
				return fs.SkipDir // unreadable: the walker says so
			}
			return nil
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			symlinks = append(symlinks, p)
		case d.IsDir() && p != "." && slices.Contains(walk.DefaultExcludes, d.Name()):
			return fs.SkipDir
		case !d.IsDir() && d.Name() == "go.mod":
			mods = append(mods, path.Dir(p))
		}
		return nil
	})
	links := map[string]bool{}
	for _, l := range symlinks {
		if owner := ownerOf(mods, l); owner != "" {
			links[owner] = true
		}
	}
	return mods, links, err
}

// ownerOf is the innermost module directory holding p.
func ownerOf(mods []string, p string) string {
	best := ""
	for _, m := range mods {
		if (m == "." || p == m || strings.HasPrefix(p, m+"/")) && len(m) >= len(best) {
			best = m
		}
	}
	return best
}

// analyzeModule loads and analyses one module, adding its findings to res.
func analyzeModule(ctx context.Context, root *walk.Root, dir string, links bool, opts Options, res *Result) (m Module) {
	start := time.Now()
	abs := filepath.Join(root.Dir, filepath.FromSlash(dir))
	m.Dir = dir
	defer func() { m.Elapsed = time.Since(start) }()
	mf, reason := readGoMod(abs, root.Dir)
	if mf != nil && mf.Module != nil {
		m.Path = mf.Module.Mod.Path
	}
	if m.Path == "" {
		m.Path = dir
	}
	switch {
	case reason != "":
		m.Reason = reason
		return m
	case links:
		m.Reason = "its tree holds symbolic links, which the go command would follow out of the scan root"
		return m
	}
	var pkgs []*packages.Package
	loadStart := time.Now()
	for _, goos := range targets() {
		var why string
		if pkgs, why = load(ctx, abs, goos, opts); why == "" {
			m.GOOS, reason = goos, ""
			break
		}
		if reason == "" {
			reason = why
		}
	}
	m.Load = time.Since(loadStart)
	if reason != "" {
		m.Reason = reason
		return m
	}
	findings, err := check(pkgs, abs, opts.Set)
	if err != nil {
		m.Reason = "the typed analysis failed (" + err.Error() + ")"
		return m
	}
	for _, p := range pkgs {
		m.Packages++
		for _, f := range p.GoFiles {
			if rel, ok := relative(root.Dir, f); ok && !slices.Contains(m.Files, rel) {
				m.Files = append(m.Files, rel)
			}
		}
	}
	slices.Sort(m.Files)
	for _, f := range findings {
		if relocate(&f, root.Dir) {
			res.Findings = append(res.Findings, f)
		}
	}
	return m
}

// readGoMod parses a module's go.mod and checks that its local replacements stay under the
// root. It returns why the module cannot be loaded, or "".
func readGoMod(dir, root string) (*modfile.File, string) {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return nil, "its go.mod cannot be read (" + cause(err) + ")"
	}
	mf, err := modfile.Parse(filepath.Join(dir, "go.mod"), data, nil)
	if err != nil {
		return nil, "its go.mod does not parse (" + firstLine(err.Error()) + ")"
	}
	for _, r := range mf.Replace {
		if !modfile.IsDirectoryPath(r.New.Path) {
			continue
		}
		target := r.New.Path
		if !filepath.IsAbs(target) {
			target = filepath.Join(dir, filepath.FromSlash(target))
		}
		if _, ok := relative(root, target); !ok {
			return mf, fmt.Sprintf("its replace directive for %s leads outside the scan root (%s)", r.Old.Path, r.New.Path)
		}
	}
	return mf, ""
}

// targets are the operating systems a module is loaded for, in order: this one, then
// Windows, for which most of the code under review is written (syscall.NewLazyDLL and
// golang.org/x/sys/windows type-check only there).
func targets() []string {
	if runtime.GOOS == "windows" {
		return []string{"windows"}
	}
	return []string{runtime.GOOS, "windows"}
}

// load loads every package of the module for goos, with types and syntax. It returns why
// the module does not load, or "".
func load(ctx context.Context, dir, goos string, opts Options) ([]*packages.Package, string) {
	timeout := opts.LoadTimeout
	if timeout <= 0 {
		timeout = DefaultLoadTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	mode := "-mod=readonly"
	if _, err := os.Stat(filepath.Join(dir, "vendor", "modules.txt")); err == nil {
		mode = "-mod=vendor"
	}
	cfg := &packages.Config{
		Context: ctx,
		// The module's packages with syntax and types; their dependencies' types from
		// export data, which the go command compiles once into the build cache: only the
		// module's own code is analysed, the packs' models describe the rest.
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
			packages.NeedTypes | packages.NeedTypesSizes | packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedModule,
		Dir: dir,
		Env: append(os.Environ(), "GOFLAGS="+mode, "GOPROXY=off", "GOTOOLCHAIN=local", "GOWORK=off",
			"GO111MODULE=on", "GOOS="+goos, "CGO_ENABLED=0"),
		Tests: opts.IncludeTests,
	}
	pkgs, err := packages.Load(cfg, "./...")
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Sprintf("loading it took longer than %s", timeout)
	case err != nil:
		msg := firstLine(err.Error())
		if i := strings.Index(msg, "stderr: "); i >= 0 {
			msg = strings.TrimPrefix(msg[i+len("stderr: "):], "go: ")
		}
		return nil, "the go command could not list it (" + msg + ")"
	case len(pkgs) == 0:
		return nil, "it has no Go packages"
	}
	var errs []string
	for _, p := range pkgs {
		for _, e := range p.Errors {
			msg := strings.TrimPrefix(e.Error(), dir+string(filepath.Separator))
			if e.Kind == packages.ListError {
				errs = append(errs, msg) // the go command's own words come after the type checker's
			} else {
				errs = append([]string{msg}, errs...)
			}
		}
	}
	if len(errs) > 0 {
		more := ""
		if len(errs) > 1 {
			more = fmt.Sprintf(", and %d more", len(errs)-1)
		}
		return nil, "it does not load (" + firstLine(errs[0]) + more + ")"
	}
	if why := tooLarge(pkgs, opts.MaxPackage); why != "" {
		return nil, why
	}
	return pkgs, ""
}

// bytesText writes a size for a message: 812 bytes, 96 KiB, 4.4 MiB.
func bytesText(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// tooLarge says why a module's largest package is more than the typed analysis takes, or "".
func tooLarge(pkgs []*packages.Package, limit int64) string {
	if limit <= 0 {
		limit = DefaultMaxPackage
	}
	for _, p := range pkgs {
		var size int64
		for _, f := range p.Syntax {
			if tf := p.Fset.File(f.Pos()); tf != nil {
				size += int64(tf.Size())
			}
		}
		if size > limit {
			return fmt.Sprintf("its package %s holds %s of Go, more than the typed analysis takes (%s)", p.PkgPath, bytesText(size), bytesText(limit))
		}
	}
	return ""
}

// scanFacts keeps the scan's analyzer's facts apart from the per-pack analyzers'.
type scanFacts struct{}

// check runs the typed taint analysis of set over the module's packages.
func check(pkgs []*packages.Package, dir string, set *rules.Set) ([]finding.Finding, error) {
	a := taintssa.New[scanFacts](taintssa.Config{
		Name: "glassbox",
		Doc:  "glassbox: the scan's taint rules over SSA",
		Set:  set,
		InScope: func(pass *analysis.Pass) bool {
			return len(pass.Files) > 0 && ownCode(dir, pass.Fset.File(pass.Files[0].Pos()).Name())
		},
	})
	g, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, nil)
	if err != nil {
		return nil, err
	}
	var out []finding.Finding
	var errs []error
	for _, act := range g.Roots {
		if act.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", act.Package.PkgPath, act.Err))
			continue
		}
		out = append(out, act.Result.(*taintssa.Result).Findings...)
	}
	return out, errors.Join(errs...)
}

// ownCode reports whether a file is the module's own code: under its directory, and not in
// its vendor tree, which is other people's code (described by the packs' models, like the
// module cache).
func ownCode(dir, file string) bool {
	rel, ok := relative(dir, file)
	return ok && rel != "vendor" && !strings.HasPrefix(rel, "vendor/")
}

// relative returns p as a slash path relative to dir, if it lies under dir.
func relative(dir, p string) (string, bool) {
	rel, err := filepath.Rel(dir, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// relocate rewrites a finding's paths relative to the root; it reports false when the
// finding lies outside it.
func relocate(f *finding.Finding, root string) bool {
	fix := func(l *finding.Location) bool {
		rel, ok := relative(root, l.Path)
		if ok {
			l.Path = rel
		}
		return ok
	}
	if !fix(&f.Location) {
		return false
	}
	f.Flow = slices.Clone(f.Flow)
	for i := range f.Flow {
		fix(&f.Flow[i].Location)
	}
	f.Related = slices.Clone(f.Related)
	for i := range f.Related {
		fix(&f.Related[i].Location)
	}
	f.Paths = slices.Clone(f.Paths)
	for i := range f.Paths {
		f.Paths[i] = slices.Clone(f.Paths[i])
		for j := range f.Paths[i] {
			fix(&f.Paths[i][j].Location)
		}
	}
	return true
}

// dedup keeps one finding per rule, location and key: packages that complete the same
// flow report it each. Of a dispatcher seen with different vocabularies, the largest wins.
func dedup(fs []finding.Finding) []finding.Finding {
	best := map[string]int{}
	var out []finding.Finding
	for _, f := range fs {
		k := fmt.Sprintf("%s|%s:%d:%d|%s", f.RuleID, f.Location.Path, f.Location.Region.StartLine, f.Location.Region.StartColumn, f.Key)
		i, seen := best[k]
		switch {
		case !seen:
			best[k] = len(out)
			out = append(out, f)
		case vocabulary(f) > vocabulary(out[i]):
			out[i] = f
		}
	}
	return finding.Sort(out)
}

func vocabulary(f finding.Finding) int {
	v, _ := f.Properties["vocabulary"].([]string)
	return len(v)
}

func cause(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
