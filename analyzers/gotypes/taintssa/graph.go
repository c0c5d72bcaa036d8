package taintssa

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"glassbox/analyzers/finding"
)

// The dataflow graph of one function. Its vertices are SSA values, what objects hold, the
// function's inputs (parameters, hubs, origins) and outputs (results, what its parameters
// refer to, hubs), call arguments and results, sinks and comparisons. The graph is built once
// per function from its SSA form; each rule group then adds the edges of its calls (models
// and callee summaries) and follows every input to the outputs it reaches.
//
// Memory is modelled three ways. Struct fields and package variables are hubs, shared by
// the whole program and told apart by field (Implant.host is one hub wherever an Implant
// lives), the way the tree-sitter engine keys receiver state. Objects a function allocates
// (buffers, maps, channels, variables closures capture) are cells that every value
// referring to them reads and writes. A parameter's referent is a cell whose reads carry the
// parameter's label and whose writes leave the function as an out-parameter.

type nodeKind uint8

const (
	nValue   nodeKind = iota // an SSA value, as computed
	nDeep                    // a value with what it refers to
	nWide                    // nDeep, plus the fields of its struct types
	nCell                    // what is stored in an object
	nParam                   // input: a parameter or free variable
	nHubIn                   // input: a hub, as read
	nHubOut                  // output: a hub, as written
	nArg                     // a call's argument, deep
	nArgWide                 // a call's argument, wide
	nArgOut                  // what a call writes through one of its operands
	nResult                  // a call's result
	nReturn                  // output: the function's result
	nCompare                 // a comparison
	nOrigin                  // input: an origin
	nSink                    // a sink argument
	nHit                     // a sink or comparison inside a callee, reached through its summary
	nInvoke                  // input: what a call through a parameter returns
	nBridge                  // joins a callee's flow to what its parameter turned out to be
)

type nodeKey struct {
	kind nodeKind
	v    ssa.Value
	o    object
	i, j int
	s    string
}

type edge struct {
	to   int32
	step int32 // index into graph.steps, or -1
}

type objKind uint8

const (
	oAlloc   objKind = iota // Alloc, MakeSlice, MakeMap, MakeChan, append
	oParam                  // what parameter i refers to
	oHub                    // a field or package variable
	oResult                 // what result j of call i refers to
	oClosure                // a closure (MakeClosure)
	oFunc                   // a function used as a value
	oField                  // a field of a struct the function allocates and keeps to itself
)

// object is an abstract memory object: something values may refer to.
type object struct {
	kind objKind
	v    ssa.Value
	i, j int
	hub  string
	fn   *ssa.Function
}

// graph is one function's dataflow graph.
type graph struct {
	pkg      *pkgAnalysis
	fn       *ssa.Function
	name     string // as findings name it
	keys     map[nodeKey]int32
	nodes    []nodeKey
	adj      [][]edge
	steps    [][]finding.Step
	pts      map[ssa.Value][]object
	private  map[*ssa.Alloc]bool // structs whose fields only this function and the library touch
	stored   map[object][]object
	nParams  int
	calls    []*callSite
	cmps     []*Compare
	cmpSites []*cmpSite
	origins  []*originSite
	sinkAt   map[int32]*sinkNode
	hits     map[int32]Target
	wides    []wideNode
	params   []paramInfo
}

type paramInfo struct {
	name string
	step finding.Step
}

// wideNode is a wide node waiting for the package's live hubs to be known.
type wideNode struct {
	n  int32
	ts []types.Type
}

// valueTypes are the types a value may have: its own, and, for an interface value, the
// types it was made from.
func valueTypes(v ssa.Value) []types.Type {
	return append([]types.Type{v.Type()}, dynTypes(v, 0)...)
}

// sinkNode is a sink argument: data of the rule that reaches it is a hit.
type sinkNode struct {
	rule *ruleModels
	sink *Sink
}

func newGraph(p *pkgAnalysis, fn *ssa.Function) *graph {
	return &graph{pkg: p, fn: fn, name: funcName(fn), keys: map[nodeKey]int32{}, pts: map[ssa.Value][]object{},
		stored: map[object][]object{}, private: map[*ssa.Alloc]bool{}, sinkAt: map[int32]*sinkNode{}, hits: map[int32]Target{}}
}

// node returns the vertex of k, creating it.
func (g *graph) node(k nodeKey) int32 {
	if n, ok := g.keys[k]; ok {
		return n
	}
	n := int32(len(g.nodes))
	g.keys[k] = n
	g.nodes = append(g.nodes, k)
	g.adj = append(g.adj, nil)
	return n
}

// lookup returns the vertex of k if it exists.
func (g *graph) lookup(k nodeKey) (int32, bool) {
	n, ok := g.keys[k]
	return n, ok
}

// step records a hop and returns its index.
func (g *graph) step(s finding.Step) int32 {
	if s.Message == "" {
		return -1
	}
	return g.stepSeq([]finding.Step{s})
}

// stepSeq records the hops of one edge (a callee's path) and returns their index.
func (g *graph) stepSeq(s []finding.Step) int32 {
	if len(s) == 0 {
		return -1
	}
	g.steps = append(g.steps, s)
	return int32(len(g.steps) - 1)
}

