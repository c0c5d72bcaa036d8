package rules

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// The raw types mirror the YAML schema one to one. They are decoded first and validated
// afterwards, so that the validator sees every field with its line.

type rawPack struct {
	Pack        string      `yaml:"pack"`
	Version     string      `yaml:"version"`
	Description string      `yaml:"description"`
	Library     *rawLibrary `yaml:"library"`
	Rules       []rawRule   `yaml:"rules"`
}

// rawLibrary is dataflow knowledge shared by every taint rule of every loaded pack: how
// library calls move data (propagators), which calls' results carry nothing of their
// arguments (sanitizers), and which calls call back a function they are given.
type rawLibrary struct {
	Propagators []rawModel    `yaml:"propagators"`
	Sanitizers  []rawModel    `yaml:"sanitizers"`
	Callbacks   []rawCallback `yaml:"callbacks"`
}

// rawModel says what a set of calls does to data: a source (what comes out, and of what
// kind), a sink (which arguments must carry data), a propagator (from where to where), a
// sanitizer, or a dispatcher action.
type rawModel struct {
	Kind      string     `yaml:"kind"`
	Label     string     `yaml:"label"`
	Calls     stringList `yaml:"calls"`
	Languages []string   `yaml:"languages"`
	Variants  string     `yaml:"variants"`
	Where     []rawArg   `yaml:"where"`
	Out       stringList `yaml:"out"`
	Arg       stringList `yaml:"arg"`
	From      stringList `yaml:"from"`
	To        stringList `yaml:"to"`
	Callback  *rawHook   `yaml:"callback"`
	Query     *rawQuery  `yaml:"query"`
}

// rawHook names, for a source that arrives through a callback (libcurl's write function),
// the argument that is the callback and the callback parameter that receives the data.
type rawHook struct {
	Function string `yaml:"function"`
	Param    *int   `yaml:"param"`
}

// rawCallback is a call that runs a function it is given with data it is given:
// CreateThread(…, fn, arg, …) calls fn(arg).
type rawCallback struct {
	Calls     stringList `yaml:"calls"`
	Languages []string   `yaml:"languages"`
	Variants  string     `yaml:"variants"`
	Function  string     `yaml:"function"`
	Data      stringList `yaml:"data"`
	Param     *int       `yaml:"param"`
}

type rawTaint struct {
	Sources     []rawModel   `yaml:"sources"`
	Sinks       []rawModel   `yaml:"sinks"`
	Propagators []rawModel   `yaml:"propagators"`
	Sanitizers  []rawModel   `yaml:"sanitizers"`
	Compare     *rawCompare  `yaml:"compare"`
	Dispatch    *rawDispatch `yaml:"dispatch"`
	Then        *rawThen     `yaml:"then"`
}

// rawCompare makes comparisons the sinks: data compared against constants (a command name,
// a keyword, a locale). Values, when set, is a regular expression the constant must match;
// a comparison that data of an Unless source also reaches is not reported.
type rawCompare struct {
	Values string `yaml:"values"`
	// Unless are sources whose data, reaching the same comparison, makes it something else:
	// a value the network also decides is protocol, not the host's identity.
	Unless []rawModel `yaml:"unless"`
}

// rawDispatch reports comparisons as command dispatchers: the vocabulary of constants a
// value is compared against, and the actions each branch reaches.
type rawDispatch struct {
	Min     *int       `yaml:"min"`
	Actions []rawModel `yaml:"actions"`
	Weak    []string   `yaml:"weak"`
}

// rawThen chains a second step: what the first sink's call produces must then reach these
// sinks (a path from the network reaches a file read whose content is then uploaded).
type rawThen struct {
	Sinks []rawModel `yaml:"sinks"`
}

type rawRule struct {
	ID               string     `yaml:"id"`
	Name             string     `yaml:"name"`
	Description      string     `yaml:"description"`
	Severity         string     `yaml:"severity"`
	SecuritySeverity *float64   `yaml:"security-severity"`
	Precision        string     `yaml:"precision"`
	Languages        []string   `yaml:"languages"`
	Tags             []string   `yaml:"tags"`
	Attack           []string   `yaml:"attack"`
	CWE              []string   `yaml:"cwe"`
	Message          string     `yaml:"message"`
	Help             string     `yaml:"help"`
	Calls            []rawCalls `yaml:"calls"`
	Query            *rawQuery  `yaml:"query"`
	Taint            *rawTaint  `yaml:"taint"`
	Decode           *rawDecode `yaml:"decode"`
}

// rawDecode reports strings hidden by the named techniques and recovered statically.
type rawDecode struct {
	Techniques []string   `yaml:"techniques"`
	Endpoints  string     `yaml:"endpoints"`
	Decoders   stringList `yaml:"decoders"`
}

type rawCalls struct {
	Names      stringList        `yaml:"names"`
	Languages  []string          `yaml:"languages"`
	Variants   string            `yaml:"variants"`
	Args       []rawArg          `yaml:"args"`
	Properties map[string]string `yaml:"properties"`
}

type rawArg struct {
	Index    *int       `yaml:"index"`
	Equals   stringList `yaml:"equals"`
	Regex    string     `yaml:"regex"`
	NotRegex string     `yaml:"not-regex"`
	Type     stringList `yaml:"type"`
	String   *bool      `yaml:"string"`
	Constant *bool      `yaml:"constant"`
}

type rawQuery struct {
	Capture string `yaml:"capture"`
	C       string `yaml:"c"`
	CPP     string `yaml:"cpp"`
	Go      string `yaml:"go"`
}

// stringList accepts a single string or a list of strings, so `equals: CURLOPT_URL` and
// `equals: [CURLOPT_URL, CURLOPT_POSTFIELDS]` both read naturally.
type stringList []string

func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*l = stringList{n.Value}
		return nil
	case yaml.SequenceNode:
		var s []string
		if err := n.Decode(&s); err != nil {
			return err
		}
		*l = s
		return nil
	}
	return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: expected a string or a list of strings", n.Line)}}
}
