package syntax

import (
	"fmt"
	"slices"
	"testing"

	"glassbox/analyzers/source"
)

func TestClasses(t *testing.T) {
	src := "class ITransport { virtual bool Send() = 0; };\n" +
		"class Https : public ITransport, private detail::Base, public Mixin<Https> { bool Send() override; };\n" +
		"struct Plain { int a; };"
	var got []string
	for _, c := range parse(t, source.CPP, src).Classes() {
		got = append(got, fmt.Sprintf("%s:%v", c.Name, c.Bases))
	}
	want := []string{"Https:[ITransport detail::Base Mixin]"}
	if !slices.Equal(got, want) {
		t.Errorf("Classes = %q, want %q", got, want)
	}
}

func TestMembers(t *testing.T) {
	tests := []struct {
		name, lang, src string
		want            []string
	}{
		{"cpp fields, not methods", "cpp",
			"class Link { public: void Announce(); private: QTcpSocket *m_sock; std::unique_ptr<Uploader> m_up; int a, *b; unsigned long n; };",
			[]string{"Link.m_sock QTcpSocket", "Link.m_up Uploader", "Link.a int", "Link.b int", "Link.n "}},
		{"cpp struct", "cpp", "struct Info { std::string host; };", []string{"Info.host std::string"}},
		{"c has no members to resolve", "c", "struct Info { char host[64]; };", nil},
		{"go struct fields", "go",
			"package p\nimport \"net\"\ntype Agent struct { conn net.Conn; id, host string; *Embedded }\ntype ID string",
			[]string{"Agent.conn net.Conn", "Agent.id string", "Agent.host string"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, m := range parse(t, source.Lang(tc.lang), tc.src).Members() {
				got = append(got, fmt.Sprintf("%s.%s %s", m.Owner, m.Field, m.Type))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Members = %q, want %q", got, tc.want)
			}
		})
	}
}
