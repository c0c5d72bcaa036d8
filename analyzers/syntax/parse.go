package syntax

import (
	"context"
	"errors"
	"fmt"
	"time"

	sitter "github.com/smacker/go-tree-sitter"

	"glassbox/analyzers/endpoint"
	"glassbox/analyzers/source"
)

// ErrTimeout means a parse ran over its time budget and was cancelled.
var ErrTimeout = errors.New("syntax: parse cancelled after its time budget")

// Parser parses files, keeping one tree-sitter parser per language. A Parser belongs to one
// goroutine: tree-sitter parsers are not safe for concurrent use.
type Parser struct {
	ps      map[source.Lang]*sitter.Parser
	Timeout time.Duration // 0 means no budget
}

// NewParser returns a Parser with the given per-file time budget.
func NewParser(timeout time.Duration) *Parser {
	return &Parser{ps: map[source.Lang]*sitter.Parser{}, Timeout: timeout}
}

// Parse parses text as lang. It fails with ErrTimeout when the budget runs out and with
// ctx's error when ctx has already ended.
//
// The budget is tree-sitter's own timeout, not a cancellable context: the binding's context
// support sets the parser's cancellation flag from a goroutine that can still fire after the
// parse returns, and the next file given to the same parser is then "cancelled" before it
// starts.
func (p *Parser) Parse(ctx context.Context, lang source.Lang, text []byte) (*Tree, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l := languages[lang]
	if l == nil {
		return nil, fmt.Errorf("syntax: no grammar for language %q", lang)
	}
	sp := p.ps[lang]
	if sp == nil {
		sp = sitter.NewParser()
		sp.SetLanguage(l.grammar)
		p.ps[lang] = sp
	}
	parsed := text
	if lang != source.Go {
		parsed = blankDecorations(text)
	}
	tree, err := p.parse(sp, l, lang, text, parsed)
	if err != nil {
		return nil, err
	}
	if lang != source.Go && tree.errorBytes() > 0 {
		tree = p.oneBranch(sp, tree, parsed)
	}
	return tree, nil
}

// parse parses parsed, which is text or text with bytes blanked, into a Tree of text.
func (p *Parser) parse(sp *sitter.Parser, l *language, lang source.Lang, text, parsed []byte) (*Tree, error) {
	sp.SetOperationLimit(int(p.Timeout.Microseconds()))
	t, err := sp.ParseCtx(context.Background(), nil, parsed)
	if err != nil {
		// A stopped tree-sitter parse resumes where it stopped on the next call unless the
		// parser is reset, and the next call is for another file.
		sp.Reset()
		if errors.Is(err, sitter.ErrOperationLimit) {
			return nil, ErrTimeout
		}
		return nil, err
	}
	// A node per three bytes of source is a generous first guess for C-like code.
	return &Tree{Lang: lang, Src: text, Root: 0, t: t, lang: l, nodes: flatten(t, len(text)/3)}, nil
}

// oneBranch parses the readings of a C or C++ file that keep one branch of each conditional
// (see preproc.go) and returns whichever of them and tree leaves the fewest bytes in errors.
// When a one-branch reading wins, the other reading comes with it (Other), so that what only
// the other branches hold is not lost to pattern rules.
func (p *Parser) oneBranch(sp *sitter.Parser, tree *Tree, parsed []byte) *Tree {
	groups := conditionals(parsed)
	var readings [2]*Tree
	for _, choice := range []int{firstBranch, lastBranch} {
		variant := oneBranch(parsed, groups, choice)
		if variant == nil {
			return tree // no conditionals: the errors have another cause
		}
		if r, err := p.parse(sp, tree.lang, tree.Lang, tree.Src, variant); err == nil {
			r.Branches = [...]string{firstBranch: "first", lastBranch: "last"}[choice]
			readings[choice] = r
		}
	}
	best, errs := tree, tree.errorBytes()
	for _, r := range readings {
		if r != nil && r.errorBytes() < errs {
			best, errs = r, r.errorBytes()
		}
	}
	if best == tree {
		for _, r := range readings {
			if r != nil {
				r.Close()
			}
		}
		return tree
	}
	tree.Close()
	choice := firstBranch
	if best == readings[lastBranch] {
		choice = lastBranch
	}
	best.Other = readings[1-choice]
	best.Dropped = droppedBranches(groups, choice)
	return best
}

// Close frees the parsers.
func (p *Parser) Close() {
	for _, sp := range p.ps {
		sp.Close()
	}
	clear(p.ps)
}

// Tree is a parsed file: its source text and its nodes, copied into Go memory (see Node).
// A Tree belongs to one goroutine.
type Tree struct {
	Lang  source.Lang
	Src   []byte
	Root  Node
	t     *sitter.Tree // kept for rule queries, which tree-sitter runs
	lang  *language
	nodes []flatNode
	// Facts gathered on first use (see index), and endpoint classifications by node.
	res     *resolver
	calls   []*Call
	funcs   []*span // functions, lambdas and closures, by start
	classes []*span
	found   map[Node][]endpoint.Endpoint
	// Branches says which preprocessor branches the tree reads: "" for the file as written,
	// "first" or "last" when the file as written did not parse and the reading that keeps
	// the first (#if) or last (#else) branch of every conditional parsed better. Code in the
	// other branches is not in the tree.
	Branches string
	// Other is the reading that keeps the other branch of each conditional (nil when it did
	// not parse), and Dropped the byte ranges of the branches this reading blanked: what a
	// reviewer would miss if only this reading were matched.
	Other   *Tree
	Dropped [][2]int
}

// Text returns the source text of n.
func (t *Tree) Text(n Node) string {
	if n < 0 {
		return ""
	}
	return string(t.Src[t.nodes[n].start:t.nodes[n].end])
}

// Close frees the tree-sitter tree, and the other reading's. The Tree's nodes stay readable.
func (t *Tree) Close() {
	if t.t != nil {
		t.t.Close()
		t.t = nil
	}
	if t.Other != nil {
		t.Other.Close()
	}
}

// errorBytes is how much of the source lies in parse errors.
func (t *Tree) errorBytes() int {
	total := 0
	for _, sp := range t.ErrorSpans() {
		total += sp[1] - sp[0]
	}
	return total
}

// ErrorCount counts the parse errors (ERROR and MISSING nodes not inside another error) and
// returns the byte offset of the first, so a notification can say where parsing went wrong.
func (t *Tree) ErrorCount() (count int, first int) {
	spans := t.ErrorSpans()
	if len(spans) == 0 {
		return 0, -1
	}
	return len(spans), spans[0][0]
}

// ErrorSpans returns the byte ranges [start, end) of the parse errors (ERROR and MISSING
// nodes not inside another error; a MISSING node spans one byte), in order.
func (t *Tree) ErrorSpans() [][2]int {
	var out [][2]int
	var end uint32
	for i, n := range t.nodes {
		if n.kind != errorSymbol && n.flags&flagMissing == 0 {
			continue
		}
		if len(out) > 0 && n.start < end && i > 0 {
			continue // inside the error just counted
		}
		end = max(n.end, n.start+1)
		out = append(out, [2]int{int(n.start), int(end)})
	}
	return out
}
