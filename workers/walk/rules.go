package walk

import (
	"fmt"
	"path"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// DefaultExcludes are the directories users expect a scan to skip, as element patterns (they
// match a directory of that name at any depth). They hold tool metadata or other people's
// code, never the product under review: version-control stores (.git .hg .svn .bzr, and CVS,
// which Windows-era trees still carry), JavaScript dependencies (node_modules), Go vendoring
// (vendor, as gosec skips it), IDE state (.vs .idea .vscode) and Python caches
// (__pycache__). Options.Include re-opens any of them, e.g. "vendor/**".
var DefaultExcludes = []string{
	".git", ".hg", ".svn", ".bzr", "CVS",
	"node_modules",
	"vendor",
	".vs", ".idea", ".vscode",
	"__pycache__",
}

// pattern is one Exclude or Include glob, normalised.
type pattern struct {
	glob     string
	anchored bool     // matched against the whole relative path, not one element
	segs     []string // glob split on '/', for anchored patterns
}

func compile(globs []string) ([]pattern, error) {
	out := make([]pattern, 0, len(globs))
	for _, g := range globs {
		// Accept the spellings people copy from .gitignore and shells: "./src/x", "/build",
		// "build/". A trailing slash does not anchor, as in .gitignore.
		s := strings.TrimSuffix(strings.TrimPrefix(g, "./"), "/")
		anchored := strings.Contains(s, "/")
		s = strings.TrimPrefix(s, "/")
		if s == "" || !doublestar.ValidatePattern(s) {
			return nil, fmt.Errorf("walk: bad pattern %q: %w", g, doublestar.ErrBadPattern)
		}
		p := pattern{glob: s, anchored: anchored}
		if anchored {
			p.segs = strings.Split(s, "/")
		}
		out = append(out, p)
	}
	return out, nil
}

func (p pattern) match(rel string) bool {
	if !p.anchored {
		rel = path.Base(rel)
	}
	return doublestar.MatchUnvalidated(p.glob, rel)
}

// reaches reports whether an anchored pattern names dir or something beneath it by its
// leading segments ("vendor/**", "third_party/zlib/*.c"). A leading "**" reaches nothing on
// purpose: "**/*_test.go" should add tests where the walk goes anyway, not drag it through
// .git and node_modules.
func (p pattern) reaches(dir string) bool {
	if !p.anchored {
		return false
	}
	if strings.Contains(p.glob, "{") {
		return true // a brace may hold a '/', so segments cannot be trusted; walk in to be safe
	}
	for i, elem := range strings.Split(dir, "/") {
		switch {
		case i >= len(p.segs):
			return false
		case p.segs[i] == "**":
			return i > 0
		case !doublestar.MatchUnvalidated(p.segs[i], elem):
			return false
		}
	}
	return true
}

// rules decides which paths the walk considers. Exclude and Include patterns apply to a path
// and, through scope, to everything beneath a directory they match.
type rules struct {
	exclude, include []pattern
	tests            bool
}

func newRules(opts Options) (rules, error) {
	ex, err := compile(append(append([]string(nil), DefaultExcludes...), opts.Exclude...))
	if err != nil {
		return rules{}, err
	}
	in, err := compile(opts.Include)
	if err != nil {
		return rules{}, err
	}
	return rules{exclude: ex, include: in, tests: opts.IncludeTests}, nil
}

// scope is what the rules said about a directory and its ancestors, so that each entry costs
// one match per pattern rather than one per pattern and ancestor.
type scope struct {
	excluded bool // the directory or an ancestor matches an Exclude pattern
	included bool // the directory or an ancestor matches an Include pattern
}

func matchAny(ps []pattern, rel string) bool {
	for _, p := range ps {
		if p.match(rel) {
			return true
		}
	}
	return false
}

// enter returns the scope of directory dir inside parent, and whether to walk into it. An
// excluded directory is entered only when an Include pattern could select something in it,
// so node_modules costs nothing unless asked for.
func (r rules) enter(parent scope, dir string) (scope, bool) {
	s := scope{
		excluded: parent.excluded || matchAny(r.exclude, dir),
		included: parent.included || matchAny(r.include, dir),
	}
	if s.included || !s.excluded {
		return s, true
	}
	for _, p := range r.include {
		if p.reaches(dir) {
			return s, true
		}
	}
	return s, false
}

// selects reports whether the file rel in a directory of scope parent is scanned. Include wins
// over everything; then Exclude; then the test-file rule.
func (r rules) selects(parent scope, rel string) bool {
	switch {
	case parent.included || matchAny(r.include, rel):
		return true
	case parent.excluded || matchAny(r.exclude, rel):
		return false
	}
	return r.tests || !isGoTest(rel)
}

// isGoTest matches Go test files the way the go command does: case-sensitively.
func isGoTest(rel string) bool {
	return strings.HasSuffix(rel, "_test.go")
}
