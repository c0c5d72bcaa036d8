package finding

import (
	"testing"
)

func step(line int, msg string) Step {
	return Step{Location: Location{Path: "a.c", Region: Region{StartLine: line, StartColumn: 1, EndLine: line, EndColumn: 9}}, Message: msg}
}

// TestSortMergesIndistinguishable: results of one rule at one span with one message are one
// result with a path per source; anything that differs keeps its own result.
func TestSortMergesIndistinguishable(t *testing.T) {
	sink := Location{Path: "a.c", Region: Region{StartLine: 30, StartColumn: 2, EndLine: 30, EndColumn: 20}}
	fromRecv := func(line int, key string) Finding {
		return Finding{RuleID: "r/unlink", Message: "recv chooses the file deleted", Location: sink, Key: key,
			Flow: []Step{step(line, "recv"), step(30, "unlink")}, Related: []Step{step(line, "recv")}}
	}
	other := fromRecv(12, "unlink<-recv@g")
	other.Message = "recvfrom chooses the file deleted"
	tests := []struct {
		name      string
		in        []Finding
		results   int
		paths     int // of the first result
		related   int
		firstLine int // the first step of the first result's flow
	}{
		{"three sources, one message", []Finding{fromRecv(20, "unlink<-recv@h"), fromRecv(10, "unlink<-recv@f"), fromRecv(15, "unlink<-recv@g")}, 1, 2, 3, 10},
		{"the same path twice", []Finding{fromRecv(10, "unlink<-recv@f"), fromRecv(10, "unlink<-recv@f")}, 1, 0, 1, 10},
		{"another message", []Finding{fromRecv(10, "unlink<-recv@f"), other}, 2, 0, 1, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Sort(tt.in)
			if len(out) != tt.results {
				t.Fatalf("%d results, want %d: %+v", len(out), tt.results, out)
			}
			f := out[0]
			if len(f.Paths) != tt.paths || len(f.Related) != tt.related || f.Flow[0].Location.Region.StartLine != tt.firstLine {
				t.Errorf("paths %d related %d first source line %d; want %d, %d, %d",
					len(f.Paths), len(f.Related), f.Flow[0].Location.Region.StartLine, tt.paths, tt.related, tt.firstLine)
			}
		})
	}
}
