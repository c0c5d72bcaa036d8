package taintssa

import (
	"fmt"
	"go/build"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"

	"glassbox/analyzers/finding"
	"glassbox/rules"
)

// Config describes one analyzer.
type Config struct {
	Name string
	Doc  string
	// Packs names the packs whose taint rules the analyzer runs, with the taint rules of any
	// pack loaded with -rules. Empty means every pack of the set.
	Packs []string
	// Set, when not nil, is the rule set to run instead of the built-in packs and -rules:
	// the scan passes the reviewer's selection.
	Set *rules.Set
	// InScope says whether a package is analysed; nil means every package whose files lie
	// outside GOROOT and the module cache. Code outside the scope is the library: only the
	// packs' models describe it.
	InScope func(pass *analysis.Pass) bool
}

// Result is what an analyzer found in one package: the findings the package's analysis
// completed (some may lie in files of the packages it imports).
type Result struct {
	Findings []finding.Finding
}

// FuncFact is a function's summary, the fact analyzers of pack P export for every function
// and method they analyse. P only tells analyzers' facts apart.
type FuncFact[P any] struct{ FuncSummary }

// AFact marks FuncFact as an analysis fact.
func (*FuncFact[P]) AFact() {}

func (f *FuncFact[P]) String() string { return "summary of " + f.Name }

// ProgramFact is a package's part of the whole program, exported by analyzers of pack P.
type ProgramFact[P any] struct{ Program }

// AFact marks ProgramFact as an analysis fact.
func (*ProgramFact[P]) AFact() {}

func (f *ProgramFact[P]) String() string {
	return fmt.Sprintf("%d hits, %d hub contents, %d hub flows", len(f.Hits), len(f.Contents), len(f.HubEdges))
}

// New returns an analyzer that runs the taint rules of cfg.Packs over SSA. P is a type of the
// calling package that keeps this analyzer's facts apart from other analyzers'.
func New[P any](cfg Config) *analysis.Analyzer {
	st := &state[P]{cfg: cfg}
	a := &analysis.Analyzer{
		Name:       cfg.Name,
		Doc:        cfg.Doc,
		FactTypes:  []analysis.Fact{new(FuncFact[P]), new(ProgramFact[P])},
		ResultType: reflect.TypeFor[*Result](),
		Run:        st.run,
	}
	a.Flags.Var(&st.paths, "rules", "also run the taint rules of the packs in `FILE` or directory (comma-separated)")
	return a
}

// state is an analyzer's configuration and rule set, loaded on first use (after flags).
type state[P any] struct {
	cfg    Config
	paths  pathList
	mu     sync.Mutex
	loaded string // the -rules value rs and err were loaded for
	rs     *ruleSet
	err    error
}

// pathList is a comma-separated, repeatable list of paths.
type pathList []string

func (l *pathList) String() string { return strings.Join(*l, ",") }

