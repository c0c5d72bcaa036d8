package sarif

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"glassbox/report"
	"glassbox/rules"
)

// scanRules returns the rules of the scan sorted by id: the order of tool.driver.rules, so
// that a ruleIndex is stable across logs of the same rule set.
func scanRules(s *report.Scan) []*rules.Rule {
	if s.Rules == nil {
		return nil
	}
	return s.Rules.Rules() // already sorted by id
}

// newDriver describes glassbox and every rule that ran.
func newDriver(t report.Tool, rs []*rules.Rule, tax *taxonomies) *driver {
	name := t.Name
	if name == "" {
		name = "glassbox" // the schema requires a name
	}
	version, semantic := nonEmpty(t.Version), semanticVersion(t.Version)
	if semantic != nil {
		// "v1.2.3" is written as 1.2.3: the "v" is Go's tag convention, not part of the
		// number, and the Multitool (SARIF2005) wants a version that starts with one.
		version = semantic
	}
	tc := &sarif.ToolComponent{
		Name:                name,
		Version:             version,
		SemanticVersion:     semantic,
		InformationURI:      nonEmpty(t.InformationURI),
		Language:            ptr(language),
		SupportedTaxonomies: tax.references(),
	}
	d := &driver{ToolComponent: tc, Rules: make([]*rule, len(rs))}
	for i, r := range rs {
		d.Rules[i] = ruleDescriptor(r, tax)
	}
	return d
}

// semver is semver.org's grammar, without the leading "v" Go puts on module versions.
var semver = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(-(0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?` +
	`(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

// semanticVersion returns v as SARIF's semanticVersion, or nil when v is not a semantic
// version ("dev", "(devel)"). A Go-style "v1.2.3" is accepted without its "v".
func semanticVersion(v string) *string {
	v = strings.TrimPrefix(v, "v")
	if !semver.MatchString(v) {
		return nil
	}
	return &v
}

// ruleDescriptor renders one rule.
func ruleDescriptor(r *rules.Rule, tax *taxonomies) *rule {
	d := sarif.NewRule(r.ID)
	d.Name = ptr(pascalName(r.ID))
	d.ShortDescription = &sarif.MultiformatMessageString{Text: ptr(r.Name)}
	full := r.Description
	if full == "" {
		full = r.Name
	}
	full = sentence(full)
	d.FullDescription = &sarif.MultiformatMessageString{Text: ptr(full)}
	d.Help = ruleHelp(r.Help, full)
	if r.Severity.Valid() {
		d.DefaultConfiguration = &sarif.ReportingConfiguration{Level: string(r.Severity)}
	}
	d.Properties = ruleProperties(r)
	return &rule{ReportingDescriptor: d, Relationships: tax.relationships(r)}
}

// ruleHelp is the help as markdown and as plain text. GitHub's ingestion rules (GH2012)
// require help on every rule, so a rule without any (the loader requires it, a rule built
// in Go may not have it) gets its full description.
func ruleHelp(md, full string) *sarif.MultiformatMessageString {
	md = strings.TrimRight(md, " \t\r\n")
	if md == "" {
		return &sarif.MultiformatMessageString{Text: ptr(full)}
	}
	text := plainText(md)
	if text == "" {
		text = md
	}
	return &sarif.MultiformatMessageString{Text: ptr(text), Markdown: ptr(md)}
}

// ruleProperties are the rule properties GitHub code scanning and dashboards read.
// security-severity is a string with one decimal because that is what GitHub parses.
func ruleProperties(r *rules.Rule) sarif.Properties {
	p := sarif.Properties{
		"tags":              ruleTags(r),
		"security-severity": strconv.FormatFloat(r.SecuritySeverity, 'f', 1, 64),
	}
	if r.Precision != "" {
		p["precision"] = r.Precision
	}
	if r.Pack != nil {
		if r.Pack.Name != "" {
			p["pack"] = r.Pack.Name
		}
		if r.Pack.Version != "" {
			p["packVersion"] = r.Pack.Version
		}
	}
	return p
}

// ruleTags are the rule's own tags, then "security" (GitHub files results of rules tagged so
// under security alerts), then the CWE tags GitHub shows as "external/cwe/cwe-359".
func ruleTags(r *rules.Rule) []string {
	tags := make([]string, 0, len(r.Tags)+1+len(r.CWE))
	add := func(t string) {
		if t != "" && !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	for _, t := range r.Tags {
		add(t)
	}
	add("security")
	for _, id := range r.CWE {
		add("external/cwe/" + strings.ToLower(id))
	}
	return tags
}

// pascalName turns a rule id into the PascalCase identifier SARIF wants as a rule's name:
// "egress/hardcoded-url" → "EgressHardcodedUrl". Letters after the first of each word keep
// their case, so "winhttp/WinHttpOpen" keeps its capitals.
func pascalName(id string) string {
	var b strings.Builder
	upper := true
	for _, c := range id {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			upper = true
			continue
		}
		if b.Len() == 0 && unicode.IsDigit(c) {
			b.WriteString("Rule") // an identifier cannot start with a digit
		}
		if upper {
			c = unicode.ToUpper(c)
			upper = false
		}
		b.WriteRune(c)
	}
	if b.Len() == 0 {
		return "Rule"
	}
	return b.String()
}

var (
	mdLink     = regexp.MustCompile(`!?\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	mdHeading  = regexp.MustCompile(`(?m)^#{1,6}[ \t]+`)
	mdEmphasis = regexp.MustCompile(`(\*\*|__)(\S(?:.*?\S)?)(\*\*|__)`)
	mdFence    = regexp.MustCompile("(?m)^[ \t]*```[^\n]*\n?")
)

// plainText is help markdown made readable as plain text for consumers that do not render
// markdown: links become "text (url)", and heading marks, fences, bold and inline-code
// backticks go. It is deliberately not a markdown parser; the markdown itself is in
// help.markdown for those who render it.
func plainText(md string) string {
	s := mdFence.ReplaceAllString(md, "")
	s = mdLink.ReplaceAllString(s, "$1 ($2)")
	s = mdHeading.ReplaceAllString(s, "")
	s = mdEmphasis.ReplaceAllString(s, "$2")
	s = strings.ReplaceAll(s, "`", "")
	return strings.TrimSpace(s)
}

// sentence makes text a complete sentence ending with a period, as SARIF's authoring
// guidance (the Multitool's SARIF2001) and consumers expect of plain-text messages. Text that
// already ends a sentence, with '.', '!' or '?' as analyzers/match writes them, is left
// alone.
func sentence(text string) string {
	text = strings.TrimSpace(text)
	if text == "" || strings.HasSuffix(text, ".") || strings.HasSuffix(text, "!") || strings.HasSuffix(text, "?") {
		return text
	}
	return text + "."
}
