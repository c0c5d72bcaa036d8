package taint

import (
	"fmt"
	"strings"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/analyzers/syntax"
)

// noData are expressions whose value carries nothing of the data around them: literals,
// sizes, and function bodies (which are walked on their own).
var noData = map[string]bool{
	"string_literal": true, "raw_string_literal": true, "concatenated_string": true, "char_literal": true,
	"number_literal": true, "true": true, "false": true, "null": true, "nullptr": true, "sizeof_expression": true,
	"alignof_expression": true, "offsetof_expression": true, "interpreted_string_literal": true,
	"int_literal": true, "float_literal": true, "imaginary_literal": true, "rune_literal": true, "nil": true,
	"iota": true, "func_literal": true, "lambda_expression": true, "type_descriptor": true, "comment": true,
	"primitive_type": true, "type_identifier": true,
}

// booleanOps yield a truth value: one bit of the data, which glassbox does not follow.
var booleanOps = map[string]bool{"==": true, "!=": true, "<": true, ">": true, "<=": true, ">=": true, "&&": true, "||": true}

// value returns what the value of expression n is made of.
func (f *fnState) value(n syntax.Node, depth int) []operand {
	ops := f.valueOf(n, depth)
	if len(f.x.qvalue) > 0 {
		ops = f.queried(n, ops)
	}
	return ops
}

func (f *fnState) valueOf(n syntax.Node, depth int) []operand {
	t := f.x.t
	if n < 0 || depth > syntax.MaxDepth {
		return nil
	}
	kind := t.Kind(n)
	switch {
	case noData[kind] || t.IsConstant(n):
		return nil
	case kind == "call_expression":
		if f.conversion(n) {
			return f.value(t.NamedChild(t.Child(n, "arguments"), 0), depth+1)
		}
		return []operand{{v: f.g.port(finding.Port{K: finding.PortResult, C: f.call(n)})}}
	case kind == "assignment_expression":
		return f.value(t.Child(n, "left"), depth+1)
	case kind == "binary_expression":
		if booleanOps[t.Text(t.Child(n, "operator"))] {
			return nil
		}
		// Both operands make the value (a + b); only writes through buf + off treat the left
		// one as the memory.
		return append(f.value(t.Child(n, "left"), depth+1), f.value(t.Child(n, "right"), depth+1)...)
	case kind == "unary_expression":
		if op := t.Text(t.Child(n, "operator")); op == "!" {
			return nil
		}
	case kind == "conditional_expression":
		return append(f.value(t.Child(n, "consequence"), depth+1), f.value(t.Child(n, "alternative"), depth+1)...)
	case kind == "comma_expression":
		return f.value(t.Child(n, "right"), depth+1)
	case kind == "cast_expression":
		return f.value(t.Child(n, "value"), depth+1)
	case kind == "keyed_element":
		kids := t.NamedChildren(n)
		if len(kids) > 0 {
			return f.value(kids[len(kids)-1], depth+1)
		}
		return nil
	case kind == "composite_literal":
		f.literalFields(n, depth)
	}
	if p, ok := f.lpath(n, depth); ok {
		ops := []operand{{path: p}}
		if len(f.x.qvalue) > 0 {
			ops = append(ops, f.capturedWithin(n, depth)...)
		}
		return ops
	}
	var out []operand
	for _, c := range t.NamedChildren(n) {
		out = append(out, f.value(c, depth+1)...)
	}
	return out
}

// literalFields stores the fields a Go composite literal of a struct of the package sets
// (`&Client{conn: conn}`) in the struct's member state, as `c.conn = conn` in a method
// would: a method called on the value later reads them there.
func (f *fnState) literalFields(n syntax.Node, depth int) {
	t := f.x.t
	typ := t.TypeOf(n)
	if typ == "" || strings.ContainsAny(typ, "./[") {
		return
	}
	for _, el := range t.NamedChildren(t.Child(n, "body")) {
		kids := t.NamedChildren(el)
		if t.Kind(el) != "keyed_element" || len(kids) != 2 {
			continue
		}
		key := strings.TrimSpace(t.Text(kids[0]))
		if !identifier(key) {
			continue
		}
		member := "go:" + f.x.dir + ":" + typ + "." + key
		hub := f.g.port(finding.Port{K: finding.PortGlobalOut, G: member})
		f.g.connect(f.value(kids[1], depth+1), hub, f.x.step(kids[1], "stored in %s.%s", typ, key))
		if v := unwrapLiteral(t, kids[1]); t.Kind(v) == "identifier" && f.channels()[t.Text(v)] {
			// &Connection{Send: send}: a channel is shared, not copied, so what is later sent
			// on conn.Send arrives where this function reads send (its writer goroutine).
			in := f.g.port(finding.Port{K: finding.PortGlobalIn, G: member})
			f.g.write(t.Text(v), []operand{{v: in}}, f.x.step(kids[1], "sent on the channel %s.%s", typ, key))
		}
	}
}

