package rules

import (
	"strings"

	"glassbox/analyzers/source"
)

// NameTable maps callee names to values (rules, models) and finds what a call's names match,
// with the semantics every rule kind shares. Plain C names and Go names match exactly. A C++
// qualified name matches a table name when one is a "::"-segment suffix of the other: code
// written under `using namespace boost::asio` calls `ip::tcp::socket::connect`, and a rule
// may name either form. A NameTable is safe for concurrent lookups once built.
type NameTable[T any] struct {
	exact     map[nameKey][]nameEntry[T]
	qualified map[nameKey][]nameEntry[T] // keyed by the last two segments
}

type nameKey struct {
	lang source.Lang
	name string
}

type nameEntry[T any] struct {
	name string
	v    T
}

// Add records v under callee c, in each of its languages.
func (t *NameTable[T]) Add(c Callee, v T) {
	if t.exact == nil {
		t.exact, t.qualified = map[nameKey][]nameEntry[T]{}, map[nameKey][]nameEntry[T]{}
	}
	for _, l := range c.Langs {
		if l == source.CPP && strings.Contains(c.Name, "::") {
			k := nameKey{l, lastTwo(c.Name)}
			t.qualified[k] = append(t.qualified[k], nameEntry[T]{c.Name, v})
			continue
		}
		k := nameKey{l, c.Name}
		t.exact[k] = append(t.exact[k], nameEntry[T]{c.Name, v})
	}
}

// Empty reports whether nothing was added.
func (t *NameTable[T]) Empty() bool { return len(t.exact) == 0 && len(t.qualified) == 0 }

// Lookup calls fn for every value whose name matches one of names (a call's names, most
// specific first), with the table name that matched. A value added under several names may
// be reported more than once.
func (t *NameTable[T]) Lookup(lang source.Lang, names []string, fn func(name string, v T)) {
	for _, name := range names {
		if !strings.Contains(name, "::") {
			for _, e := range t.exact[nameKey{lang, name}] {
				fn(e.name, e.v)
			}
			continue
		}
		for _, e := range t.qualified[nameKey{lang, lastTwo(name)}] {
			if segmentSuffix(name, e.name) || segmentSuffix(e.name, name) {
				fn(e.name, e.v)
			}
		}
	}
}

func lastTwo(name string) string {
	parts := strings.Split(name, "::")
	if len(parts) < 2 {
		return name
	}
	return parts[len(parts)-2] + "::" + parts[len(parts)-1]
}

// segmentSuffix reports whether short is long or a "::"-segment suffix of it.
func segmentSuffix(long, short string) bool {
	return long == short || strings.HasSuffix(long, "::"+short)
}
