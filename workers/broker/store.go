package broker

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrStoreBusy means another glassbox process holds the store directory's lock.
var ErrStoreBusy = errors.New("broker: the store directory is in use by another glassbox process")

// Store is the directory the embedded server keeps JetStream in, held for one process.
type Store struct {
	// Dir is the JetStream store directory.
	Dir string
	// Shared is true when Dir is the persistent cache directory, false when it is a
	// temporary directory that Release removes.
	Shared bool
	unlock func()
}

// OpenStore returns the JetStream store under cacheDir ("" for none): cacheDir/jetstream,
// locked for this process. When cacheDir is "", or another process holds its lock (two scans
// at once on one machine), it returns a fresh temporary directory instead, so the second scan
// runs with a cold cache rather than corrupting the first's store; busy tells which case
// it was. Release must be called when the server has shut down.
func OpenStore(cacheDir string) (s *Store, busy bool, err error) {
	if cacheDir != "" {
		dir := filepath.Join(cacheDir, "jetstream")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, false, fmt.Errorf("broker: cache directory: %w", err)
		}
		unlock, err := lockDir(filepath.Join(cacheDir, "lock"))
		switch {
		case err == nil:
			return &Store{Dir: dir, Shared: true, unlock: unlock}, false, nil
		case !errors.Is(err, ErrStoreBusy):
			return nil, false, err
		}
		busy = true
	}
	dir, err := os.MkdirTemp("", "glassbox-store-")
	if err != nil {
		return nil, busy, fmt.Errorf("broker: temporary store: %w", err)
	}
	return &Store{Dir: dir, unlock: func() { os.RemoveAll(dir) }}, busy, nil
}

// Release unlocks a shared store, or removes a temporary one.
func (s *Store) Release() { s.unlock() }
