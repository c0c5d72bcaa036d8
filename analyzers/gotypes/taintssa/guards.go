package taintssa

import (
	"go/token"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// guards passes what a condition tests to what the code it guards assigns, as the
// tree-sitter engine does: a keylogger stores the key it polled only when the key state
// says so, and the state reaches the buffer through that condition. A comparison carries
// nothing of its operands, except a bit test (state&0x1 != 0), which Go cannot write any
// other way; any other condition (a call's result) passes itself. What the branch assigns
// is what it stores and the values it hands to variables merged after it.
func (g *graph) guards() {
	for _, b := range g.fn.Blocks {
		cond, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		guard := guardValue(cond.Cond)
		if guard == nil {
			continue
		}
		from := g.deep(guard)
		for _, succ := range b.Succs {
			if !strings.HasPrefix(succ.Comment, "if.then") && !strings.HasPrefix(succ.Comment, "if.else") {
				continue
			}
			for _, rb := range region(succ) {
				for _, instr := range rb.Instrs {
					g.guarded(from, instr, rb)
				}
			}
		}
	}
}

// guarded connects a guard to one instruction of the branch it guards, if it assigns.
func (g *graph) guarded(from int32, instr ssa.Instruction, in *ssa.BasicBlock) {
	switch x := instr.(type) {
	case *ssa.Store:
		if !implicit(x.Addr) {
			g.writeInto(from, x.Addr, -1)
		}
	case ssa.Value:
		refs := x.Referrers()
		if refs == nil {
			return
		}
		for _, r := range *refs {
			if phi, ok := r.(*ssa.Phi); ok && phi.Block() != in {
				g.edge(from, g.value(x), -1)
				return
			}
		}
	}
}

// guardValue is what a condition passes to the code it guards, or nil.
func guardValue(c ssa.Value) ssa.Value {
	bin, ok := c.(*ssa.BinOp)
	if !ok {
		if _, isConst := c.(*ssa.Const); isConst {
			return nil
		}
		if u, ok := c.(*ssa.UnOp); ok && u.Op == token.NOT {
			return guardValue(u.X)
		}
		return c
	}
	if bin.Op != token.EQL && bin.Op != token.NEQ {
		return nil
	}
	x, k := bin.X, bin.Y
	if _, isConst := x.(*ssa.Const); isConst {
		x, k = k, x
	}
	if _, isConst := k.(*ssa.Const); !isConst {
		return nil
	}
	and, ok := x.(*ssa.BinOp)
	if !ok || and.Op != token.AND {
		return nil
	}
	_, cx := and.X.(*ssa.Const)
	_, cy := and.Y.(*ssa.Const)
	if !cx && !cy {
		return nil
	}
	return x
}
