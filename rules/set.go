package rules

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// Set is the rules of one scan: packs whose rule ids are unique across all of them.
type Set struct {
	Packs []*Pack
	rules []*Rule
	byID  map[string]*Rule
}

// NewSet joins packs. A rule id defined twice, in one pack or two, is an error naming both.
func NewSet(packs ...*Pack) (*Set, error) {
	s := &Set{Packs: packs, byID: map[string]*Rule{}}
	var all Error
	for _, p := range packs {
		for _, r := range p.Rules {
			if first, dup := s.byID[r.ID]; dup {
				all.Problems = append(all.Problems, Problem{File: p.File, Line: r.Line, Rule: r.ID,
					Msg: fmt.Sprintf("duplicate rule id (also defined at %s:%d)", first.Pack.File, first.Line)})
				continue
			}
			s.byID[r.ID] = r
			s.rules = append(s.rules, r)
		}
	}
	if len(all.Problems) > 0 {
		return nil, &all
	}
	slices.SortFunc(s.rules, func(a, b *Rule) int { return cmp.Compare(a.ID, b.ID) })
	return s, nil
}

// Rules returns every rule, sorted by id.
func (s *Set) Rules() []*Rule { return s.rules }

// Rule returns the rule with id, or nil.
func (s *Set) Rule(id string) *Rule { return s.byID[id] }

// Select keeps only the named packs, and every library pack (a pack with a library and no
// rules, such as the built-in dataflow): the taint rules of the packs kept depend on the
// models libraries give, so selecting rules must not change what they find. An unknown name
// is an error that lists the known ones.
func (s *Set) Select(names []string) (*Set, error) {
	if len(names) == 0 {
		return s, nil
	}
	var keep []*Pack
	for _, p := range s.Packs {
		if p.Library != nil && len(p.Rules) == 0 {
			keep = append(keep, p)
		}
	}
	for _, name := range names {
		i := slices.IndexFunc(s.Packs, func(p *Pack) bool { return p.Name == name })
		if i < 0 {
			known := make([]string, len(s.Packs))
			for j, p := range s.Packs {
				known[j] = p.Name
			}
			return nil, fmt.Errorf("%w: no pack named %q (loaded: %s)", ErrInvalid, name, strings.Join(known, ", "))
		}
		if !slices.Contains(keep, s.Packs[i]) {
			keep = append(keep, s.Packs[i])
		}
	}
	return NewSet(keep...)
}

// Digest names the set's content: the same packs give the same digest whatever their order,
// so it can key caches of per-file results.
func (s *Set) Digest() string {
	ds := make([]string, len(s.Packs))
	for i, p := range s.Packs {
		ds[i] = p.Digest
	}
	slices.Sort(ds)
	sum := sha256.Sum256([]byte(strings.Join(ds, "\n")))
	return hex.EncodeToString(sum[:])
}
