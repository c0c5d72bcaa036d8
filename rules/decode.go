package rules

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"glassbox/analyzers/deobf"
)

func (v *validator) decode(raw *rawDecode, r *Rule, n *yaml.Node) *Decode {
	line := lineOf(n, r.Line)
	d := &Decode{Techniques: raw.Techniques, Endpoints: raw.Endpoints}
	if d.Endpoints == "" {
		d.Endpoints = "any"
	}
	if !slices.Contains([]string{"any", "only", "exclude"}, d.Endpoints) {
		v.ps.add(lineOf(child(n, "endpoints"), line), r.ID, "decode: endpoints: want any, only or exclude, got %q", d.Endpoints)
	}
	if len(d.Techniques) == 0 {
		v.ps.add(line, r.ID, "decode: techniques: name at least one of %s", strings.Join(deobf.Techniques, ", "))
	}
	for _, t := range d.Techniques {
		if !slices.Contains(deobf.Techniques, t) {
			v.ps.add(lineOf(child(n, "techniques"), line), r.ID, "decode: unknown technique %q (known: %s)", t, strings.Join(deobf.Techniques, ", "))
		}
	}
	if len(raw.Decoders) > 0 {
		d.Decoders, _ = v.callees(raw.Decoders, nil, "", "decode", "decoders", r, n)
	}
	return d
}
