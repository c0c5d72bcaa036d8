package rules

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"glassbox/analyzers/source"
)

var position = regexp.MustCompile(`^(?:arg(\d+)(\.\.)?|(\d+)(\.\.)?|return|receiver|args|any)$`)

// positions reads call positions: "arg1" (or 1), "arg1.." (that argument and all after),
// "return", "receiver", "args" (every argument) and "any" (every argument and the
// receiver).
func (v *validator) positions(raw stringList, what string, r *Rule, line int) Positions {
	ps := Positions{From: -1}
	for _, s := range raw {
		m := position.FindStringSubmatch(strings.TrimSpace(s))
		switch {
		case m == nil:
			v.ps.add(line, r.ID, "%s: %q is not a call position (argN, argN.., return, receiver, args, any)", what, s)
		case s == "return":
			ps.List = append(ps.List, PosReturn)
		case s == "receiver":
			ps.List = append(ps.List, PosReceiver)
		case s == "args":
			ps.From = 0
		case s == "any":
			ps.From = 0
			ps.List = append(ps.List, PosReceiver)
		default:
			digits, rest := m[1]+m[3], m[2]+m[4]
			i, _ := strconv.Atoi(digits)
			if rest != "" {
				ps.From = i
			} else {
				ps.List = append(ps.List, Pos(i))
			}
		}
	}
	return ps
}

// role says which fields a model needs.
type role struct {
	what            string
	kind, out, arg  bool
	from, to, label bool
}

var (
	sourceRole     = role{what: "sources", kind: true, out: true}
	sinkRole       = role{what: "sinks", arg: true}
	propagatorRole = role{what: "propagators", from: true, to: true}
	sanitizerRole  = role{what: "sanitizers"}
	actionRole     = role{what: "actions", kind: true}
)

func (v *validator) models(raw []rawModel, ro role, r *Rule, n *yaml.Node) []Model {
	var out []Model
	for i := range raw {
		out = append(out, v.model(&raw[i], ro, r, item(n, i)))
	}
	return out
}

func (v *validator) model(raw *rawModel, ro role, r *Rule, n *yaml.Node) Model {
	line := lineOf(n, r.Line)
	at := func(k string) int { return lineOf(child(n, k), line) }
	m := Model{Kind: raw.Kind, Label: strings.TrimSpace(raw.Label), Line: line}
	if raw.Query != nil {
		return v.queryModel(raw, ro, r, n, m)
	}
	m.Callees, _ = v.callees(raw.Calls, raw.Languages, raw.Variants, ro.what, "calls", r, n)
	m.Out = v.positions(raw.Out, ro.what+": out", r, at("out"))
	m.Arg = v.positions(raw.Arg, ro.what+": arg", r, at("arg"))
	m.From = v.positions(raw.From, ro.what+": from", r, at("from"))
	m.To = v.positions(raw.To, ro.what+": to", r, at("to"))
	for i := range raw.Where {
		if a, ok := v.arg(&raw.Where[i], r, item(child(n, "where"), i), line); ok {
			m.Where = append(m.Where, a)
		}
	}
	if raw.Callback != nil {
		m.Hook = v.hook(raw.Callback, ro, r, at("callback"))
	}
	if ro.kind && !kindName.MatchString(m.Kind) {
		v.ps.add(at("kind"), r.ID, "%s: kind: want a lower-case label such as \"host-identity\", got %q", ro.what, m.Kind)
	}
	if m.Label == "" {
		m.Label = strings.ReplaceAll(m.Kind, "-", " ")
	}
	switch {
	case ro.out && m.Out.Empty() && m.Hook == nil:
		v.ps.add(line, r.ID, "%s: a source needs out (where the data comes out: return, argN, receiver) or callback", ro.what)
	case ro.arg && m.Arg.Empty():
		v.ps.add(line, r.ID, "%s: a sink needs arg (which arguments must carry the data: argN, argN.., receiver, any)", ro.what)
	case ro.from && (m.From.Empty() || m.To.Empty()):
		v.ps.add(line, r.ID, "%s: a propagator needs both from and to", ro.what)
	}
	return m
}

