// Annotated samples for the dynamic-code pack (Go): a self-updater and a plugin loader that
// download files and then run or load them.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"plugin"
	"syscall"

	"golang.org/x/sys/windows"
)

const updateURL = "https://updates.example-av.com/agent/latest.exe"

// download saves a URL to a file and returns its path.
func download(url, dest string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	f, err := os.Create(dest)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := io.Copy(f, resp.Body); err != nil {
		return "", err
	}
	return dest, nil
}

// selfUpdate downloads the new build and starts it without checking a signature.
func selfUpdate() error {
	path, err := download(updateURL, filepath.Join(os.TempDir(), "agent-update.exe"))
	if err != nil {
		return err
	}
	return exec.Command(path, "/S", "/norestart").Start() // todo "dynamic-code/downloaded-code-run" the file is written through the handle os.Create returned (io.Copy(f, resp.Body)): glassbox does not tie bytes written through a handle back to the path it was opened from
}

// loadModule fetches a Go plugin and opens it.
func loadModule(name string) error {
	dest := filepath.Join(os.TempDir(), name+".so")
	resp, err := http.Get("https://modules.example-av.com/" + name + ".so")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	f, _ := os.Create(dest)
	io.Copy(f, resp.Body)
	f.Close()
	p, err := plugin.Open(dest) // todo "dynamic-code/downloaded-code-run" the same handle
	if err != nil {
		return err
	}
	run, err := p.Lookup("Run")
	if err != nil {
		return err
	}
	run.(func())()
	return nil
}

// loadDLL fetches a DLL and loads it with x/sys/windows.
func loadDLL() error {
	dll := filepath.Join(os.Getenv("ProgramData"), "Vendor", "engine.dll")
	if _, err := download("https://updates.example-av.com/engine.dll", dll); err != nil {
		return err
	}
	h, err := windows.LoadLibrary(dll) // todo "dynamic-code/downloaded-code-run" the same handle, inside download
	if err != nil {
		return err
	}
	defer windows.FreeLibrary(h)
	d, err := syscall.LoadDLL(dll) // todo "dynamic-code/downloaded-code-run" the same handle, inside download
	if err != nil {
		return err
	}
	return d.Release()
}

// verify hashes a downloaded file; nothing is run.
func verify(path, want string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	h := sha256.New()
	io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)) == want
}

// fetchDefinitions downloads a data file that is only stored.
func fetchDefinitions() error {
	_, err := download("https://updates.example-av.com/defs/daily.cvd", `C:\ProgramData\Vendor\defs\daily.cvd`)
	if err == nil && verify(`C:\ProgramData\Vendor\defs\daily.cvd`, "9f2c") {
		fmt.Println("definitions updated")
	}
	return err
}

// restartService runs a fixed, installed program after an update.
func restartService() error {
	return exec.Command(`C:\Program Files\Vendor\agentctl.exe`, "restart").Run() // ok: an installed program, nothing downloaded
}

// runTool runs a tool named on the command line.
func runTool() error {
	if len(os.Args) < 2 {
		return nil
	}
	return exec.Command(os.Args[1]).Run() // ok: a local argument, not a downloaded file
}

// loadBundled loads a plugin shipped next to the binary.
func loadBundled() error {
	exe, _ := os.Executable()
	_, err := plugin.Open(filepath.Join(filepath.Dir(exe), "plugins", "scan.so")) // ok: a bundled plugin
	return err
}

func main() {
	fetchDefinitions()
	selfUpdate()
	loadModule("netmon")
	loadDLL()
	restartService()
	runTool()
	loadBundled()
}
