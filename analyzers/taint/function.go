package taint

import (
	"slices"
	"strings"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/analyzers/syntax"
)

// fnState is one function being summarised.
type fnState struct {
	x          *extractor
	fn         syntax.Node
	class      string // C++ class or Go receiver type of a method
	recv       string // Go receiver name
	out        finding.Function
	g          *graph
	locals     map[string]bool
	paramIdx   map[string]int  // name → index (-1: receiver)
	through    map[string]bool // parameters written through on rebinding (C++ references)
	callIdx    map[syntax.Node]int
	callAt     []syntax.Node
	branch     []syntax.Node          // per comparison: the statement run on a match, or NoNode
	argMem     []argMem               // the memory each call argument denotes, for per-field out-ports
	closures   map[string]syntax.Node // local variables holding a closure, by name
	results    []string               // Go named results, which a bare `return` returns
	chans      map[string]bool        // Go channels of the function, found on first use
	resultVars []resultVar            // locals assigned a call's result, for per-field ports
	qcalls     map[qkey]int           // the calls that stand for expressions queries captured
	vers       map[syntax.Node]string // versioned names of the uses of reused locals (see versions.go)
	aliases    map[string]string      // local pointers to the memory they were set to (`cp = buf`)
	aliasing   bool                   // a write through an alias is being recorded
	gotten     map[string]bool        // locals holding what a call returned (tables a getter hands out)
}

// argMem is the access path an argument of a call denotes.
type argMem struct {
	call, arg int
	path      string
	at        syntax.Node
}

// params reads the parameter list and connects each parameter port to its name.
func (f *fnState) params() {
	t := f.x.t
	list := syntax.NoNode
	switch t.Kind(f.fn) {
	case "function_definition":
		d := t.Child(f.fn, "declarator")
		for depth := 0; d >= 0 && depth < 16 && t.Kind(d) != "function_declarator"; depth++ {
			next := t.Child(d, "declarator")
			if next < 0 {
				next = t.NamedChild(d, 0)
			}
			d = next
		}
		list = t.Child(d, "parameters")
		if f.class != "" {
			f.receiver("this")
		}
	case "function_declaration", "method_declaration":
		list = t.Child(f.fn, "parameters")
		f.namedResults(t.Child(f.fn, "result"))
		if recv := t.Child(f.fn, "receiver"); recv >= 0 {
			if p := t.NamedChild(recv, 0); p >= 0 {
				f.recv = t.Text(t.Child(p, "name"))
				f.receiver(f.recv)
			}
		}
	}
	for _, p := range t.NamedChildren(list) {
		switch t.Kind(p) {
		case "parameter_declaration", "optional_parameter_declaration":
			names := t.Children(p, "name") // Go: a, b int
			if len(names) == 0 {
				d := t.Child(p, "declarator")
				f.param(declName(t, d), p, t.Kind(d) == "reference_declarator")
				continue
			}
			for _, n := range names {
				f.param(t.Text(n), n, false)
			}
		case "variadic_parameter", "variadic_parameter_declaration":
			f.out.Variadic = true
			if n := t.Child(p, "name"); n >= 0 {
				f.param(t.Text(n), n, false)
			}
		}
	}
}

// resultVar is a local assigned the result of a call: `agent := New()`.
type resultVar struct {
	call int
	name string
}

// fieldPorts gives each parameter, and each local assigned a call's result, one port per
// field the function reads by name, and one for its other fields: data that a caller put in
// one field of an object, or that a callee returned in one, then reaches reads of that field
// and of the whole object, not reads of its other fields — nor the object a method is called
// on, whose fields the method reads as member state (`a := agent.New(); a.ID()` does not
// return the host name New stored in a.host).
func (f *fnState) fieldPorts() {
	names := make([]string, f.out.Params)
	for name, i := range f.paramIdx {
		if i >= 0 && i < len(names) {
			names[i] = name
		}
	}
	for i, name := range names {
		if name != "" {
			f.fieldPort(name, finding.Port{K: finding.PortParam, I: i}, "parameter "+name)
		}
	}
	for _, r := range f.resultVars {
		f.fieldPort(r.name, finding.Port{K: finding.PortResult, C: r.call}, "copied into "+baseName(r.name))
	}
}