var kindName = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// queryModel reads a model given by a tree-sitter query per language instead of callee
// names: `environ` as a source, a vendor macro's argument as a sink. It is named
// internally by its rule (or library) and line, which are unique in a pack.
func (v *validator) queryModel(raw *rawModel, ro role, r *Rule, n *yaml.Node, m Model) Model {
	line := lineOf(n, r.Line)
	qn := child(n, "query")
	if len(raw.Calls) > 0 || len(raw.Out) > 0 || len(raw.Arg) > 0 || len(raw.From) > 0 || len(raw.To) > 0 ||
		len(raw.Where) > 0 || raw.Callback != nil || raw.Variants != "" || len(raw.Languages) > 0 {
		v.ps.add(line, r.ID, "%s: a query model takes only kind, label and query: the captures say where the data is", ro.what)
	}
	if ro.what == "actions" {
		v.ps.add(line, r.ID, "%s: dispatcher actions are calls; a query cannot name one", ro.what)
		return m
	}
	q := &Query{Capture: raw.Query.Capture, Source: map[source.Lang]string{}}
	if q.Capture == "" {
		q.Capture = "match"
	}
	want := []string{q.Capture}
	if ro.from {
		want = []string{"from", "to"}
	}
	texts := map[source.Lang]string{source.C: raw.Query.C, source.CPP: raw.Query.CPP, source.Go: raw.Query.Go}
	var langs []source.Lang
	for _, l := range source.Langs {
		src := texts[l]
		if strings.TrimSpace(src) == "" {
			continue
		}
		if !r.HasLang(l) {
			v.ps.add(lineOf(child(qn, string(l)), line), r.ID, "%s: query: %s is not among the rule's languages", ro.what, l)
			continue
		}
		names, ok := v.compile(l, src, r, child(qn, string(l)))
		if !ok {
			continue
		}
		for _, w := range want {
			if !slices.Contains(names, w) {
				v.ps.add(lineOf(child(qn, string(l)), line), r.ID, "%s: query (%s): no capture @%s", ro.what, l, w)
			}
		}
		q.Source[l] = src
		langs = append(langs, l)
	}
	if len(langs) == 0 {
		v.ps.add(lineOf(qn, line), r.ID, "%s: query: needs a query for at least one of the rule's languages (c, cpp, go)", ro.what)
		return m
	}
	owner := r.ID
	if owner == "" {
		owner = "library:" + v.packID
	}
	m.Query = q
	m.Callees = []Callee{{Name: QueryCallee(owner, line), Langs: langs}}
	switch {
	case ro.out:
		m.Out = Positions{From: -1, List: []Pos{PosReturn}}
	case ro.arg:
		m.Arg = Positions{From: -1, List: []Pos{0}}
	case ro.from:
		m.From = Positions{From: -1, List: []Pos{0}}
		m.To = Positions{From: -1, List: []Pos{PosReturn}}
	}
	return m
}

// QueryCallee is the internal callee name of a query model: the taint engine names the
// expressions the query captures so, and the model matches them like a call.
func QueryCallee(owner string, line int) string {
	return "query:" + owner + "@" + strconv.Itoa(line)
}

// IsQueryCallee reports whether name is a query model's internal callee name.
func IsQueryCallee(name string) bool { return strings.HasPrefix(name, "query:") }

func (v *validator) hook(raw *rawHook, ro role, r *Rule, line int) *Hook {
	if ro.what != "sources" {
		v.ps.add(line, r.ID, "%s: callback is only for sources", ro.what)
	}
	fn := v.positions(stringList{raw.Function}, ro.what+": callback: function", r, line)
	if len(fn.List) != 1 || fn.List[0] < 0 || raw.Param == nil || *raw.Param < 0 {
		v.ps.add(line, r.ID, "%s: callback needs function: argN (the callback) and param: N (its parameter that receives the data)", ro.what)
		return nil
	}
	return &Hook{Function: fn.List[0], Param: *raw.Param}
}

