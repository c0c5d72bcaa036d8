package taintssa

import (
	"fmt"
	"strings"

	"glassbox/analyzers/finding"
)

// A Label names where data came from, as far as one function can tell: a source call
// (an origin), one of the function's parameters, or a hub — a struct field or package
// variable, shared by every function of the program.
type Label struct {
	Kind LabelKind
	// Index is the origin's index in Summary.Origins or the parameter's index (free
	// variables of a closure follow its parameters).
	Index int
	Hub   string // the hub's key, for Kind == HubLabel
	// Method and Pos describe an invoke label: result Pos of calling Method on parameter
	// Index (Method "" calls the parameter itself, a function value).
	Method string    `json:",omitempty"`
	Pos    int       `json:",omitempty"`
	Call   *CallInfo `json:",omitempty"` // the call through the parameter, for an invoke label
}

// CallInfo is where a call through a parameter is made: when the caller finds that the
// method called is a model's source or sink, that is where the finding is.
type CallInfo struct {
	Callee   string // as written
	Site     finding.Location
	Function string
}

// LabelKind says what a Label stands for.
type LabelKind uint8

// The kinds of labels.
const (
	OriginLabel LabelKind = iota
	ParamLabel
	HubLabel
	// InvokeLabel is what a call through a parameter returns: an interface method called
	// on it, or the function it holds. Only the caller, which knows what the parameter is,
	// can tell.
	InvokeLabel
)

func (l Label) String() string {
	switch l.Kind {
	case OriginLabel:
		return fmt.Sprintf("origin#%d", l.Index)
	case ParamLabel:
		return fmt.Sprintf("param#%d", l.Index)
	case InvokeLabel:
		return fmt.Sprintf("param#%d.%s()#%d", l.Index, l.Method, l.Pos)
	}
	return "hub " + l.Hub
}

// A Target is where data a function holds can end up: one of its results, what one of its
// parameters refers to, a hub, a sink call, or a comparison.
type Target struct {
	Kind    TargetKind
	Index   int      // result or parameter index
	Hub     string   // for HubTarget
	Sink    *Sink    // for SinkTarget
	Compare *Compare // for CompareTarget
	// Method and Pos describe an invoke target: argument Pos of calling Method on
	// parameter Index (Method "": calling the parameter itself), at Call.
	Method string    `json:",omitempty"`
	Pos    int       `json:",omitempty"`
	Call   *CallInfo `json:",omitempty"`
}

// TargetKind says what a Target is.
type TargetKind uint8

// The kinds of targets.
const (
	ReturnTarget TargetKind = iota
	ParamTarget
	HubTarget
	SinkTarget
	CompareTarget
	// InvokeTarget is an argument of a call through a parameter: where the data goes
	// depends on what the caller passes.
	InvokeTarget
)

func (t Target) String() string {
	switch t.Kind {
	case ReturnTarget:
		return fmt.Sprintf("return#%d", t.Index)
	case ParamTarget:
		return fmt.Sprintf("out#%d", t.Index)
	case HubTarget:
		return "hub " + t.Hub
	case SinkTarget:
		return "sink " + t.Sink.Rule + " " + t.Sink.API
	case InvokeTarget:
		return fmt.Sprintf("param#%d.%s(arg%d)", t.Index, t.Method, t.Pos)
	}
	return "compare " + t.Compare.Func + ":" + t.Compare.Value
}

// Origin is one source call: the data a rule follows begins there. A then-origin is what a
// first-step sink call produced (the file a path from the network opened), followed to the
// rule's second-step sinks.
type Origin struct {
	Rule     string
	API      string // the callee name the source model matched
	Kind     string // the source model's data kind
	Label    string // the source model's words, rendered with API
	Site     finding.Location
	Function string // the function that makes the source call
	// Then is set on a then-origin: the first-step sink call whose products it follows.
	Then *Sink `json:",omitempty"`
}

// Key identifies an origin across packages: the same source call reached twice is one.
func (o *Origin) Key() string {
	k := fmt.Sprintf("%s|%s|%s:%d:%d", o.Rule, o.API, o.Site.Path, o.Site.Region.StartLine, o.Site.Region.StartColumn)
	if o.Then != nil {
		k = "then|" + o.Then.Key()
	}
	return k
}

