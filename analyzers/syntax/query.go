package syntax

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"glassbox/analyzers/endpoint"
	"glassbox/analyzers/source"
)

// QueryError locates a problem in a query's text. Line and Column are 1-based and relative
// to the query source, so a pack loader can add the line where the query starts.
type QueryError struct {
	Line, Column int
	Msg          string
}

func (e *QueryError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("query line %d column %d: %s", e.Line, e.Column, e.Msg)
	}
	return e.Msg
}

// Query is a compiled tree-sitter query whose predicates glassbox evaluates itself, with
// regular expressions compiled once (tree-sitter's Go binding recompiles them per match).
type Query struct {
	q     *sitter.Query
	names []string // capture id → name
	preds [][]predicate
}

// Predicates lists the predicates queries may use, for error messages and documentation.
var Predicates = []string{
	"eq?", "not-eq?", "match?", "not-match?", "any-of?", "not-any-of?",
	"value-match?", "not-context?", "is-string?", "not-string?", "is-constant?", "not-constant?", "is-endpoint?",
	"not-message?", "ipv4-octets?",
}

var endpointKinds = []endpoint.Kind{endpoint.URL, endpoint.IPv4, endpoint.IPv6, endpoint.HostPort, endpoint.Domain}

type predicate struct {
	op      string
	capture string
	other   string   // second capture of eq?, or ""
	values  []string // literal arguments
	re      *regexp.Regexp
}

// CompileQuery compiles src for lang and checks its predicates.
func CompileQuery(lang source.Lang, src string) (*Query, error) {
	g := Grammar(lang)
	if g == nil {
		return nil, fmt.Errorf("syntax: no grammar for language %q", lang)
	}
	q, err := sitter.NewQuery([]byte(src), g)
	if err != nil {
		return nil, queryError(src, err)
	}
	out := &Query{q: q}
	for i := uint32(0); i < q.CaptureCount(); i++ {
		out.names = append(out.names, q.CaptureNameForId(i))
	}
	for p := uint32(0); p < q.PatternCount(); p++ {
		preds, err := out.parsePredicates(q.PredicatesForPattern(p))
		if err != nil {
			q.Close()
			return nil, &QueryError{Msg: err.Error()}
		}
		out.preds = append(out.preds, preds)
	}
	return out, nil
}

func queryError(src string, err error) error {
	var qe *sitter.QueryError
	if !errors.As(err, &qe) {
		return &QueryError{Msg: err.Error()}
	}
	off := min(int(qe.Offset), len(src))
	line := 1 + strings.Count(src[:off], "\n")
	col := off - strings.LastIndexByte(src[:off], '\n')
	msg := qe.Message
	if i := strings.Index(msg, " at line"); i >= 0 {
		msg = msg[:i] // the binding appends its own position, which we report as fields
	}
	return &QueryError{Line: line, Column: col, Msg: msg}
}

