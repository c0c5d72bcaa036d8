package taintssa

import (
	"fmt"
	"slices"
	"strings"

	"glassbox/analyzers/source"
	"glassbox/rules"
)

// models finds which models of one role (sources, sinks, propagators …) a call matches, by
// the names the packs use, with the tree-sitter engine's lookup (rules.NameTable).
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

// matched is a model a call matched, with the callee name that matched it.
type matched struct {
	model *rules.Model
	api   string
}

// match returns the models a call matches, once each, most specific name first.
func (m *models) match(c *call) []matched {
	if m == nil || m.table.Empty() {
		return nil
	}
	var out []matched
	add := func(name string, mod *rules.Model) {
		if slices.ContainsFunc(out, func(x matched) bool { return x.model == mod }) {
			return
		}
		if c.whereHolds(mod.Where) {
			out = append(out, matched{model: mod, api: name})
		}
	}
	m.table.Lookup(source.Go, c.names, add)
	// A Windows procedure looked up by name is matched against the C models.
	m.table.Lookup(source.C, c.apis, add)
	return out
}

// ruleModels are one taint rule's models.
type ruleModels struct {
	rule          *rules.Rule
	sources       *models
	sinks, then   *models
	actions       *models
	thenAsSources bool // a first-step sink's products are followed to the then-sinks
	// unless is the id of the internal rule that follows a compare rule's unless sources;
	// internal says a rule is one, which is followed but not reported.
	unless   string
	internal bool
}

// unlessSuffix names the internal rule of a compare rule's unless sources.
const unlessSuffix = "#unless"

// group is a set of rules whose data moves the same way: they share rule-level propagators
// and sanitizers (most rules have none), so one propagation serves them all.
type group struct {
	key   string
	rules []*ruleModels
	props *models // the rules' own propagators
	sans  *models // the rules' own sanitizers
	rawPr []rules.Model
}

// ruleSet is the taint rules an analyzer runs, compiled for typed call sites.
type ruleSet struct {
	set      *rules.Set
	groups   []*group
	byID     map[string]*ruleModels
	props    *models         // the library's propagators
	sans     *models         // the library's sanitizers
	ordered  []*ruleModels   // by rule id
	ifaces   []ifaceName     // model types whose implementations go by their names
	dispatch map[string]bool // dispatch rules, whose actions comparisons carry
}

// ifaceName is a type named by a model ("net.Conn" of net.Conn.Write): a call on a value
// whose type implements it, or is it, also goes by the model's name.
type ifaceName struct {
	pkg, typ, method string
}

// compile turns the Go taint rules of set that keep selects into rule groups.
func compile(set *rules.Set, keep func(*rules.Rule) bool) *ruleSet {
	lib := set.Library()
	rs := &ruleSet{set: set, byID: map[string]*ruleModels{}, props: newModels(lib.Propagators), sans: newModels(lib.Sanitizers),
		dispatch: map[string]bool{}}
	var all []rules.Model
	all = append(all, lib.Propagators...)
	all = append(all, lib.Sanitizers...)
	byKey := map[string]*group{}
	for _, r := range set.Rules() {
		if r.Taint == nil || !r.HasLang(source.Go) || !keep(r) {
			continue
		}
		t := r.Taint
		rm := &ruleModels{rule: r, sources: newModels(t.Sources), sinks: newModels(t.Sinks), then: newModels(t.Then),
			thenAsSources: len(t.Then) > 0 && len(t.Sinks) > 0}
		if t.Dispatch != nil {
			rm.actions = newModels(t.Dispatch.Actions)
			rs.dispatch[r.ID] = true
		}
		rs.byID[r.ID] = rm
		rs.ordered = append(rs.ordered, rm)
		all = append(all, t.Sources...)
		all = append(all, t.Sinks...)
		all = append(all, t.Then...)
		all = append(all, t.Propagators...)
		all = append(all, t.Sanitizers...)
		if t.Dispatch != nil {
			all = append(all, t.Dispatch.Actions...)
		}
		k := modelsKey(t.Propagators) + "|" + modelsKey(t.Sanitizers)
		g := byKey[k]
		if g == nil {
			g = &group{props: newModels(t.Propagators), sans: newModels(t.Sanitizers), rawPr: t.Propagators}
			byKey[k] = g
			rs.groups = append(rs.groups, g)
		}
		g.rules = append(g.rules, rm)
		if t.Compare != nil && len(t.Compare.Unless) > 0 {
			// The comparisons the unless sources reach are found as another rule's would be.
			ur := *r
			ur.ID = r.ID + unlessSuffix
			ur.Taint = &rules.Taint{Sources: t.Compare.Unless, Compare: &rules.Compare{}, Propagators: t.Propagators, Sanitizers: t.Sanitizers}
			urm := &ruleModels{rule: &ur, sources: newModels(t.Compare.Unless), sinks: newModels(nil), then: newModels(nil), internal: true}
			rm.unless = ur.ID
			rs.byID[ur.ID] = urm
			rs.ordered = append(rs.ordered, urm)
			all = append(all, t.Compare.Unless...)
			g.rules = append(g.rules, urm)
		}
	}
	for _, g := range rs.groups {
		ids := make([]string, len(g.rules))
		for i, r := range g.rules {
			ids[i] = r.rule.ID
		}
		g.key = strings.Join(ids, ",")
	}
	rs.ifaces = typeNames(all)
	return rs
}

// modelsKey names a list of models by content, so that rules with the same rule-level
// models share a group.
func modelsKey(ms []rules.Model) string {
	var b strings.Builder
	for _, m := range ms {
		for _, c := range m.Callees {
			b.WriteString(c.Name + " ")
		}
		fmt.Fprintf(&b, "%v>%v;", m.From, m.To)
	}
	return b.String()
}

// typeNames lists the Go types models name methods of: "net.Conn" of net.Conn.Write.
func typeNames(ms []rules.Model) []ifaceName {
	var out []ifaceName
	for _, m := range ms {
		for _, c := range m.Callees {
			if !slices.Contains(c.Langs, source.Go) || strings.HasPrefix(c.Name, "*.") {
				continue
			}
			pkg, typ, method, ok := splitMethod(c.Name)
			if !ok {
				continue
			}
			n := ifaceName{pkg, typ, method}
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// splitMethod splits a pack name "import/path.Type.Method" into its parts.
func splitMethod(name string) (pkg, typ, method string, ok bool) {
	slash := strings.LastIndex(name, "/")
	rest := name[slash+1:]
	parts := strings.Split(rest, ".")
	if len(parts) != 3 {
		return "", "", "", false
	}
	return name[:slash+1] + parts[0], parts[1], parts[2], true
}