// unwrapLiteral returns the expression a Go literal element holds.
func unwrapLiteral(t *syntax.Tree, n syntax.Node) syntax.Node {
	if t.Kind(n) == "literal_element" && t.NamedChild(n, 0) >= 0 {
		return t.NamedChild(n, 0)
	}
	return n
}

// channels returns the function's Go locals and parameters of channel type, found once.
func (f *fnState) channels() map[string]bool {
	if f.chans != nil {
		return f.chans
	}
	t := f.x.t
	f.chans = map[string]bool{}
	for n := f.fn + 1; n < t.SubtreeEnd(f.fn); n++ {
		switch t.Kind(n) {
		case "parameter_declaration", "var_spec":
			if t.Kind(t.Child(n, "type")) == "channel_type" {
				for _, name := range t.Children(n, "name") {
					f.chans[t.Text(name)] = true
				}
			}
		case "short_var_declaration", "assignment_statement":
			lefts, rights := t.NamedChildren(t.Child(n, "left")), t.NamedChildren(t.Child(n, "right"))
			for i, r := range rights {
				fn := t.Child(r, "function")
				if i < len(lefts) && t.Kind(r) == "call_expression" && t.Text(fn) == "make" &&
					t.Kind(t.NamedChild(t.Child(r, "arguments"), 0)) == "channel_type" {
					f.chans[t.Text(lefts[i])] = true
				}
			}
		}
	}
	return f.chans
}

// conversion reports whether a Go call is a type conversion (`string(b)`, `[]byte(s)`),
// which passes its operand through unchanged.
func (f *fnState) conversion(n syntax.Node) bool {
	t := f.x.t
	if t.Lang != source.Go {
		return false
	}
	fn := t.Child(n, "function")
	switch t.Kind(fn) {
	case "slice_type", "array_type", "map_type", "pointer_type", "qualified_type", "parenthesized_type":
		return true
	case "identifier":
		switch t.Text(fn) {
		case "string", "byte", "rune", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16",
			"uint32", "uint64", "uintptr", "float32", "float64", "any":
			return true
		}
	case "selector_expression":
		// unsafe.Pointer(&buf): how Go hands memory to a Windows procedure.
		return t.Text(fn) == "unsafe.Pointer"
	}
	return false
}