func (f *fnState) fieldPort(name string, base finding.Port, msg string) {
	var fields []string
	for _, r := range f.g.reads {
		if rest, ok := strings.CutPrefix(r.path, name+"."); ok {
			if field := firstField("x." + rest); field != otherField && !slices.Contains(fields, field) {
				fields = append(fields, field)
			}
		}
	}
	slices.Sort(fields)
	step := finding.Step{Location: f.out.Location, Message: msg}
	for _, field := range append([]string{otherField}, fields...) {
		p := base
		p.G = field
		f.g.hand(name+field, p, step)
	}
}

// namedResults records a Go function's named results (`(b []byte, err error)`): a bare
// `return` returns them. Errors stay out, as they do from `v, err := f()` (assignLists).
func (f *fnState) namedResults(list syntax.Node) {
	t := f.x.t
	if t.Kind(list) != "parameter_list" {
		return
	}
	for _, p := range t.NamedChildren(list) {
		if t.Kind(p) != "parameter_declaration" {
			continue
		}
		for _, n := range t.Children(p, "name") {
			if name := t.Text(n); name != "_" && name != "err" {
				f.results = append(f.results, name)
			}
		}
	}
}

// receiver declares a method's receiver: the object the method is called on. What a method
// writes into the object's fields is member state, which flows between methods through
// member keys (see globalKey) field by field, not back out through the receiver (see write):
// otherwise one field tainted by one method would come back to the caller as the whole
// object, and taint every field of it in every later method.
func (f *fnState) receiver(name string) {
	f.out.Receiver = true
	if name == "" {
		return
	}
	f.paramIdx[name] = -1
	f.locals[name] = true
	f.g.write(name, []operand{{v: f.g.port(finding.Port{K: finding.PortParam, I: -1})}}, finding.Step{})
}

func (f *fnState) param(name string, at syntax.Node, reference bool) {
	i := f.out.Params
	f.out.Params++
	if name == "" {
		return // an unnamed parameter carries nothing anywhere
	}
	f.paramIdx[name] = i
	f.locals[name] = true
	f.through[name] = reference
	port := f.g.port(finding.Port{K: finding.PortParam, I: i})
	f.g.write(name, []operand{{v: port}}, f.x.step(at, "parameter %s", name))
}

// declareLocals collects every name declared in the function, so that any other name read
// or written is global (or class member) state.
func (f *fnState) declareLocals() {
	t := f.x.t
	for n := f.fn + 1; n < t.SubtreeEnd(f.fn); n++ {
		switch t.Kind(n) {
		case "declaration", "parameter_declaration", "optional_parameter_declaration", "for_range_loop", "catch_clause":
			for _, d := range t.Children(n, "declarator") {
				f.local(declName(t, d))
				if v := t.Child(d, "value"); t.Kind(d) == "init_declarator" && t.Kind(v) == "lambda_expression" {
					f.closures[declName(t, d)] = v
				}
			}
			for _, name := range t.Children(n, "name") {
				f.local(t.Text(name))
			}
		case "short_var_declaration", "range_clause":
			lefts, rights := t.NamedChildren(t.Child(n, "left")), t.NamedChildren(t.Child(n, "right"))
			for i, l := range lefts {
				f.local(t.Text(l))
				if i < len(rights) && t.Kind(rights[i]) == "func_literal" {
					f.closures[t.Text(l)] = rights[i]
				}
			}
		case "var_spec", "const_spec":
			for _, name := range t.Children(n, "name") {
				f.local(t.Text(name))
			}
		}
	}
}

func (f *fnState) local(name string) {
	if name != "" && name != "_" {
		f.locals[name] = true
	}
}

// globalKey names the global or member state a path belongs to. C++ class members (this->x,
// or a bare name that is not local inside a method) are keyed by class; a Go method's
// receiver fields by receiver type; other names by file (static) or program.
func (f *fnState) globalKey(path string, write bool) (string, bool) {
	x := f.x
	rest := strings.TrimPrefix(path, root(path)+".")
	r := baseName(root(path))
	field := root(rest)
	switch {
	case r == "this" && rest != path:
		return "cpp:" + lastSegment(f.class) + "::" + field, true
	case r == f.recv && r != "" && rest != path:
		return "go:" + x.dir + ":" + f.class + "." + field, true
	case write && rest != path && f.locals[r]:
		// A field of a local object of a class of the program: what a method of the class
		// reads as member state.
		if typ := f.x.t.VarType(r, f.fn); typ != "" && !strings.ContainsAny(typ, "/<") {
			if x.t.Lang == source.Go && !strings.Contains(typ, ".") {
				return "go:" + x.dir + ":" + typ + "." + field, true
			}
			if x.t.Lang == source.CPP {
				return "cpp:" + lastSegment(typ) + "::" + field, true
			}
		}
		return "", false
	case f.locals[r] || r == "this" || r == "":
		return "", false
	case x.t.Lang == source.Go:
		if x.t.IsImport(r) {
			return "", false
		}
		return "go:" + x.dir + ":" + r, true
	case x.statics[r]:
		return "g:" + r + "@" + x.path, true
	case x.globals[r]:
		return "g:" + r, true // a global the file declares, even inside a method
	case f.class != "":
		return "cpp:" + f.class + "::" + r, true
	}
	return "g:" + r, true
}

