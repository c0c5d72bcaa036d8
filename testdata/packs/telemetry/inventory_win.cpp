// Telemetry samples in C++ (Windows): a "system inventory" module of an endpoint product —
// running processes, installed software from the registry, environment, directory listings,
// sample submission — and the look-alikes that keep host data local.
#include <windows.h>
#include <winsock2.h>
#include <wininet.h>
#include <winhttp.h>
#include <tlhelp32.h>
#include <psapi.h>
#include <wtsapi32.h>
#include <winternl.h>
#include <wincrypt.h>
#include <string>
#include <vector>
#include <sstream>
#include <algorithm>
#include <thread>

class InventoryReporter {
public:
    InventoryReporter(SOCKET s, HINTERNET req) : m_sock(s), m_req(req) {}
    void SendProcessSnapshot();
    void SendProcessNames();
    void SendSessionsProcesses();
    void SendInstalledSoftware();
    void SendMachineGuid();
    void SendProfileDirectory();
    void SubmitSample(const wchar_t *path);
    void SendHash(const wchar_t *path);
private:
    bool Write(const std::string &s);
    SOCKET m_sock;
    HINTERNET m_req;
    std::vector<std::wstring> m_procs;
};

static std::string ToUtf8(const std::wstring &w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w.c_str(), (int)w.size(), NULL, 0, NULL, NULL);
    std::string out(n, '\0');
    WideCharToMultiByte(CP_UTF8, 0, w.c_str(), (int)w.size(), &out[0], n, NULL, NULL);
    return out;
}

bool InventoryReporter::Write(const std::string &s)
{
    DWORD written = 0;
    return InternetWriteFile(m_req, s.data(), (DWORD)s.size(), &written) != FALSE; // want "telemetry/registry-upload" "telemetry/process-list-upload"
}

// ---- process lists --------------------------------------------------------------------

void InventoryReporter::SendProcessSnapshot()
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    PROCESSENTRY32W pe = { sizeof(pe) };
    if (Process32FirstW(snap, &pe)) {
        do {
            m_procs.push_back(pe.szExeFile);
        } while (Process32NextW(snap, &pe));
    }
    CloseHandle(snap);
    std::wstring joined;
    for (const auto &p : m_procs)
        joined += p + L";";
    Write(ToUtf8(joined));
}

void InventoryReporter::SendProcessNames()
{
    DWORD pids[1024], needed = 0;
    EnumProcesses(pids, sizeof pids, &needed);
    std::ostringstream out;
    for (DWORD i = 0; i < needed / sizeof(DWORD); ++i) {
        HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ, FALSE, pids[i]);
        if (!h)
            continue;
        char name[MAX_PATH] = "?";
        GetModuleBaseNameA(h, NULL, name, MAX_PATH);
        out << pids[i] << ":" << name << "\n";
        CloseHandle(h);
    }
    std::string body = out.str();
    send(m_sock, body.c_str(), (int)body.size(), 0); // want "telemetry/process-list-upload"
}

void InventoryReporter::SendSessionsProcesses()
{
    WTS_PROCESS_INFOW info[256];
    PWTS_PROCESS_INFOW list = info;
    DWORD count = 0;
    WTSEnumerateProcessesW(WTS_CURRENT_SERVER_HANDLE, 0, 1, &list, &count);
    for (DWORD i = 0; i < count; ++i) {
        std::string line = ToUtf8(list[i].pProcessName);
        send(m_sock, line.data(), (int)line.size(), 0); // want "telemetry/process-list-upload"
    }
    WTSFreeMemory(list);
}

// The undocumented native call, resolved by name and walked entry by entry.
typedef NTSTATUS (NTAPI *NtQSI_t)(ULONG, PVOID, ULONG, PULONG);

void SendNativeProcessList(SOCKET s)
{
    NtQSI_t query = (NtQSI_t)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQuerySystemInformation");
    static BYTE buf[1 << 20];
    ULONG ret = 0;
    query(SystemProcessInformation, buf, sizeof buf, &ret);
    std::wstring names;
    for (SYSTEM_PROCESS_INFORMATION *p = (SYSTEM_PROCESS_INFORMATION *)buf;; p = (SYSTEM_PROCESS_INFORMATION *)((BYTE *)p + p->NextEntryOffset)) {
        if (p->ImageName.Buffer)
            names.append(p->ImageName.Buffer, p->ImageName.Length / sizeof(WCHAR)).append(L"\n");
        if (!p->NextEntryOffset)
            break;
    }
    std::string body = ToUtf8(names);
    send(s, body.c_str(), (int)body.size(), 0); // want "telemetry/process-list-upload"
}

