package match

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"glassbox/analyzers/deobf"
	"glassbox/analyzers/endpoint"
	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/analyzers/syntax"
	"glassbox/rules"
)

// Matcher matches a rule set's pattern rules. It is safe for concurrent use.
type Matcher struct {
	langs map[source.Lang]*langMatcher
}

type langMatcher struct {
	lang     source.Lang
	calls    rules.NameTable[callEntry]
	decode   []*rules.Rule         // decode rules of the language
	decoders rules.NameTable[bool] // calls that decode a literal argument
	pass     *syntax.Pass          // every query rule of the language, in one walk
	owners   []*rules.Rule         // query pattern index → rule
}

type callEntry struct {
	rule  *rules.Rule
	group *rules.CallGroup
}

// New compiles the pattern rules of set.
func New(set *rules.Set) (*Matcher, error) {
	m := &Matcher{langs: map[source.Lang]*langMatcher{}}
	for _, l := range source.Langs {
		lm := &langMatcher{lang: l}
		var srcs []string
		var owners []*rules.Rule
		for _, r := range set.Rules() {
			if !r.HasLang(l) {
				continue
			}
			lm.addCalls(r, l)
			if r.Decode != nil {
				lm.decode = append(lm.decode, r)
				for _, c := range r.Decode.Decoders {
					lm.decoders.Add(c, true)
				}
			}
			if r.Query != nil && r.Query.Source[l] != "" {
				srcs = append(srcs, r.Query.Source[l])
				owners = append(owners, r)
			}
		}
		if err := lm.compileQueries(l, srcs, owners); err != nil {
			m.Close()
			return nil, err
		}
		m.langs[l] = lm
	}
	return m, nil
}

func (lm *langMatcher) addCalls(r *rules.Rule, l source.Lang) {
	for i := range r.Calls {
		g := &r.Calls[i]
		for _, c := range g.Callees {
			if slices.Contains(c.Langs, l) {
				lm.calls.Add(rules.Callee{Name: c.Name, Langs: []source.Lang{l}}, callEntry{rule: r, group: g})
			}
		}
	}
}

// compileQueries joins the query rules of a language into one pass over each tree,
// remembering which rule owns each pattern.
func (lm *langMatcher) compileQueries(l source.Lang, srcs []string, owners []*rules.Rule) error {
	for i, src := range srcs {
		q, err := syntax.CompileQuery(l, src)
		if err != nil {
			return fmt.Errorf("match: rule %s (%s): %w", owners[i].ID, l, err)
		}
		for range q.PatternCount() {
			lm.owners = append(lm.owners, owners[i])
		}
		q.Close()
	}
	p, err := syntax.NewPass(l, srcs)
	if err != nil {
		return fmt.Errorf("match: joined %s queries: %w", l, err)
	}
	lm.pass = p
	return nil
}

// Close frees the compiled queries.
func (m *Matcher) Close() {
	for _, lm := range m.langs {
		if lm.pass != nil {
			lm.pass.Close()
		}
	}
}

// File is a parsed file ready for matching.
type File struct {
	Path string
	Text *source.Text
	Tree *syntax.Tree
}

// Match returns the findings of every pattern rule in f, unsorted.
func (m *Matcher) Match(f File) []finding.Finding {
	lm := m.langs[f.Tree.Lang]
	if lm == nil {
		return nil
	}
	var out []finding.Finding
	lm.pass.Run(f.Tree, func(pattern int, qm *syntax.Match) {
		if fd, ok := lm.queryFinding(f, lm.owners[pattern], qm); ok {
			out = append(out, fd)
		}
	})
	if !lm.calls.Empty() {
		for _, c := range f.Tree.Calls() {
			out = lm.matchCall(f, c, out)
		}
	}
	if len(lm.decode) > 0 {
		out = lm.matchDecoded(f, out)
	}
	return out
}

func (lm *langMatcher) matchCall(f File, c *syntax.Call, out []finding.Finding) []finding.Finding {
	var done []*rules.Rule // one finding per rule per call, however many names matched
	lm.calls.Lookup(lm.lang, c.Names, func(name string, e callEntry) {
		if slices.Contains(done, e.rule) || !argsHold(f.Tree, c, e.group.Args) {
			return
		}
		done = append(done, e.rule)
		out = append(out, callFinding(f, c, e, name))
	})
	return out
}

func argsHold(t *syntax.Tree, c *syntax.Call, checks []rules.ArgCheck) bool {
	for _, a := range checks {
		if args := c.Args(); a.Index >= len(args) || !argHolds(t, args[a.Index], a) {
			return false
		}
	}
	return true
}

