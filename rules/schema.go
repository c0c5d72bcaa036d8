package rules

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// The raw types mirror the YAML schema one to one. They are decoded first and validated
// afterwards, so that the validator sees every field with its line.

type rawPack struct {
	Pack        string    `yaml:"pack"`
	Version     string    `yaml:"version"`
	Description string    `yaml:"description"`
	Rules       []rawRule `yaml:"rules"`
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