// body walks every node of the function once and records what each does to data.
func (f *fnState) body() {
	t := f.x.t
	end := t.SubtreeEnd(f.fn)
	for n := f.fn + 1; n < end; n++ {
		if t.IsFunction(n) {
			n = t.SubtreeEnd(n) - 1 // a nested definition is summarised on its own
			continue
		}
		f.effect(n)
	}
	f.queryStatements()
	f.resolveActions()
}

// effect records what statement or expression n does, beyond computing a value.
func (f *fnState) effect(n syntax.Node) {
	t := f.x.t
	switch t.Kind(n) {
	case "call_expression":
		f.call(n)
	case "assignment_expression":
		f.assign(t.Child(n, "left"), t.Child(n, "right"), n)
	case "init_declarator":
		if v := t.Child(n, "value"); v >= 0 {
			f.assign(t.Child(n, "declarator"), v, n)
		}
	case "declaration":
		f.declaration(n)
	case "short_var_declaration", "assignment_statement":
		f.assignLists(t.NamedChildren(t.Child(n, "left")), t.NamedChildren(t.Child(n, "right")), n)
	case "var_spec":
		f.assignLists(t.Children(n, "name"), t.NamedChildren(t.Child(n, "value")), n)
	case "range_clause":
		f.assignLists(t.NamedChildren(t.Child(n, "left")), []syntax.Node{t.Child(n, "right")}, n)
	case "receive_statement": // case v := <-ch: in a select
		f.assignLists(t.NamedChildren(t.Child(n, "left")), []syntax.Node{t.Child(n, "right")}, n)
	case "for_range_loop":
		f.assign(t.Child(n, "declarator"), t.Child(n, "right"), n)
	case "send_statement":
		f.assign(t.Child(n, "channel"), t.Child(n, "value"), n)
	case "return_statement":
		ret := finding.Port{K: finding.PortReturn}
		step := f.x.step(n, "returned from %s", f.out.Name)
		var ops []operand
		for _, c := range t.NamedChildren(n) {
			if t.Kind(c) == "expression_list" {
				for _, e := range t.NamedChildren(c) {
					ops = append(ops, f.returned(e, ret, step)...)
				}
				continue
			}
			ops = append(ops, f.returned(c, ret, step)...)
		}
		if t.NamedChild(n, 0) < 0 {
			for _, r := range f.results {
				f.g.connectFields(r, ret, step)
			}
		}
		f.g.connect(ops, f.g.port(ret), step)
		if kids := t.NamedChildren(n); len(kids) >= 1 && f.out.Returns == "" {
			e := kids[0]
			if t.Kind(e) == "expression_list" {
				e = t.NamedChild(e, 0)
			}
			if t.Kind(e) == "identifier" && !f.locals[t.Text(e)] && !t.IsConstant(e) {
				f.out.Returns = t.Text(e)
			}
		}
	case "expression_statement":
		f.stream(t.NamedChild(n, 0))
	case "binary_expression":
		f.compareEq(n)
	case "switch_statement", "expression_switch_statement":
		f.switchCases(n)
	case "subscript_expression", "index_expression":
		f.tableLookup(n)
	}
}

// returned is what returning e adds to the function's result: a local object returned whole
// goes field by field (connectFields), anything else as its value.
func (f *fnState) returned(e syntax.Node, ret finding.Port, step finding.Step) []operand {
	if name, ok := f.wholeLocal(e); ok {
		f.g.connectFields(name, ret, step)
		return nil
	}
	return f.value(e, 0)
}

