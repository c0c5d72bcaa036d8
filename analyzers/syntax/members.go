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

// Class is a C++ class or struct and the classes it derives from, named without template
// arguments.
type Class struct {
	Name  string
	Bases []string
}

// Classes lists the C++ classes the file declares that derive from others: a call through
// a base class pointer (`m_transport->Send(…)` on an ITransport *) may run any override.
func (t *Tree) Classes() []Class {
	t.index()
	if t.Lang != source.CPP {
		return nil
	}
	var out []Class
	for _, cls := range t.classes {
		var bases []string
		for c := t.FirstChild(cls.node); c >= 0; c = t.Next(c) {
			if t.Kind(c) != "base_class_clause" {
				continue
			}
			for _, b := range t.NamedChildren(c) {
				switch t.Kind(b) {
				case "type_identifier", "qualified_identifier":
					bases = append(bases, normalizeQualified(t.Text(b)))
				case "template_type":
					bases = append(bases, normalizeQualified(t.Text(t.Child(b, "name"))))
				}
			}
		}
		if len(bases) > 0 {
			out = append(out, Class{Name: cls.name, Bases: bases})
		}
	}
	return out
}
