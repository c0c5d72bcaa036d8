package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestMain points the user cache directory at a temporary one: every scan in these tests
// runs an embedded server whose default store is there, and tests must not fill (or read)
// the cache of the user running them.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "glassbox-cli-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// The multi-process test runs `go build`, whose cache also defaults to the user cache
	// directory: keep it where it was, or the build starts from nothing.
	if os.Getenv("GOCACHE") == "" {
		if base, err := os.UserCacheDir(); err == nil {
			os.Setenv("GOCACHE", filepath.Join(base, "go-build"))
		}
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
