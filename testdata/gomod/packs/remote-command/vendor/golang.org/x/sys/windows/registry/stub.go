// Package registry stands in for golang.org/x/sys/windows/registry, vendored for the typed
// samples.
package registry

type Key uintptr

const (
	CURRENT_USER       Key = 0x80000001
	LOCAL_MACHINE      Key = 0x80000002
	QUERY_VALUE            = 0x0001
	SET_VALUE              = 0x0002
	ENUMERATE_SUB_KEYS     = 0x0008
	READ                   = 0x20019
)

func OpenKey(k Key, path string, access uint32) (Key, error) { return 0, nil }

func CreateKey(k Key, path string, access uint32) (Key, bool, error) { return 0, false, nil }

func (k Key) Close() error { return nil }

func (k Key) GetStringValue(name string) (string, uint32, error) { return "", 0, nil }

func (k Key) GetIntegerValue(name string) (uint64, uint32, error) { return 0, 0, nil }

func (k Key) ReadValueNames(n int) ([]string, error) { return nil, nil }

func (k Key) ReadSubKeyNames(n int) ([]string, error) { return nil, nil }

func (k Key) SetStringValue(name, value string) error { return nil }

func (k Key) SetDWordValue(name string, value uint32) error { return nil }
