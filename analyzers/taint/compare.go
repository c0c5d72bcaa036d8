package taint

import (
	"strings"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/syntax"
)

// Comparisons against constants are what command dispatchers, keyword searches and
// environment checks are made of. Which comparisons matter is decided at link time, when it
// is known whether the compared value came from the network or from a file; here every
// comparison of a value against a constant is recorded with the calls its branch makes.

// equalFuncs return 0 when their arguments are equal; searchFuncs return something true when
// the second is found in the first (or the first starts with / equals it).
var (
	equalFuncs = set("strcmp", "strncmp", "stricmp", "_stricmp", "strcmpi", "_strcmpi", "strcasecmp",
		"strncasecmp", "_strnicmp", "strnicmp", "wcscmp", "wcsncmp", "_wcsicmp", "_wcsnicmp", "wcsicmp",
		"lstrcmp", "lstrcmpA", "lstrcmpW", "lstrcmpi", "lstrcmpiA", "lstrcmpiW", "StrCmp", "StrCmpA", "StrCmpW",
		"StrCmpI", "StrCmpIA", "StrCmpIW", "StrCmpN", "StrCmpNA", "StrCmpNW", "StrCmpNI", "StrCmpNIA", "StrCmpNIW",
		"memcmp", "_mbsicmp", "_mbscmp", "strings.Compare", "*.compare", "*.Compare")
	searchFuncs = set("strstr", "wcsstr", "strcasestr", "StrStr", "StrStrA", "StrStrW", "StrStrI", "StrStrIA",
		"StrStrIW", "strings.Contains", "strings.HasPrefix", "strings.HasSuffix", "strings.EqualFold",
		"strings.Index", "strings.ContainsAny", "bytes.Contains", "bytes.HasPrefix", "bytes.Equal",
		"bytes.EqualFold", "*.find", "*.contains", "*.Contains", "*.startsWith", "*.StartsWith", "*.starts_with",
		"*.IndexOf", "*.indexOf", "*.equals", "*.Equals")
)

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// defaultCase stands for the values a switch's default branch takes.
const defaultCase = "(any other)"

// trivial constants are never command names: null checks and error codes.
var trivial = set("NULL", "nullptr", "nil", "0", "-1", "1", "true", "false", "TRUE", "FALSE",
	"INVALID_HANDLE_VALUE", "SOCKET_ERROR", "INVALID_SOCKET", "ERROR_SUCCESS", "S_OK", "\"\"", "''", "npos", "")

func (f *fnState) addCompare(c finding.Comparison, value syntax.Node, at, branch syntax.Node) {
	if at < 0 {
		at = value
	}
	c.Location = f.x.loc(at)
	k := len(f.out.Compares)
	f.out.Compares = append(f.out.Compares, c)
	f.branch = append(f.branch, branch)
	msg := "compared with '" + brief(c.Const) + "'"
	if c.Table != "" {
		msg = "looked up in " + c.Table
	}
	f.g.connect(f.value(value, 0), f.g.port(finding.Port{K: finding.PortCompare, C: k}), f.x.step(at, "%s", msg))
}

// compareCall records strcmp-like and search calls with a constant argument (or an argument
// taken from a table).
func (f *fnState) compareCall(idx int, n syntax.Node, c *syntax.Call) {
	equal, search := false, false
	for _, name := range c.Names {
		equal = equal || equalFuncs[name]
		search = search || searchFuncs[name]
	}
	if !equal && !search {
		return
	}
	t := f.x.t
	args := c.Args()
	if recv := f.receiverOf(c); recv >= 0 {
		args = append([]syntax.Node{recv}, args...)
	}
	if len(args) < 2 {
		return
	}
	value, constant := args[0], args[1]
	// s.compare(0, 4, "run ") and strncmp(buf, "run ", 4): the string is the constant, not
	// a position or a length.
	for _, a := range args[1:] {
		if t.IsString(a) {
			constant = a
			break
		}
	}
	if t.IsConstant(value) && !t.IsConstant(constant) {
		value, constant = constant, value
	}
	cmp := finding.Comparison{Op: "strcmp", Value: brief(t.Text(value))}
	if search {
		cmp.Op = "contains"
	}
	switch {
	case t.IsConstant(constant):
		cmp.Const = constValue(t, constant)
	case f.isTable(constant) || f.globalElement(constant):
		cmp.Table, _ = f.lpath(constant, 0)
		cmp.Table = baseName(root(cmp.Table))
	default:
		return
	}
	if trivial[cmp.Const] && cmp.Table == "" {
		return
	}
	// strcmp is zero on a match; search functions are true on one.
	f.addCompare(cmp, value, n, f.branchOf(n, search))
}

