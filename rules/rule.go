package rules

import (
	"regexp"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
)

// Pack is a loaded, validated rule pack.
type Pack struct {
	Name        string
	Version     string
	Description string
	// File is where the pack came from: "builtin:egress.yaml" or a path as given.
	File string
	// Digest is the SHA-256 of the pack's bytes: it names the pack in caches and provenance.
	Digest string
	// Raw is the pack file as loaded, so that the pack can be shipped to remote workers,
	// which load it again and get the same rules and digest.
	Raw []byte
	// Library is the pack's shared dataflow knowledge (nil when it has none).
	Library *Library
	Rules   []*Rule
}

// Rule is one validated rule. Exactly one of Calls, Query, Taint and Decode is set.
type Rule struct {
	ID          string
	Name        string
	Description string // one paragraph; Name when the pack gives none
	Severity    finding.Level
	// SecuritySeverity is GitHub code scanning's 0–10 score.
	SecuritySeverity float64
	Precision        string // very-high, high, medium or low
	Languages        []source.Lang
	Tags             []string
	Attack           []string // MITRE ATT&CK technique ids
	CWE              []string // "CWE-359"
	Message          string   // template: {placeholders} are filled at match time
	Help             string   // markdown
	Calls            []CallGroup
	Query            *Query
	Taint            *Taint
	Decode           *Decode
	Pack             *Pack
	Line             int // where the rule starts in its pack file
}

// HasLang reports whether the rule applies to l.
func (r *Rule) HasLang(l source.Lang) bool {
	for _, x := range r.Languages {
		if x == l {
			return true
		}
	}
	return false
}

// CallGroup is a set of callee names sharing argument constraints and properties.
type CallGroup struct {
	Callees    []Callee
	Languages  []source.Lang // every language of any callee
	Args       []ArgCheck
	Properties map[string]string
}

// Callee is one callee name, in the convention of syntax.Call.Names with Windows A/W/Ex
// variants already expanded, and the languages it applies to: `send` is C and C++,
// `os.Hostname` Go.
type Callee struct {
	Name  string
	Langs []source.Lang
}

// Names lists the group's callee names.
func (g *CallGroup) Names() []string {
	out := make([]string, len(g.Callees))
	for i, c := range g.Callees {
		out[i] = c.Name
	}
	return out
}

// HasLang reports whether the group applies to l.
func (g *CallGroup) HasLang(l source.Lang) bool {
	for _, x := range g.Languages {
		if x == l {
			return true
		}
	}
	return false
}

// ArgCheck constrains one argument of a call. Every set condition must hold.
type ArgCheck struct {
	Index    int            // 0-based
	Equals   []string       // the argument's literal value, or its text, is one of these
	Regex    *regexp.Regexp // matches the literal value, or the text
	NotRegex *regexp.Regexp // does not match the literal value, or the text
	Type     []string       // the argument's declared type is one of these (taint models only)
	String   *bool          // is (true) or is not (false) a string literal
	Constant *bool          // is (true) or is not (false) a compile-time constant
}

// Query is a raw tree-sitter query per language. Capture names the capture whose node is
// the finding's location.
type Query struct {
	Capture string
	Source  map[source.Lang]string
}

// Pos is a position in a call: an argument index (0-based), the receiver of a method call,
// or the call's result.
type Pos int

// The positions that are not arguments.
const (
	PosReturn   Pos = -2
	PosReceiver Pos = -1
)

// Positions is a set of call positions. From, when not negative, also includes every
// argument from that index on ("arg1.." for the values of sprintf).
type Positions struct {
	List []Pos
	From int
}

// Has reports whether p is in the set.
func (ps Positions) Has(p Pos) bool {
	if ps.From >= 0 && int(p) >= ps.From {
		return true
	}
	for _, x := range ps.List {
		if x == p {
			return true
		}
	}
	return false
}

// Empty reports whether the set has no position.
func (ps Positions) Empty() bool { return len(ps.List) == 0 && ps.From < 0 }

// Model says what a set of calls does to data. Which fields matter depends on its role: a
// source fills Out (or reaches a callback's parameter, Hook); a sink needs data in Arg; a
// propagator moves data From → To; a sanitizer stops it; a dispatcher action just is called.
type Model struct {
	Kind    string // data kind of a source ("host-identity"), action kind of a sink ("network-send")
	Label   string // words for messages: "computer name", "sent"
	Callees []Callee
	Where   []ArgCheck // the call matches only when these hold (CURLOPT_WRITEFUNCTION)
	Out     Positions
	Arg     Positions
	From    Positions
	To      Positions
	Hook    *Hook
	// Query, when set, finds the model's expressions instead of Callees naming calls: a
	// source's data is the captured expression, a sink needs the captured expression to
	// carry the data, a sanitizer's captured expression carries none, and a propagator
	// moves the data of capture @from into the memory of capture @to. Callees then holds
	// one internal name ("query:…") that the taint engine gives the captured expressions.
	Query *Query
	Line  int
}

// Hook says that a source delivers its data to a callback it is given: the callback is
// argument Function, and the data arrives in its parameter Param.
type Hook struct {
	Function Pos
	Param    int
}

// Callback is a call that runs a function it is given with data it is given: the function is
// argument Function; arguments Data become its parameters from Param on.
type Callback struct {
	Callees  []Callee
	Function Pos
	Data     Positions
	Param    int
}

// Library is dataflow knowledge shared by every taint rule of every loaded pack.
type Library struct {
	Propagators []Model
	Sanitizers  []Model
	Callbacks   []Callback
}

// Taint is a rule that follows data from sources to sinks across functions and files.
// Instead of sinks, Compare makes comparisons against constants the end of a path (keyword
// search, gating), and Dispatch reports such comparisons as command dispatchers.
type Taint struct {
	Sources     []Model
	Sinks       []Model
	Propagators []Model
	Sanitizers  []Model
	Compare     *Compare
	Dispatch    *Dispatch
	Then        []Model // sinks of a second step, from what the first sink's call produced
}

// Compare selects comparisons against constants; Values, when set, must match the constant.
type Compare struct {
	Values *regexp.Regexp
	// Unless are sources whose data reaching a comparison makes it not one of the rule's.
	Unless []Model
}

// Dispatch reports values compared against at least Min constants, with the actions each
// branch reaches. Actions of a Weak kind (a reply on the same connection) are listed but do
// not on their own make a dispatcher: a status responder is not remote control.
type Dispatch struct {
	Min     int
	Actions []Model
	Weak    []string
}

// Command reports whether a constant compared against network input can be a command word:
// one punctuation character is a message's framing (`msg[0] == '!'`), not one of its
// commands. Both Go engines and the tree-sitter engine ask it, so they agree.
func (d *Dispatch) Command(c string) bool {
	if len(c) != 1 {
		return true
	}
	b := c[0]
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// Decode reports strings the code hides (see package deobf) and glassbox recovers.
type Decode struct {
	Techniques []string
	// Endpoints is "any", "only" (the recovered text names a network endpoint) or "exclude".
	Endpoints string
	// Decoders are calls that decode a literal argument (base64 decoders).
	Decoders []Callee
}
