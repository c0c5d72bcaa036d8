package taintssa

import (
	"fmt"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

func hubOf(os []object) string {
	for _, o := range os {
		if o.kind == oHub {
			return o.hub
		}
	}
	return ""
}

// fieldKey names the hub of field i of a struct type (or pointer to one): "import/path.Type.field"
// for named types, or a key local to the package for a struct type written in place.
func (p *pkgAnalysis) fieldKey(x types.Type, i int) string {
	t := x.Underlying()
	if ptr, ok := t.(*types.Pointer); ok {
		x = ptr.Elem()
		t = x.Underlying()
	}
	st, ok := t.(*types.Struct)
	if !ok || i >= st.NumFields() {
		return "?"
	}
	f := st.Field(i)
	if _, named := types.Unalias(x).(*types.Named); named {
		if tn := typeName(x); tn != "" {
			return tn + "." + f.Name()
		}
	}
	pos := p.fset.Position(f.Pos())
	return fmt.Sprintf("%s.{%s:%d:%d}.%s", p.pkg.Path(), pos.Filename, pos.Line, pos.Column, f.Name())
}

// globalKey names the hub of a package variable.
func globalKey(v *ssa.Global) string {
	if v.Pkg == nil {
		return v.Name()
	}
	return v.Pkg.Pkg.Path() + "." + v.Name()
}

// hubName is how messages name a hub: "Implant.host", "found".
func hubName(key string) string {
	if i := strings.Index(key, ".{"); i >= 0 {
		return key[strings.LastIndex(key, ".")+1:]
	}
	rest := key[strings.LastIndex(key, "/")+1:]
	if i := strings.IndexByte(rest, '.'); i >= 0 {
		return rest[i+1:]
	}
	return rest
}

// typeHubs lists the hubs of the fields of t's struct types — through pointers, slices,
// arrays, maps and channels, two levels of nested structs deep — that something writes.
func (p *pkgAnalysis) typeHubs(t types.Type, live map[string]bool) []string {
	var out []string
	seen := map[types.Type]bool{}
	var walk func(t types.Type, depth int)
	walk = func(t types.Type, depth int) {
		if depth > 2 || seen[t] {
			return
		}
		seen[t] = true
		switch u := t.Underlying().(type) {
		case *types.Pointer:
			walk(u.Elem(), depth)
		case *types.Slice:
			walk(u.Elem(), depth)
		case *types.Array:
			walk(u.Elem(), depth)
		case *types.Map:
			walk(u.Key(), depth)
			walk(u.Elem(), depth)
		case *types.Chan:
			walk(u.Elem(), depth)
		case *types.Struct:
			for i := range u.NumFields() {
				if k := p.fieldKey(t, i); live[k] {
					out = append(out, k)
				}
				walk(u.Field(i).Type(), depth+1)
			}
		}
	}
	walk(t, 0)
	return out
}

// storedFuncs records the functions stored into hubs (fields, package variables, their
// maps and slices): a call through such a hub may call any of them.
func (g *graph) storedFuncs(into map[string][]object) {
	record := func(addr, val ssa.Value) {
		hub := hubOf(g.refs(addr))
		if hub == "" {
			return
		}
		for _, o := range g.loaded(g.refs(val)) {
			if (o.kind == oFunc || o.kind == oClosure) && !slices.Contains(into[hub], o) {
				into[hub] = append(into[hub], o)
			}
		}
	}
	for _, b := range g.fn.Blocks {
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.Store:
				record(in.Addr, in.Val)
			case *ssa.MapUpdate:
				record(in.Map, in.Value)
			}
		}
	}
}
