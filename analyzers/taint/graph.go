package taint

import (
	"slices"
	"strings"

	"glassbox/analyzers/finding"
)

// graph is the dataflow graph of one function while it is being summarised. Its vertices
// are ports (what the summary keeps) and access paths ("buf", "info.computer", "this.m_sock"),
// which stand for everything written to that memory anywhere in the function: the analysis
// is flow-insensitive, so a write anywhere reaches a read anywhere.
type graph struct {
	verts   []vertex
	portIdx map[finding.Port]int
	pathIdx map[string]int
	// stated are the paths the code itself writes; the others only receive what a port
	// hands a field (fieldPorts), which is not a write of the object's member state.
	stated map[string]bool
	adj    [][]edge
	reads  []read
	// global names the global or member state an access path belongs to ("g:g_host",
	// "cpp:Agent::m_data"), or reports false for function-local memory. write says whether
	// the path is written or read: a field of a local object is written to its type's
	// member state, but read only locally (the object is this function's).
	global func(path string, write bool) (key string, ok bool)
}

type vertex struct {
	port   finding.Port
	path   string
	isPath bool
}

type edge struct {
	to   int
	step finding.Step
}

// read is a use of an access path, resolved once every write of the function is known: a
// read of "info" sees writes to "info.computer", and a read of "pkt.cmd" sees writes to "pkt".
type read struct {
	path  string
	exact bool // the object itself, not its parts (see operand)
	to    int
	step  finding.Step
	// fielded reads hand what was written into one field of the object to the port base
	// with that field (G ".host"), and the rest to base itself: a struct returned or passed
	// whole keeps apart what its fields hold (see connectFields).
	fielded bool
	base    finding.Port
}

// operand is one thing an expression's value is made of: a vertex, or an access path read.
// An exact read sees writes to the path and to what contains it, but not to its parts: an
// object a method is called on carries what was written into it as a whole, while what
// was written into its fields reaches the method through its type's member state.
type operand struct {
	v     int
	path  string
	exact bool
}

func newGraph(global func(path string, write bool) (string, bool)) *graph {
	return &graph{portIdx: map[finding.Port]int{}, pathIdx: map[string]int{}, stated: map[string]bool{}, global: global}
}

func (g *graph) add(v vertex) int {
	g.verts = append(g.verts, v)
	g.adj = append(g.adj, nil)
	return len(g.verts) - 1
}

// port returns the vertex of p, creating it.
func (g *graph) port(p finding.Port) int {
	if i, ok := g.portIdx[p]; ok {
		return i
	}
	i := g.add(vertex{port: p})
	g.portIdx[p] = i
	return i
}

// pathVertex returns the vertex that collects writes to path.
func (g *graph) pathVertex(path string) int {
	if i, ok := g.pathIdx[path]; ok {
		return i
	}
	i := g.add(vertex{path: path, isPath: true})
	g.pathIdx[path] = i
	return i
}

func (g *graph) edge(from, to int, step finding.Step) {
	if from == to {
		return
	}
	for _, e := range g.adj[from] {
		if e.to == to {
			return
		}
	}
	g.adj[from] = append(g.adj[from], edge{to: to, step: step})
}

// connect makes every operand flow into vertex to.
func (g *graph) connect(ops []operand, to int, step finding.Step) {
	for _, op := range ops {
		if op.path != "" {
			g.reads = append(g.reads, read{path: op.path, exact: op.exact, to: to, step: step})
		} else {
			g.edge(op.v, to, step)
		}
	}
}

// connectFields makes the object at path flow into port base field by field: what was
// written into path.f… reaches base with G ".f", what was written into path (or an object
// holding it) reaches base. The link step pairs fielded ports by field (see fieldPort).
func (g *graph) connectFields(path string, base finding.Port, step finding.Step) {
	g.port(base)
	g.reads = append(g.reads, read{path: path, fielded: true, base: base, step: step})
}

// write records that ops flow into the memory at path.
func (g *graph) write(path string, ops []operand, step finding.Step) {
	g.stated[path] = true
	g.connect(ops, g.pathVertex(path), step)
}

// hand records that port p hands data to the memory at path without the code writing it:
// a parameter's field as the function receives it.
func (g *graph) hand(path string, p finding.Port, step finding.Step) {
	g.edge(g.port(p), g.pathVertex(path), step)
}

func root(path string) string {
	if i := strings.IndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return path
}

// related reports whether a read of p sees a write to q: the same memory, a part of it, or
// the whole it is part of.
func related(p, q string) bool {
	return p == q || strings.HasPrefix(q, p+".") || strings.HasPrefix(p, q+".")
}