// wholeLocal returns the local variable (or parameter) an expression denotes as a whole:
// `agent`, `&info` — not a field of it, not a call.
func (f *fnState) wholeLocal(e syntax.Node) (string, bool) {
	t := f.x.t
	if _, captured := f.x.qvalue[e]; captured {
		return "", false // a query model stands for this value (see queried)
	}
	for depth := 0; depth < 4; depth++ {
		switch t.Kind(e) {
		case "parenthesized_expression":
			e = t.NamedChild(e, 0)
			continue
		case "pointer_expression", "unary_expression":
			if op := t.Child(e, "operator"); t.Text(op) == "&" {
				inner := t.Child(e, "argument")
				if inner < 0 {
					inner = t.Child(e, "operand")
				}
				e = inner
				continue
			}
		}
		break
	}
	if _, captured := f.x.qvalue[e]; captured || t.Kind(e) != "identifier" {
		return "", false
	}
	name := t.Text(e)
	if !f.locals[name] || name == f.recv {
		return "", false
	}
	return f.versioned(e, name), true
}

// declaration handles the declarations an init_declarator does not: a declaration in a
// condition (`while (struct dirent *e = readdir(d))`) and C++'s most vexing parse, where
// `std::string msg(buf);` reads to the parser as a function declaration but constructs msg
// from buf.
func (f *fnState) declaration(n syntax.Node) {
	t := f.x.t
	if v := t.Child(n, "value"); v >= 0 {
		f.assign(t.Child(n, "declarator"), v, n)
		return
	}
	if t.Lang != source.CPP {
		return
	}
	for _, d := range t.Children(n, "declarator") {
		if t.Kind(d) != "function_declarator" {
			continue
		}
		name := t.Child(d, "declarator")
		var ops []operand
		for _, p := range t.NamedChildren(t.Child(d, "parameters")) {
			typ := t.Child(p, "type")
			if t.Kind(p) != "parameter_declaration" || t.Child(p, "declarator") >= 0 || typ < 0 {
				ops = nil // a real parameter: this is a function declaration after all
				break
			}
			if k := t.Kind(typ); k == "type_identifier" && f.locals[t.Text(typ)] || k == "qualified_identifier" {
				ops = append(ops, operand{path: strings.ReplaceAll(t.Text(typ), "::", "_")})
			}
		}
		if len(ops) > 0 && t.Kind(name) == "identifier" {
			f.write(t.Text(name), name, ops, f.x.step(d, "constructed into %s", t.Text(name)), false)
		}
	}
}

// stream handles `out << a << b;`: everything shifted in flows into the leftmost operand.
func (f *fnState) stream(e syntax.Node) {
	t := f.x.t
	if t.Kind(e) != "binary_expression" || t.Text(t.Child(e, "operator")) != "<<" {
		return
	}
	var ops []operand
	left := e
	for depth := 0; t.Kind(left) == "binary_expression" && t.Text(t.Child(left, "operator")) == "<<" && depth < syntax.MaxDepth; depth++ {
		ops = append(ops, f.value(t.Child(left, "right"), 0)...)
		left = t.Child(left, "left")
	}
	if p, ok := f.lpath(left, 0); ok {
		f.write(p, left, ops, f.x.step(e, "written into %s", brief(t.Text(left))), false)
	}
}

// assignLists pairs `a, b := x, y`; a single right-hand call gives all its results to every
// name (`conn, err := net.Dial(…)`).
func (f *fnState) assignLists(lefts, rights []syntax.Node, at syntax.Node) {
	t := f.x.t
	for i, l := range lefts {
		switch {
		case len(rights) == 1 && len(lefts) > 1 && t.Kind(l) == "identifier" && t.Text(l) == "err":
			// `v, err := f()`: a call's results share one port, and the error beside the
			// data would carry it too, through every `return err` of the program.
			continue
		case len(rights) == 1:
			f.assign(l, rights[0], at)
		case i < len(rights):
			f.assign(l, rights[i], at)
		}
	}
}

// assign records `left = right`.
func (f *fnState) assign(left, right syntax.Node, at syntax.Node) {
	if left < 0 || right < 0 {
		return
	}
	t := f.x.t
	f.store(left, right)
	if t.Kind(right) == "initializer_list" || t.Kind(right) == "composite_literal" {
		f.x.table(declName(t, left), right)
	}
	p, ok := f.lpath(left, 0)
	if !ok {
		if p = declName(t, left); p == "" {
			return
		}
	}
	if r := unwrap(t, right); t.Kind(r) == "call_expression" && !f.conversion(r) && !strings.Contains(p, ".") && f.locals[baseName(p)] {
		f.resultVars = append(f.resultVars, resultVar{call: f.call(r), name: p})
	}
	if f.keyedLiteral(p, left, right, at) {
		return
	}
	if target, ok := f.pointee(right); ok && !f.throughWrite(left) && !strings.Contains(p, ".") && root(target) != p {
		f.aliases[p] = target
	}
	// A constant stored under a condition (`if (strstr(line, "dpkg")) installed = 1;`) is a
	// flag, not the data; under a bit test of key state it is the key typed.
	ops := append(f.value(right, 0), f.guards(at, t.IsConstant(right))...)
	f.write(p, left, ops, f.x.step(at, "copied into %s", brief(t.Text(left))), false)
}

