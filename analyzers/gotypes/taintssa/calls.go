package taintssa

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"glassbox/analyzers/finding"
)

// callSite is one call of the function: a call, go or defer statement.
type callSite struct {
	g      *graph
	idx    int
	instr  ssa.CallInstruction
	common *ssa.CallCommon
	expr   *ast.CallExpr // nil for calls the source does not spell out
	callee string        // the callee as written, for messages
	loc    finding.Location
	nres   int
	// views are what the call may call: the named callee, the implementations of an
	// interface method in analysed code, the functions a function value may hold.
	views []*call
}

// call is one thing a call site may call, with its receiver and arguments.
type call struct {
	site     *callSite
	obj      *types.Func   // the function or method, when it has one
	fn       *ssa.Function // its SSA form, when it is in the package under analysis
	recv     ssa.Value     // the receiver of a method call
	args     []ssa.Value   // the arguments, receiver excluded
	bindings []ssa.Value   // what a closure captured
	names    []string      // the pack names it goes by
	apis     []string      // the Windows procedure it runs: proc.Call(…) of dll.NewProc("send")
	// impl says the view is an implementation found for an interface call: it contributes
	// its summary, never models (the interface call is matched by its own names).
	impl bool
	// inner says the view is a call made inside a callee, through a parameter: its
	// arguments as written are not at hand.
	inner bool
}

// declared is how many parameters the callee declares, receiver excluded.
func (c *call) declared() int {
	if c.fn != nil {
		n := c.fn.Signature.Params().Len()
		if c.fn.Signature.Recv() != nil && c.recv == nil {
			n++ // a method called as a function value: its receiver is a parameter
		}
		return n
	}
	if c.obj != nil {
		return c.obj.Signature().Params().Len()
	}
	return len(c.args)
}

// paramType is the declared type of summary input i, or nil.
func (c *call) paramType(i int) types.Type {
	var sig *types.Signature
	switch {
	case c.fn != nil:
		sig = c.fn.Signature
	case c.obj != nil:
		sig = c.obj.Signature()
	default:
		return nil
	}
	if c.recv != nil {
		if i == 0 {
			return nil
		}
		i--
	}
	if i < sig.Params().Len() {
		return sig.Params().At(i).Type()
	}
	return nil
}

// param is the value of summary input i at this call: the receiver, then the declared
// parameters (nil where the call does not pass them: a callback's), then the captures.
func (c *call) param(i int) ssa.Value {
	if c.recv != nil {
		if i == 0 {
			return c.recv
		}
		i--
	}
	if n := c.declared(); i >= n {
		if i-n < len(c.bindings) {
			return c.bindings[i-n]
		}
		return nil
	}
	if i < len(c.args) {
		return c.args[i]
	}
	return nil
}

// argIndex is the model position of summary input i: -1 for the receiver, the argument
// index otherwise, or false for a capture or a parameter the call does not pass.
func (c *call) argIndex(i int) (int, bool) {
	if c.recv != nil {
		if i == 0 {
			return -1, true
		}
		i--
	}
	return i, i < len(c.args) && i < c.declared()
}

// collectCalls numbers the function's calls, before points-to, which names their results.
func (g *graph) collectCalls() {
	fs := g.pkg.files
	for _, b := range g.fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			common := ci.Common()
			if _, builtin := common.Value.(*ssa.Builtin); builtin {
				continue
			}
			s := &callSite{g: g, idx: len(g.calls), instr: ci, common: common, expr: fs.calls[common.Pos()]}
			if s.expr != nil {
				s.callee = fs.code(s.expr.Fun)
				s.loc = fs.nodeLoc(s.expr)
			} else {
				s.callee = common.Value.Name()
				s.loc = fs.loc(ci.Pos(), ci.Pos())
			}
			s.nres = common.Signature().Results().Len()
			g.calls = append(g.calls, s)
		}
	}
}

func (g *graph) siteOf(ci ssa.CallInstruction) *callSite {
	for _, s := range g.calls {
		if s.instr == ci {
			return s
		}
	}
	return nil
}