// compareEq records `x == CONST` and `x != CONST`.
func (f *fnState) compareEq(n syntax.Node) {
	t := f.x.t
	op := t.Text(t.Child(n, "operator"))
	if op != "==" && op != "!=" {
		return
	}
	l, r := t.Child(n, "left"), t.Child(n, "right")
	if f.compareConstant(l) || f.tableElement(l) {
		l, r = r, l
	}
	if f.tableElement(r) && !f.tableElement(l) && !f.compareConstant(l) {
		// opcodes[i].op == op: a loop over a command table keyed by numbers or enumerators.
		table, _ := f.lpath(r, 0)
		f.addCompare(finding.Comparison{Op: "==", Table: baseName(root(table)), Value: brief(t.Text(l))}, l, n, f.branchOf(n, op == "=="))
		return
	}
	if f.compareConstant(l) || !f.compareConstant(r) || f.isCallOf(l, equalFuncs) {
		return // strcmp(…) == 0 is recorded with the call
	}
	c := constValue(t, r)
	if trivial[c] {
		return
	}
	f.addCompare(finding.Comparison{Op: "==", Const: c, Value: brief(t.Text(l))}, l, n, f.branchOf(n, op == "=="))
}

// compareConstant reports whether n is a constant to compare against: a literal, a macro, a
// Go constant, or a C++ scoped enumerator (Op::Exec, Command::kRun), which is not ALL_CAPS
// and so not a constant anywhere else.
func (f *fnState) compareConstant(n syntax.Node) bool {
	t := f.x.t
	if t.IsConstant(n) {
		return true
	}
	if t.Kind(n) != "qualified_identifier" {
		return false
	}
	name := t.Text(n)
	scope, last := name[:max(strings.LastIndex(name, "::"), 0)], name[strings.LastIndex(name, ":")+1:]
	scope = scope[strings.LastIndex(scope, ":")+1:]
	return upperStart(scope) && (upperStart(last) || len(last) > 1 && last[0] == 'k' && upperStart(last[1:]))
}

func upperStart(s string) bool { return s != "" && s[0] >= 'A' && s[0] <= 'Z' }

// tableElement reports whether n reads an element of a command table of the file or of a
// global array that may be one.
func (f *fnState) tableElement(n syntax.Node) bool {
	return f.isTable(n) || f.globalElement(n)
}

// globalElement reports whether n reads an element of a global array (g_commands[i].name):
// a command table that may be defined in another file, resolved by name when linking.
func (f *fnState) globalElement(n syntax.Node) bool {
	t := f.x.t
	p, ok := f.lpath(n, 0)
	if !ok {
		return false
	}
	r := baseName(root(p))
	if f.locals[r] || r == "this" {
		return false
	}
	if _, param := f.paramIdx[r]; param {
		return false
	}
	for c, depth := n, 0; c >= 0 && depth < 8; depth++ {
		switch t.Kind(c) {
		case "subscript_expression", "index_expression":
			return true
		case "field_expression":
			c = t.Child(c, "argument")
		case "selector_expression":
			c = t.Child(c, "operand")
		default:
			return false
		}
	}
	return false
}