// Step is the first hop of a path from this origin: where the data was collected.
func (o *Origin) Step() finding.Step {
	if o.Then != nil {
		return finding.Step{Location: o.Site, Message: "what " + o.Then.Callee + " returns"}
	}
	return finding.Step{Location: o.Site, Message: o.Label}
}

// Sink is a call one of a rule's sinks matched, at an argument the sink needs.
type Sink struct {
	Rule     string
	API      string
	Kind     string
	Label    string // rendered with API
	Callee   string // the callee as written
	Site     finding.Location
	Function string
	// Then says the sink is one of the rule's second-step sinks.
	Then bool `json:",omitempty"`
}

// Key identifies a sink call of a rule.
func (s *Sink) Key() string {
	then := ""
	if s.Then {
		then = "then|"
	}
	return fmt.Sprintf("%s%s|%s|%s:%d:%d", then, s.Rule, s.API, s.Site.Path, s.Site.Region.StartLine, s.Site.Region.StartColumn)
}

// Compare is a comparison of a value against constants: what command dispatchers, keyword
// searches and host checks are made of.
type Compare struct {
	Func  string // the function that compares, as findings name it
	Op    string // ==, case, strcmp, contains or index
	Const string // the constant, for all but table lookups
	Value string // the compared expression as written
	// Table names a command table the value is looked up in, and Rows are its entries.
	Table string     `json:",omitempty"`
	Rows  []TableRow `json:",omitempty"`
	Site  finding.Location
	// Actions lists, per dispatch rule, the actions the branch taken on a match reaches:
	// "process-execution (os/exec.Command)".
	Actions map[string][]string `json:",omitempty"`
}

// Key identifies a comparison.
func (c *Compare) Key() string {
	return fmt.Sprintf("%s|%s:%d:%d", c.Func, c.Site.Path, c.Site.Region.StartLine, c.Site.Region.StartColumn)
}

// Constants are what a comparison compares against: its constant, or a table's names.
func (c *Compare) Constants() []string {
	if c.Table == "" {
		return []string{c.Const}
	}
	var out []string
	for _, r := range c.Rows {
		out = append(out, r.Name)
	}
	return out
}

// TableRow is one entry of a command table: a name and, per dispatch rule, the actions of
// the function it selects.
type TableRow struct {
	Name    string
	Actions map[string][]string `json:",omitempty"`
}

// Edge is one flow of a summary: data labelled From reaches To, through Steps.
type Edge struct {
	From  Label
	To    Target
	Steps []finding.Step `json:",omitempty"`
}

// Summary is what one function does with data, for the taint rules of one group (rules that
// share propagators and sanitizers): which of its inputs reach which of its outputs, sinks
// and comparisons, and which origins inside it (or inside what it calls) escape it.
type Summary struct {
	Origins []Origin `json:",omitempty"`
	Edges   []Edge   `json:",omitempty"`
}

func (s *Summary) String() string {
	var b strings.Builder
	for _, e := range s.Edges {
		fmt.Fprintf(&b, "%s -> %s; ", e.From, e.To)
	}
	return b.String()
}

// FuncSummary is everything known about one function: a summary per rule group, and the
// dispatch actions reachable from it by depth.
type FuncSummary struct {
	Name    string               // as findings name it: Func or Type.Method
	Groups  map[string]*Summary  `json:",omitempty"` // by group key
	Actions map[string][]Reached `json:",omitempty"` // by rule id
}

// Reached is an action a function reaches, at a call depth (0: its own calls).
type Reached struct {
	Depth  int
	Action string
}

// empty reports whether the function does nothing the analysis follows: callers then treat
// it as a function that moves no data, the same as its summary would say.
func (fs *FuncSummary) empty() bool {
	if len(fs.Actions) > 0 {
		return false
	}
	for _, s := range fs.Groups {
		if len(s.Edges) > 0 {
			return false
		}
	}
	return true
}
