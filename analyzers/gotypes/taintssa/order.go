package taintssa

import (
	"slices"

	"golang.org/x/tools/go/ssa"
)

// selfRecursive reports whether a function calls itself.
func selfRecursive(g *graph) bool {
	for _, s := range g.calls {
		for _, v := range s.views {
			if v.fn == g.fn {
				return true
			}
		}
	}
	return false
}

// sccs orders the package's functions callees first, in strongly connected components.
func (p *pkgAnalysis) sccs() [][]*ssa.Function {
	index := map[*ssa.Function]int{}
	low := map[*ssa.Function]int{}
	on := map[*ssa.Function]bool{}
	var stack []*ssa.Function
	var out [][]*ssa.Function
	var visit func(fn *ssa.Function)
	visit = func(fn *ssa.Function) {
		index[fn] = len(index)
		low[fn] = index[fn]
		stack = append(stack, fn)
		on[fn] = true
		for _, c := range p.callees(fn) {
			if _, seen := index[c]; !seen {
				visit(c)
				low[fn] = min(low[fn], low[c])
			} else if on[c] {
				low[fn] = min(low[fn], index[c])
			}
		}
		if low[fn] == index[fn] {
			var scc []*ssa.Function
			for {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				on[top] = false
				scc = append(scc, top)
				if top == fn {
					break
				}
			}
			out = append(out, scc)
		}
	}
	for _, fn := range p.funcs {
		if _, seen := index[fn]; !seen {
			visit(fn)
		}
	}
	return out
}

// callees are the package's functions fn may call or hand to a call: through call sites,
// and through any function value it mentions (callbacks, closures).
func (p *pkgAnalysis) callees(fn *ssa.Function) []*ssa.Function {
	g := p.graphs[fn]
	var out []*ssa.Function
	add := func(f *ssa.Function) {
		if f != nil && p.graphs[f] != nil && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	for _, s := range g.calls {
		for _, v := range s.views {
			add(v.fn)
		}
	}
	for _, os := range g.pts {
		for _, o := range os {
			switch o.kind {
			case oFunc:
				add(o.fn)
			case oClosure:
				add(o.v.(*ssa.MakeClosure).Fn.(*ssa.Function))
			}
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			for _, op := range instr.Operands(nil) {
				if f, ok := (*op).(*ssa.Function); ok {
					add(f)
				}
			}
		}
	}
	return out
}