void SendImagePath(SOCKET s, DWORD pid)
{
    HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    wchar_t image[MAX_PATH];
    GetProcessImageFileNameW(h, image, MAX_PATH);
    CloseHandle(h);
    std::string path = ToUtf8(image);
    send(s, path.c_str(), (int)path.size(), 0); // want "telemetry/process-list-upload"
}

// ---- registry ---------------------------------------------------------------------------

void InventoryReporter::SendInstalledSoftware()
{
    HKEY root;
    RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall", 0, KEY_READ, &root);
    std::wstring report;
    wchar_t sub[256];
    for (DWORD i = 0;; ++i) {
        DWORD len = 256;
        if (RegEnumKeyExW(root, i, sub, &len, NULL, NULL, NULL, NULL) != ERROR_SUCCESS)
            break;
        HKEY app;
        if (RegOpenKeyExW(root, sub, 0, KEY_READ, &app) != ERROR_SUCCESS)
            continue;
        wchar_t name[512];
        DWORD cb = sizeof name, type = 0;
        RegQueryValueExW(app, L"DisplayName", NULL, &type, (LPBYTE)name, &cb);
        report += sub;
        report += L"=";
        report += name;
        report += L"\n";
        RegCloseKey(app);
    }
    RegCloseKey(root);
    Write(ToUtf8(report));
}

void InventoryReporter::SendMachineGuid()
{
    char guid[64];
    DWORD cb = sizeof guid;
    RegGetValueA(HKEY_LOCAL_MACHINE, "SOFTWARE\\Microsoft\\Cryptography", "MachineGuid", RRF_RT_REG_SZ, NULL, guid, &cb);
    char url[256];
    sprintf_s(url, sizeof url, "/v1/devices/%s/policy", guid);
    HINTERNET r = HttpOpenRequestA(m_req, "GET", url, NULL, NULL, NULL, INTERNET_FLAG_SECURE, 0); // want "telemetry/registry-upload"
    HttpSendRequestA(r, NULL, 0, NULL, 0); // ok: no body
}

void SendRunKeys(SOCKET s)
{
    HKEY run;
    RegOpenKeyExA(HKEY_CURRENT_USER, "Software\\Microsoft\\Windows\\CurrentVersion\\Run", 0, KEY_READ, &run);
    char value[256];
    BYTE data[1024];
    for (DWORD i = 0;; ++i) {
        DWORD vlen = sizeof value, dlen = sizeof data;
        if (RegEnumValueA(run, i, value, &vlen, NULL, NULL, data, &dlen) != ERROR_SUCCESS)
            break;
        send(s, (const char *)data, (int)dlen, 0); // want "telemetry/registry-upload"
    }
    RegCloseKey(run);
}

// Every profile SID on the machine, with the 16-bit era API.
void SendProfiles(SOCKET s)
{
    wchar_t sid[256];
    std::wstring all;
    for (DWORD i = 0; RegEnumKeyW(HKEY_USERS, i, sid, 256) == ERROR_SUCCESS; ++i)
        all += std::wstring(sid) + L";";
    std::string u = ToUtf8(all);
    sendto(s, u.data(), (int)u.size(), 0, NULL, 0); // want "telemetry/registry-upload"
}

void SendUploadSetting(SOCKET s)
{
    DWORD enabled = 0, cb = sizeof enabled;
    RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\AvCorp\\Agent", L"CloudUpload", RRF_RT_REG_DWORD, NULL, &enabled, &cb);
    if (enabled == 1)
        send(s, "UPLOAD ON\n", 10, 0); // ok: the setting only chose between two constants
    else
        send(s, "UPLOAD OFF\n", 11, 0); // ok: a constant
}

