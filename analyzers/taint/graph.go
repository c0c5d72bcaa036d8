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
	adj     [][]edge
	reads   []read
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
	return &graph{portIdx: map[finding.Port]int{}, pathIdx: map[string]int{}, global: global}
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

// write records that ops flow into the memory at path.
func (g *graph) write(path string, ops []operand, step finding.Step) {
	g.connect(ops, g.pathVertex(path), step)
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
		for _, w := range byRoot[root(r.path)] {
			wp := g.verts[w].path
			if r.exact && strings.HasPrefix(wp, r.path+".") {
				continue
			}
			if related(r.path, wp) {
				g.edge(w, r.to, r.step)
			}
		}
		if key, ok := g.global(r.path, false); ok {
			g.edge(g.port(finding.Port{K: finding.PortGlobalIn, G: key}), r.to, r.step)
		}
	}
	written := make([]string, 0, len(g.pathIdx))
	for p := range g.pathIdx {
		written = append(written, p)
	}
	slices.Sort(written)
	for _, p := range written {
		if key, ok := g.global(p, true); ok {
			g.edge(g.pathIdx[p], g.port(finding.Port{K: finding.PortGlobalOut, G: key}), finding.Step{})
		}
	}
}

// MaxFlows bounds the flows kept for one function; a generated function can connect every
// call to every other one.
const MaxFlows = 20000

// flows follows the graph from every port where data enters the function to every port
// where it leaves, keeping the shortest path's hops. It reports false when the function had
// more flows than MaxFlows.
func (g *graph) flows() ([]finding.Flow, bool) {
	var out []finding.Flow
	prev := make([]int, len(g.verts))
	via := make([]finding.Step, len(g.verts))
	// seen[v] == round marks v visited in this round: clearing a visited array per start
	// vertex made large functions quadratic.
	seen := make([]int, len(g.verts))
	round := 0
	var queue []int
	for start := range g.verts {
		v := g.verts[start]
		if v.isPath || !v.port.K.In() {
			continue
		}
		round++
		seen[start], prev[start] = round, -1
		queue = append(queue[:0], start)
		for len(queue) > 0 {
			cur := queue[0]
			queue = queue[1:]
			for _, e := range g.adj[cur] {
				if seen[e.to] == round {
					continue
				}
				seen[e.to], prev[e.to], via[e.to] = round, cur, e.step
				queue = append(queue, e.to)
				if w := g.verts[e.to]; !w.isPath && !w.port.K.In() && !selfFlow(v.port, w.port) {
					if len(out) == MaxFlows {
						return out, false
					}
					out = append(out, finding.Flow{From: v.port, To: w.port, Steps: steps(prev, via, e.to)})
				}
			}
		}
	}
	return out, true
}

// steps recovers the hops of the path ending at v.
func steps(prev []int, via []finding.Step, v int) []finding.Step {
	var out []finding.Step
	for ; prev[v] >= 0; v = prev[v] {
		if via[v].Message != "" {
			out = append(out, via[v])
		}
	}
	slices.Reverse(out)
	return out
}

// selfFlow reports a flow from what a call writes through an argument back into that same
// argument: true of every buffer passed to a call, and never news.
func selfFlow(from, to finding.Port) bool {
	return from.K == finding.PortArgOut && to.K == finding.PortArg && from.C == to.C && from.I == to.I
}
