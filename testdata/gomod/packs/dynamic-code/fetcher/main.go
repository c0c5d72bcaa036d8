// Annotated samples for the dynamic-code pack (Go): an agent that fetches components with
// download-to-file libraries and then runs or loads them.
package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"plugin"

	"github.com/cavaliergopher/grab/v3"
	getter "github.com/hashicorp/go-getter"
)

const mirror = "https://cdn.example-av.com/components/"

// installComponent downloads an installer with grab and runs it.
func installComponent(name string) error {
	dst := filepath.Join(os.TempDir(), name+".exe")
	if _, err := grab.Get(dst, mirror+name+".exe"); err != nil {
		return err
	}
	cmd := exec.Command(dst, "/quiet") // want "dynamic-code/downloaded-code-run"
	return cmd.Run()
}

// runFetched runs the file grab chose a name for.
func runFetched(url string) error {
	resp, err := grab.Get(os.TempDir(), url)
	if err != nil {
		return err
	}
	return exec.Command(resp.Filename).Start() // want "dynamic-code/downloaded-code-run"
}

// loadPlugin fetches a plugin with go-getter and opens it.
func loadPlugin(name string) (*plugin.Plugin, error) {
	dst := filepath.Join(os.Getenv("ProgramData"), "Vendor", "plugins", name+".so")
	if err := getter.GetFile(dst, mirror+name+".so"); err != nil {
		return nil, err
	}
	return plugin.Open(dst) // want "dynamic-code/downloaded-code-run"
}

// archiveOnly downloads a report template; it is never run or loaded.
func archiveOnly(name string) error {
	dst := filepath.Join(os.TempDir(), name+".html")
	if err := getter.GetFile(dst, mirror+name+".html"); err != nil {
		return err
	}
	cmd := exec.Command("notepad.exe", "readme.txt") // ok: the download is not what runs
	return cmd.Run()
}

// runLocal runs a program that ships with the product.
func runLocal() error {
	exe := filepath.Join(os.Getenv("ProgramFiles"), "Vendor", "scanner.exe")
	return exec.Command(exe, "--quick").Run() // ok: not downloaded
}