// keyedLiteral records `cfg := Config{AgentID: id, Protocol: p}` (Go) and `struct cfg c =
// { .host = h }` (C) field by field: each value goes into its field of p, so that a read of
// cfg.Protocol does not see the agent id. It reports false when right is not such a literal.
func (f *fnState) keyedLiteral(p string, left, right, at syntax.Node) bool {
	t := f.x.t
	lit := right
	if k := t.Kind(lit); k == "unary_expression" || k == "pointer_expression" {
		lit = t.NamedChild(lit, 0) // &Config{…}
	}
	body := lit
	switch t.Kind(lit) {
	case "composite_literal":
		body = t.Child(lit, "body")
		f.literalFields(lit, 0)
	case "initializer_list":
	default:
		return false
	}
	elems := t.NamedChildren(body)
	if len(elems) == 0 {
		return false
	}
	type field struct {
		name  string
		value syntax.Node
	}
	var fields []field
	for _, el := range elems {
		switch t.Kind(el) {
		case "keyed_element":
			kids := t.NamedChildren(el)
			if len(kids) != 2 {
				return false
			}
			name := strings.TrimSpace(t.Text(kids[0]))
			if !identifier(name) {
				return false // a map literal's keys are values, not fields
			}
			fields = append(fields, field{name, kids[1]})
		case "initializer_pair":
			d := t.NamedChild(t.Child(el, "designator"), 0)
			if t.Kind(t.Child(el, "designator")) != "field_designator" || d < 0 {
				return false
			}
			fields = append(fields, field{t.Text(d), t.Child(el, "value")})
		case "comment":
		default:
			return false // positional elements: the literal is written as a whole
		}
	}
	for _, fl := range fields {
		f.write(p+"."+fl.name, left, f.value(fl.value, 0), f.x.step(fl.value, "copied into %s.%s", brief(t.Text(left)), fl.name), false)
	}
	return true
}

// guards are the values that decide whether the assignment at n runs: the conditions of the
// if statements around it, up to the function. A keylogger stores the key it polled only
// when GetAsyncKeyState says so; the key state reaches the buffer through that condition.
// Comparisons yield truth values and carry nothing (see value), so `if (n == 0)` adds none.
// With onlyBits, only bit tests count (see assign).
func (f *fnState) guards(n syntax.Node, onlyBits bool) []operand {
	t := f.x.t
	var out []operand
	for p, depth := t.Parent(n), 0; p > f.fn && depth < 32; p, depth = t.Parent(p), depth+1 {
		if t.Kind(p) != "if_statement" {
			continue
		}
		cond := t.Child(p, "condition")
		if cond >= 0 && !t.Contains(cond, n) {
			out = append(out, f.guardValue(cond, 0, onlyBits)...)
		}
	}
	return out
}

// guardValue is what a condition passes to the code it guards. A bit test compared with a
// constant, `state&0x1 != 0`, is still the tested bits — Go cannot write it any other way —
// while any other comparison carries nothing.
func (f *fnState) guardValue(cond syntax.Node, depth int, onlyBits bool) []operand {
	t := f.x.t
	for t.Kind(cond) == "parenthesized_expression" || t.Kind(cond) == "condition_clause" {
		cond = t.NamedChild(cond, 0)
	}
	switch {
	case t.Kind(cond) == "assignment_expression" || t.Kind(cond) == "init_declarator":
		// if ((fp = fopen(path, "r"))): the test is whether the call succeeded.
		return nil
	case bitTest(t, cond):
		return f.value(cond, 0)
	case onlyBits:
		if t.Kind(cond) == "binary_expression" && depth <= 8 {
			l, r := t.Child(cond, "left"), t.Child(cond, "right")
			switch t.Text(t.Child(cond, "operator")) {
			case "&&", "||", "==", "!=":
				return append(f.guardValue(l, depth+1, true), f.guardValue(r, depth+1, true)...)
			}
		}
		return nil
	case t.Kind(cond) != "binary_expression" || depth > 8:
		return f.value(cond, 0)
	}
	l, r := t.Child(cond, "left"), t.Child(cond, "right")
	switch t.Text(t.Child(cond, "operator")) {
	case "&&", "||":
		return append(f.guardValue(l, depth+1, false), f.guardValue(r, depth+1, false)...)
	case "==", "!=":
		if t.IsConstant(l) {
			l, r = r, l
		}
		if t.IsConstant(r) && bitTest(t, l) {
			return f.value(l, 0)
		}
		return nil
	}
	return f.value(cond, 0)
}

