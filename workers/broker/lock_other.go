//go:build !unix

package broker

// lockDir cannot lock on this platform, so every scan gets a temporary store: slower
// re-scans, but never two servers writing one store.
func lockDir(string) (func(), error) { return nil, ErrStoreBusy }
