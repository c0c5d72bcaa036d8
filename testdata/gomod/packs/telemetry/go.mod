module example.com/telemetry

go 1.22

require (
	github.com/mitchellh/go-ps v1.0.0
	github.com/shirou/gopsutil/v3 v3.24.5
	golang.org/x/sys v0.49.0
)
