package sarif

import (
	"crypto/sha1"
	"fmt"
	"slices"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"glassbox/rules"
)

// A taxonomyKind is one external classification rules refer to by id.
type taxonomyKind struct {
	name, organization, informationURI, description string
	ids                                             func(*rules.Rule) []string
	taxonName                                       func(id string) string
	taxonURL                                        func(id string) string
}

// taxonomyKinds are the classifications glassbox reports, in the order of run.taxonomies.
var taxonomyKinds = []taxonomyKind{
	{
		name:           "MITRE ATT&CK",
		organization:   "MITRE",
		informationURI: "https://attack.mitre.org/",
		description:    "MITRE ATT&CK: adversary tactics and techniques based on real-world observations.",
		ids:            func(r *rules.Rule) []string { return r.Attack },
		taxonName:      rules.AttackName,
		taxonURL:       rules.AttackURL,
	},
	{
		name:           "CWE",
		organization:   "MITRE",
		informationURI: "https://cwe.mitre.org/",
		description:    "The MITRE Common Weakness Enumeration.",
		ids:            func(r *rules.Rule) []string { return r.CWE },
		taxonName:      rules.CWEName,
		taxonURL:       rules.CWEURL,
	},
}

// taxonomy is one toolComponent of run.taxonomies and where its taxa are.
type taxonomy struct {
	kind  *taxonomyKind
	index uint // in run.taxonomies
	guid  string
	comp  *sarif.ToolComponent
	taxon map[string]uint // id → index in comp.Taxa
}

// taxonomies are the classifications the scan's rules reference. A kind no rule references
// is left out: an empty taxonomy tells a reader nothing.
type taxonomies struct {
	list []*taxonomy
}

// newTaxonomies collects the taxa rs reference, sorted by id.
func newTaxonomies(rs []*rules.Rule) *taxonomies {
	tax := &taxonomies{}
	for i := range taxonomyKinds {
		k := &taxonomyKinds[i]
		var ids []string
		for _, r := range rs {
			ids = append(ids, k.ids(r)...)
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		if len(ids) == 0 {
			continue
		}
		tax.list = append(tax.list, newTaxonomy(k, uint(len(tax.list)), ids))
	}
	return tax
}

// newTaxonomy builds one taxonomy component from sorted, distinct ids.
func newTaxonomy(k *taxonomyKind, index uint, ids []string) *taxonomy {
	t := &taxonomy{kind: k, index: index, guid: nameGUID(k.name), taxon: map[string]uint{}}
	t.comp = &sarif.ToolComponent{
		Name:             k.name,
		Organization:     ptr(k.organization),
		InformationURI:   ptr(k.informationURI),
		GUID:             ptr(t.guid),
		Language:         ptr(language),
		ShortDescription: &sarif.MultiformatMessageString{Text: ptr(k.description)},
		Rules:            []*sarif.ReportingDescriptor{}, // not omitempty in go-sarif: [] rather than null
	}
	for i, id := range ids {
		name := k.taxonName(id)
		if name == "" {
			name = id // an id glassbox has no name for is still a valid reference
		}
		t.comp.Taxa = append(t.comp.Taxa, &sarif.ReportingDescriptor{
			ID:               id,
			Name:             ptr(name),
			ShortDescription: &sarif.MultiformatMessageString{Text: ptr(name)},
			HelpURI:          ptr(k.taxonURL(id)),
		})
		t.taxon[id] = uint(i)
	}
	return t
}

// components are run.taxonomies.
func (tax *taxonomies) components() []*sarif.ToolComponent {
	out := make([]*sarif.ToolComponent, len(tax.list))
	for i, t := range tax.list {
		out[i] = t.comp
	}
	return out
}

// references are tool.driver.supportedTaxonomies.
func (tax *taxonomies) references() []*sarif.ToolComponentReference {
	out := make([]*sarif.ToolComponentReference, len(tax.list))
	for i, t := range tax.list {
		out[i] = t.reference()
	}
	return out
}

// reference points at the taxonomy. go-sarif does not omit empty name, index or guid of a
// toolComponentReference, so all three are always set.
func (t *taxonomy) reference() *sarif.ToolComponentReference {
	return &sarif.ToolComponentReference{Name: ptr(t.kind.name), Index: ptr(t.index), Guid: ptr(t.guid)}
}

// relationships link r to each taxon it names, ATT&CK first, in the rule's own order. The
// rule is a "superset" of the taxon: it reports instances of that technique or weakness.
func (tax *taxonomies) relationships(r *rules.Rule) []*relationship {
	var out []*relationship
	for _, t := range tax.list {
		var seen []string
		for _, id := range t.kind.ids(r) {
			if slices.Contains(seen, id) {
				continue
			}
			seen = append(seen, id)
			out = append(out, &relationship{
				Target: &sarif.ReportingDescriptorReference{
					Id: ptr(id), Index: ptr(t.taxon[id]), ToolComponent: t.reference(),
				},
				Kinds: []string{"superset"},
			})
		}
	}
	return out
}

// guidNamespace is RFC 4122's URL namespace; names are hashed as "urn:glassbox:taxonomy:NAME".
var guidNamespace = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// nameGUID derives a version 5 (SHA-1, name-based) UUID from a taxonomy name: the same name
// gives the same GUID in every log, which is what lets consumers recognise the taxonomy
// across logs and tools, and keeps the output deterministic.
func nameGUID(name string) string {
	h := sha1.New()
	h.Write(guidNamespace[:])
	h.Write([]byte("urn:glassbox:taxonomy:" + name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
