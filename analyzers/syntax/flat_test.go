package syntax

import (
	"context"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"

	"glassbox/analyzers/source"
)

// TestFlattenMatchesBinding walks each tree through the binding's own API and checks every
// node of the flat copy against it: type, span, field, parent, named and missing. It guards
// the C declarations in flat.go against a binding whose layout has changed. (The field of an
// ERROR node is the one thing the two can disagree on: the binding's per-child lookup and the
// cursor read error recovery differently.)
func TestFlattenMatchesBinding(t *testing.T) {
	samples := map[source.Lang]string{
		source.C:   "int f(int a, char *b) { if (a) { return g(a, \"x\"); } /* c */ return h(b) + 1; }\nint bad( { ;\n",
		source.CPP: "namespace n { class A : public B { void m() { auto l = [&](int x) { return x; }; this->q(l(1)); } }; }\n",
		source.Go:  "package p\nimport \"net/http\"\nfunc (a *A) F(c *http.Client) error { _, err := c.Get(\"u\"); return err }\n",
	}
	for lang, src := range samples {
		p := NewParser(0)
		tree, err := p.Parse(context.Background(), lang, []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		i := 0
		var walk func(sn *sitter.Node, parent Node, field string)
		walk = func(sn *sitter.Node, parent Node, field string) {
			n := Node(i)
			i++
			if tree.Kind(n) != sn.Type() || tree.Start(n) != int(sn.StartByte()) || tree.End(n) != int(sn.EndByte()) ||
				tree.Parent(n) != parent || tree.FieldName(n) != field && !sn.IsError() || tree.Named(n) != sn.IsNamed() || tree.Missing(n) != sn.IsMissing() {
				t.Fatalf("%s node %d: flat {%s %d-%d parent %d field %q named %v} vs binding {%s %d-%d field %q named %v}",
					lang, n, tree.Kind(n), tree.Start(n), tree.End(n), tree.Parent(n), tree.FieldName(n), tree.Named(n),
					sn.Type(), sn.StartByte(), sn.EndByte(), field, sn.IsNamed())
			}
			prev := NoNode
			for k := 0; k < int(sn.ChildCount()); k++ {
				c := Node(i)
				if k == 0 && tree.FirstChild(n) != c || k > 0 && tree.Next(prev) != c {
					t.Fatalf("%s node %d: child links disagree", lang, n)
				}
				walk(sn.Child(k), n, sn.FieldNameForChild(k))
				prev = c
			}
			if prev >= 0 && tree.Next(prev) != NoNode {
				t.Fatalf("%s node %d: last child has a next sibling", lang, n)
			}
		}
		walk(tree.t.RootNode(), NoNode, "")
		if i != tree.Len() {
			t.Errorf("%s: binding has %d nodes, flat copy %d", lang, i, tree.Len())
		}
		tree.Close()
		p.Close()
	}
}