func (l *pathList) Set(s string) error {
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

// ruleSet loads and compiles the analyzer's rules, once per value of -rules: a driver
// sets flags before it runs, so this is once per process but for tests that change them.
func (st *state[P]) ruleSet() (*ruleSet, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	key := st.paths.String()
	if st.rs != nil && st.loaded == key || st.err != nil && st.loaded == key {
		return st.rs, st.err
	}
	st.loaded = key
	st.rs, st.err = st.load()
	return st.rs, st.err
}

func (st *state[P]) load() (*ruleSet, error) {
	set := st.cfg.Set
	extra := map[string]bool{}
	if set == nil {
		packs, err := rules.Builtin()
		if err != nil {
			return nil, err
		}
		for _, path := range st.paths {
			ps, err := rules.LoadPath(path)
			if err != nil {
				return nil, err
			}
			for _, p := range ps {
				extra[p.Name] = true
			}
			packs = append(packs, ps...)
		}
		if set, err = rules.NewSet(packs...); err != nil {
			return nil, err
		}
	}
	keep := func(r *rules.Rule) bool {
		return len(st.cfg.Packs) == 0 || slices.Contains(st.cfg.Packs, r.Pack.Name) || extra[r.Pack.Name]
	}
	return compile(set, keep), nil
}

func (st *state[P]) run(pass *analysis.Pass) (any, error) {
	inScope := st.cfg.InScope
	if inScope == nil {
		inScope = DefaultScope
	}
	if !inScope(pass) || len(pass.TypeErrors) > 0 {
		return &Result{}, nil
	}
	rs, err := st.ruleSet()
	if err != nil {
		return nil, err
	}
	if len(rs.ordered) == 0 {
		return &Result{}, nil
	}
	cache := map[*types.Func]*FuncSummary{}
	fact := func(obj *types.Func) *FuncSummary {
		if fs, ok := cache[obj]; ok {
			return fs
		}
		var f FuncFact[P]
		var fs *FuncSummary
		if obj.Pkg() != pass.Pkg && pass.ImportObjectFact(obj, &f) {
			fs = &f.FuncSummary
		}
		cache[obj] = fs
		return fs
	}
	hasProgram := func(pkg *types.Package) bool {
		var f ProgramFact[P]
		return pkg != pass.Pkg && pass.ImportPackageFact(pkg, &f)
	}
	var deps []*Program
	for _, pf := range pass.AllPackageFacts() {
		if f, ok := pf.Fact.(*ProgramFact[P]); ok && pf.Package != pass.Pkg {
			deps = append(deps, &f.Program)
		}
	}
	p := newPkgAnalysis(pass, rs, fact, hasProgram)
	prog := p.run(buildSSA(pass), deps)
	for _, fn := range p.funcs {
		// Only exported functions and methods can be called from other packages.
		if obj, ok := fn.Object().(*types.Func); ok && fn.Parent() == nil && obj.Exported() {
			if fs := p.funcSummary(fn); !fs.empty() {
				pass.ExportObjectFact(obj, &FuncFact[P]{*fs})
			}
		}
	}
	all := rs.findings(rs.solve(append(slices.Clone(deps), prog)))
	found := findingsOf(all, deps)
	for i := range found {
		prog.Reported = append(prog.Reported, identity(&found[i]))
		p.report(&found[i])
	}
	pass.ExportPackageFact(&ProgramFact[P]{*prog})
	return &Result{Findings: found}, nil
}

// report turns a finding into a diagnostic at the best position in this package: the
// finding's own location, else the last hop of its flow that lies here.
func (p *pkgAnalysis) report(f *finding.Finding) {
	pos := p.files.posOf(f.Location, p.pass.Files)
	for i := len(f.Flow) - 1; i >= 0 && !pos.IsValid(); i-- {
		pos = p.files.posOf(f.Flow[i].Location, p.pass.Files)
	}
	if !pos.IsValid() {
		pos = p.pass.Files[0].Name.Pos() // a flow this package completed without a hop of its own
	}
	msg := f.RuleID + ": " + f.Message
	if f.Location.Path != "" && p.files.posOf(f.Location, p.pass.Files) == token.NoPos {
		msg += fmt.Sprintf(" (at %s:%d)", filepath.Base(f.Location.Path), f.Location.Region.StartLine)
	}
	p.pass.Report(analysis.Diagnostic{Pos: pos, Category: f.RuleID, Message: msg})
}

// DefaultScope reports whether a package is code under review: not the standard library
// and not a module downloaded into the module cache.
func DefaultScope(pass *analysis.Pass) bool {
	if len(pass.Files) == 0 {
		return false
	}
	name := pass.Fset.File(pass.Files[0].Pos()).Name()
	for _, root := range []string{build.Default.GOROOT, moduleCache()} {
		if root != "" && strings.HasPrefix(filepath.Clean(name), filepath.Clean(root)+string(filepath.Separator)) {
			return false
		}
	}
	return true
}

func moduleCache() string {
	if c := os.Getenv("GOMODCACHE"); c != "" {
		return c
	}
	if gp := filepath.SplitList(build.Default.GOPATH); len(gp) > 0 {
		return filepath.Join(gp[0], "pkg", "mod")
	}
	return ""
}

// DocOf extracts an analyzer's documentation from the source of its package's doc.go: the
// comment's text after its "# Analyzer NAME" heading, whose first line is the summary.
func DocOf(src string) string {
	var lines []string
	for _, l := range strings.Split(src, "\n") {
		if !strings.HasPrefix(l, "//") {
			continue
		}
		lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(l, "//"), " "))
	}
	for i, l := range lines {
		if strings.HasPrefix(l, "# Analyzer ") {
			return strings.TrimSpace(strings.Join(lines[i+1:], "\n"))
		}
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}
