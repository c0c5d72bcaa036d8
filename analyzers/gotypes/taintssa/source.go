package taintssa

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
)

// files maps positions of the package under analysis to locations the way the tree-sitter
// engine writes them (1-based lines, UTF-16 columns, a one-line snippet), and finds the
// syntax behind an SSA instruction: calls by their opening parenthesis, comparisons by their
// operator, switch cases by their expression.
type files struct {
	fset  *token.FileSet
	read  func(string) ([]byte, error)
	texts map[string]*source.Text
	calls map[token.Pos]*ast.CallExpr
	index map[token.Pos]*ast.IndexExpr
	bins  map[token.Pos]*ast.BinaryExpr
	cases map[token.Pos]ast.Expr // a case expression → its switch's tag
	exprs map[token.Pos]ast.Expr // a case expression by position
	decls map[token.Pos]*ast.Ident
	asts  map[*token.File]*ast.File
}

func newFiles(pass *analysis.Pass) *files {
	fs := &files{fset: pass.Fset, read: pass.ReadFile, texts: map[string]*source.Text{},
		calls: map[token.Pos]*ast.CallExpr{}, index: map[token.Pos]*ast.IndexExpr{},
		bins: map[token.Pos]*ast.BinaryExpr{}, cases: map[token.Pos]ast.Expr{}, exprs: map[token.Pos]ast.Expr{}, decls: map[token.Pos]*ast.Ident{},
		asts: map[*token.File]*ast.File{}}
	if fs.read == nil {
		fs.read = func(string) ([]byte, error) { return nil, nil }
	}
	for _, f := range pass.Files {
		fs.asts[pass.Fset.File(f.Pos())] = f
		ast.Inspect(f, fs.visit)
	}
	return fs
}

func (fs *files) visit(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.CallExpr:
		fs.calls[n.Lparen] = n
	case *ast.IndexExpr:
		fs.index[n.Lbrack] = n
	case *ast.BinaryExpr:
		fs.bins[n.OpPos] = n
	case *ast.SwitchStmt:
		if n.Tag == nil {
			break
		}
		for _, s := range n.Body.List {
			for _, e := range s.(*ast.CaseClause).List {
				fs.cases[e.Pos()] = n.Tag
				fs.exprs[e.Pos()] = e
			}
		}
	case *ast.Ident:
		fs.decls[n.Pos()] = n
	}
	return true
}

// caseExpr is the case expression at pos.
func (fs *files) caseExpr(pos token.Pos) ast.Expr { return fs.exprs[pos] }

// text returns the content of the file holding pos.
func (fs *files) text(pos token.Pos) (*source.Text, *token.File) {
	tf := fs.fset.File(pos)
	if tf == nil {
		return nil, nil
	}
	name := tf.Name()
	t, ok := fs.texts[name]
	if !ok {
		if b, err := fs.read(name); err == nil && len(b) > 0 {
			t = source.NewText(b)
		}
		fs.texts[name] = t
	}
	return t, tf
}

// loc is the location of the span [pos, end).
func (fs *files) loc(pos, end token.Pos) finding.Location {
	t, tf := fs.text(pos)
	if tf == nil {
		return finding.Location{}
	}
	if end < pos || fs.fset.File(end) != tf {
		end = pos
	}
	if t == nil {
		p, e := fs.fset.Position(pos), fs.fset.Position(end)
		return finding.Location{Path: tf.Name(), Region: finding.Region{StartLine: p.Line, StartColumn: p.Column,
			EndLine: e.Line, EndColumn: e.Column}}
	}
	r := t.Region(tf.Offset(pos), tf.Offset(end))
	r.Snippet = brief(r.Snippet)
	return finding.Location{Path: tf.Name(), Region: r}
}

// nodeLoc is the location of a syntax node.
func (fs *files) nodeLoc(n ast.Node) finding.Location { return fs.loc(n.Pos(), n.End()) }

// stmt is the innermost statement around pos, or nil.
func (fs *files) stmt(pos token.Pos) ast.Node {
	f := fs.asts[fs.fset.File(pos)]
	if f == nil || !pos.IsValid() {
		return nil
	}
	path, _ := astutil.PathEnclosingInterval(f, pos, pos)
	for _, n := range path {
		if _, ok := n.(ast.Stmt); ok {
			return n
		}
	}
	return nil
}

// stepAt is a hop at the statement around pos.
func (fs *files) stepAt(pos token.Pos, msg string) finding.Step {
	if n := fs.stmt(pos); n != nil {
		return fs.step(n, msg)
	}
	return finding.Step{Location: fs.loc(pos, pos), Message: msg}
}

// code is the source text of a node, shortened for messages.
func (fs *files) code(n ast.Node) string {
	if n == nil {
		return ""
	}
	t, tf := fs.text(n.Pos())
	if t == nil || fs.fset.File(n.End()) != tf {
		return ""
	}
	return brief(string(t.Content[tf.Offset(n.Pos()):tf.Offset(n.End())]))
}

// step is one hop of a path, at a node.
func (fs *files) step(n ast.Node, msg string) finding.Step {
	return finding.Step{Location: fs.nodeLoc(n), Message: msg}
}

// brief shortens code for a message or a hop: one line, at most 80 characters.
func brief(code string) string {
	code = strings.Join(strings.Fields(code), " ")
	if r := []rune(code); len(r) > 80 {
		return string(r[:77]) + "…"
	}
	return code
}

// posOf maps a location in a file of the package back to a position, for diagnostics.
func (fs *files) posOf(l finding.Location, pkgFiles []*ast.File) token.Pos {
	for _, f := range pkgFiles {
		tf := fs.fset.File(f.Pos())
		if tf == nil || tf.Name() != l.Path || l.Region.StartLine < 1 || l.Region.StartLine > tf.LineCount() {
			continue
		}
		start := tf.LineStart(l.Region.StartLine)
		t, _ := fs.text(start)
		if t == nil {
			return start
		}
		off := tf.Offset(start)
		line := t.Line(l.Region.StartLine)
		units := 0
		for i, r := range line {
			if units >= l.Region.StartColumn-1 {
				return tf.Pos(off + i)
			}
			units++
			if r >= 0x10000 {
				units++
			}
		}
		return start
	}
	return token.NoPos
}