func argHolds(t *syntax.Tree, n syntax.Node, a rules.ArgCheck) bool {
	value, isString := t.StringValue(n)
	if !isString {
		value = strings.Join(strings.Fields(t.Text(n)), " ")
	}
	switch {
	case len(a.Equals) > 0 && !slices.Contains(a.Equals, value):
		return false
	case a.Regex != nil && !a.Regex.MatchString(value):
		return false
	case a.NotRegex != nil && a.NotRegex.MatchString(value):
		return false
	case a.String != nil && *a.String != isString:
		return false
	case a.Constant != nil && *a.Constant != t.IsConstant(n):
		return false
	}
	return true
}

func callFinding(f File, c *syntax.Call, e callEntry, api string) finding.Finding {
	props := map[string]any{"api": api}
	for k, v := range e.group.Properties {
		props[k] = v
	}
	msg := Render(e.rule.Message, func(name string) string {
		switch {
		case name == "api":
			return api
		case name == "callee":
			return brief(f.Tree.Text(c.Callee))
		case strings.HasPrefix(name, "arg"):
			if i, err := strconv.Atoi(name[3:]); err == nil && i < len(c.Args()) {
				return brief(f.Tree.Text(c.Args()[i]))
			}
			return ""
		}
		return e.group.Properties[name]
	})
	return newFinding(f, e.rule, c.Node, msg, props)
}

func (lm *langMatcher) queryFinding(f File, r *rules.Rule, qm *syntax.Match) (finding.Finding, bool) {
	at := qm.Capture(r.Query.Capture)
	if at < 0 {
		return finding.Finding{}, false
	}
	msg := Render(r.Message, func(name string) string {
		if v, ok := qm.Props[name].(string); ok {
			return v
		}
		return brief(f.Tree.Text(qm.Capture(name)))
	})
	return newFinding(f, r, at, msg, qm.Props), true
}

func newFinding(f File, r *rules.Rule, n syntax.Node, msg string, props map[string]any) finding.Finding {
	region := f.Text.Region(f.Tree.Start(n), f.Tree.End(n))
	return finding.Finding{
		RuleID:  r.ID,
		Message: msg,
		Location: finding.Location{
			Path: f.Path, Region: region, Context: f.Text.Context(region),
			Function: f.Tree.FunctionName(n),
		},
		Properties: props,
		Key:        key(f.Tree.Text(n)),
	}
}

var placeholder = regexp.MustCompile(`\{([A-Za-z0-9_.-]*)\}`)

// Render fills a message template, asking value for each placeholder: most values (the
// text of an argument) are only worth computing when the message uses them. Rules were
// validated at load, so every placeholder has a value or is legitimately empty (an argument
// the call does not have). Messages always end as sentences.
func Render(tmpl string, value func(name string) string) string {
	msg := placeholder.ReplaceAllStringFunc(tmpl, func(m string) string {
		return value(m[1 : len(m)-1])
	})
	msg = strings.TrimSpace(msg)
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "!") && !strings.HasSuffix(msg, "?") {
		msg += "." // SARIF consumers expect messages to be sentences
	}
	if r, size := utf8.DecodeRuneInString(msg); unicode.IsLower(r) {
		msg = string(unicode.ToUpper(r)) + msg[size:]
	}
	return msg
}

// brief shortens code for a message: one line, at most 80 characters.
func brief(code string) string {
	code = strings.Join(strings.Fields(code), " ")
	if r := []rune(code); len(r) > 80 {
		return string(r[:77]) + "…"
	}
	return code
}

// key is the whitespace-normalized matched text that tells apart findings of one rule in one
// function; it feeds the fingerprint, so it ignores reformatting.
func key(code string) string {
	code = strings.Join(strings.Fields(code), " ")
	if len(code) > 256 {
		code = strings.ToValidUTF8(code[:256], "")
	}
	return code
}

// matchDecoded reports the strings the file hides, for each decode rule whose techniques
// and endpoint filter they fit.
func (lm *langMatcher) matchDecoded(f File, out []finding.Finding) []finding.Finding {
	isDecoder := func(names []string) bool {
		found := false
		lm.decoders.Lookup(lm.lang, names, func(string, bool) { found = true })
		return found
	}
	for _, d := range deobf.Find(f.Tree, isDecoder) {
		es := endpoint.Find(d.Value)
		for _, r := range lm.decode {
			if !slices.Contains(r.Decode.Techniques, d.Technique) ||
				r.Decode.Endpoints == "only" && len(es) == 0 || r.Decode.Endpoints == "exclude" && len(es) > 0 {
				continue
			}
			props := map[string]any{"decoded": d.Value, "technique": d.Technique}
			vars := map[string]string{"decoded": brief(d.Value), "technique": d.Technique, "key": d.Key}
			if d.Key != "" {
				props["key"] = d.Key
			}
			if len(es) > 0 {
				props["endpoint"], props["endpointKind"] = es[0].Text, string(es[0].Kind)
				vars["endpoint"] = es[0].Text
			}
			msg := Render(r.Message, func(k string) string { return vars[k] })
			fd := newFinding(f, r, d.Node, msg, props)
			fd.Key = d.Technique + ":" + d.Value
			out = append(out, fd)
		}
	}
	return out
}