func (g *graph) edge(from, to int32, step int32) {
	if from == to {
		return
	}
	for _, e := range g.adj[from] {
		if e.to == to {
			return
		}
	}
	g.adj[from] = append(g.adj[from], edge{to: to, step: step})
}

func (g *graph) value(v ssa.Value) int32 { return g.node(nodeKey{kind: nValue, v: v}) }

// deep is v together with what it refers to.
func (g *graph) deep(v ssa.Value) int32 {
	k := nodeKey{kind: nDeep, v: v}
	if n, ok := g.keys[k]; ok {
		return n
	}
	n := g.node(k)
	g.edge(g.value(v), n, -1)
	for _, o := range g.refs(v) {
		g.readObject(o, n, -1)
	}
	return n
}

// wide is deep, plus the hubs of the fields of v's struct types, for values that leave the
// analysed code whole (to a model, a sink, an unknown library call).
func (g *graph) wide(v ssa.Value) int32 {
	k := nodeKey{kind: nWide, v: v}
	if n, ok := g.keys[k]; ok {
		return n
	}
	n := g.node(k)
	g.edge(g.deep(v), n, -1)
	g.addWide(n, valueTypes(v))
	return n
}

// addWide connects a wide vertex to the hubs of its types, or waits for the package's live
// hubs to be known.
func (g *graph) addWide(n int32, ts []types.Type) {
	if g.pkg.live == nil {
		g.wides = append(g.wides, wideNode{n, ts})
		return
	}
	for _, t := range ts {
		for _, h := range g.pkg.typeHubs(t, g.pkg.live) {
			g.edge(g.hubIn(h), n, -1)
		}
	}
}

// finishWide connects the wide vertices made so far, once the live hubs are known.
func (g *graph) finishWide() {
	for _, w := range g.wides {
		g.addWide(w.n, w.ts)
	}
	g.wides = nil
}

func (g *graph) hubIn(key string) int32  { return g.node(nodeKey{kind: nHubIn, s: key}) }
func (g *graph) hubOut(key string) int32 { return g.node(nodeKey{kind: nHubOut, s: key}) }
func (g *graph) cell(o object) int32     { return g.node(nodeKey{kind: nCell, o: o}) }

// readObject connects what object o holds to vertex to.
func (g *graph) readObject(o object, to, step int32) {
	switch o.kind {
	case oHub:
		g.edge(g.hubIn(o.hub), to, step)
		return
	case oParam:
		// Through the parameter's value, whose edge from the input carries the hop.
		g.edge(g.value(g.paramValue(o.i)), to, step)
	case oResult:
		g.edge(g.node(nodeKey{kind: nResult, i: o.i, j: o.j}), to, step)
	case oField:
		g.edge(g.cell(object{kind: oAlloc, v: o.v}), to, step)
	}
	g.edge(g.cell(o), to, step)
}

// writeObject connects vertex from to what object o holds.
func (g *graph) writeObject(from int32, o object, step int32) {
	switch o.kind {
	case oHub:
		g.edge(from, g.hubOut(o.hub), step)
		return
	case oField:
		// What a field holds, the struct holds: a read of the whole struct sees it.
		g.edge(from, g.cell(object{kind: oAlloc, v: o.v}), step)
	}
	g.edge(from, g.cell(o), step)
}

// writeInto connects from to everything v refers to: a callee or a store writing through v.
func (g *graph) writeInto(from int32, v ssa.Value, step int32) {
	for _, o := range g.refs(v) {
		g.writeObject(from, o, step)
	}
}

// refs is what value v may refer to.
func (g *graph) refs(v ssa.Value) []object {
	switch v := v.(type) {
	case *ssa.Global:
		return []object{{kind: oHub, hub: globalKey(v)}}
	case *ssa.Function:
		return []object{{kind: oFunc, fn: v}}
	case *ssa.Const:
		return nil
	}
	return g.pts[v]
}

// isRef reports whether values of type t refer to memory: pointers, slices, maps, channels,
// interfaces and functions.
func isRef(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Interface, *types.Signature:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	case *types.Tuple:
		for i := range u.Len() {
			if isRef(u.At(i).Type()) {
				return true
			}
		}
	}
	return false
}

// addPts adds objects to what v may refer to and reports whether that grew.
func (g *graph) addPts(v ssa.Value, os []object) bool {
	grew := false
	for _, o := range os {
		if !slices.Contains(g.pts[v], o) {
			g.pts[v] = append(g.pts[v], o)
			grew = true
		}
	}
	return grew
}

func (g *graph) addStored(o object, os []object) bool {
	grew := false
	for _, x := range os {
		if !slices.Contains(g.stored[o], x) {
			g.stored[o] = append(g.stored[o], x)
			grew = true
		}
	}
	return grew
}

// loaded is what a reference read out of the objects os may refer to: what was stored
// there, and the objects themselves (a slice kept in a variable or a field is modelled by
// the variable's or field's own cell).
func (g *graph) loaded(os []object) []object {
	var out []object
	for _, o := range os {
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
		for _, x := range g.stored[o] {
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
	}
	return out
}

// paramValue is input i: a parameter, or a variable a closure captured.
func (g *graph) paramValue(i int) ssa.Value {
	if i < len(g.fn.Params) {
		return g.fn.Params[i]
	}
	return g.fn.FreeVars[i-len(g.fn.Params)]
}