// lpath returns the access path an expression denotes: "buf", "info.computer", "this.m_sock".
// Array elements, dereferences and pointer arithmetic stand for the whole object.
func (f *fnState) lpath(n syntax.Node, depth int) (string, bool) {
	t := f.x.t
	if n < 0 || depth > syntax.MaxDepth {
		return "", false
	}
	switch t.Kind(n) {
	case "identifier":
		return f.versioned(n, t.Text(n)), true
	case "field_identifier":
		return t.Text(n), true
	case "this":
		return "this", true
	case "qualified_identifier":
		return strings.ReplaceAll(strings.Join(strings.Fields(t.Text(n)), ""), "::", "_"), true
	case "field_expression":
		base, ok := f.lpath(t.Child(n, "argument"), depth+1)
		if !ok {
			return "", false
		}
		return base + "." + t.Text(t.Child(n, "field")), true
	case "selector_expression":
		operand := t.Child(n, "operand")
		if t.Kind(operand) == "identifier" && t.IsImport(t.Text(operand)) && !f.locals[t.Text(operand)] {
			return "", false // a package-qualified name: a constant or another package's state
		}
		base, ok := f.lpath(operand, depth+1)
		if !ok {
			return "", false
		}
		return base + "." + t.Text(t.Child(n, "field")), true
	case "subscript_expression":
		return f.lpath(t.Child(n, "argument"), depth+1)
	case "index_expression", "slice_expression", "type_assertion_expression":
		return f.lpath(t.Child(n, "operand"), depth+1)
	case "pointer_expression":
		return f.lpath(t.Child(n, "argument"), depth+1)
	case "unary_expression":
		switch t.Text(t.Child(n, "operator")) {
		case "*", "&", "<-":
			if a := t.Child(n, "argument"); a >= 0 {
				return f.lpath(a, depth+1)
			}
			return f.lpath(t.Child(n, "operand"), depth+1)
		}
	case "parenthesized_expression":
		return f.lpath(t.NamedChild(n, 0), depth+1)
	case "update_expression": // *cp++
		return f.lpath(t.Child(n, "argument"), depth+1)
	case "cast_expression":
		return f.lpath(t.Child(n, "value"), depth+1)
	case "binary_expression":
		// Pointer arithmetic, buf + off: the memory is buf's.
		if op := t.Text(t.Child(n, "operator")); op == "+" || op == "-" {
			return f.lpath(t.Child(n, "left"), depth+1)
		}
	case "call_expression":
		if f.conversion(n) {
			return f.lpath(t.NamedChild(t.Child(n, "arguments"), 0), depth+1)
		}
		// v.data(), s.c_str(), str.GetBuffer(n): the memory is v's.
		if fn := t.Child(n, "function"); t.Kind(fn) == "field_expression" && bufferMethods[t.Text(t.Child(fn, "field"))] {
			return f.lpath(t.Child(fn, "argument"), depth+1)
		}
	}
	return "", false
}

// bufferMethods return a pointer into their object's own storage.
var bufferMethods = map[string]bool{"data": true, "c_str": true, "GetBuffer": true, "GetBufferSetLength": true,
	"buffer": true, "begin": true, "get": true, "constData": true, "GetData": true}

// call records a call site once and returns its index. Each argument flows into the call,
// and whatever the callee writes through an argument flows back into that argument's memory.
func (f *fnState) call(n syntax.Node) int {
	if i, ok := f.callIdx[n]; ok {
		return i
	}
	t := f.x.t
	c := f.x.calls[n]
	idx := len(f.out.Calls)
	f.callIdx[n] = idx
	f.out.Calls = append(f.out.Calls, finding.CallSite{})
	f.callAt = append(f.callAt, n)
	if c == nil {
		return idx // not a call the index knows (inside an ERROR node)
	}
	callee := brief(t.Text(c.Callee))
	site := finding.CallSite{Names: c.Names, Callee: callee, Location: f.x.loc(n)}
	if recv := f.receiverOf(c); recv >= 0 {
		site.Receiver = true
		site.Via, _ = f.storeTarget(recv)
		if untyped(c.Names) {
			site.Field, site.Owner = f.memberOf(recv)
		}
		f.flowArg(idx, -1, recv, callee, "its object", true)
	}
	pure := f.isCallOf(n, equalFuncs) || f.isCallOf(n, searchFuncs)
	for i, a := range c.Args() {
		site.Args = append(site.Args, f.argInfo(a))
		f.flowArg(idx, i, a, callee, fmt.Sprintf("argument %d", i+1), !pure)
		f.closureParams(idx, i, a, callee)
	}
	site.Table = f.tableCall(idx, c.Callee)
	site.Param = f.paramCallee(c.Callee)
	f.out.Calls[idx] = site
	f.closureCall(c)
	f.compareCall(idx, n, c)
	return idx
}

