// Package bench measures glassbox's throughput on a generated C/C++ corpus shaped like
// Windows-era security code: classes in headers, wrapper macros, Win32 and socket calls,
// string tables and the odd #ifdef split the parser cannot follow. The corpus is generated
// from a fixed seed, so runs compare like with like; the benchmarks live in bench_test.go.
package bench

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// apis are what generated functions call: network sends, file and registry reads, process
// calls and plain helpers, so rules have something to match and most calls match nothing.
var apis = []string{
	"send(s, buf, len, 0)", "recv(s, buf, sizeof(buf), 0)", "WinHttpSendRequest(h, NULL, 0, buf, len, len, 0)",
	"ReadFile(h, buf, len, &got, NULL)", "RegQueryValueExW(key, L\"Path\", NULL, NULL, (LPBYTE)buf, &len)",
	"CreateProcessW(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)", "memcpy(dst, src, len)",
	"strncpy(dst, src, len)", "sprintf(buf, \"%s:%d\", host, port)", "CWA(kernel32, CloseHandle)(h)",
	"log_debug(\"state %d\", state)", "helper_%d(ctx, len)", "m_queue.push_back(item)", "free(buf)",
}

// Generate writes a corpus of about size bytes under dir: .c, .cpp and .h files of roughly
// 8–40 KiB each, and returns the total bytes written.
func Generate(dir string, size int64) (int64, error) {
	rng := rand.New(rand.NewPCG(1, 2))
	var total int64
	for i := 0; total < size; i++ {
		name, body := file(rng, i)
		p := filepath.Join(dir, fmt.Sprintf("mod%03d", i/20), name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return total, err
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return total, err
		}
		total += int64(len(body))
	}
	return total, nil
}

func file(rng *rand.Rand, i int) (string, string) {
	var b strings.Builder
	b.WriteString("// Generated benchmark source.\n#include <windows.h>\n#include \"common.h\"\n\n")
	b.WriteString("#define CWA(dll, api) api\n#define CHECK(x) do { if (!(x)) goto fail; } while (0)\n\n")
	switch i % 3 {
	case 0:
		fmt.Fprintf(&b, "static const char *endpoints_%d[] = {\n", i)
		for j := 0; j < 8; j++ {
			fmt.Fprintf(&b, "    \"https://svc%d.bench-corp.net/api/v%d\", \"10.%d.%d.1\", \"config_%d.ini\",\n", j, j, i%250, j, j)
		}
		b.WriteString("};\n\n")
		for f := 0; f < 20+rng.IntN(60); f++ {
			function(&b, rng, fmt.Sprintf("fn_%d_%d", i, f), "")
		}
		return fmt.Sprintf("file%d.c", i), b.String()
	case 1:
		cls := fmt.Sprintf("Agent%d", i)
		fmt.Fprintf(&b, "class %s : public Base {\npublic:\n    %s();\n    virtual ~%s();\n", cls, cls, cls)
		for f := 0; f < 10; f++ {
			fmt.Fprintf(&b, "    int Method%d(const std::string &arg, size_t len);\n", f)
		}
		b.WriteString("private:\n    std::vector<std::string> m_queue;\n    SOCKET m_socket;\n};\n\n")
		return fmt.Sprintf("agent%d.h", i), b.String()
	default:
		fmt.Fprintf(&b, "namespace bench {\n\n")
		for f := 0; f < 20+rng.IntN(60); f++ {
			function(&b, rng, fmt.Sprintf("Agent%d::Method%d", i-1, f), "#ifdef LEGACY\n")
		}
		b.WriteString("} // namespace bench\n")
		return fmt.Sprintf("agent%d.cpp", i), b.String()
	}
}

func function(b *strings.Builder, rng *rand.Rand, name, split string) {
	fmt.Fprintf(b, "int %s(void *ctx, size_t len)\n{\n    char buf[512];\n    int state = 0;\n", name)
	for s := 0; s < 4+rng.IntN(16); s++ {
		call := apis[rng.IntN(len(apis))]
		if strings.Contains(call, "%d") {
			call = fmt.Sprintf(call, rng.IntN(100))
		}
		switch rng.IntN(5) {
		case 0:
			fmt.Fprintf(b, "    if (state > %d) {\n        CHECK(%s);\n    }\n", rng.IntN(10), call)
		case 1:
			fmt.Fprintf(b, "    for (int i = 0; i < %d; i++) { state += %s; }\n", rng.IntN(64), call)
		case 2:
			if split != "" && rng.IntN(4) == 0 {
				fmt.Fprintf(b, "%s    if (%s) {\n#else\n    if (state) {\n#endif\n        state++;\n    }\n", split, call)
				continue
			}
			fallthrough
		default:
			fmt.Fprintf(b, "    state = %s;\n", call)
		}
	}
	b.WriteString("    return state;\nfail:\n    return -1;\n}\n\n")
}