func (v *validator) taint(raw *rawTaint, r *Rule, n *yaml.Node) *Taint {
	line := lineOf(n, r.Line)
	t := &Taint{
		Sources:     v.models(raw.Sources, sourceRole, r, child(n, "sources")),
		Sinks:       v.models(raw.Sinks, sinkRole, r, child(n, "sinks")),
		Propagators: v.models(raw.Propagators, propagatorRole, r, child(n, "propagators")),
		Sanitizers:  v.models(raw.Sanitizers, sanitizerRole, r, child(n, "sanitizers")),
	}
	if len(t.Sources) == 0 {
		v.ps.add(line, r.ID, "taint: needs at least one source")
	}
	if raw.Compare != nil {
		t.Compare = &Compare{}
		if raw.Compare.Values != "" {
			re, err := regexp.Compile(raw.Compare.Values)
			if err != nil {
				v.ps.add(lineOf(child(n, "compare"), line), r.ID, "taint: compare: values: %v", err)
			}
			t.Compare.Values = re
		}
		t.Compare.Unless = v.models(raw.Compare.Unless, sourceRole, r, child(child(n, "compare"), "unless"))
	}
	if raw.Dispatch != nil {
		dn := child(n, "dispatch")
		t.Dispatch = &Dispatch{Min: 2, Actions: v.models(raw.Dispatch.Actions, actionRole, r, child(dn, "actions")), Weak: raw.Dispatch.Weak}
		for _, w := range t.Dispatch.Weak {
			if !slices.ContainsFunc(t.Dispatch.Actions, func(m Model) bool { return m.Kind == w }) {
				v.ps.add(lineOf(child(dn, "weak"), line), r.ID, "taint: dispatch: weak: %q is not the kind of any action", w)
			}
		}
		if raw.Dispatch.Min != nil {
			t.Dispatch.Min = *raw.Dispatch.Min
		}
		if t.Dispatch.Min < 1 {
			v.ps.add(lineOf(dn, line), r.ID, "taint: dispatch: min must be at least 1")
		}
	}
	if raw.Then != nil {
		t.Then = v.models(raw.Then.Sinks, sinkRole, r, child(child(n, "then"), "sinks"))
		if len(t.Then) == 0 {
			v.ps.add(lineOf(child(n, "then"), line), r.ID, "taint: then: needs sinks")
		}
	}
	ends := 0
	for _, set := range []bool{len(t.Sinks) > 0, t.Compare != nil, t.Dispatch != nil} {
		if set {
			ends++
		}
	}
	if ends != 1 {
		v.ps.add(line, r.ID, "taint: needs exactly one of sinks, compare and dispatch (it has %d)", ends)
	}
	return t
}

// taintPlaceholders are what a taint result's message can say.
var taintPlaceholders = []string{"source", "sink", "sourceKind", "sinkKind", "sourceApi", "sinkApi",
	"function", "vocabulary", "actions", "value", "then"}

func (v *validator) library(raw *rawLibrary, n *yaml.Node) *Library {
	// Library models apply to every language; errors name no rule.
	r := &Rule{Languages: source.Langs, Line: lineOf(n, 1)}
	lib := &Library{
		Propagators: v.models(raw.Propagators, propagatorRole, r, child(n, "propagators")),
		Sanitizers:  v.models(raw.Sanitizers, sanitizerRole, r, child(n, "sanitizers")),
	}
	cn := child(n, "callbacks")
	for i := range raw.Callbacks {
		c := &raw.Callbacks[i]
		node := item(cn, i)
		line := lineOf(node, r.Line)
		cb := Callback{Param: 0}
		cb.Callees, _ = v.callees(c.Calls, c.Languages, c.Variants, "callbacks", "calls", r, node)
		fn := v.positions(stringList{c.Function}, "callbacks: function", r, line)
		cb.Data = v.positions(c.Data, "callbacks: data", r, line)
		if c.Param != nil {
			cb.Param = *c.Param
		}
		if len(fn.List) != 1 || fn.List[0] < 0 || cb.Data.Empty() || cb.Param < 0 {
			v.ps.add(line, "", "library: callbacks: needs function: argN, data: argN (or argN..) and param: N ≥ 0")
			continue
		}
		cb.Function = fn.List[0]
		lib.Callbacks = append(lib.Callbacks, cb)
	}
	return lib
}

// Library joins the libraries of every pack of the set.
func (s *Set) Library() *Library {
	lib := &Library{}
	for _, p := range s.Packs {
		if p.Library == nil {
			continue
		}
		lib.Propagators = append(lib.Propagators, p.Library.Propagators...)
		lib.Sanitizers = append(lib.Sanitizers, p.Library.Sanitizers...)
		lib.Callbacks = append(lib.Callbacks, p.Library.Callbacks...)
	}
	return lib
}
