package taint

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"glassbox/analyzers/source"
	"glassbox/analyzers/syntax"
)

func TestDebugExtract(t *testing.T) {
	p := os.Getenv("TT")
	if p == "" {
		return
	}
	raw, _ := os.ReadFile(p)
	f, _ := source.NewFile(p, raw)
	text, _ := source.Decode(raw, "")
	ps := syntax.NewParser(0)
	tree, err := ps.Parse(context.Background(), f.Lang, text.Content)
	if err != nil {
		t.Fatal(err)
	}
	s := Extract(tree, text, "a.c")
	for _, fn := range s.Functions {
		fmt.Println("FUNC", fn.ID, fn.Params)
		for i, c := range fn.Calls {
			fmt.Println("  call", i, c.Names, c.Callee)
		}
		for _, c := range fn.Compares {
			b, _ := json.Marshal(c)
			fmt.Println("  cmp", string(b))
		}
		for _, fl := range fn.Flows {
			msgs := []string{}
			for _, s := range fl.Steps {
				msgs = append(msgs, fmt.Sprintf("%d:%s", s.Location.Region.StartLine, s.Message))
			}
			fmt.Printf("  flow %+v -> %+v %v\n", fl.From, fl.To, msgs)
		}
	}
	b, _ := json.Marshal(s.Stores)
	fmt.Println("stores", string(b))
}
