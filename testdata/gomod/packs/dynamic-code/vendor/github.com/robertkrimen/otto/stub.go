// Package otto stands in for github.com/robertkrimen/otto, vendored for the typed samples.
package otto

type Value struct{}

type Otto struct{}

func New() *Otto { return &Otto{} }

func (o *Otto) Run(src any) (Value, error) { return Value{}, nil }