// The agent's own server address lives in the registry: it chooses where to connect, it is
// not what the agent reports.
void FetchPolicy(HINTERNET net)
{
    wchar_t server[512];
    DWORD cb = sizeof server;
    RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\AvCorp\\Agent", L"PolicyUrl", RRF_RT_REG_SZ, NULL, server, &cb);
    HINTERNET u = InternetOpenUrlW(net, server, NULL, 0, INTERNET_FLAG_SECURE, 0); // todo-ok "telemetry/registry-upload" the product's configured server URL is reported as an uploaded registry value
    InternetCloseHandle(u);
}

// ---- environment ----------------------------------------------------------------------

void SendProfile(SOCKET s)
{
    wchar_t domain[256];
    GetEnvironmentVariableW(L"USERDOMAIN", domain, 256);
    wchar_t profile[MAX_PATH];
    ExpandEnvironmentStringsW(L"%USERPROFILE%", profile, MAX_PATH);
    std::wstring msg = std::wstring(domain) + L"|" + profile;
    std::string u = ToUtf8(msg);
    send(s, u.c_str(), (int)u.size(), 0); // want "telemetry/environment-upload"
}

void SendEnvironmentBlock(HINTERNET req)
{
    LPWCH block = GetEnvironmentStringsW();
    std::wstring all;
    for (LPWCH p = block; *p; p += wcslen(p) + 1)
        all.append(p).append(L"\n");
    FreeEnvironmentStringsW(block);
    std::string body = ToUtf8(all);
    HttpSendRequestW(req, NULL, 0, (LPVOID)body.data(), (DWORD)body.size()); // want "telemetry/environment-upload"
}

