// Package grab stands in for github.com/cavaliergopher/grab/v3, vendored for the typed samples.
package grab

type Response struct{ Filename string }

func Get(dst, url string) (*Response, error) { return &Response{Filename: dst}, nil }