func (q *Query) parsePredicates(steps [][]sitter.QueryPredicateStep) ([]predicate, error) {
	var out []predicate
	for _, st := range steps {
		if len(st) == 0 {
			continue
		}
		p := predicate{op: q.q.StringValueForId(st[0].ValueId)}
		args := st[1:]
		if len(args) > 0 && args[len(args)-1].Type == sitter.QueryPredicateStepTypeDone {
			args = args[:len(args)-1]
		}
		if !slices.Contains(Predicates, p.op) {
			return nil, fmt.Errorf("unknown predicate #%s (known: #%s)", p.op, strings.Join(Predicates, ", #"))
		}
		if len(args) == 0 || args[0].Type != sitter.QueryPredicateStepTypeCapture {
			return nil, fmt.Errorf("#%s needs a capture as its first argument", p.op)
		}
		p.capture = q.q.CaptureNameForId(args[0].ValueId)
		for _, a := range args[1:] {
			if a.Type == sitter.QueryPredicateStepTypeCapture {
				p.other = q.q.CaptureNameForId(a.ValueId)
				continue
			}
			p.values = append(p.values, q.q.StringValueForId(a.ValueId))
		}
		if err := p.check(); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// feasible reports whether some pattern of q can match in src: a pattern whose #eq? or
// #any-of? wants a text that src does not contain anywhere cannot. A query such as
// `((identifier) @m (#eq? @m "environ"))` otherwise walks the whole tree of every file to
// find what a substring search rules out.
func (q *Query) feasible(src []byte) bool {
	for _, preds := range q.preds {
		ok := true
		for _, p := range preds {
			if (p.op != "eq?" && p.op != "any-of?") || p.other != "" {
				continue
			}
			if !slices.ContainsFunc(p.values, func(v string) bool { return bytes.Contains(src, []byte(v)) }) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return len(q.preds) == 0
}

// check validates argument counts and compiles regular expressions.
func (p *predicate) check() error {
	switch p.op {
	case "eq?", "not-eq?":
		if len(p.values)+btoi(p.other != "") != 1 {
			return fmt.Errorf("#%s takes a capture and one string or capture", p.op)
		}
	case "match?", "not-match?", "value-match?", "not-context?":
		if len(p.values) != 1 || p.other != "" {
			return fmt.Errorf("#%s takes a capture and one regular expression", p.op)
		}
		re, err := regexp.Compile(p.values[0])
		if err != nil {
			return fmt.Errorf("#%s: bad regular expression: %v", p.op, err)
		}
		p.re = re
	case "any-of?", "not-any-of?":
		if len(p.values) == 0 || p.other != "" {
			return fmt.Errorf("#%s takes a capture and at least one string", p.op)
		}
	case "is-endpoint?":
		for _, k := range p.values {
			if !slices.Contains(endpointKinds, endpoint.Kind(k)) {
				return fmt.Errorf("#is-endpoint?: unknown endpoint kind %q", k)
			}
		}
	default: // is-string?, not-string?, is-constant?, not-constant?, not-message?
		if len(p.values) > 0 || p.other != "" {
			return fmt.Errorf("#%s takes only a capture", p.op)
		}
	}
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CaptureNames lists the query's capture names.
func (q *Query) CaptureNames() []string { return slices.Clone(q.names) }

// PatternCount is the number of patterns in the query.
func (q *Query) PatternCount() int { return int(q.q.PatternCount()) }

// Close frees the query.
func (q *Query) Close() { q.q.Close() }

// Capture is one captured node.
type Capture struct {
	Name string
	Node Node
}

// Match is one match of a query pattern that passed its predicates. Props holds what
// predicates learned (an endpoint's kind and host) for the finding's properties.
type Match struct {
	Pattern  int
	Captures []Capture
	Props    map[string]any
}

// Capture returns the first node captured under name, or NoNode.
func (m *Match) Capture(name string) Node {
	for _, c := range m.Captures {
		if c.Name == name {
			return c.Node
		}
	}
	return NoNode
}

// Run calls fn for every match of q in t that passes its predicates, in document order. The
// match is reused after fn returns: fn must copy what it keeps. A query such as
// `((identifier) @m (#eq? @m "environ"))` matches every identifier before its predicate
// rejects nearly all of them, and allocating each of those matches cost more than the walk.
func (q *Query) Run(t *Tree, fn func(*Match)) {
	q.walk(t, true, func(m *Match) {
		if q.accept(t, m) {
			fn(m)
		}
	})
}

// each calls fn for every match of q in t, before predicates; fn may keep the match.
func (q *Query) each(t *Tree, fn func(*Match)) { q.walk(t, false, fn) }

func (q *Query) walk(t *Tree, reuse bool, fn func(*Match)) {
	if t.t == nil {
		return // the tree-sitter tree was freed: only rule queries need it
	}
	if !q.feasible(t.Src) {
		return
	}
	cur := sitter.NewQueryCursor()
	defer cur.Close()
	cur.Exec(q.q, t.t.RootNode())
	var spare Match
	for {
		qm, ok := cur.NextMatch()
		if !ok {
			return
		}
		var m *Match
		if reuse {
			spare.Pattern, spare.Captures, spare.Props = int(qm.PatternIndex), spare.Captures[:0], nil
			m = &spare
		} else {
			m = &Match{Pattern: int(qm.PatternIndex)}
		}
		for _, c := range qm.Captures {
			m.Captures = append(m.Captures, Capture{Name: q.names[c.Index], Node: t.at(c.Node)})
		}
		fn(m)
	}
}

func (q *Query) accept(t *Tree, m *Match) bool {
	for _, p := range q.preds[m.Pattern] {
		if !p.holds(t, m) {
			return false
		}
	}
	return true
}

// holds evaluates p; with a quantified capture every captured node must satisfy it.
func (p *predicate) holds(t *Tree, m *Match) bool {
	for _, c := range m.Captures {
		if c.Name == p.capture && !p.holdsFor(t, m, c.Node) {
			return false
		}
	}
	// A predicate on an optional capture that matched nothing does not reject the match,
	// as in tree-sitter.
	return true
}

func (p *predicate) holdsFor(t *Tree, m *Match, n Node) bool {
	text := t.Text(n)
	switch p.op {
	case "eq?", "not-eq?":
		want := ""
		if p.other != "" {
			want = t.Text(m.Capture(p.other))
		} else {
			want = p.values[0]
		}
		return (text == want) == (p.op == "eq?")
	case "match?", "not-match?":
		return p.re.MatchString(text) == (p.op == "match?")
	case "any-of?", "not-any-of?":
		return slices.Contains(p.values, text) == (p.op == "any-of?")
	case "value-match?":
		v, ok := t.StringValue(n)
		return ok && p.re.MatchString(v)
	case "not-context?":
		return !p.re.MatchString(t.ContextName(n))
	case "is-string?", "not-string?":
		return t.IsString(n) == (p.op == "is-string?")
	case "is-constant?", "not-constant?":
		return t.IsConstant(n) == (p.op == "is-constant?")
	case "is-endpoint?":
		return p.endpoint(t, m, n)
	case "not-message?":
		return !t.InMessage(n)
	case "ipv4-octets?":
		return ipv4Octets(t, m, n)
	}
	return false
}

// macroOctets reads the last four numeric arguments of a macro body that is one call.
var macroOctets = regexp.MustCompile(`^\s*[A-Za-z_]\w*\s*\((?:[^(),]*,)*\s*(\w+)\s*,\s*(\w+)\s*,\s*(\w+)\s*,\s*(\w+)\s*\)\s*(?://.*|/\*.*)?$`)

// ipv4Octets holds when n is a call whose last four arguments are numbers from 0 to 255 —
// an IPv4 address built from its octets, `INET_ADDR(65,222,202,53)`, `MAKEIPADDRESS(…)`,
// lwIP's `IP4_ADDR(&ip, 192,168,1,1)` — and records the address as the match's endpoint.
func ipv4Octets(t *Tree, m *Match, n Node) bool {
	var octets []string
	switch t.Kind(n) {
	case "call_expression":
		args := t.NamedChildren(t.Child(n, "arguments"))
		if len(args) < 4 {
			return false
		}
		for _, a := range args[len(args)-4:] {
			if t.Kind(a) != "number_literal" {
				return false
			}
			octets = append(octets, t.Text(a))
		}
	case "preproc_arg": // #define FAKE_CNC_ADDR INET_ADDR(65,222,202,53)
		sub := macroOctets.FindStringSubmatch(t.Text(n))
		if sub == nil {
			return false
		}
		octets = sub[1:]
	default:
		return false
	}
	parts := make([]string, 4)
	for i, o := range octets {
		v, err := strconv.ParseUint(strings.TrimRight(strings.TrimSpace(o), "uUlL"), 0, 16)
		if err != nil || v > 255 {
			return false
		}
		parts[i] = strconv.FormatUint(v, 10)
	}
	es := endpoint.Find(strings.Join(parts, "."))
	if len(es) == 0 {
		return false
	}
	m.setEndpoints(es)
	return true
}

// endpoint holds when n is a string literal naming a network endpoint (of one of the listed
// kinds, if any), and records the endpoint in the match's properties.
func (p *predicate) endpoint(t *Tree, m *Match, n Node) bool {
	v, ok := t.StringValue(n)
	if !ok {
		return false
	}
	var found []endpoint.Endpoint
	for _, e := range t.endpoints(n, v) {
		if len(p.values) == 0 || slices.Contains(p.values, string(e.Kind)) {
			found = append(found, e)
		}
	}
	if len(found) == 0 {
		return false
	}
	m.setEndpoints(found)
	return true
}

// setEndpoints records the endpoints a predicate found in the match's properties.
func (m *Match) setEndpoints(es []endpoint.Endpoint) {
	if m.Props == nil {
		m.Props = map[string]any{}
	}
	endpointProps(m.Props, es)
}

// endpointProps describes the first endpoint of a literal, and lists all of them when there
// are several (a literal with a primary and a backup server).
func endpointProps(props map[string]any, es []endpoint.Endpoint) {
	e := es[0]
	props["endpoint"] = e.Text
	props["endpointKind"] = string(e.Kind)
	setIf(props, "host", e.Host)
	setIf(props, "port", e.Port)
	setIf(props, "scheme", e.Scheme)
	setIf(props, "scope", e.Scope)
	if e.Templated {
		props["templated"] = true
	}
	if len(es) > 1 {
		all := make([]string, len(es))
		for i, e := range es {
			all[i] = e.Text
		}
		props["endpoints"] = all
	}
}

func setIf(props map[string]any, k, v string) {
	if v != "" {
		props[k] = v
	}
}

// endpoints finds the endpoints of a literal once per tree: several rules (URLs, addresses,
// hosts) ask about every string literal.
func (t *Tree) endpoints(n Node, value string) []endpoint.Endpoint {
	if t.found == nil {
		t.found = map[Node][]endpoint.Endpoint{}
	}
	if es, ok := t.found[n]; ok {
		return es
	}
	es := endpoint.Find(value)
	t.found[n] = es
	return es
}