void OpenTempLog(SOCKET s)
{
    wchar_t temp[MAX_PATH];
    GetEnvironmentVariableW(L"TEMP", temp, MAX_PATH);
    std::wstring path = std::wstring(temp) + L"\\avcorp-agent.log";
    HANDLE h = CreateFileW(path.c_str(), GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CloseHandle(h);
    send(s, "LOG OPEN\n", 9, 0); // ok: the variable only chose a local path
}

void ConfigureProxy()
{
    wchar_t proxy[256];
    if (GetEnvironmentVariableW(L"HTTPS_PROXY", proxy, 256))
        WinHttpOpen(L"AvCorp/4.2", WINHTTP_ACCESS_TYPE_NAMED_PROXY, proxy, WINHTTP_NO_PROXY_BYPASS, 0); // ok: proxy configuration is not an upload
}

// ---- directory listings ---------------------------------------------------------------

void InventoryReporter::SendProfileDirectory()
{
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW(L"C:\\Users\\*", &fd);
    std::vector<std::wstring> users;
    if (h != INVALID_HANDLE_VALUE) {
        do {
            if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
                users.emplace_back(fd.cFileName);
        } while (FindNextFileW(h, &fd));
        FindClose(h);
    }
    std::wstring joined;
    for (size_t i = 0; i < users.size(); ++i)
        joined += users[i] + L",";
    std::string body = ToUtf8(joined);
    send(m_sock, body.data(), (int)body.size(), 0); // want "telemetry/directory-listing-upload"
}

static void Walk(const std::wstring &dir, std::vector<std::wstring> &out, int depth)
{
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileExW((dir + L"\\*").c_str(), FindExInfoBasic, &fd, FindExSearchNameMatch, NULL, 0);
    if (h == INVALID_HANDLE_VALUE)
        return;
    do {
        std::wstring full = dir + L"\\" + fd.cFileName;
        out.push_back(full);
        if ((fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) && depth < 4 && fd.cFileName[0] != L'.')
            Walk(full, out, depth + 1);
    } while (FindNextFileW(h, &fd));
    FindClose(h);
}

void SendTree(HINTERNET req)
{
    std::vector<std::wstring> files;
    Walk(L"C:\\Users\\Public\\Documents", files, 0);
    std::wstring body;
    for (const std::wstring &f : files)
        body += f + L"\r\n";
    std::string b = ToUtf8(body);
    DWORD w = 0;
    InternetWriteFile(req, b.data(), (DWORD)b.size(), &w); // want "telemetry/directory-listing-upload"
}

// The newest file of a folder, found with one FindFirstFileExW call.
void SendFirstMatch(SOCKET s, const wchar_t *pattern)
{
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileExW(pattern, FindExInfoBasic, &fd, FindExSearchNameMatch, NULL, FIND_FIRST_EX_LARGE_FETCH);
    if (h == INVALID_HANDLE_VALUE)
        return;
    FindClose(h);
    std::string name = ToUtf8(fd.cFileName);
    send(s, name.c_str(), (int)name.size(), 0); // want "telemetry/directory-listing-upload"
}

// Names handed to a local lambda that sends each one.
void SendNamesViaLambda(SOCKET s, const char *pattern)
{
    auto emit = [&](const char *name) { send(s, name, (int)strlen(name), 0); }; // want "telemetry/directory-listing-upload"
    WIN32_FIND_DATAA fd;
    HANDLE h = FindFirstFileA(pattern, &fd);
    do {
        emit(fd.cFileName);
    } while (FindNextFileA(h, &fd));
    FindClose(h);
}

// The listing captured by a worker lambda on its own thread.
void SendListingAsync(SOCKET s)
{
    std::string listing;
    WIN32_FIND_DATAA fd;
    HANDLE h = FindFirstFileA("C:\\Users\\*\\Desktop\\*", &fd);
    do {
        listing += fd.cFileName;
        listing += '\n';
    } while (FindNextFileA(h, &fd));
    FindClose(h);
    std::thread worker([s, listing]() {
        send(s, listing.data(), (int)listing.size(), 0); // want "telemetry/directory-listing-upload"
    });
    worker.join();
}

void SendEachName(SOCKET s, const std::vector<std::string> &dirs)
{
    std::vector<std::string> names;
    for (size_t i = 0; i < dirs.size(); ++i) {
        WIN32_FIND_DATAA fd;
        HANDLE h = FindFirstFileA((dirs[i] + "\\*").c_str(), &fd);
        do {
            names.push_back(fd.cFileName);
        } while (FindNextFileA(h, &fd));
        FindClose(h);
    }
    std::for_each(names.begin(), names.end(), [s](const std::string &n) { send(s, n.data(), (int)n.size(), 0); }); // want "telemetry/directory-listing-upload"
}

enum Verdict { VERDICT_CLEAN, VERDICT_MALWARE };

static Verdict ScanOne(const wchar_t *path)
{
    return wcsstr(path, L".exe") ? VERDICT_MALWARE : VERDICT_CLEAN;
}

void ScanDirectory(SOCKET s, const wchar_t *pattern)
{
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW(pattern, &fd);
    int infected = 0;
    do {
        if (ScanOne(fd.cFileName) == VERDICT_MALWARE)
            ++infected;
    } while (FindNextFileW(h, &fd));
    FindClose(h);
    char msg[64];
    sprintf(msg, "SCAN DONE infected=%d\n", infected);
    send(s, msg, (int)strlen(msg), 0); // ok: only a verdict count leaves the machine
}

// Old logs are enumerated and deleted locally; only a constant is reported.
void PurgeOldLogs(SOCKET s)
{
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW(L"C:\\ProgramData\\AvCorp\\Logs\\*.log", &fd);
    if (h != INVALID_HANDLE_VALUE) {
        do {
            std::wstring path = std::wstring(L"C:\\ProgramData\\AvCorp\\Logs\\") + fd.cFileName;
            DeleteFileW(path.c_str());
        } while (FindNextFileW(h, &fd));
        FindClose(h);
    }
    send(s, "LOGS PURGED", 11, 0); // ok: the names were only used locally
}

// ---- file contents (sample submission) --------------------------------------------------

void InventoryReporter::SubmitSample(const wchar_t *path)
{
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    LARGE_INTEGER size;
    GetFileSizeEx(f, &size);
    std::vector<BYTE> data((size_t)size.QuadPart);
    DWORD got = 0;
    ReadFile(f, &data[0], (DWORD)data.size(), &got, NULL);
    CloseHandle(f);
    HttpSendRequestW(m_req, L"Content-Type: application/octet-stream", (DWORD)-1, &data[0], got); // want "telemetry/file-content-upload"
}

void SubmitMapped(HINTERNET req, const wchar_t *path)
{
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    HANDLE m = CreateFileMappingW(f, NULL, PAGE_READONLY, 0, 0, NULL);
    LPVOID view = MapViewOfFile(m, FILE_MAP_READ, 0, 0, 0);
    DWORD size = GetFileSize(f, NULL);
    DWORD w = 0;
    WinHttpWriteData(req, view, size, &w); // want "telemetry/file-content-upload"
    UnmapViewOfFile(view);
}

void SendHeader(SOCKET s, const wchar_t *path)
{
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    std::vector<BYTE> head(4096);
    DWORD got = 0;
    ReadFile(f, head.data(), (DWORD)head.size(), &got, NULL);
    CloseHandle(f);
    send(s, (const char *)head.data(), (int)got, 0); // want "telemetry/file-content-upload"
}

// A cloud lookup sends the SHA-256 of the file, computed by the product's own code.
static void Sha256(const BYTE *data, size_t n, BYTE digest[32])
{
    BYTE state[32] = {0};
    for (size_t i = 0; i < n; ++i)
        state[i % 32] ^= data[i];
    memcpy(digest, state, 32);
}

void InventoryReporter::SendHash(const wchar_t *path)
{
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    BYTE buf[65536];
    DWORD got = 0;
    ReadFile(f, buf, sizeof buf, &got, NULL);
    CloseHandle(f);
    BYTE digest[32];
    Sha256(buf, got, digest);
    send(m_sock, (const char *)digest, 32, 0); // todo-ok "telemetry/file-content-upload" a digest computed by the program's own hash function carries the taint of the whole file
}

void SendSizeOnly(SOCKET s, const wchar_t *path)
{
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    LARGE_INTEGER size;
    GetFileSizeEx(f, &size);
    CloseHandle(f);
    send(s, (const char *)&size, sizeof size, 0); // ok: the size, not the contents
}

void QuarantineLocally(const wchar_t *path)
{
    HANDLE in = CreateFileW(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    HANDLE out = CreateFileW(L"C:\\ProgramData\\AvCorp\\Quarantine\\q.bin", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    BYTE buf[4096];
    DWORD got = 0, put = 0;
    while (ReadFile(in, buf, sizeof buf, &got, NULL) && got)
        WriteFile(out, buf, got, &put, NULL); // ok: copied to a local quarantine, not sent
    CloseHandle(in);
    CloseHandle(out);
}

// ---- own process, not the process list --------------------------------------------------

void SendOwnPath(SOCKET s)
{
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    send(s, self, (int)strlen(self), 0); // ok: the agent's own image path is not the process list
}

void SendProcessCount(SOCKET s)
{
    DWORD pids[2048], needed = 0;
    EnumProcesses(pids, sizeof pids, &needed);
    DWORD count = needed / sizeof(DWORD);
    send(s, (const char *)&count, sizeof count, 0); // ok: how many processes run, from the byte count EnumProcesses returns, not the list
}

void CheckCompetitor(SOCKET s)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    PROCESSENTRY32 pe = { sizeof(pe) };
    bool found = false;
    for (BOOL ok = Process32First(snap, &pe); ok; ok = Process32Next(snap, &pe))
        if (_stricmp(pe.szExeFile, "othervendor.exe") == 0)
            found = true;
    CloseHandle(snap);
    send(s, found ? "CONFLICT" : "NOCONFLICT", found ? 8 : 10, 0); // ok: one constant or another
}

// ---- addresses and language, as a banking trojan's status report has them ----------------

void SendStatus(SOCKET s, SOCKET probe)
{
    char addresses[1024];
    DWORD got = 0;
    WSAIoctl(probe, SIO_ADDRESS_LIST_QUERY, NULL, 0, addresses, sizeof addresses, &got, NULL, NULL);
    LANGID lang = GetUserDefaultUILanguage();
    char report[2048];
    int n = _snprintf(report, sizeof report, "lang=%u&ips=", lang);
    memcpy(report + n, addresses, got);
    send(s, report, n + (int)got, 0); // want "telemetry/host-identity-upload"
}

void SendKeepAlive(SOCKET s, SOCKET probe)
{
    char unused[64];
    DWORD got = 0;
    WSAIoctl(probe, SIO_KEEPALIVE_VALS, NULL, 0, unused, sizeof unused, &got, NULL, NULL);
    send(s, unused, (int)got, 0); // ok: a keep-alive setting's answer, not the host's addresses
}