// resolve turns path reads into edges, and connects globals to their ports.
func (g *graph) resolve() {
	byRoot := map[string][]int{}
	for path, i := range g.pathIdx {
		byRoot[root(path)] = append(byRoot[root(path)], i)
	}
	for _, vs := range byRoot {
		slices.Sort(vs) // map order must not decide edge order
	}
	for _, r := range g.reads {
		to := r.to
		if r.fielded {
			to = g.port(r.base)
		}
		for _, w := range byRoot[root(r.path)] {
			wp := g.verts[w].path
			if r.exact && strings.HasPrefix(wp, r.path+".") {
				continue
			}
			if !related(r.path, wp) {
				continue
			}
			if rest, part := strings.CutPrefix(wp, r.path); r.fielded && part && rest != "" {
				fp := r.base
				fp.G = firstField("x" + rest)
				g.edge(w, g.port(fp), r.step)
				continue
			}
			g.edge(w, to, r.step)
		}
		if key, ok := g.global(r.path, false); ok {
			g.edge(g.port(finding.Port{K: finding.PortGlobalIn, G: key}), to, r.step)
		}
	}
	written := make([]string, 0, len(g.pathIdx))
	for p := range g.pathIdx {
		written = append(written, p)
	}
	slices.Sort(written)
	for _, p := range written {
		if !g.stated[p] {
			continue
		}
		if key, ok := g.global(p, true); ok {
			g.edge(g.pathIdx[p], g.port(finding.Port{K: finding.PortGlobalOut, G: key}), finding.Step{})
		}
	}
}

// fieldMarker reports whether v is the otherField port of a parameter or call result.
func (g *graph) fieldMarker(v int) bool {
	p := g.verts[v].port
	return !g.verts[v].isPath && p.G == otherField && (p.K == finding.PortParam || p.K == finding.PortResult)
}

// MaxEdges bounds the edges kept for one function: a generated function of a hundred
// thousand statements is summarised in part rather than holding up the link step.
const MaxEdges = 200000

// export returns the graph as a summary keeps it: its ports, the memory between them, and
// the edges, pruned to the vertices on some path from a port where data enters to a port
// where it leaves. Steps are kept once each. It reports false when the graph had more edges
// than MaxEdges and was cut.
func (g *graph) export() (nodes []finding.Port, edges []finding.Edge, steps []finding.Step, complete bool) {
	n := len(g.verts)
	fwd := make([]bool, n) // reached from an entry
	var stack []int
	for v := range g.verts {
		if !g.verts[v].isPath && g.verts[v].port.K.In() {
			fwd[v] = true
			stack = append(stack, v)
		}
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range g.adj[v] {
			if !fwd[e.to] {
				fwd[e.to] = true
				stack = append(stack, e.to)
			}
		}
	}
	radj := make([][]int, n)
	for v := range g.adj {
		for _, e := range g.adj[v] {
			radj[e.to] = append(radj[e.to], v)
		}
	}
	bwd := make([]bool, n) // reaches an exit
	for v := range g.verts {
		if !g.verts[v].isPath && !g.verts[v].port.K.In() {
			bwd[v] = true
			stack = append(stack, v)
		}
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, u := range radj[v] {
			if !bwd[u] {
				bwd[u] = true
				stack = append(stack, u)
			}
		}
	}
	id := make([]int32, n)
	local := 0
	for v := range g.verts {
		id[v] = -1
		// A parameter's or result's otherField port stays even when nothing reads it: it says
		// the function takes that object field by field, so that data in a field it never
		// reads arrives nowhere rather than everywhere (see linker.fieldTargets).
		if (!fwd[v] || !bwd[v]) && !g.fieldMarker(v) {
			continue
		}
		id[v] = int32(len(nodes))
		p := g.verts[v].port
		if g.verts[v].isPath {
			p = finding.Port{K: finding.PortNode, I: local}
			local++
		}
		nodes = append(nodes, p)
	}
	stepIdx := map[finding.Step]int32{}
	complete = true
	for v := range g.adj {
		if id[v] < 0 {
			continue
		}
		for _, e := range g.adj[v] {
			if id[e.to] < 0 {
				continue
			}
			if len(edges) == MaxEdges {
				return nodes, edges, steps, false
			}
			k := int32(-1)
			if e.step.Message != "" {
				var ok bool
				if k, ok = stepIdx[e.step]; !ok {
					k = int32(len(steps))
					stepIdx[e.step] = k
					steps = append(steps, e.step)
				}
			}
			edges = append(edges, finding.Edge{From: id[v], To: id[e.to], Step: k})
		}
	}
	return nodes, edges, steps, complete
}
