// Command glassbox reviews antivirus and endpoint-security source code for telemetry upload
// paths and hidden remote commands, and writes what it finds as SARIF 2.1.0 (or text, or
// JSON).
//
//	glassbox scan PATH [-o FILE] [--format sarif|text|json] [--fail-on error|warning|note|none]
//	glassbox worker --nats URL [--concurrency N]
//	glassbox rules list | show ID | test PATH...
//	glassbox version
//
// Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or analysis error.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }
