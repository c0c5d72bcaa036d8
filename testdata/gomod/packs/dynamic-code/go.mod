module example.com/dynamic-code

go 1.22

require (
	github.com/cavaliergopher/grab/v3 v3.0.1
	github.com/dop251/goja v0.0.0-20240220182346-e401ed450204
	github.com/expr-lang/expr v1.16.9
	github.com/hashicorp/go-getter v1.7.5
	github.com/robertkrimen/otto v0.4.0
	github.com/traefik/yaegi v0.16.1
	github.com/yuin/gopher-lua v1.1.1
)
