package taint

import (
	"slices"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/rules"
)

// models finds which models (sources, sinks, propagators …) a call site matches.
type models struct {
	table rules.NameTable[*rules.Model]
}

func newModels(ms []rules.Model) *models {
	m := &models{}
	for i := range ms {
		for _, c := range ms[i].Callees {
			m.table.Add(c, &ms[i])
		}
	}
	return m
}

// match returns the models a call matches, with the callee name that matched, once each.
func (m *models) match(cn callNames, site *finding.CallSite) []matched {
	if m == nil || m.table.Empty() {
		return nil
	}
	var out []matched
	cn.lookup(&m.table, func(name string, mod *rules.Model) {
		for _, x := range out {
			if x.model == mod {
				return
			}
		}
		if whereHolds(mod.Where, site) {
			if rules.IsQueryCallee(name) {
				name = site.Callee // the captured expression: what a message can show
			}
			out = append(out, matched{model: mod, api: name})
		}
	})
	return out
}

type matched struct {
	model *rules.Model
	api   string
}

// whereHolds checks a model's argument conditions against what the call site recorded.
func whereHolds(checks []rules.ArgCheck, site *finding.CallSite) bool {
	for _, c := range checks {
		if c.Index >= len(site.Args) {
			return false
		}
		a := site.Args[c.Index]
		value := a.Value
		if value == "" {
			value = a.Text
		}
		switch {
		case len(c.Equals) > 0 && !slices.Contains(c.Equals, value):
			return false
		case c.Regex != nil && !c.Regex.MatchString(value):
			return false
		case c.NotRegex != nil && c.NotRegex.MatchString(value):
			return false
		case c.String != nil && *c.String != a.String:
			return false
		case c.Constant != nil && *c.Constant != a.Const:
			return false
		case len(c.Type) > 0 && !slices.Contains(c.Type, a.Type):
			return false
		}
	}
	return true
}

// callbackTable finds library callbacks (CreateThread and friends).
type callbackTable struct {
	table rules.NameTable[*rules.Callback]
}

func newCallbacks(cs []rules.Callback) *callbackTable {
	t := &callbackTable{}
	for i := range cs {
		for _, c := range cs[i].Callees {
			t.table.Add(c, &cs[i])
		}
	}
	return t
}

func (t *callbackTable) match(cn callNames) []*rules.Callback {
	var out []*rules.Callback
	add := func(_ string, c *rules.Callback) {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	t.table.Lookup(cn.lang, cn.names, add)
	t.table.Lookup(source.C, cn.apis, add)
	return out
}