func (f *fnState) isCallOf(n syntax.Node, names map[string]bool) bool {
	c := f.x.calls[n]
	if c == nil {
		return false
	}
	for _, name := range c.Names {
		if names[name] {
			return true
		}
	}
	return false
}

// switchCases records every case of a switch as a comparison of the switched value.
func (f *fnState) switchCases(n syntax.Node) {
	t := f.x.t
	value := t.Child(n, "condition")
	if value < 0 {
		value = t.Child(n, "value")
	}
	if value < 0 {
		return
	}
	if t.Kind(value) == "parenthesized_expression" {
		value = t.NamedChild(value, 0)
	}
	end := t.SubtreeEnd(n)
	for c := n + 1; c < end; c++ {
		kind := t.Kind(c)
		if kind == "switch_statement" || kind == "expression_switch_statement" {
			c = t.SubtreeEnd(c) - 1 // a nested switch records its own cases
			continue
		}
		if kind == "default_case" || kind == "case_statement" && t.Child(c, "value") < 0 {
			// default: what any other value does — a dispatcher's "run anything else".
			f.addCompare(finding.Comparison{Op: "default", Const: defaultCase, Value: brief(t.Text(value))}, value, c, c)
			continue
		}
		if kind != "case_statement" && kind != "expression_case" {
			continue
		}
		var consts []syntax.Node
		if v := t.Child(c, "value"); v >= 0 {
			if t.Kind(v) == "expression_list" {
				consts = t.NamedChildren(v)
			} else {
				consts = []syntax.Node{v}
			}
		}
		for _, k := range consts {
			// Every case label is a command, 0 and 1 included (opcode tables start at 0):
			// only "no value" labels are not.
			cv := constValue(t, k)
			if cv == "NULL" || cv == "nullptr" || cv == "nil" || cv == "" {
				continue
			}
			f.addCompare(finding.Comparison{Op: "case", Const: cv, Value: brief(t.Text(value))}, value, k, c)
		}
	}
}

// branchOf finds the statement run when the comparison n matches: the consequence or the
// alternative of the if statement whose condition holds n, depending on negation and on
// whether a match makes n true (search, ==) or zero (strcmp).
func (f *fnState) branchOf(n syntax.Node, trueOnMatch bool) syntax.Node {
	t := f.x.t
	positive := trueOnMatch
	cur := n
	for depth := 0; depth < 12; depth++ {
		p := t.Parent(cur)
		if p < 0 {
			return syntax.NoNode
		}
		switch t.Kind(p) {
		case "unary_expression":
			if t.Text(t.Child(p, "operator")) == "!" {
				positive = !positive
			}
		case "binary_expression":
			op := t.Text(t.Child(p, "operator"))
			other := t.Child(p, "right")
			if other == cur {
				other = t.Child(p, "left")
			}
			switch {
			case op == "&&":
			case op == "||":
				return syntax.NoNode
			case (op == "==" || op == "!=") && trivial[strings.TrimSpace(t.Text(other))]:
				// strcmp(…) == 0, strstr(…) != NULL, x.find(…) != npos: comparing with the
				// "false" value (0, NULL, npos) negates on ==.
				if op == "==" {
					positive = !positive
				}
			default:
				return syntax.NoNode
			}
		case "parenthesized_expression", "condition_clause":
		case "if_statement":
			if t.Child(p, "condition") != cur && t.Kind(cur) != "condition_clause" && t.Kind(cur) != "parenthesized_expression" {
				return syntax.NoNode
			}
			if positive {
				return t.Child(p, "consequence")
			}
			return t.Child(p, "alternative")
		default:
			return syntax.NoNode
		}
		cur = p
	}
	return syntax.NoNode
}

// resolveActions lists, for each comparison, the calls made in its branch.
func (f *fnState) resolveActions() {
	t := f.x.t
	for k, b := range f.branch {
		if b < 0 {
			continue
		}
		end := t.SubtreeEnd(b)
		for i, at := range f.callAt {
			if at > b && at < end {
				f.out.Compares[k].Actions = append(f.out.Compares[k].Actions, i)
			}
		}
	}
}

