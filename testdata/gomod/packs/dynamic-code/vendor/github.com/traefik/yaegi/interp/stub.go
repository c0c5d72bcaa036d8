// Package interp stands in for github.com/traefik/yaegi/interp, vendored for the typed samples.
package interp

type Options struct{}

type Interpreter struct{}

func New(o Options) *Interpreter { return &Interpreter{} }

func (i *Interpreter) Eval(src string) (any, error) { return nil, nil }