// bitTest reports whether n is `x & mask`.
func bitTest(t *syntax.Tree, n syntax.Node) bool {
	for t.Kind(n) == "parenthesized_expression" {
		n = t.NamedChild(n, 0)
	}
	return t.Kind(n) == "binary_expression" && t.Text(t.Child(n, "operator")) == "&" &&
		(t.IsConstant(t.Child(n, "right")) || t.IsConstant(t.Child(n, "left")))
}

// write records ops flowing into the memory at path p (written as lhs in the code). A write
// through a parameter — into what it points to or refers to — also leaves the function;
// through says the caller knows it is one (a call writing through a pointer argument).
func (f *fnState) write(p string, lhs syntax.Node, ops []operand, step finding.Step, through bool) {
	f.g.write(p, ops, step)
	if target, ok := f.aliases[root(p)]; ok && (through || f.throughWrite(lhs)) && !f.aliasing {
		// *cp++ = c with cp = buf: the write lands in buf (and leaves the function when buf
		// is a parameter's memory).
		f.aliasing = true
		f.write(target+strings.TrimPrefix(p, root(p)), lhs, ops, step, true)
		f.aliasing = false
	}
	r := baseName(root(p))
	i, isParam := f.paramIdx[r]
	if !isParam || r == "this" || i == -1 && p != r {
		return // a receiver's fields are member state (globalKey), not an out-parameter
	}
	if through || root(p) != p || f.through[r] || f.throughWrite(lhs) {
		// A write into one field of what a parameter points to leaves as that field, so a
		// caller reading another field of the same struct is not tainted by it.
		f.g.connect(ops, f.g.port(finding.Port{K: finding.PortParamOut, I: i, G: firstField(p)}), step)
	}
}

// firstField is the first field of an access path, with its dot (".computer" of
// "info.computer.name"), or "" for the whole object.
func firstField(p string) string {
	i := strings.IndexByte(p, '.')
	if i < 0 {
		return ""
	}
	rest := p[i+1:]
	if j := strings.IndexByte(rest, '.'); j >= 0 {
		rest = rest[:j]
	}
	return "." + rest
}

// pointee returns the local memory a pointer expression points into: `buf` for `buf`,
// `&buf[0]` and `buf + n` in C and C++, `&cfg` anywhere; not a copy of a value.
func (f *fnState) pointee(e syntax.Node) (string, bool) {
	t := f.x.t
	for t.Kind(e) == "parenthesized_expression" || t.Kind(e) == "cast_expression" {
		if t.Kind(e) == "cast_expression" {
			e = t.Child(e, "value")
		} else {
			e = t.NamedChild(e, 0)
		}
	}
	switch t.Kind(e) {
	case "pointer_expression", "unary_expression":
		if t.Text(t.Child(e, "operator")) != "&" {
			return "", false
		}
	case "identifier", "binary_expression":
		if t.Lang == source.Go {
			return "", false // a Go value is copied; only &x points
		}
	default:
		return "", false
	}
	p, ok := f.lpath(e, 0)
	if !ok || !f.locals[baseName(root(p))] {
		return "", false
	}
	return p, true
}

// throughWrite reports whether lhs writes into what a pointer points to (`*p`, `p[i]`)
// rather than rebinding the pointer.
func (f *fnState) throughWrite(lhs syntax.Node) bool {
	t := f.x.t
	switch t.Kind(lhs) {
	case "pointer_expression", "subscript_expression", "index_expression", "field_expression", "selector_expression":
		return true
	case "unary_expression":
		return t.Text(t.Child(lhs, "operator")) == "*"
	case "parenthesized_expression":
		return f.throughWrite(t.NamedChild(lhs, 0))
	case "cast_expression":
		return f.throughWrite(t.Child(lhs, "value"))
	}
	return false
}
