package syntax

/*
#include <stdint.h>
#include <stdbool.h>

// The declarations below are tree-sitter's public C API (api.h, ABI 14) as compiled into
// github.com/smacker/go-tree-sitter; the definitions come from that package's objects in the
// same binary. TestFlattenMatchesBinding checks, node by node, that the layouts agree.
typedef uint16_t TSSymbol;
typedef uint16_t TSFieldId;
typedef struct TSTree TSTree;
typedef struct TSNode { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct TSTreeCursor { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;
TSNode ts_tree_root_node(const TSTree *self);
TSSymbol ts_node_symbol(TSNode self);
uint32_t ts_node_start_byte(TSNode self);
uint32_t ts_node_end_byte(TSNode self);
bool ts_node_is_named(TSNode self);
bool ts_node_is_missing(TSNode self);
TSTreeCursor ts_tree_cursor_new(TSNode node);
void ts_tree_cursor_delete(TSTreeCursor *self);
TSNode ts_tree_cursor_current_node(const TSTreeCursor *self);
TSFieldId ts_tree_cursor_current_field_id(const TSTreeCursor *self);
bool ts_tree_cursor_goto_parent(TSTreeCursor *self);
bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *self);
bool ts_tree_cursor_goto_first_child(TSTreeCursor *self);

typedef struct {
	uint16_t kind;
	uint16_t field;
	uint32_t start;
	uint32_t end;
	int32_t parent;
	int32_t next;
	uint8_t flags;
} gb_node;

// gb_flatten writes the tree in preorder into out (at most cap nodes) and returns the count,
// or -1 when out is too small. Sibling links are filled in by the Go side.
static int64_t gb_flatten(const TSTree *tree, gb_node *out, int64_t cap) {
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
	int64_t n = 0, parent = -1;
	for (;;) {
		if (n >= cap) {
			ts_tree_cursor_delete(&c);
			return -1;
		}
		TSNode node = ts_tree_cursor_current_node(&c);
		gb_node *g = &out[n];
		g->kind = ts_node_symbol(node);
		g->field = ts_tree_cursor_current_field_id(&c);
		g->start = ts_node_start_byte(node);
		g->end = ts_node_end_byte(node);
		g->parent = (int32_t)parent;
		g->next = -1;
		g->flags = (ts_node_is_named(node) ? 1 : 0) | (ts_node_is_missing(node) ? 2 : 0);
		n++;
		if (ts_tree_cursor_goto_first_child(&c)) {
			parent = n - 1;
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (!ts_tree_cursor_goto_parent(&c)) {
				ts_tree_cursor_delete(&c);
				return n;
			}
			parent = out[parent].parent;
		}
	}
}
*/
import "C"

import (
	"runtime"
	"unsafe"

	sitter "github.com/smacker/go-tree-sitter"
)

// Node names a node of a Tree: its index in the tree's preorder. NoNode is the absent node.
//
// glassbox copies every tree into Go memory in one C call (about a fifth of the parse's own
// cost) and answers every question about it in Go: walking a tree node by node through the
// binding costs more than parsing it.
type Node int32

// NoNode is the absent node (a missing field, the root's parent).
const NoNode Node = -1

// flatNode is one node as gb_flatten writes it; the layouts must match.
type flatNode struct {
	kind   uint16
	field  uint16
	start  uint32
	end    uint32
	parent int32
	next   int32
	flags  uint8
}

const (
	flagNamed   = 1
	flagMissing = 2
)

// errorSymbol is tree-sitter's ERROR node symbol (ts_builtin_sym_error).
const errorSymbol = 0xFFFF

// flatten copies t into preorder with parent and next-sibling links.
func flatten(t *sitter.Tree, hint int) []flatNode {
	// The binding keeps the C tree pointer as the first field of BaseTree.
	ct := *(*unsafe.Pointer)(unsafe.Pointer(t.BaseTree))
	buf := make([]flatNode, max(hint, 64))
	for {
		n := C.gb_flatten((*C.TSTree)(ct), (*C.gb_node)(unsafe.Pointer(&buf[0])), C.int64_t(len(buf)))
		runtime.KeepAlive(t)
		if n >= 0 {
			buf = buf[:n]
			break
		}
		buf = make([]flatNode, len(buf)*2)
	}
	linkSiblings(buf)
	return buf
}

// linkSiblings sets each node's next sibling: in preorder, a node's previous sibling is the
// last node seen with the same parent.
func linkSiblings(ns []flatNode) {
	last := make([]int32, len(ns))
	for i := range last {
		last[i] = -1
	}
	for i := 1; i < len(ns); i++ {
		p := ns[i].parent
		if prev := last[p]; prev >= 0 {
			ns[prev].next = int32(i)
		}
		last[p] = int32(i)
	}
}