// resolve finds what each call may call, once points-to is known.
func (g *graph) resolve() {
	for _, s := range g.calls {
		g.resolveSite(s)
	}
}

func (g *graph) resolveSite(s *callSite) {
	c := s.common
	if c.IsInvoke() {
		v := &call{site: s, obj: c.Method, recv: c.Value, args: c.Args}
		s.views = append(s.views, v)
		s.views = append(s.views, g.pkg.implementations(s, v)...)
	} else if f := c.StaticCallee(); f != nil {
		var bindings []ssa.Value
		if mc, ok := c.Value.(*ssa.MakeClosure); ok {
			bindings = mc.Bindings
		}
		s.views = append(s.views, g.funcView(s, f, bindings, c.Args)...)
	} else {
		for _, o := range g.callable(c.Value) {
			switch o.kind {
			case oFunc:
				s.views = append(s.views, g.funcView(s, o.fn, nil, c.Args)...)
			case oClosure:
				mc := o.v.(*ssa.MakeClosure)
				var bindings []ssa.Value
				if mc.Parent() == g.fn {
					bindings = mc.Bindings
				}
				s.views = append(s.views, g.funcView(s, mc.Fn.(*ssa.Function), bindings, c.Args)...)
			}
		}
	}
	for _, v := range s.views {
		if !v.impl {
			v.names = g.pkg.funcNames(v.obj, v.recv)
		}
	}
	if api := g.procAPI(s); api != "" {
		s.views = append(s.views, &call{site: s, apis: []string{api}, args: g.varargs(s.common.Args[len(s.common.Args)-1])})
	}
}

// procAPI is the Windows procedure a call runs through a procedure handle: proc.Call(…)
// where proc is dll.NewProc("send"), directly or through a package variable.
func (g *graph) procAPI(s *callSite) string {
	f := s.common.StaticCallee()
	if f == nil || f.Name() != "Call" || f.Signature.Recv() == nil || len(s.common.Args) != 2 {
		return ""
	}
	recv := s.common.Args[0]
	if load, ok := recv.(*ssa.UnOp); ok && load.Op == token.MUL {
		if gl, ok := load.X.(*ssa.Global); ok {
			return g.pkg.procs[gl]
		}
	}
	return procName(recv)
}

