package taintssa

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// findPrivate finds the structs the function allocates whose address goes nowhere the
// analysis follows: not stored, returned, captured, sent, made an interface, nor passed to
// analysed code, and never assigned whole — only built, read and written field by field
// here and handed to library calls, whose models say what they do. Their fields are the struct's own rather than program-wide hubs, so two
// windows.DataBlob variables of one function are not one.
func (g *graph) findPrivate() {
	for _, b := range g.fn.Blocks {
		for _, instr := range b.Instrs {
			a, ok := instr.(*ssa.Alloc)
			if !ok {
				continue
			}
			if _, isStruct := a.Type().(*types.Pointer).Elem().Underlying().(*types.Struct); isStruct && !g.escapes(a) {
				g.private[a] = true
			}
		}
	}
}

// escapes reports whether a struct — its address, or its value loaded whole — reaches code
// the analysis follows.
func (g *graph) escapes(v ssa.Value) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.FieldAddr, *ssa.IndexAddr, *ssa.Field, *ssa.DebugRef:
		case *ssa.UnOp:
			if x.Op != token.MUL || g.escapes(x) {
				return true
			}
		case *ssa.Store:
			// A struct assigned whole holds what its source's fields hold, which
			// lives in hubs.
			if x.Val == v || x.Addr == v {
				return true
			}
		case ssa.CallInstruction:
			if g.analysedCall(x.Common()) {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// analysedCall reports whether a call may reach code the analysis has summaries of (or
// cannot tell): anything but a static call of a library function.
func (g *graph) analysedCall(c *ssa.CallCommon) bool {
	f := c.StaticCallee()
	if f == nil || c.IsInvoke() {
		return true
	}
	if f.Pkg == g.fn.Pkg || f.Object() == nil {
		return true
	}
	return slices.Contains(g.pkg.analysed, f.Object().Pkg())
}
