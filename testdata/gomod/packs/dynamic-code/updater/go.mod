module example.com/dynamic-code/updater

go 1.22

require (
	golang.org/x/sys v0.49.0
)
