package taintssa

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

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
