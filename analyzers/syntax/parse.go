package syntax

import (
	"context"
	"errors"
	"fmt"
	"time"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/c"
	"github.com/smacker/go-tree-sitter/cpp"
	"github.com/smacker/go-tree-sitter/golang"

	"glassbox/analyzers/endpoint"
	"glassbox/analyzers/source"
)

var grammars = map[source.Lang]*sitter.Language{
	source.C:   c.GetLanguage(),
	source.CPP: cpp.GetLanguage(),
	source.Go:  golang.GetLanguage(),
}

// Grammar returns the tree-sitter grammar of a language, or nil for an unknown one.
func Grammar(l source.Lang) *sitter.Language { return grammars[l] }

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
	g := Grammar(lang)
	if g == nil {
		return nil, fmt.Errorf("syntax: no grammar for language %q", lang)
	}
	sp := p.ps[lang]
	if sp == nil {
		sp = sitter.NewParser()
		sp.SetLanguage(g)
		p.ps[lang] = sp
	}
	sp.SetOperationLimit(int(p.Timeout.Microseconds()))
	t, err := sp.ParseCtx(context.Background(), nil, text)
	if err != nil {
		// A stopped tree-sitter parse resumes where it stopped on the next call unless the
		// parser is reset, and the next call is for another file.
		sp.Reset()
		if errors.Is(err, sitter.ErrOperationLimit) {
			return nil, ErrTimeout
		}
		return nil, err
	}
	return &Tree{Lang: lang, Src: text, t: t, Root: t.RootNode()}, nil
}

// Close frees the parsers.
func (p *Parser) Close() {
	for _, sp := range p.ps {
		sp.Close()
	}
	clear(p.ps)
}

// Tree is a parsed file with its source text. Node text is read from Src by byte offsets,
// which is cheaper than asking tree-sitter through cgo.
type Tree struct {
	Lang source.Lang
	Src  []byte
	Root *sitter.Node
	t    *sitter.Tree
	// Facts gathered by a Pass (see index), and endpoint classifications by node.
	res     *resolver
	calls   []*Call
	funcs   []*span // functions, lambdas and closures, by start
	classes []*span
	found   map[uintptr][]endpoint.Endpoint
}

// Text returns the source text of n.
func (t *Tree) Text(n *sitter.Node) string {
	if n == nil {
		return ""
	}
	return string(t.Src[n.StartByte():n.EndByte()])
}

// Close frees the tree. Nodes of a closed tree must not be used.
func (t *Tree) Close() {
	if t.t != nil {
		t.t.Close()
	}
}

// ErrorCount counts ERROR and MISSING nodes and returns the byte offset of the first, so a
// notification can say where the parse went wrong. Only subtrees that have errors are
// entered, so a clean tree costs one cgo call.
func (t *Tree) ErrorCount() (count int, first int) {
	first = -1
	var walk func(n *sitter.Node, depth int)
	walk = func(n *sitter.Node, depth int) {
		if n.IsError() || n.IsMissing() {
			count++
			if first < 0 {
				first = int(n.StartByte())
			}
			return
		}
		if !n.HasError() || depth > MaxDepth {
			return
		}
		for i := 0; i < int(n.ChildCount()); i++ {
			walk(n.Child(i), depth+1)
		}
	}
	walk(t.Root, 0)
	return count, first
}
