package syntax

import (
	"cmp"
	"slices"

	sitter "github.com/smacker/go-tree-sitter"
)

// span is a function, lambda, closure or class of a tree, by byte range. The pass records
// them so that "which function is this in?" is a search in a sorted list rather than a walk
// up the tree through cgo, once per finding.
type span struct {
	start, end uint32
	node       *sitter.Node
	named      bool   // a named function (or a class); false for lambdas and closures
	name       string // classes: set at once; functions: on first use (spanName)
	nameDone   bool
}

// addSpan records a span from a fact match; it reports whether m was one.
func (t *Tree) addSpan(m *Match) bool {
	switch {
	case m.Capture("fn.def") != nil:
		n := m.Capture("fn.def")
		t.funcs = append(t.funcs, &span{start: n.StartByte(), end: n.EndByte(), node: n, named: true})
	case m.Capture("fn.scope") != nil:
		n := m.Capture("fn.scope")
		t.funcs = append(t.funcs, &span{start: n.StartByte(), end: n.EndByte(), node: n})
	case m.Capture("cls") != nil:
		n := m.Capture("cls")
		t.classes = append(t.classes, &span{start: n.StartByte(), end: n.EndByte(), node: n, named: true,
			name: normalizeQualified(t.Text(m.Capture("cls.name"))), nameDone: true})
	default:
		return false
	}
	return true
}

func sortSpans(ss []*span) {
	slices.SortStableFunc(ss, func(a, b *span) int { return cmp.Compare(a.start, b.start) })
}

// innermost returns the innermost span of a sorted list that contains off and satisfies
// keep (nil keeps all). Spans nest, so going back from the last span that starts at or before
// off, the first one that contains off is the innermost.
func innermost(ss []*span, off uint32, keep func(*span) bool) *span {
	i, _ := slices.BinarySearchFunc(ss, off+1, func(s *span, target uint32) int { return cmp.Compare(s.start, target) })
	for i--; i >= 0; i-- {
		if s := ss[i]; s.start <= off && off < s.end && (keep == nil || keep(s)) {
			return s
		}
	}
	return nil
}