// flowArg connects argument i of call idx: its value flows into the call, and, when the
// callee may write through it (writes says whether it may at all: comparisons never do),
// what the callee writes flows back into the argument's memory.
func (f *fnState) flowArg(idx, i int, a syntax.Node, callee, what string, writes bool) {
	t := f.x.t
	in := f.g.port(finding.Port{K: finding.PortArg, C: idx, I: i})
	step := f.x.step(a, "passed to %s as %s", callee, what)
	if name, ok := f.wholeLocal(a); ok && i >= 0 {
		f.g.connectFields(name, finding.Port{K: finding.PortArg, C: idx, I: i}, step)
	} else {
		ops := f.value(a, 0)
		if i == -1 {
			for k := range ops {
				ops[k].exact = true // the object, not its fields (see operand)
			}
		}
		f.g.connect(ops, in, step)
	}
	if p, ok := f.lpath(a, 0); ok && writes && !t.IsConstant(a) {
		f.argMem = append(f.argMem, argMem{call: idx, arg: i, path: p, at: a})
		out := f.g.port(finding.Port{K: finding.PortArgOut, C: idx, I: i})
		f.write(p, a, []operand{{v: out}}, f.x.step(a, "written into %s by %s", brief(t.Text(a)), callee), true)
	}
}

// paramCallee returns 1 + the index of the parameter a call goes through (`cb(x)`,
// `(*cb)(x)`), or 0.
func (f *fnState) paramCallee(callee syntax.Node) int {
	t := f.x.t
	for depth := 0; depth < 4; depth++ {
		switch t.Kind(callee) {
		case "parenthesized_expression", "pointer_expression":
			callee = t.NamedChild(callee, 0)
			continue
		}
		break
	}
	if t.Kind(callee) != "identifier" {
		return 0
	}
	if i, ok := f.paramIdx[t.Text(callee)]; ok && i >= 0 {
		return i + 1
	}
	return 0
}

// untyped reports whether a method call is known only by its method name ("*.write").
func untyped(names []string) bool {
	for _, n := range names {
		if !strings.HasPrefix(n, "*.") {
			return false
		}
	}
	return len(names) > 0
}

// memberOf names the field a receiver is, and the class it belongs to when that is the
// method's own: m_sock and this->m_sock in a C++ method, s.conn in a Go method on s.
func (f *fnState) memberOf(recv syntax.Node) (field, owner string) {
	t := f.x.t
	for t.Kind(recv) == "parenthesized_expression" || t.Kind(recv) == "pointer_expression" {
		recv = t.NamedChild(recv, 0)
	}
	switch t.Kind(recv) {
	case "identifier":
		name := t.Text(recv)
		if t.Lang != source.CPP || f.locals[name] {
			return "", ""
		}
		if _, param := f.paramIdx[name]; param {
			return "", ""
		}
		return name, f.class
	case "field_expression":
		field := t.Text(t.Child(recv, "field"))
		if t.Kind(t.Child(recv, "argument")) == "this" {
			return field, f.class
		}
		return field, ""
	case "selector_expression":
		field := t.Text(t.Child(recv, "field"))
		if op := t.Child(recv, "operand"); t.Kind(op) == "identifier" && f.recv != "" && t.Text(op) == f.recv {
			return field, f.class // the method's receiver
		}
		if op := t.Child(recv, "operand"); t.Kind(op) == "identifier" && t.IsImport(t.Text(op)) {
			return "", "" // a package variable
		}
		return field, ""
	}
	return "", ""
}

// receiverOf returns the object a method is called on, or NoNode.
func (f *fnState) receiverOf(c *syntax.Call) syntax.Node {
	t := f.x.t
	switch t.Kind(c.Callee) {
	case "field_expression":
		return t.Child(c.Callee, "argument")
	case "selector_expression":
		op := t.Child(c.Callee, "operand")
		if t.Kind(op) == "identifier" && t.IsImport(t.Text(op)) && !f.locals[t.Text(op)] {
			return syntax.NoNode
		}
		return op
	}
	return syntax.NoNode
}

// argInfo describes an argument for models that look at arguments (CURLOPT_WRITEFUNCTION,
// callbacks).
func (f *fnState) argInfo(a syntax.Node) finding.Arg {
	t := f.x.t
	info := finding.Arg{Text: brief(t.Text(a)), Const: t.IsConstant(a), Type: t.TypeOf(a)}
	if v, ok := t.StringValue(a); ok {
		info.Value, info.String = v, true
	} else if info.Const {
		info.Value = strings.Join(strings.Fields(t.Text(a)), " ")
	}
	ref := a
	for depth := 0; depth < 4; depth++ {
		switch t.Kind(ref) {
		case "pointer_expression", "unary_expression":
			ref = t.NamedChild(ref, 0)
			continue
		case "cast_expression":
			ref = t.Child(ref, "value")
			continue
		case "parenthesized_expression":
			ref = t.NamedChild(ref, 0)
			continue
		}
		break
	}
	switch t.Kind(ref) {
	case "identifier", "qualified_identifier", "selector_expression":
		if name := t.Text(ref); !f.locals[name] && !info.Const {
			info.Ref = name
		} else if i, ok := f.paramIdx[name]; ok && i >= 0 {
			info.Param = i + 1
		}
	}
	return info
}

