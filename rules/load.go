package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
)

// Load reads one pack from data; file names it in error messages.
func Load(file string, data []byte) (*Pack, error) {
	ps := &problems{file: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		ps.add(yamlErrorLine(err), "", "%s", yamlErrorText(err))
		return nil, ps.err()
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		ps.add(1, "", "empty file: a pack needs `pack:` and `rules:`")
		return nil, ps.err()
	}
	checkFields(&doc, reflect.TypeFor[rawPack](), func(line int, msg string) {
		ps.add(line, ruleAtLine(&doc, line), "%s", msg)
	})
	var raw rawPack
	if err := doc.Decode(&raw); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			for _, e := range te.Errors {
				ps.add(yamlErrorLine(errors.New(e)), "", "%s", yamlErrorText(errors.New(e)))
			}
		} else {
			ps.add(yamlErrorLine(err), "", "%s", yamlErrorText(err))
		}
	}
	if len(ps.list) > 0 {
		return nil, ps.err()
	}
	sum := sha256.Sum256(data)
	v := validator{ps: ps, root: doc.Content[0]}
	pack := v.pack(&raw)
	pack.File, pack.Digest, pack.Raw = file, hex.EncodeToString(sum[:]), data
	if err := ps.err(); err != nil {
		return nil, err
	}
	return pack, nil
}

// LoadPath loads a pack file, or every *.yaml and *.yml pack in a directory (not recursive),
// in name order.
func LoadPath(path string) ([]*Pack, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	files := []string{path}
	if info.IsDir() {
		files = nil
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, fmt.Errorf("rules: %w", err)
		}
		for _, e := range entries {
			if ext := filepath.Ext(e.Name()); !e.IsDir() && (ext == ".yaml" || ext == ".yml") {
				files = append(files, filepath.Join(path, e.Name()))
			}
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("rules: %s: no .yaml or .yml pack files in the directory", path)
		}
	}
	var packs []*Pack
	var all Error
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("rules: %w", err)
		}
		p, err := Load(f, data)
		var perr *Error
		switch {
		case errors.As(err, &perr):
			all.Problems = append(all.Problems, perr.Problems...)
		case err != nil:
			return nil, err
		default:
			packs = append(packs, p)
		}
	}
	if len(all.Problems) > 0 {
		return nil, &all
	}
	return packs, nil
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

func yamlErrorLine(err error) int {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// yamlErrorText strips yaml.v3's "yaml: line N:" prefix; the line is reported separately.
func yamlErrorText(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	if loc := yamlLine.FindStringIndex(s); loc != nil && loc[0] == 0 {
		s = strings.TrimLeft(s[loc[1]:], ": ")
	}
	return s
}

// ruleAtLine names the rule whose YAML contains line, for messages about unknown fields.
func ruleAtLine(doc *yaml.Node, line int) string {
	rulesNode := child(doc.Content[0], "rules")
	if rulesNode == nil || rulesNode.Kind != yaml.SequenceNode {
		return ""
	}
	id := ""
	for _, r := range rulesNode.Content {
		if r.Line > line {
			break
		}
		if n := child(r, "id"); n != nil {
			id = n.Value
		} else {
			id = ""
		}
	}
	return id
}

// child returns the value of key in a mapping node.
func child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// item returns element i of a sequence node.
func item(n *yaml.Node, i int) *yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode || i >= len(n.Content) {
		return nil
	}
	return n.Content[i]
}

func lineOf(n *yaml.Node, fallback int) int {
	if n == nil {
		return fallback
	}
	return n.Line
}

// validator checks a decoded pack and builds the validated form.
type validator struct {
	ps     *problems
	root   *yaml.Node
	packID string // the pack's name, once read
}