// Kind is the node's type, as tree-sitter names it ("call_expression", "ERROR").
func (t *Tree) Kind(n Node) string {
	if n < 0 {
		return ""
	}
	return t.lang.kind(t.nodes[n].kind)
}

// Start and End are the node's byte offsets in Src.
func (t *Tree) Start(n Node) int { return int(t.nodes[n].start) }

// End is the byte offset just past the node.
func (t *Tree) End(n Node) int { return int(t.nodes[n].end) }

// Parent returns the node's parent, or NoNode for the root.
func (t *Tree) Parent(n Node) Node { return Node(t.nodes[n].parent) }

// FirstChild returns the node's first child, or NoNode.
func (t *Tree) FirstChild(n Node) Node {
	if c := n + 1; int(c) < len(t.nodes) && Node(t.nodes[c].parent) == n {
		return c
	}
	return NoNode
}

// Next returns the node's next sibling, or NoNode.
func (t *Tree) Next(n Node) Node { return Node(t.nodes[n].next) }

// Named reports whether the node is named (an identifier, not the "(" token).
func (t *Tree) Named(n Node) bool { return t.nodes[n].flags&flagNamed != 0 }

// Missing reports whether the parser inserted the node to recover from an error.
func (t *Tree) Missing(n Node) bool { return t.nodes[n].flags&flagMissing != 0 }

// FieldName is the name of the field the node fills in its parent ("" for none).
func (t *Tree) FieldName(n Node) string { return t.lang.field(t.nodes[n].field) }

// Child returns the first child in field, or NoNode.
func (t *Tree) Child(n Node, field string) Node {
	id := t.lang.fieldID(field)
	if id == 0 || n < 0 {
		return NoNode
	}
	for c := t.FirstChild(n); c >= 0; c = t.Next(c) {
		if t.nodes[c].field == id {
			return c
		}
	}
	return NoNode
}

// Children returns every child in field (fields repeat: the declarators of `int a, *b;`).
func (t *Tree) Children(n Node, field string) []Node {
	id := t.lang.fieldID(field)
	if id == 0 || n < 0 {
		return nil
	}
	var out []Node
	for c := t.FirstChild(n); c >= 0; c = t.Next(c) {
		if t.nodes[c].field == id {
			out = append(out, c)
		}
	}
	return out
}

// NamedChildren returns the node's named children, leaving out comments.
func (t *Tree) NamedChildren(n Node) []Node {
	if n < 0 {
		return nil
	}
	var out []Node
	for c := t.FirstChild(n); c >= 0; c = t.Next(c) {
		if t.Named(c) && t.Kind(c) != "comment" {
			out = append(out, c)
		}
	}
	return out
}

// NamedChild returns the i-th named child (comments excluded), or NoNode.
func (t *Tree) NamedChild(n Node, i int) Node {
	if n < 0 {
		return NoNode
	}
	for c := t.FirstChild(n); c >= 0; c = t.Next(c) {
		if t.Named(c) && t.Kind(c) != "comment" {
			if i == 0 {
				return c
			}
			i--
		}
	}
	return NoNode
}

// Len is the number of nodes in the tree.
func (t *Tree) Len() int { return len(t.nodes) }

// Contains reports whether node a contains node b (or is b).
func (t *Tree) Contains(a, b Node) bool {
	return a >= 0 && b >= 0 && t.nodes[a].start <= t.nodes[b].start && t.nodes[b].end <= t.nodes[a].end
}

// At finds the node a binding node stands for: the one with its span and type. Query
// captures arrive as binding nodes; everything else works on Node.
func (t *Tree) at(sn *sitter.Node) Node {
	start, end, sym := sn.StartByte(), sn.EndByte(), uint16(sn.Symbol())
	lo, hi := 0, len(t.nodes)
	for lo < hi {
		mid := (lo + hi) / 2
		if t.nodes[mid].start < start {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	for i := lo; i < len(t.nodes) && t.nodes[i].start == start; i++ {
		if t.nodes[i].end == end && t.nodes[i].kind == sym {
			return Node(i)
		}
	}
	return NoNode
}

// SubtreeEnd returns the first node after n's subtree in preorder (Len() at the end): the
// descendants of n are exactly the nodes n+1 … SubtreeEnd(n)-1.
func (t *Tree) SubtreeEnd(n Node) Node {
	for p := n; p >= 0; p = t.Parent(p) {
		if next := t.Next(p); next >= 0 {
			return next
		}
	}
	return Node(len(t.nodes))
}
