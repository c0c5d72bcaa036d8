package syntax

import (
	"cmp"
	"slices"
)

// span is a function, lambda, closure or class of a tree, by byte range. The pass records
// them so that "which function is this in?" is a search in a sorted list rather than a walk
// up the tree through cgo, once per finding.
type span struct {
	start, end uint32
	node       Node
	named      bool   // a named function (or a class); false for lambdas and closures
	name       string // classes: set at once; functions: on first use (spanName)
	nameDone   bool
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