// procName is the name a procedure lookup call (NewProc, FindProc, MustFindProc) is given.
func procName(v ssa.Value) string {
	c, ok := v.(*ssa.Call)
	if !ok {
		return ""
	}
	f := c.Call.StaticCallee()
	if f == nil || len(c.Call.Args) < 2 {
		return ""
	}
	switch f.Name() {
	case "NewProc", "FindProc", "MustFindProc":
	default:
		return ""
	}
	if k, ok := c.Call.Args[1].(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.String {
		return constant.StringVal(k.Value)
	}
	return ""
}

// varargs recovers the values packed into a variadic argument: the stores into the array
// behind the slice, in order.
func (g *graph) varargs(v ssa.Value) []ssa.Value {
	sl, ok := v.(*ssa.Slice)
	if !ok {
		return nil
	}
	arr, ok := sl.X.(*ssa.Alloc)
	if !ok || arr.Referrers() == nil {
		return nil
	}
	byIndex := map[int64]ssa.Value{}
	n := int64(0)
	for _, r := range *arr.Referrers() {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok || ia.Referrers() == nil {
			continue
		}
		k, ok := ia.Index.(*ssa.Const)
		if !ok {
			continue
		}
		i := k.Int64()
		for _, u := range *ia.Referrers() {
			if st, ok := u.(*ssa.Store); ok && st.Addr == ia {
				byIndex[i] = st.Val
				n = max(n, i+1)
			}
		}
	}
	out := make([]ssa.Value, n)
	for i := range n {
		out[i] = byIndex[i]
		if out[i] == nil {
			out[i] = ssa.NewConst(nil, types.Typ[types.UntypedNil])
		}
	}
	return out
}

// funcView is the view of calling f with args: a bound method value calls its method on the
// receiver it captured, a method expression its method on the first argument.
func (g *graph) funcView(s *callSite, f *ssa.Function, bindings, args []ssa.Value) []*call {
	obj, _ := f.Object().(*types.Func)
	switch {
	case strings.HasPrefix(f.Synthetic, "bound method wrapper") && len(bindings) == 1:
		v := &call{site: s, obj: obj, recv: bindings[0], args: args}
		out := []*call{v}
		if _, iface := obj.Signature().Recv().Type().Underlying().(*types.Interface); iface {
			out = append(out, g.pkg.implementations(s, v)...)
		} else if fn := g.pkg.local(obj); fn != nil {
			v.fn = fn
		}
		return out
	case strings.HasPrefix(f.Synthetic, "thunk") && len(args) > 0:
		v := &call{site: s, obj: obj, recv: args[0], args: args[1:]}
		out := []*call{v}
		if _, iface := obj.Signature().Recv().Type().Underlying().(*types.Interface); iface {
			out = append(out, g.pkg.implementations(s, v)...)
		} else if fn := g.pkg.local(obj); fn != nil {
			v.fn = fn
		}
		return out
	}
	v := &call{site: s, obj: obj, args: args, bindings: bindings}
	if f.Signature.Recv() != nil && len(args) > 0 {
		v.recv, v.args = args[0], args[1:]
	}
	if f.Pkg == g.fn.Pkg && len(f.Blocks) > 0 {
		v.fn = f
	}
	return []*call{v}
}

// implementations are the methods of analysed types an interface call may reach: the
// types of this package and of analysed dependencies that implement the interface. Too
// many candidates say nothing, like the tree-sitter engine's fan-out limit.
func (p *pkgAnalysis) implementations(s *callSite, v *call) []*call {
	it, ok := v.obj.Signature().Recv().Type().Underlying().(*types.Interface)
	if !ok {
		return nil
	}
	var out []*call
	for _, m := range p.implementers(it, v.obj.Name()) {
		out = append(out, &call{site: s, obj: m, fn: p.local(m), recv: v.recv, args: v.args, impl: true})
	}
	return out
}

// maxFanOut bounds the implementations an interface call is linked to.
const maxFanOut = 8

func (p *pkgAnalysis) implementers(it *types.Interface, method string) []*types.Func {
	key := fmt.Sprintf("%p.%s", it, method)
	if ms, ok := p.implCache[key]; ok {
		return ms
	}
	var out []*types.Func
	for _, pkg := range p.analysed {
		scope := pkg.Scope()
		for _, name := range scope.Names() {
			tn, ok := scope.Lookup(name).(*types.TypeName)
			if !ok || tn.IsAlias() {
				continue
			}
			t := tn.Type()
			if _, iface := t.Underlying().(*types.Interface); iface || !implements(t, it) {
				continue
			}
			obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(t), true, pkg, method)
			if m, ok := obj.(*types.Func); ok && p.hasSummary(m) {
				out = append(out, m)
			}
		}
	}
	if len(out) > maxFanOut {
		out = nil
	}
	p.implCache[key] = out
	return out
}

// describe words a model's label with the API that matched: the label says where the API
// goes ("file downloaded by {api}"), or the API follows it after verb.
func describe(label, verb, api string) string {
	if strings.Contains(label, "{api}") {
		return strings.ReplaceAll(label, "{api}", api)
	}
	return fmt.Sprintf("%s %s %s", label, verb, api)
}

// argText is how a message names argument i of a call (-1: the receiver).
func (s *callSite) argWhat(i int) string {
	if i < 0 {
		return "its object"
	}
	return fmt.Sprintf("argument %d", i+1)
}

// argNode is the vertex of argument i (-1: receiver) of view v: the argument with what it
// refers to, entering the call.
func (g *graph) argNode(v *call, i int) (int32, bool) {
	val := v.recv
	if i >= 0 {
		if i >= len(v.args) {
			return 0, false
		}
		val = v.args[i]
	}
	if val == nil {
		return 0, false
	}
	if _, isConst := val.(*ssa.Const); isConst {
		return 0, false
	}
	k := nodeKey{kind: nArg, i: v.site.idx, j: i, v: val}
	if n, ok := g.lookup(k); ok {
		return n, true
	}
	n := g.node(k)
	g.edge(g.deep(val), n, g.step(g.argStep(v.site, i, val)))
	return n, true
}

