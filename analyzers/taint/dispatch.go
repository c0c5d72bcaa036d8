package taint

import (
	"cmp"
	"slices"
	"strings"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/match"
)

// A command dispatcher is a value that came from the network compared against several
// constants — strcmp chains, switch cases, a loop over a table of names, a map of handlers —
// each branch leading to different actions. It is reported once, with its vocabulary and the
// actions each command reaches.

// maxActionDepth bounds how deep into the call graph a branch's actions are looked for.
const maxActionDepth = 5

type dispatchKey struct {
	fn    int
	value string
}

type dispatchGroup struct {
	origin *origin
	hits   []cmpHit
}

func (l *linker) dispatchers(rm *ruleModels) []finding.Finding {
	groups := map[dispatchKey]*dispatchGroup{}
	var keys []dispatchKey
	for _, o := range l.origins(rm) {
		for _, h := range l.compareHits(o, rm, nil) {
			c := l.p.funcs[h.fn].Compares[h.k]
			k := dispatchKey{h.fn, valueRoot(c.Value)}
			if c.Table != "" {
				k.value = "table " + c.Table
			}
			g := groups[k]
			if g == nil {
				g = &dispatchGroup{origin: o}
				groups[k] = g
				keys = append(keys, k)
			}
			if !slices.ContainsFunc(g.hits, func(x cmpHit) bool { return x.k == h.k }) {
				g.hits = append(g.hits, h)
			}
		}
	}
	slices.SortFunc(keys, func(a, b dispatchKey) int {
		return cmp.Or(cmp.Compare(l.p.funcs[a.fn].ID, l.p.funcs[b.fn].ID), cmp.Compare(a.value, b.value))
	})
	var out []finding.Finding
	for _, k := range keys {
		if fd, ok := l.dispatcher(rm, k.fn, groups[k]); ok {
			out = append(out, fd)
		}
	}
	return out
}

// dispatcher turns one group of comparisons into a result, if it is one: enough commands,
// and at least one reaching an action.
func (l *linker) dispatcher(rm *ruleModels, fi int, g *dispatchGroup) (finding.Finding, bool) {
	f := l.p.funcs[fi]
	commands := map[string][]string{}
	reached := false
	for _, h := range g.hits {
		c := f.Compares[h.k]
		if c.Table != "" {
			for _, t := range l.p.tables[c.Table] {
				for _, row := range t.Rows {
					acts := l.funcActions(rm, f, row.Funcs)
					for _, s := range row.Strings {
						commands[s] = merge(commands[s], acts)
						reached = reached || strong(rm, acts)
					}
				}
			}
			// A call through the table itself (handlers[cmd]()) dispatches to its rows.
			continue
		}
		if !rm.rule.Taint.Dispatch.Command(c.Const) {
			continue
		}
		var acts []string
		seen := map[int]bool{fi: true}
		for _, ci := range c.Actions {
			acts = merge(acts, l.callActions(rm, fi, ci, 0, seen))
		}
		commands[c.Const] = merge(commands[c.Const], acts)
		reached = reached || strong(rm, acts)
	}
	vocab := make([]string, 0, len(commands))
	for c := range commands {
		vocab = append(vocab, c)
	}
	slices.Sort(vocab)
	_, other := commands[defaultCase]
	if len(vocab)-btoi(other) < rm.rule.Taint.Dispatch.Min || !reached {
		return finding.Finding{}, false
	}
	slices.SortFunc(g.hits, func(a, b cmpHit) int {
		la, lb := f.Compares[a.k].Location.Region, f.Compares[b.k].Location.Region
		return cmp.Or(cmp.Compare(la.StartLine, lb.StartLine), cmp.Compare(la.StartColumn, lb.StartColumn))
	})
	first := f.Compares[g.hits[0].k]
	var kinds []string
	for _, acts := range commands {
		for _, a := range acts {
			kind, _, _ := strings.Cut(a, " (")
			if !slices.Contains(kinds, kind) {
				kinds = append(kinds, kind)
			}
		}
	}
	slices.Sort(kinds)
	src := l.sourceStep(g.origin)
	vars := map[string]string{"source": src.Message, "sourceKind": g.origin.model.Kind, "sourceApi": g.origin.api,
		"function": f.Name, "vocabulary": quoteList(vocab), "actions": strings.Join(kinds, ", "), "value": first.Value}
	loc := first.Location
	loc.Function = f.Name
	return finding.Finding{
		RuleID:   rm.rule.ID,
		Message:  match.Render(rm.rule.Message, func(k string) string { return vars[k] }),
		Location: loc,
		Properties: map[string]any{"sourceKind": g.origin.model.Kind, "sourceApi": g.origin.api,
			"vocabulary": vocab, "commands": commands, "actionKinds": kinds, "comparedValue": first.Value},
		Flow:    append([]finding.Step{src}, g.hits[0].steps...),
		Related: []finding.Step{src},
		Key:     "dispatch@" + f.Name + ":" + first.Value,
	}, true
}

// strong reports whether actions hold one that is not of a weak kind.
func strong(rm *ruleModels, acts []string) bool {
	for _, a := range acts {
		kind, _, _ := strings.Cut(a, " (")
		if !slices.Contains(rm.rule.Taint.Dispatch.Weak, kind) {
			return true
		}
	}
	return false
}

// valueRoot is the variable a compared expression reads: "cmd" for cmd, cmd[0], cmd + 4 and
// pkt->cmd alike, so that every comparison of one received buffer forms one dispatcher.
func valueRoot(v string) string {
	if i := strings.IndexAny(v, "[.-( +*"); i > 0 {
		return v[:i]
	}
	return strings.TrimLeft(v, "*&(")
}

// callActions lists the actions a call reaches: the call itself when it is one of the
// rule's actions, and the actions of the functions it calls, to a bounded depth.
func (l *linker) callActions(rm *ruleModels, fi, ci, depth int, seen map[int]bool) []string {
	f := l.p.funcs[fi]
	site := &f.Calls[ci]
	names, _ := l.p.names(f, site)
	var out []string
	for _, m := range rm.actions.match(names, site) {
		out = merge(out, []string{m.model.Kind + " (" + m.api + ")"})
	}
	if depth >= maxActionDepth {
		return out
	}
	for _, t := range l.p.callees[fi][ci] {
		if seen[t] {
			continue
		}
		seen[t] = true
		for c := range l.p.funcs[t].Calls {
			out = merge(out, l.callActions(rm, t, c, depth+1, seen))
		}
	}
	return out
}

// funcActions lists the actions of functions named in a table row.
func (l *linker) funcActions(rm *ruleModels, caller *finding.Function, names []string) []string {
	var out []string
	seen := map[int]bool{}
	for _, n := range names {
		for _, t := range l.p.byName(caller, n, -1, false) {
			if seen[t] {
				continue
			}
			seen[t] = true
			for c := range l.p.funcs[t].Calls {
				out = merge(out, l.callActions(rm, t, c, 1, seen))
			}
		}
	}
	return out
}

func merge(a, b []string) []string {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	slices.Sort(a)
	return a
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
