package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"glassbox/analyzers/source"
)

var (
	plainName   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	anyReceiver = regexp.MustCompile(`^\*\.[A-Za-z_~][A-Za-z0-9_]*$`)
	cppName     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_~][A-Za-z0-9_]*)+$`)
	goName      = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_./~-]*\.[A-Za-z_][A-Za-z0-9_]*$`)
	goMethod    = regexp.MustCompile(`^\(\*?([^()]+)\)\.([A-Za-z_][A-Za-z0-9_]*)$`)
)

// normalizeName rewrites a callee name the way syntax.Call.Names spells it: no leading "::"
// in C++, and Go methods written `(*net/http.Client).Do` become `net/http.Client.Do`.
func normalizeName(name string) string {
	name = strings.TrimSpace(name)
	if m := goMethod.FindStringSubmatch(name); m != nil {
		return m[1] + "." + m[2]
	}
	return strings.TrimPrefix(name, "::")
}

// nameLangs infers which languages a name can belong to from its form, so a reviewer can
// write `calls: [{names: [send, os.Hostname, std::system]}]` without saying which is which.
func nameLangs(name string) []source.Lang {
	switch {
	case anyReceiver.MatchString(name):
		return source.Langs
	case strings.Contains(name, "::"):
		return []source.Lang{source.CPP}
	case strings.ContainsAny(name, "./("):
		return []source.Lang{source.Go}
	}
	return []source.Lang{source.C, source.CPP}
}

// validName reports whether name (normalized) is a well-formed callee name in lang.
func validName(name string, lang source.Lang) bool {
	if anyReceiver.MatchString(name) || plainName.MatchString(name) {
		return true
	}
	switch lang {
	case source.CPP:
		return cppName.MatchString(name)
	case source.Go:
		return goName.MatchString(name)
	}
	return false
}

// winapiSuffixes expand a Win32 base name to the forms real code calls: ANSI and wide
// variants and the Ex extensions (InternetOpenUrl → InternetOpenUrlA, InternetOpenUrlW …).
var winapiSuffixes = []string{"", "A", "W", "Ex", "ExA", "ExW"}

func (v *validator) calls(raw []rawCalls, r *Rule, n *yaml.Node) ([]CallGroup, map[string]bool) {
	if len(raw) == 0 {
		v.ps.add(lineOf(n, r.Line), r.ID, "calls: needs at least one group of names")
	}
	var groups []CallGroup
	var props map[string]bool
	for i := range raw {
		gn := item(n, i)
		g := v.callGroup(&raw[i], r, gn)
		groups = append(groups, g)
		keys := map[string]bool{}
		for k := range g.Properties {
			keys[k] = true
		}
		if props == nil {
			props = keys
		} else {
			for k := range props {
				if !keys[k] {
					delete(props, k)
				}
			}
		}
	}
	known := map[string]bool{"api": true, "callee": true}
	for i := 0; i < 10; i++ {
		known[fmt.Sprintf("arg%d", i)] = true
	}
	for k := range props {
		known[k] = true
	}
	return groups, known
}

func (v *validator) callGroup(raw *rawCalls, r *Rule, n *yaml.Node) CallGroup {
	line := lineOf(n, r.Line)
	g := CallGroup{Properties: raw.Properties}
	g.Callees, g.Languages = v.callees(raw.Names, raw.Languages, raw.Variants, "calls", "names", r, n)
	for i := range raw.Args {
		if a, ok := v.arg(&raw.Args[i], r, item(child(n, "args"), i), line); ok {
			g.Args = append(g.Args, a)
		}
	}
	return g
}

// callees validates a list of callee names: each is normalized, given the languages its form
// (or the explicit languages) allows among the rule's, checked for that language, and
// expanded to its Windows variants. It also returns the union of the languages.
func (v *validator) callees(names stringList, rawLangs []string, variants, what, key string, r *Rule, n *yaml.Node) ([]Callee, []source.Lang) {
	line := lineOf(n, r.Line)
	at := func(k string) int { return lineOf(child(n, k), line) }
	explicit := v.languages(rawLangs, func(format string, args ...any) { v.ps.add(at("languages"), r.ID, format, args...) })
	for _, l := range explicit {
		if !r.HasLang(l) {
			v.ps.add(at("languages"), r.ID, "%s: language %s is not among the rule's languages", what, l)
		}
	}
	if len(names) == 0 {
		v.ps.add(at(key), r.ID, "%s: %s: needs at least one callee name", what, key)
	}
	if variants != "" && variants != "winapi" {
		v.ps.add(at("variants"), r.ID, "%s: variants: the only variant scheme is \"winapi\" (A/W/Ex forms), got %q", what, variants)
	}
	var out []Callee
	var all []source.Lang
	for _, name := range names {
		norm := normalizeName(name)
		langs := explicit
		if len(langs) == 0 {
			langs = intersect(nameLangs(norm), r.Languages)
		}
		if len(langs) == 0 {
			v.ps.add(at(key), r.ID, "%s: %q looks like a %s name, which is not among the rule's languages", what, name, langNames(nameLangs(norm)))
			continue
		}
		for _, l := range langs {
			if !validName(norm, l) {
				v.ps.add(at(key), r.ID, "%s: %q is not a valid %s callee name", what, name, l)
			}
			if !slices.Contains(all, l) {
				all = append(all, l)
			}
		}
		for _, e := range expand(norm, variants) {
			out = append(out, Callee{Name: e, Langs: langs})
		}
	}
	return out, all
}

func expand(name, variants string) []string {
	if variants != "winapi" || !plainName.MatchString(name) {
		return []string{name}
	}
	out := make([]string, len(winapiSuffixes))
	for i, s := range winapiSuffixes {
		out[i] = name + s
	}
	return out
}

func (v *validator) arg(raw *rawArg, r *Rule, n *yaml.Node, fallback int) (ArgCheck, bool) {
	line := lineOf(n, fallback)
	a := ArgCheck{Equals: raw.Equals, String: raw.String, Constant: raw.Constant}
	for _, typ := range raw.Type {
		a.Type = append(a.Type, normalizeName(typ))
	}
	ok := true
	if raw.Index == nil || *raw.Index < 0 {
		v.ps.add(line, r.ID, "args: each constraint needs index: N (0 is the first argument)")
		ok = false
	} else {
		a.Index = *raw.Index
	}
	if raw.Regex != "" {
		re, err := regexp.Compile(raw.Regex)
		if err != nil {
			v.ps.add(lineOf(child(n, "regex"), line), r.ID, "args: regex: %v", err)
			ok = false
		}
		a.Regex = re
	}
	if raw.NotRegex != "" {
		re, err := regexp.Compile(raw.NotRegex)
		if err != nil {
			v.ps.add(lineOf(child(n, "not-regex"), line), r.ID, "args: not-regex: %v", err)
			ok = false
		}
		a.NotRegex = re
	}
	if len(a.Equals) == 0 && a.Regex == nil && a.NotRegex == nil && a.String == nil && a.Constant == nil && len(a.Type) == 0 && ok {
		v.ps.add(line, r.ID, "args: constraint on argument %d sets no condition (equals, regex, not-regex, string, constant, type)", a.Index)
		ok = false
	}
	return a, ok
}

func intersect(a, b []source.Lang) []source.Lang {
	var out []source.Lang
	for _, l := range a {
		if slices.Contains(b, l) {
			out = append(out, l)
		}
	}
	return out
}

func langNames(ls []source.Lang) string {
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = string(l)
	}
	return strings.Join(s, "/")
}