// constValue is what a constant says: a string or character literal's value, else its text.
func constValue(t *syntax.Tree, n syntax.Node) string {
	if v, ok := t.StringValue(n); ok {
		return v
	}
	text := strings.Join(strings.Fields(t.Text(n)), " ")
	if k := t.Kind(n); (k == "char_literal" || k == "rune_literal") && len(text) >= 2 {
		return text[strings.IndexByte(text, '\'')+1 : len(text)-1]
	}
	return text
}

// isTable reports whether n reads an element of a known command table.
func (f *fnState) isTable(n syntax.Node) bool {
	p, ok := f.lpath(n, 0)
	if !ok {
		return false
	}
	r := baseName(root(p))
	for _, tb := range f.x.sum.Tables {
		if tb.Name == r {
			return true
		}
	}
	return false
}

// table records a static table of rows pairing command words with functions: C
// initializer lists of initializer lists (`{"exec", RunCommand}`, `{CMD_EXEC, RunCommand}`),
// Go maps (`map[uint32]Handler{MsgExec: execHandler}`) or slices of composite literals. A
// row's words are its strings; a row without strings is keyed by its other constants — an
// enumerator, a macro, a message number — as written.
func (x *extractor) table(name string, init syntax.Node) {
	t := x.t
	if name == "" {
		return
	}
	body := init
	if t.Kind(init) == "composite_literal" {
		body = t.Child(init, "body")
	}
	var rows []finding.TableRow
	for _, row := range t.NamedChildren(body) {
		var r tableRow
		x.tableRow(row, &r, 0)
		words := r.strings
		if len(words) == 0 {
			words = r.consts
		}
		if len(words) > 0 && len(r.funcs) > 0 {
			rows = append(rows, finding.TableRow{Strings: words, Funcs: r.funcs})
		}
	}
	if len(rows) >= 2 {
		x.sum.Tables = append(x.sum.Tables, finding.Table{Name: name, Location: x.loc(init), Rows: rows})
	}
}

// tableRow is what one row of a table holds.
type tableRow struct{ strings, consts, funcs []string }

func (x *extractor) tableRow(n syntax.Node, r *tableRow, depth int) {
	t := x.t
	if depth > 3 {
		return
	}
	if v, ok := t.StringValue(n); ok {
		r.strings = append(r.strings, v)
		return
	}
	switch t.Kind(n) {
	case "keyed_element":
		// key: value — the key is the command word whatever it is (a constant of another
		// package, sliverpb.MsgExecuteReq, reads as a selector).
		if kids := t.NamedChildren(n); len(kids) == 2 {
			key := kids[0]
			if t.Kind(key) == "literal_element" && t.NamedChild(key, 0) >= 0 {
				key = t.NamedChild(key, 0)
			}
			if v, ok := t.StringValue(key); ok {
				r.strings = append(r.strings, v)
			} else if w := brief(t.Text(key)); w != "nil" {
				r.consts = append(r.consts, w) // 1: execHandler is a command like any other
			}
			x.tableRow(kids[1], r, depth+1)
			return
		}
	case "identifier", "qualified_identifier", "selector_expression":
		if !t.IsConstant(n) {
			r.funcs = append(r.funcs, t.Text(n))
		} else if w := t.Text(n); !trivial[w] {
			r.consts = append(r.consts, w)
		}
		return
	case "number_literal", "int_literal", "char_literal", "rune_literal":
		if w := constValue(t, n); !trivial[w] {
			r.consts = append(r.consts, w)
		}
		return
	case "pointer_expression", "cast_expression", "unary_expression", "parenthesized_expression":
		// &RunCommand, (CMD_FN)RunCommand
		kids := t.NamedChildren(n)
		if len(kids) > 0 {
			x.tableRow(kids[len(kids)-1], r, depth+1)
		}
		return
	}
	for _, c := range t.NamedChildren(n) {
		x.tableRow(c, r, depth+1)
	}
}