var (
	packName = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	ruleID   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$`)
	attackID = regexp.MustCompile(`^T\d{4}(\.\d{3})?$`)
	cweID    = regexp.MustCompile(`^CWE-\d+$`)
	version  = regexp.MustCompile(`^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$`)
)

var precisions = []string{"very-high", "high", "medium", "low"}

func (v *validator) pack(raw *rawPack) *Pack {
	p := &Pack{Name: raw.Pack, Version: raw.Version, Description: raw.Description}
	v.packID = raw.Pack
	if !packName.MatchString(raw.Pack) {
		v.ps.add(lineOf(child(v.root, "pack"), 1), "", "pack: want a lower-case name like \"egress\", got %q", raw.Pack)
	}
	if !version.MatchString(raw.Version) {
		v.ps.add(lineOf(child(v.root, "version"), 1), "", "version: want a semantic version like 1.0.0, got %q", raw.Version)
	}
	if raw.Library != nil {
		p.Library = v.library(raw.Library, child(v.root, "library"))
	}
	if len(raw.Rules) == 0 && raw.Library == nil {
		v.ps.add(lineOf(child(v.root, "rules"), 1), "", "rules: a pack needs at least one rule (or a library)")
	}
	seen := map[string]int{}
	rulesNode := child(v.root, "rules")
	for i := range raw.Rules {
		n := item(rulesNode, i)
		r := v.rule(&raw.Rules[i], n)
		if first, dup := seen[r.ID]; dup && r.ID != "" {
			v.ps.add(lineOf(child(n, "id"), r.Line), r.ID, "duplicate rule id (first defined at line %d)", first)
		}
		seen[r.ID] = r.Line
		r.Pack = p
		p.Rules = append(p.Rules, r)
	}
	return p
}

func (v *validator) rule(raw *rawRule, n *yaml.Node) *Rule {
	r := &Rule{
		ID: raw.ID, Name: strings.TrimSpace(raw.Name), Description: strings.TrimSpace(raw.Description),
		Severity: finding.Level(raw.Severity), Precision: raw.Precision,
		Tags: raw.Tags, Attack: raw.Attack, CWE: raw.CWE,
		Message: strings.TrimSpace(raw.Message), Help: raw.Help, Line: lineOf(n, 0),
	}
	at := func(key string) int { return lineOf(child(n, key), r.Line) }
	bad := func(key, format string, args ...any) { v.ps.add(at(key), r.ID, format, args...) }
	if !ruleID.MatchString(raw.ID) {
		v.ps.add(at("id"), "", "id: want letters, digits, '.', '_', '-' and '/' separators, like \"egress/hardcoded-url\", got %q", raw.ID)
	}
	if r.Name == "" {
		bad("name", "name: required (a short title for reviewers)")
	}
	if r.Description == "" {
		r.Description = r.Name
	}
	if !r.Severity.Valid() {
		bad("severity", "severity: want error, warning or note, got %q", raw.Severity)
	}
	r.SecuritySeverity = v.securitySeverity(raw, r, bad)
	if r.Precision == "" {
		r.Precision = "medium"
	} else if !slices.Contains(precisions, r.Precision) {
		bad("precision", "precision: want one of %s, got %q", strings.Join(precisions, ", "), r.Precision)
	}
	r.Languages = v.languages(raw.Languages, func(format string, args ...any) { bad("languages", format, args...) })
	if len(raw.Languages) == 0 {
		bad("languages", "languages: required (c, cpp, go)")
	}
	for _, id := range raw.Attack {
		if !attackID.MatchString(id) {
			bad("attack", "attack: %q is not an ATT&CK technique id like T1041 or T1027.002", id)
		}
	}
	for _, id := range raw.CWE {
		if !cweID.MatchString(id) {
			bad("cwe", "cwe: %q is not a CWE id like CWE-359", id)
		}
	}
	if r.Message == "" {
		bad("message", "message: required (a template such as \"{api} sends data\")")
	}
	if strings.TrimSpace(r.Help) == "" {
		bad("help", "help: required (markdown that tells a reviewer how to confirm the finding)")
	}
	kinds := 0
	var placeholders map[string]bool
	if raw.Calls != nil {
		kinds++
		r.Calls, placeholders = v.calls(raw.Calls, r, child(n, "calls"))
	}
	if raw.Query != nil {
		kinds++
		r.Query, placeholders = v.query(raw.Query, r, child(n, "query"))
	}
	if raw.Taint != nil {
		kinds++
		r.Taint = v.taint(raw.Taint, r, child(n, "taint"))
		placeholders = map[string]bool{}
		for _, p := range taintPlaceholders {
			placeholders[p] = true
		}
	}
	if raw.Decode != nil {
		kinds++
		r.Decode = v.decode(raw.Decode, r, child(n, "decode"))
		placeholders = map[string]bool{"decoded": true, "technique": true, "key": true, "endpoint": true}
	}
	switch {
	case kinds != 1:
		v.ps.add(r.Line, r.ID, "a rule needs exactly one match kind: calls, query, taint or decode (it has %d)", kinds)
	case placeholders != nil: // nil when no query compiled: that error says enough
		v.message(r, placeholders, at("message"))
	}
	return r
}

// defaultSecuritySeverity gives rules that set none a score matching their level.
var defaultSecuritySeverity = map[finding.Level]float64{finding.Error: 7.0, finding.Warning: 5.0, finding.Note: 2.0}

func (v *validator) securitySeverity(raw *rawRule, r *Rule, bad func(string, string, ...any)) float64 {
	if raw.SecuritySeverity == nil {
		return defaultSecuritySeverity[r.Severity]
	}
	s := *raw.SecuritySeverity
	if s < 0 || s > 10 {
		bad("security-severity", "security-severity: want a score from 0.0 to 10.0, got %g", s)
	}
	return s
}

func (v *validator) languages(names []string, bad func(string, ...any)) []source.Lang {
	var out []source.Lang
	for _, name := range names {
		l, ok := source.ParseLang(name)
		if !ok {
			bad("languages: unknown language %q (known: c, cpp, go)", name)
			continue
		}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

var placeholder = regexp.MustCompile(`\{([A-Za-z0-9_.-]*)\}`)

// message checks that every {placeholder} in the template is something the match kind can
// fill, so a typo shows at load time rather than as a literal "{endpiont}" in a report.
func (v *validator) message(r *Rule, known map[string]bool, line int) {
	for _, m := range placeholder.FindAllStringSubmatch(r.Message, -1) {
		if !known[m[1]] {
			names := make([]string, 0, len(known))
			for k := range known {
				names = append(names, "{"+k+"}")
			}
			slices.Sort(names)
			v.ps.add(line, r.ID, "message: unknown placeholder {%s} (this rule can use %s)", m[1], strings.Join(names, ", "))
		}
	}
}
