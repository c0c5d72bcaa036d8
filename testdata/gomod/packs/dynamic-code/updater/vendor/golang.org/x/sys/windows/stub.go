// Package windows stands in for golang.org/x/sys/windows, vendored for the typed samples.
package windows

type Handle uintptr

type DataBlob struct {
	Size uint32
	Data *byte
}

type LazyDLL struct{ Name string }

type LazyProc struct{ Name string }

const (
	PROCESS_ALL_ACCESS     = 0x1F0FFF
	MEM_COMMIT             = 0x1000
	MEM_RESERVE            = 0x2000
	PAGE_READWRITE         = 0x04
	PAGE_EXECUTE_READ      = 0x20
	PAGE_EXECUTE_READWRITE = 0x40
	INFINITE               = 0xFFFFFFFF
)

func NewLazySystemDLL(name string) *LazyDLL { return &LazyDLL{Name: name} }

func (d *LazyDLL) NewProc(name string) *LazyProc { return &LazyProc{Name: name} }

func (p *LazyProc) Call(a ...uintptr) (r1, r2 uintptr, err error) { return 0, 0, nil }

func OpenProcess(access uint32, inherit bool, pid uint32) (Handle, error) { return 0, nil }

func CloseHandle(h Handle) error { return nil }

func VirtualAlloc(addr, size uintptr, alloctype, protect uint32) (uintptr, error) { return 0, nil }

func VirtualProtect(addr, size uintptr, newprotect uint32, oldprotect *uint32) error { return nil }

func WriteProcessMemory(process Handle, base uintptr, buffer *byte, size uintptr, written *uintptr) error {
	return nil
}

func WaitForSingleObject(h Handle, ms uint32) (uint32, error) { return 0, nil }

func LoadLibrary(name string) (Handle, error) { return 0, nil }

func FreeLibrary(h Handle) error { return nil }

func CryptUnprotectData(in *DataBlob, name **uint16, entropy *DataBlob, reserved uintptr, prompt *uintptr, flags uint32, out *DataBlob) error {
	return nil
}
