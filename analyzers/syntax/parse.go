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
	sp.SetOperationLimit(int(p.Timeout.Microseconds()))
	parsed := text
	if lang != source.Go {
		parsed = blankDecorations(text)
	}
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
}

// Text returns the source text of n.
func (t *Tree) Text(n Node) string {
	if n < 0 {
		return ""
	}
	return string(t.Src[t.nodes[n].start:t.nodes[n].end])
}

// Close frees the tree-sitter tree. The Tree's nodes stay readable.
func (t *Tree) Close() {
	if t.t != nil {
		t.t.Close()
		t.t = nil
	}
}

// ErrorCount counts the parse errors (ERROR and MISSING nodes not inside another error) and
// returns the byte offset of the first, so a notification can say where parsing went wrong.
func (t *Tree) ErrorCount() (count int, first int) {
	first = -1
	var end uint32
	for i, n := range t.nodes {
		if n.kind != errorSymbol && n.flags&flagMissing == 0 {
			continue
		}
		if count > 0 && n.start < end && i > 0 {
			continue // inside the error just counted
		}
		count++
		end = max(n.end, n.start+1)
		if first < 0 {
			first = int(n.start)
		}
	}
	return count, first
}
