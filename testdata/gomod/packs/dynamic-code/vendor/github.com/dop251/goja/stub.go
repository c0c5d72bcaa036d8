// Package goja stands in for github.com/dop251/goja, vendored for the typed samples.
package goja

type Value interface{}

type Runtime struct{}

func New() *Runtime { return &Runtime{} }

func (r *Runtime) RunString(src string) (Value, error) { return nil, nil }

func (r *Runtime) Set(name string, v any) error { return nil }
