package taintssa

import (
	"go/token"
	"go/types"
	"testing"
)

func TestSplitMethod(t *testing.T) {
	tests := []struct {
		name, pkg, typ, method string
		ok                     bool
	}{
		{"net.Conn.Write", "net", "Conn", "Write", true},
		{"net/http.Client.Do", "net/http", "Client", "Do", true},
		{"github.com/gorilla/websocket.Conn.WriteMessage", "github.com/gorilla/websocket", "Conn", "WriteMessage", true},
		{"os.Hostname", "", "", "", false},
		{"*.Write", "", "", "", false},
	}
	for _, tt := range tests {
		pkg, typ, method, ok := splitMethod(tt.name)
		if pkg != tt.pkg || typ != tt.typ || method != tt.method || ok != tt.ok {
			t.Errorf("splitMethod(%q) = %q, %q, %q, %v", tt.name, pkg, typ, method, ok)
		}
	}
}

func TestTypeName(t *testing.T) {
	pkg := types.NewPackage("example.com/agent/transport", "transport")
	named := types.NewNamed(types.NewTypeName(token.NoPos, pkg, "Client", nil), types.NewStruct(nil, nil), nil)
	tests := []struct {
		t    types.Type
		want string
	}{
		{named, "example.com/agent/transport.Client"},
		{types.NewPointer(named), "example.com/agent/transport.Client"},
		{types.Typ[types.String], ""},
		{types.NewSlice(named), ""},
		{types.Universe.Lookup("error").Type(), ""},
	}
	for _, tt := range tests {
		if got := typeName(tt.t); got != tt.want {
			t.Errorf("typeName(%s) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestHubName(t *testing.T) {
	tests := []struct{ key, want string }{
		{"example.com/agent/transport.Client.conn", "Client.conn"},
		{"example.com/agent.found", "found"},
		{"main.Implant.host", "Implant.host"},
		{"a.{/src/a/a.go:12:3}.Path", "Path"},
	}
	for _, tt := range tests {
		if got := hubName(tt.key); got != tt.want {
			t.Errorf("hubName(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

func TestValueRoot(t *testing.T) {
	tests := []struct{ value, want string }{
		{"cmd", "cmd"},
		{"f[0]", "f"},
		{"t.Verb", "t"},
		{`q.Get("action")`, "q"},
		{"strings.TrimSpace(line)", "strings"},
		{"*p", "p"},
	}
	for _, tt := range tests {
		if got := valueRoot(tt.value); got != tt.want {
			t.Errorf("valueRoot(%q) = %q, want %q", tt.value, got, tt.want)
		}
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct{ label, verb, api, want string }{
		{"host name", "read by", "os.Hostname", "host name read by os.Hostname"},
		{"file downloaded by {api}", "read by", "URLDownloadToFile", "file downloaded by URLDownloadToFile"},
		{"sent", "by", "net.Conn.Write", "sent by net.Conn.Write"},
	}
	for _, tt := range tests {
		if got := describe(tt.label, tt.verb, tt.api); got != tt.want {
			t.Errorf("describe(%q, %q, %q) = %q, want %q", tt.label, tt.verb, tt.api, got, tt.want)
		}
	}
}

func TestDocOf(t *testing.T) {
	src := "// Package x defines an Analyzer.\n//\n// # Analyzer x\n//\n// x: report things\n//\n// More words.\npackage x\n"
	if got, want := DocOf(src), "x: report things\n\nMore words."; got != want {
		t.Errorf("DocOf = %q, want %q", got, want)
	}
}
