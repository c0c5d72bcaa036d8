package taintssa

import (
	"go/types"
	"strconv"
	"strings"
)

// A call through an interface of the program reaches the implementations the package can
// see: its own and its dependencies'. An implementation may live in a package the caller does
// not import — CHAOS's handler calls h.Services.Terminal.Run, implemented by a terminal
// package only main imports — and the go/analysis model hands a package its dependencies'
// facts only. Such calls, when nothing else resolves them, go through hubs keyed by the
// method's name and signature: the call writes its arguments to them, every method of that
// name and signature reads its parameters from them, and the hubs join wherever a package
// sees both sides (the package that wires the implementation in).

// invokeHub names the hub of argument i of calls to a method name with signature sig (the
// receiver left out).
func invokeHub(name string, sig *types.Signature, i int) string {
	plain := types.NewSignatureType(nil, nil, nil, sig.Params(), sig.Results(), sig.Variadic())
	return "invoke:" + name + types.TypeString(plain, nil) + "#" + strconv.Itoa(i)
}

// programInterface reports whether t is an interface a module declares: calls through the
// standard library's (io.Writer, net.Conn) are the packs' to model, by their names.
func programInterface(t types.Type) bool {
	named, ok := t.(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return false
	}
	if _, iface := named.Underlying().(*types.Interface); !iface {
		return false
	}
	first, _, _ := strings.Cut(named.Obj().Pkg().Path(), "/")
	return strings.Contains(first, ".") || !stdlibRoot[first]
}

// stdlibRoot are the first path elements of the standard library's packages that declare
// interfaces calls commonly go through.
var stdlibRoot = map[string]bool{"io": true, "net": true, "fmt": true, "context": true, "os": true, "bufio": true,
	"crypto": true, "encoding": true, "hash": true, "sort": true, "database": true, "image": true, "reflect": true,
	"sync": true, "syscall": true, "errors": true, "runtime": true, "text": true, "html": true, "go": true,
	"compress": true, "archive": true, "container": true, "debug": true, "expvar": true, "flag": true, "log": true,
	"math": true, "mime": true, "path": true, "plugin": true, "regexp": true, "strconv": true, "strings": true,
	"testing": true, "time": true, "unicode": true, "bytes": true, "embed": true, "iter": true, "maps": true,
	"slices": true, "unique": true, "weak": true}

// invokeHubs connects the interface calls of the function to the method hubs, and, for a
// method, its parameters to the hubs its name and signature read.
func (g *graph) invokeHubs() {
	fn := g.fn
	if recv := fn.Signature.Recv(); recv != nil && fn.Object() != nil {
		if _, iface := recv.Type().Underlying().(*types.Interface); !iface {
			for i := 1; i < len(fn.Params); i++ {
				if n, ok := g.lookup(nodeKey{kind: nParam, i: i}); ok {
					g.edge(g.hubIn(invokeHub(fn.Name(), fn.Signature, i-1)), n, -1)
				}
			}
		}
	}
	for _, s := range g.calls {
		if !s.common.IsInvoke() || !programInterface(s.common.Value.Type()) || g.resolvedInvoke(s) {
			continue
		}
		sig, ok := s.common.Method.Type().(*types.Signature)
		if !ok {
			continue
		}
		v := &call{site: s, args: s.common.Args}
		for i := range v.args {
			if a, ok := g.argNode(v, i); ok {
				g.edge(a, g.hubOut(invokeHub(s.common.Method.Name(), sig, i)), -1)
			}
		}
	}
}

// resolvedInvoke reports whether an interface call is resolved without the method hubs: the
// package sees implementations, or the value is the function's input, which each caller
// resolves with what it passes (deferred) — a path through the caller that says where the
// implementation comes from.
func (g *graph) resolvedInvoke(s *callSite) bool {
	if _, input := g.inputIndex(s.common.Value); input {
		return true
	}
	for _, v := range s.views {
		if v.impl && v.obj != nil && !abstract(v.obj) {
			return true
		}
	}
	return false
}
