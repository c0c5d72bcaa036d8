package taint

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/syntax"
)

// The analysis is flow-insensitive: every write of a variable reaches every read of it. Code
// reuses variables, though — `data, err := client.Construct(msg)` to send, then
// `data, err = io.ReadAll(resp.Body)` for the answer — and a write that replaces a whole
// variable on every path to a later read (it stands unconditionally, outside any loop, in a
// block that holds the read) hides the writes before it from that read. Such variables get
// versions: each replacing write starts one, and every use of the variable names the version
// that reaches it ("data~1"), so the versions are distinct memory in the graph.

// versionSep separates a variable from its version in an access path, joinSep the versions
// a join may see ("data~1^2^3").
const (
	versionSep = "~"
	joinSep    = "^"
)

// baseName strips the version from an access path's root.
func baseName(root string) string {
	if i := strings.IndexAny(root, versionSep+joinSep); i >= 0 {
		return root[:i]
	}
	return root
}

// strongDef is a statement that replaces a whole local variable.
type strongDef struct {
	stmt  syntax.Node // the statement
	block syntax.Node // the block that holds it
	left  syntax.Node // the identifier written
}

// versions numbers the uses of the function's local variables that replacing writes
// separate. It leaves alone reference parameters, receivers, named results, variables a
// closure uses or whose address is taken, and functions with goto.
func (f *fnState) versions() {
	t := f.x.t
	end := t.SubtreeEnd(f.fn)
	defs := map[string][]strongDef{}
	uses := map[string][]syntax.Node{}
	skip := map[string]bool{}
	for _, r := range f.results {
		skip[r] = true // a bare return reads them with no use to carry a version
	}
	for n := f.fn + 1; n < end; n++ {
		switch t.Kind(n) {
		case "goto_statement":
			return
		case "function_definition", "function_declaration", "method_declaration":
			n = t.SubtreeEnd(n) - 1 // summarised on its own
		case "func_literal", "lambda_expression":
			for c := n + 1; c < t.SubtreeEnd(n); c++ {
				if t.Kind(c) == "identifier" {
					skip[t.Text(c)] = true
				}
			}
			n = t.SubtreeEnd(n) - 1
		case "pointer_expression", "unary_expression":
			if t.Text(t.Child(n, "operator")) == "&" {
				skip[t.Text(t.NamedChild(n, 0))] = true
			}
		case "identifier":
			if name := t.Text(n); f.versionable(name) {
				uses[name] = append(uses[name], n)
			}
		default:
			if d, name, ok := f.strongDef(n); ok {
				defs[name] = append(defs[name], d)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(defs)) { // graph edges must not follow map order
		ds := defs[name]
		if skip[name] {
			continue
		}
		joins := map[string][]int{}
		for _, u := range uses[name] {
			v := 0
			for k, d := range ds {
				if u == d.left || t.End(d.stmt) <= t.Start(u) && t.Contains(d.block, u) {
					v = k + 1
				}
			}
			// A replacing write after the one that reaches u, in a block u is not in (a
			// branch), may or may not have run: u sees a join of both.
			var maybe []int
			for k := v; k < len(ds); k++ {
				if d := ds[k]; t.End(d.stmt) <= t.Start(u) && u != d.left {
					maybe = append(maybe, k+1)
				}
			}
			if len(maybe) == 0 {
				if v > 0 {
					f.vers[u] = versionOf(name, v)
				}
				continue
			}
			join := versionOf(name, v)
			for _, k := range maybe {
				join += joinSep + strconv.Itoa(k)
			}
			f.vers[u] = join
			joins[join] = append([]int{v}, maybe...)
		}
		for _, j := range slices.Sorted(maps.Keys(joins)) {
			to := f.g.pathVertex(j)
			for _, v := range joins[j] {
				f.g.connect([]operand{{path: versionOf(name, v)}}, to, finding.Step{})
			}
		}
	}
}

func versionOf(name string, v int) string {
	if v == 0 {
		return name
	}
	return name + versionSep + strconv.Itoa(v)
}

// strongDef recognises a statement that replaces a whole local: `v = e;` (C, C++), `v = e`,
// `v, err = e` and `v, err := e` (Go), standing directly in a block, outside any loop.
func (f *fnState) strongDef(n syntax.Node) (strongDef, string, bool) {
	t := f.x.t
	stmt, left := n, syntax.NoNode
	switch t.Kind(n) {
	case "expression_statement":
		a := t.NamedChild(n, 0)
		if t.Kind(a) != "assignment_expression" || strings.TrimSpace(t.Text(t.Child(a, "operator"))) != "=" {
			return strongDef{}, "", false
		}
		left = t.Child(a, "left")
	case "assignment_statement", "short_var_declaration":
		if t.Kind(n) == "assignment_statement" && strings.TrimSpace(t.Text(t.Child(n, "operator"))) != "=" {
			return strongDef{}, "", false
		}
		if t.Kind(t.Parent(n)) == "for_clause" || t.Kind(t.Parent(n)) == "if_statement" || t.Kind(t.Parent(n)) == "expression_switch_statement" {
			return strongDef{}, "", false
		}
		lefts := t.NamedChildren(t.Child(n, "left"))
		if len(lefts) == 0 {
			return strongDef{}, "", false
		}
		left = lefts[0] // the data; the others are errors and counts
	default:
		return strongDef{}, "", false
	}
	if t.Kind(left) != "identifier" {
		return strongDef{}, "", false
	}
	name := t.Text(left)
	if !f.versionable(name) {
		return strongDef{}, "", false
	}
	block := t.Parent(stmt)
	switch t.Kind(block) {
	case "compound_statement", "block", "statement_list":
	default:
		return strongDef{}, "", false
	}
	for p := block; p > f.fn; p = t.Parent(p) {
		switch t.Kind(p) {
		case "for_statement", "while_statement", "do_statement", "for_range_loop":
			return strongDef{}, "", false
		}
	}
	return strongDef{stmt: stmt, block: block, left: left}, name, true
}

// versionable reports whether name is a local (or a parameter passed by value: rebinding it
// does not reach the caller) that versions may separate.
func (f *fnState) versionable(name string) bool {
	if i, param := f.paramIdx[name]; param {
		return i >= 0 && !f.through[name]
	}
	return f.locals[name]
}

// versioned is a local's name as the use at n sees it.
func (f *fnState) versioned(n syntax.Node, name string) string {
	if v, ok := f.vers[n]; ok {
		return v
	}
	return name
}
