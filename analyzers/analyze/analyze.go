// Package analyze is the per-file stage of glassbox: one source.File in, one
// finding.FileResult out. It decodes the file, decides the language of a header, parses with
// a time budget, runs the pattern rules, and turns everything that stops a file from being
// analysed fully into a notification — a file never stops the scan.
//
// It is what a worker runs, in-process or on another machine: it needs the file's content,
// never the scan root.
package analyze

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/match"
	"glassbox/analyzers/source"
	"glassbox/analyzers/syntax"
	"glassbox/analyzers/taint"
	"glassbox/rules"
)

// Options tune the per-file stage.
type Options struct {
	// ParseTimeout is the budget for parsing one file; 0 means DefaultParseTimeout.
	ParseTimeout time.Duration
	// Encoding, when set, is the legacy code page assumed for files that are not UTF-8.
	Encoding string
}

// EngineVersion names the behaviour of the per-file stage. Per-file results are cached by
// (content hash, pack digest, options, engine): see Options.Key.
const EngineVersion = "2"

// build identifies the code of the running binary. A cached result must never outlive the
// code that produced it, and a version constant is forgotten as soon as someone edits the
// analysis; the executable's own SHA-256 changes with every change of code.
var build = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return "unknown"
	}
	f, err := os.Open(exe)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unknown"
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
})

// DefaultParseTimeout bounds a parse: tree-sitter is linear, so a file that takes longer than
// this is pathological (generated tables, hostile input) and must not hold a worker.
const DefaultParseTimeout = 10 * time.Second

// Engine holds what every worker shares: the compiled rules and the options.
type Engine struct {
	m    *match.Matcher
	opts Options
	// summarise says whether files are summarised for the taint rules' link step.
	summarise bool
	queries   *taint.Queries // the taint rules' query models
}

// Build compiles a rule set and returns an Engine for it, with the function that frees what
// was compiled. It is how a coordinator or a remote worker turns packs into an engine.
func Build(set *rules.Set, opts Options) (*Engine, func(), error) {
	m, err := match.New(set)
	if err != nil {
		return nil, nil, err
	}
	qs, err := taint.CompileQueries(set)
	if err != nil {
		m.Close()
		return nil, nil, err
	}
	e := New(m, opts)
	e.queries = qs
	for _, r := range set.Rules() {
		e.summarise = e.summarise || r.Taint != nil
	}
	return e, func() { m.Close(); qs.Close() }, nil
}

// Key names what, besides a file's content and the packs, decides a FileResult: the engine
// (its version and the running binary's code) and the options. Caches of per-file results key
// on it.
func (o Options) Key() string {
	return fmt.Sprintf("engine=%s build=%s timeout=%s encoding=%s", EngineVersion, build(), o.parseTimeout(), o.Encoding)
}

func (o Options) parseTimeout() time.Duration {
	if o.ParseTimeout <= 0 {
		return DefaultParseTimeout
	}
	return o.ParseTimeout
}

// New returns an Engine; m is shared, read-only, by every session.
func New(m *match.Matcher, opts Options) *Engine {
	opts.ParseTimeout = opts.parseTimeout()
	return &Engine{m: m, opts: opts}
}

// Session is one worker's state: its own tree-sitter parsers. A Session belongs to one
// goroutine.
type Session struct {
	e *Engine
	p *syntax.Parser
}

// NewSession returns a Session for one goroutine.
func (e *Engine) NewSession() *Session {
	return &Session{e: e, p: syntax.NewParser(e.opts.ParseTimeout)}
}

// Close frees the session's parsers.
func (s *Session) Close() { s.p.Close() }

// Analyze runs the per-file stage on f. It never fails: what goes wrong is a notification.
func (s *Session) Analyze(ctx context.Context, f source.File) finding.FileResult {
	return s.Inspect(ctx, f, nil)
}

