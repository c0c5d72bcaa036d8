module example.com/telemetry/spy

go 1.22

require (
	github.com/atotto/clipboard v0.1.4
	github.com/danieljoos/wincred v1.2.1
	github.com/gorilla/websocket v1.5.3
	github.com/kbinani/screenshot v0.0.0-20230812210009-b87d31814237
	golang.design/x/clipboard v0.7.0
	golang.org/x/sys v0.49.0
)
