// Package getter stands in for github.com/hashicorp/go-getter, vendored for the typed samples.
package getter

func GetFile(dst, src string) error { return nil }