// tableCall recognises a call whose callee is picked from a table at run time and returns the
// table's name. `handlers[cmd]()` also compares cmd against every key of the table.
func (f *fnState) tableCall(idx int, callee syntax.Node) string {
	t := f.x.t
	n := callee
	for depth := 0; depth < 6; depth++ {
		switch t.Kind(n) {
		case "parenthesized_expression", "pointer_expression":
			n = t.NamedChild(n, 0)
			continue
		case "field_expression":
			n = t.Child(n, "argument")
			continue
		case "subscript_expression", "index_expression":
			base := t.Child(n, "argument")
			index := subscriptIndex(t, n)
			if base < 0 {
				base = t.Child(n, "operand")
			}
			name, ok := f.lpath(base, 0)
			if !ok {
				return ""
			}
			if callee == n || t.Kind(callee) == "parenthesized_expression" {
				f.addCompare(finding.Comparison{Op: "index", Table: name, Value: brief(t.Text(index))}, index, n, syntax.NoNode)
				f.out.Compares[len(f.out.Compares)-1].Actions = []int{idx}
			}
			return name
		}
		return ""
	}
	return ""
}

// subscriptIndex returns the index of `a[i]`: C and Go name it index, C++ indices.
func subscriptIndex(t *syntax.Tree, n syntax.Node) syntax.Node {
	if i := t.Child(n, "index"); i >= 0 {
		return i
	}
	return t.NamedChild(t.Child(n, "indices"), 0)
}

// tableOf returns the name of the command table an element access reads, or "".
func (f *fnState) tableOf(n syntax.Node) string {
	t := f.x.t
	base := t.Child(n, "argument")
	if base < 0 {
		base = t.Child(n, "operand")
	}
	name := t.Text(base)
	for _, tb := range f.x.sum.Tables {
		if tb.Name == name {
			return name
		}
	}
	// Go maps of handlers live in another file of the package, or come from a getter: the
	// link step finds the table by name.
	if t.Lang == source.Go && t.Kind(base) == "identifier" && !t.IsImport(name) {
		if !f.locals[name] {
			return name
		}
		if _, ok := f.gotten[name]; ok {
			f.gotten[name] = true // a table after all: keep the store (see keepGotten)
			return name
		}
	}
	return ""
}

// keepGotten drops the stores of call results (`x := f()`) that the function never indexes as
// a table: only a getter's table needs them at link time, and most calls return no table.
func (f *fnState) keepGotten(from int) {
	stores := f.x.sum.Stores
	kept := stores[:from]
	for _, s := range stores[from:] {
		if len(s.Result) == 0 || f.gotten[s.Into] {
			kept = append(kept, s)
		}
	}
	f.x.sum.Stores = kept
}

// tableLookup records `handlers[cmd]` with a variable key as a comparison of the key against
// every name of the table.
func (f *fnState) tableLookup(n syntax.Node) {
	t := f.x.t
	name := f.tableOf(n)
	index := subscriptIndex(t, n)
	if name == "" || index < 0 || t.IsConstant(index) {
		return
	}
	if p := t.Parent(n); t.Kind(p) == "call_expression" && t.Child(p, "function") == n {
		return // handlers[cmd]() is recorded with the call
	}
	f.addCompare(finding.Comparison{Op: "index", Table: name, Value: brief(t.Text(index))}, index, n, syntax.NoNode)
}