// Inspect is Analyze that also hands the parsed file to visit (when the file could be
// parsed), for tools that need more of the tree than findings, such as the annotated-sample
// checker. visit must not keep the tree: it is freed when Inspect returns.
func (s *Session) Inspect(ctx context.Context, f source.File, visit func(*syntax.Tree, *source.Text)) (res finding.FileResult) {
	res.Artifact = finding.Artifact{Path: f.Path, Lang: string(f.Lang), Length: int64(len(f.Raw)), SHA256: f.SHA256}
	defer func() {
		// A bug in a rule or in the tree-sitter binding must cost one file, not the scan.
		// The stack goes to the notification; source text never does.
		if v := recover(); v != nil {
			res.Findings = nil
			res.Notifications = append(res.Notifications, note(f.Path, finding.NoteInternal, finding.Error,
				"internal error while analysing this file; it was skipped: %v\n%s", v, debug.Stack()))
		}
	}()
	if len(f.Raw) == 0 {
		res.Notifications = append(res.Notifications, note(f.Path, finding.NoteEmpty, finding.Note, "empty file: nothing to analyse"))
		return res
	}
	text, err := source.Decode(f.Raw, s.e.opts.Encoding)
	if errors.Is(err, source.ErrBinary) {
		res.Notifications = append(res.Notifications, note(f.Path, finding.NoteBinary, finding.Note,
			"skipped: binary content (NUL bytes) in a file named like source code"))
		return res
	}
	res.Artifact.Encoding = text.Encoding
	if source.IsLegacy(text.Encoding) {
		res.Notifications = append(res.Notifications, note(f.Path, finding.NoteEncoding, finding.Note, "%s", source.DescribeEncoding(text.Encoding)))
	}
	lang := f.Lang
	if f.Header {
		lang = source.DetectHeader(text.Content)
	}
	res.Artifact.Lang = string(lang)
	if depth := syntax.Nesting(text.Content); depth > syntax.MaxDepth {
		res.Notifications = append(res.Notifications, note(f.Path, finding.NoteDeepNesting, finding.Warning,
			"brackets nest %d deep; analysis does not descend past depth %d, so findings inside the deepest expressions may be missed", depth, syntax.MaxDepth))
	}
	tree, err := s.p.Parse(ctx, lang, text.Content)
	if err != nil {
		res.Notifications = append(res.Notifications, parseFailure(f.Path, err, s.e.opts.ParseTimeout))
		return res
	}
	defer tree.Close()
	if ntf, ok := syntaxErrors(f.Path, tree, text); ok {
		res.Notifications = append(res.Notifications, ntf)
	}
	res.Findings = s.e.m.Match(match.File{Path: f.Path, Text: text, Tree: tree})
	if tree.Other != nil {
		res.Findings = append(res.Findings, otherBranches(s.e.m.Match(match.File{Path: f.Path, Text: text, Tree: tree.Other}), tree, text)...)
	}
	if s.e.summarise {
		sum := taint.Extract(tree, text, f.Path, s.e.queries.For(tree.Lang)...)
		for i := range sum.Functions {
			sum.Functions[i].Intern() // the summaries may cross to another machine
		}
		res.Functions, res.Tables, res.Stores = sum.Functions, sum.Tables, sum.Stores
		res.Members, res.Classes = sum.Members, sum.Classes
		if len(sum.Truncated) > 0 {
			res.Notifications = append(res.Notifications, note(f.Path, finding.NoteFlowsTruncated, finding.Note,
				"data flows of %s were cut at %d edges per function; paths through it may be missed", strings.Join(sum.Truncated, ", "), taint.MaxEdges))
		}
	}
	if visit != nil {
		visit(tree, text)
	}
	return res
}

// otherBranches keeps the pattern findings of a file's other reading that lie in the
// preprocessor branches the analysed reading dropped: the egress call in the #else branch is
// still an egress call. (Taint follows the analysed reading only: one program at a time.)
func otherBranches(fds []finding.Finding, tree *syntax.Tree, text *source.Text) []finding.Finding {
	dropped := make([][2]int, len(tree.Dropped))
	for i, d := range tree.Dropped {
		dropped[i][0], dropped[i][1] = lineSpan(text, d)
	}
	var out []finding.Finding
	for _, fd := range fds {
		line := fd.Location.Region.StartLine
		if slices.ContainsFunc(dropped, func(d [2]int) bool { return line >= d[0] && line <= d[1] }) {
			out = append(out, fd)
		}
	}
	return out
}

// lineSpan returns the first and last lines of the byte range [span[0], span[1]).
func lineSpan(text *source.Text, span [2]int) (from, to int) {
	from, _ = text.Position(span[0])
	to, _ = text.Position(max(span[1]-1, span[0]))
	return from, to
}

// syntaxErrors describes what a tree could not read: how much of the file lies in parse
// errors, which a reviewer must read by hand, and which preprocessor branches were read
// when only one branch of each #if/#else parsed.
func syntaxErrors(path string, tree *syntax.Tree, text *source.Text) (finding.Notification, bool) {
	spans := tree.ErrorSpans()
	if len(spans) == 0 && tree.Branches == "" {
		return finding.Notification{}, false
	}
	var msg strings.Builder
	line := 0
	if len(spans) > 0 {
		lines := 0
		for _, sp := range spans {
			from, to := lineSpan(text, sp)
			lines += to - from + 1
		}
		line, _ = text.Position(spans[0][0])
		fmt.Fprintf(&msg, "%d syntax error(s) spanning %d of %d lines, the first at line %d (macros or #ifdef branches the parser cannot follow): code in them is not analysed, the rest of the file is",
			len(spans), lines, text.Lines(), line)
	}
	if tree.Branches != "" {
		if msg.Len() > 0 {
			msg.WriteString("; ")
		}
		fmt.Fprintf(&msg, "statements split across #if/#else branches parse only one branch at a time: data flows were followed in the %s branch of each conditional, not in the others; pattern rules read both", tree.Branches)
	}
	ntf := note(path, finding.NoteParseError, finding.Note, "%s", msg.String())
	ntf.Line = line
	return ntf, true
}

func parseFailure(path string, err error, budget time.Duration) finding.Notification {
	if errors.Is(err, syntax.ErrTimeout) {
		return note(path, finding.NoteParseTime, finding.Warning,
			"skipped: parsing took longer than the %s budget (--parse-timeout) and was cancelled", budget)
	}
	return note(path, finding.NoteParseFailed, finding.Warning, "skipped: the parser failed: %v", err)
}

func note(path, id string, level finding.Level, format string, args ...any) finding.Notification {
	return finding.Notification{ID: id, Level: level, Path: path, Message: fmt.Sprintf(format, args...)}
}
