package syntax

import "glassbox/analyzers/source"

// Member is a field declared in a class or struct, with its type in the naming convention of
// Call.Names. Classes are declared in headers and their methods defined elsewhere, and a Go
// struct's methods are spread over its package: the types of fields cross files, so the
// link step, which sees every file, needs them.
type Member struct {
	Owner string // the class or struct: "Agent", "ns::Agent"
	Field string
	Type  string
}

// Members lists the fields of the classes and structs the file declares, with their types
// when it can name them ("" otherwise: the field still tells a member from a global).
// Methods (function declarators) are not fields and are left out.
func (t *Tree) Members() []Member {
	t.index()
	var out []Member
	switch t.Lang {
	case source.CPP:
		for _, cls := range t.classes {
			body := t.Child(cls.node, "body")
			for _, d := range t.NamedChildren(body) {
				if t.Kind(d) != "field_declaration" {
					continue
				}
				typ := t.cppTypeName(t.Child(d, "type"), 0)
				if typ == "auto" {
					typ = ""
				}
				for _, decl := range t.Children(d, "declarator") {
					if name, _, ok := t.declaratorName(decl); ok && name != "" {
						out = append(out, Member{Owner: cls.name, Field: name, Type: typ})
					}
				}
			}
		}
	case source.Go:
		r := t.resolver()
		for i := range t.nodes {
			n := Node(i)
			if t.Kind(n) != "type_spec" || t.Kind(t.Child(n, "type")) != "struct_type" {
				continue
			}
			owner := t.Text(t.Child(n, "name"))
			list := t.NamedChild(t.Child(n, "type"), 0)
			for _, d := range t.NamedChildren(list) {
				if t.Kind(d) != "field_declaration" {
					continue
				}
				typ := r.goTypeName(t.Child(d, "type"))
				for _, name := range t.Children(d, "name") {
					out = append(out, Member{Owner: owner, Field: t.Text(name), Type: typ})
				}
			}
		}
	}
	return out
}
