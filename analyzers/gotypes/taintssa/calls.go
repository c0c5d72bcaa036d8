package taintssa

import (
	"fmt"
	"go/ast"
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