// store records what will be called through a field, variable or table: an API looked up
// by name, or a function.
func (f *fnState) store(left, right syntax.Node) {
	t := f.x.t
	into, scope := f.storeTarget(left)
	if into == "" {
		return
	}
	r := unwrap(t, right)
	switch t.Kind(r) {
	case "subscript_expression", "index_expression":
		if name := f.tableOf(r); name != "" {
			f.x.sum.Stores = append(f.x.sum.Stores, finding.Store{Into: into, Scope: scope, Table: name})
		}
	case "call_expression":
		if api := f.x.procName(r); api != "" {
			f.x.sum.Stores = append(f.x.sum.Stores, finding.Store{Into: into, Scope: scope, API: api})
		} else if c := f.x.calls[r]; c != nil && scope != "" && t.Lang == source.Go && !f.conversion(r) {
			// sysHandlers := handlers.GetSystemHandlers(): what it returns may be a table.
			f.x.sum.Stores = append(f.x.sum.Stores, finding.Store{Into: into, Scope: scope, Result: c.Names})
			if _, ok := f.gotten[into]; !ok {
				f.gotten[into] = false
			}
		}
	case "identifier", "qualified_identifier":
		name := t.Text(r)
		if f.locals[name] || t.IsConstant(r) {
			return
		}
		f.x.sum.Stores = append(f.x.sum.Stores, finding.Store{Into: into, Scope: scope, Func: name})
	case "selector_expression", "field_expression":
		// A method value: `send := conn.Write` calls conn.Write through send.
		if names := t.CalleeNames(r); len(names) > 0 {
			f.x.sum.Stores = append(f.x.sum.Stores, finding.Store{Into: into, Scope: scope, Func: t.Text(r), Names: names})
		}
	}
}

// unwrap strips casts, parentheses and address-of from a stored value: (pfn)&GetProcAddress(…).
func unwrap(t *syntax.Tree, r syntax.Node) syntax.Node {
	for depth := 0; depth < 6; depth++ {
		switch t.Kind(r) {
		case "cast_expression":
			r = t.Child(r, "value")
			continue
		case "parenthesized_expression", "pointer_expression":
			r = t.NamedChild(r, 0)
			continue
		case "unary_expression":
			if t.Text(t.Child(r, "operator")) == "&" {
				r = t.Child(r, "operand")
				continue
			}
		}
		break
	}
	return r
}

// storeTarget names where a store goes: "*.field" for any object's field, a table's name
// for its elements, a variable's name (scoped to the function when it is local).
func (f *fnState) storeTarget(left syntax.Node) (into, scope string) {
	t := f.x.t
	switch t.Kind(left) {
	case "field_expression", "selector_expression":
		return "*." + t.Text(t.Child(left, "field")), ""
	case "subscript_expression", "index_expression":
		base := t.Child(left, "argument")
		if base < 0 {
			base = t.Child(left, "operand")
		}
		return f.storeTarget(base)
	case "identifier", "init_declarator", "pointer_declarator", "array_declarator":
		name := declName(t, left)
		if name == "" {
			return "", ""
		}
		if f.locals[name] {
			return name, f.out.ID
		}
		return name, ""
	}
	return "", ""
}

// procName returns the API a call looks up by name at run time — GetProcAddress(h, "send"),
// dlsym(h, "send"), Go's dll.NewProc("send") — or "".
func (x *extractor) procName(call syntax.Node) string {
	c := x.calls[call]
	if c == nil {
		return ""
	}
	i := nameArg(c.Names)
	if i < 0 || i >= len(c.Args()) {
		return ""
	}
	if api, ok := x.t.StringValue(c.Args()[i]); ok && identifier(api) {
		return api
	}
	return ""
}

// nameArg returns which argument of a run-time lookup holds the function's name, or -1
// when names are not such a lookup.
func nameArg(names []string) int {
	for _, n := range names {
		switch n {
		case "GetProcAddress", "dlsym", "GetProcAddressA", "LdrGetProcedureAddress", "MmGetSystemRoutineAddress",
			"syscall.GetProcAddress", "golang.org/x/sys/windows.GetProcAddress":
			return 1
		case "*.NewProc", "*.FindProc", "*.MustFindProc":
			return 0
		}
	}
	return -1
}

