package sarif

import (
	"bytes"
	"testing"

	v3 "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
)

// TestSchema validates the output against the SARIF 2.1.0 JSON schema with go-sarif v3.
//
// v3's Validate checks the report as v3 re-marshals it, not the bytes read, so it judges
// v3's model of the log. Its reader therefore runs in the default mode: with
// WithStrictValidation() every array v3 models without omitempty (run.graphs, .addresses,
// .policies, every artifact's roles, every message's arguments, every property bag's tags,
// ...) must be present in the document or re-marshals as null, which fails any log that,
// like the SARIF examples themselves, leaves optional arrays out. The scalars v3 does not
// default on reading (language, newlineSequences, threadFlowLocation importance) the writer
// spells out.
func TestSchema(t *testing.T) {
	for _, tt := range testScans {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := v3.FromBytes(write(t, tt.scan(t)))
			if err != nil {
				t.Fatalf("go-sarif v3 cannot read the output: %v", err)
			}
			if err := rep.Validate(); err != nil {
				t.Errorf("schema validation: %v", err)
			}
		})
	}
}

// TestSchemaRejects makes sure the check above can fail: a log with an invalid level must
// not validate.
func TestSchemaRejects(t *testing.T) {
	bad := bytes.Replace(write(t, realisticScan(t)), []byte(`"level": "error"`), []byte(`"level": "fatal"`), 1)
	rep, err := v3.FromBytes(bad)
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Validate(); err == nil {
		t.Errorf("a log with level \"fatal\" validated")
	}
}
