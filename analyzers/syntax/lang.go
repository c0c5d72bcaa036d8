package syntax

import (
	"sync"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/c"
	"github.com/smacker/go-tree-sitter/cpp"
	"github.com/smacker/go-tree-sitter/golang"

	"glassbox/analyzers/source"
)

// language holds a grammar with its node type and field names, read once so that a node's
// type is a slice lookup rather than a cgo call.
type language struct {
	grammar  *sitter.Language
	kinds    []string
	fields   []string // by field id; id 0 is "no field"
	fieldBy  map[string]uint16
	roleOnce sync.Once
	roleOf   []role // by symbol
}

var languages = map[source.Lang]*language{
	source.C:   newLanguage(c.GetLanguage()),
	source.CPP: newLanguage(cpp.GetLanguage()),
	source.Go:  newLanguage(golang.GetLanguage()),
}

func newLanguage(g *sitter.Language) *language {
	l := &language{grammar: g, fields: []string{""}, fieldBy: map[string]uint16{}}
	for s := uint32(0); s < g.SymbolCount(); s++ {
		l.kinds = append(l.kinds, g.SymbolName(sitter.Symbol(s)))
	}
	for id := 1; id < 1<<16; id++ {
		name := g.FieldName(id)
		if name == "" {
			break
		}
		l.fields = append(l.fields, name)
		l.fieldBy[name] = uint16(id)
	}
	return l
}

func (l *language) kind(s uint16) string {
	if s == errorSymbol {
		return "ERROR"
	}
	if int(s) < len(l.kinds) {
		return l.kinds[s]
	}
	return ""
}

func (l *language) field(id uint16) string {
	if int(id) < len(l.fields) {
		return l.fields[id]
	}
	return ""
}

func (l *language) fieldID(name string) uint16 { return l.fieldBy[name] }

// Grammar returns the tree-sitter grammar of a language, or nil for an unknown one.
func Grammar(l source.Lang) *sitter.Language {
	if lang := languages[l]; lang != nil {
		return lang.grammar
	}
	return nil
}