func identifier(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// fieldOuts gives each call argument one out-port per field of it that the function reads:
// a callee that fills only info->computer then taints info.computer, not info.banner. Fields
// the function does not read by name arrive through otherField, which only a read of the
// whole object sees.
func (f *fnState) fieldOuts() {
	t := f.x.t
	for _, m := range f.argMem {
		seen := map[string]bool{otherField: true}
		out := f.g.port(finding.Port{K: finding.PortArgOut, C: m.call, I: m.arg, G: otherField})
		f.write(m.path+otherField, m.at, []operand{{v: out}}, f.x.step(m.at, "written into %s by %s", brief(t.Text(m.at)), f.out.Calls[m.call].Callee), true)
		for _, r := range f.g.reads {
			rest, ok := strings.CutPrefix(r.path, m.path+".")
			if !ok {
				continue
			}
			field := firstField("x." + rest)
			if seen[field] {
				continue
			}
			seen[field] = true
			out := f.g.port(finding.Port{K: finding.PortArgOut, C: m.call, I: m.arg, G: field})
			callee := f.out.Calls[m.call].Callee
			f.write(m.path+field, m.at, []operand{{v: out}}, f.x.step(m.at, "written into %s%s by %s", brief(t.Text(m.at)), field, callee), true)
		}
	}
}

// otherField names, in an access path, the fields of an object that a function does not read
// by name: "info.#" is seen by a read of "info" and by no read of "info.banner".
const otherField = ".#"

// closureParams gives a closure or lambda passed to a call one out-port per parameter: the
// callee (filepath.Walk, CreateThread) calls it back with values the link step knows, and
// those values arrive in the closure's parameters, which are the enclosing function's locals.
func (f *fnState) closureParams(idx, i int, a syntax.Node, callee string) {
	t := f.x.t
	if k := t.Kind(a); k != "func_literal" && k != "lambda_expression" {
		return
	}
	for k, n := range literalParams(t, a) {
		if n < 0 {
			continue
		}
		name := t.Text(n)
		port := f.g.port(finding.Port{K: finding.PortArgOut, C: idx, I: i, G: CallbackParam(k)})
		f.g.write(name, []operand{{v: port}}, f.x.step(n, "parameter %s of the function passed to %s", name, callee))
	}
}

// literalParams returns the parameter names of a Go func literal or a C++ lambda, in order;
// an unnamed parameter is NoNode.
func literalParams(t *syntax.Tree, lit syntax.Node) []syntax.Node {
	list := t.Child(lit, "parameters")
	if list < 0 {
		list = t.Child(t.Child(lit, "declarator"), "parameters") // C++: [](int a) is a declarator
	}
	var out []syntax.Node
	for _, p := range t.NamedChildren(list) {
		if t.Kind(p) == "comment" {
			continue
		}
		names := t.Children(p, "name")
		if len(names) == 0 {
			names = []syntax.Node{innerName(t, t.Child(p, "declarator"))}
		}
		out = append(out, names...)
	}
	return out
}

// innerName finds the identifier a (pointer, reference, array) declarator declares.
func innerName(t *syntax.Tree, d syntax.Node) syntax.Node {
	for depth := 0; d >= 0 && depth < 16; depth++ {
		if t.Kind(d) == "identifier" {
			return d
		}
		next := t.Child(d, "declarator")
		if next < 0 {
			next = t.NamedChild(d, 0)
		}
		d = next
	}
	return syntax.NoNode
}

// closureCall binds the arguments of a call to a local closure (`post := func(u string)
// {…}; post(url)`, `auto emit = [&](const char *n) {…}; emit(name)`) to the closure's
// parameters, which are locals of this function.
func (f *fnState) closureCall(c *syntax.Call) {
	t := f.x.t
	lit, ok := f.closures[t.Text(c.Callee)]
	if !ok || t.Kind(c.Callee) != "identifier" {
		return
	}
	params := literalParams(t, lit)
	for i, a := range c.Args() {
		if i < len(params) && params[i] >= 0 {
			name := t.Text(params[i])
			f.g.write(name, f.value(a, 0), f.x.step(a, "passed to the closure %s as %s", t.Text(c.Callee), name))
		}
	}
}

// CallbackParam names the out-port of call argument i that is parameter k of a closure or
// lambda passed there.
func CallbackParam(k int) string { return fmt.Sprintf("#param%d", k) }