// argWide is argument i leaving analysed code: with the fields of its struct types.
func (g *graph) argWide(v *call, i int) (int32, bool) {
	a, ok := g.argNode(v, i)
	if !ok {
		return 0, false
	}
	k := nodeKey{kind: nArgWide, i: v.site.idx, j: i, v: g.nodes[a].v}
	if n, ok := g.lookup(k); ok {
		return n, true
	}
	n := g.node(k)
	g.edge(a, n, -1)
	g.addWide(n, valueTypes(g.nodes[a].v))
	return n, true
}

// argStep is the hop of a value passed to a call.
func (g *graph) argStep(s *callSite, i int, val ssa.Value) finding.Step {
	msg := fmt.Sprintf("passed to %s as %s", s.callee, s.argWhat(i))
	if s.expr != nil && i >= 0 && i < len(s.expr.Args) {
		return g.pkg.files.step(s.expr.Args[i], msg)
	}
	if s.expr != nil {
		if sel, ok := s.expr.Fun.(*ast.SelectorExpr); ok && i < 0 {
			return g.pkg.files.step(sel.X, msg)
		}
		return g.pkg.files.step(s.expr, msg)
	}
	return finding.Step{Location: s.loc, Message: msg}
}

// argOut is what view v writes through operand i (-1: receiver): it flows into everything
// the operand refers to.
func (g *graph) argOut(v *call, i int) (int32, bool) {
	val := v.recv
	if i >= 0 {
		if i >= len(v.args) {
			return 0, false
		}
		val = v.args[i]
	}
	if val == nil {
		return 0, false
	}
	if _, isConst := val.(*ssa.Const); isConst {
		return 0, false
	}
	k := nodeKey{kind: nArgOut, i: v.site.idx, j: i, v: val}
	if n, ok := g.lookup(k); ok {
		return n, true
	}
	n := g.node(k)
	what := brief(val.Name())
	if v.site.expr != nil && i >= 0 && i < len(v.site.expr.Args) {
		what = g.pkg.files.code(v.site.expr.Args[i])
	} else if v.site.expr != nil {
		if sel, ok := v.site.expr.Fun.(*ast.SelectorExpr); ok {
			what = g.pkg.files.code(sel.X)
		}
	}
	st := g.step(finding.Step{Location: v.site.loc, Message: fmt.Sprintf("written into %s by %s", what, v.site.callee)})
	if base := unconverted(val); len(g.refs(base)) > 0 {
		g.writeInto(n, base, st) // through uintptr(unsafe.Pointer(&buf[0])) to buf
		return n, true
	}
	// A value that refers to nothing — a path, a handle, an address — is what the call
	// says it is from now on (a file downloaded to dst, memory copied to addr): its uses,
	// and the variable it was read from, carry the data.
	g.edge(n, g.value(val), st)
	if load, ok := val.(*ssa.UnOp); ok && load.Op == token.MUL {
		g.writeInto(n, load.X, st)
	}
	return n, true
}

// unconverted looks through conversions to the value converted: a pointer behind a uintptr.
func unconverted(v ssa.Value) ssa.Value {
	for depth := 0; depth < 4; depth++ {
		switch x := v.(type) {
		case *ssa.Convert:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			return v
		}
	}
	return v
}

// result is the vertex of result j of call site s.
func (g *graph) result(s *callSite, j int) int32 {
	return g.node(nodeKey{kind: nResult, i: s.idx, j: j})
}

// callable is what a function value may be: the functions and closures it refers to, and
// those stored in the hubs it was loaded from.
func (g *graph) callable(v ssa.Value) []object {
	var out []object
	for _, o := range g.refs(v) {
		if o.kind == oHub {
			out = append(out, g.pkg.hubFuncs[o.hub]...)
		} else {
			out = append(out, o)
		}
	}
	return out
}
