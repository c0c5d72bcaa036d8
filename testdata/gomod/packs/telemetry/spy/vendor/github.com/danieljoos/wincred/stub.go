// Package wincred stands in for github.com/danieljoos/wincred, vendored for the typed samples.
package wincred

type Credential struct {
	TargetName     string
	UserName       string
	CredentialBlob []byte
}

func List() ([]*Credential, error) { return nil, nil }
