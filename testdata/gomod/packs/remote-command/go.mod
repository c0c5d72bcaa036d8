module example.com/remote-command

go 1.22

require (
	github.com/gorilla/websocket v1.5.3
	golang.org/x/sys v0.49.0
)
