// Package windows stands in for golang.org/x/sys/windows.
package windows

// Handle is a Windows handle.
type Handle uintptr

// PROCESS_ALL_ACCESS and the page protections are the constants the samples use.
const (
	PROCESS_ALL_ACCESS     = 0x1F0FFF
	PAGE_EXECUTE_READ      = 0x20
	PAGE_EXECUTE_READWRITE = 0x40
)

// OpenProcess opens a process.
func OpenProcess(access uint32, inherit bool, pid uint32) (Handle, error) { return 0, nil }

// WriteProcessMemory writes into another process.
func WriteProcessMemory(process Handle, base uintptr, buffer *byte, size uintptr, written *uintptr) error {
	return nil
}

// VirtualProtect changes a page's protection.
func VirtualProtect(addr uintptr, size uintptr, prot uint32, old *uint32) error { return nil }
