// Remote-collection samples in C++: the server names a file, folder or pattern, and what the
// agent reads there is sent back — the "get file" command of every RAT, and of some incident
// response agents. Paths that are not chosen by the server, or reads that are not sent back,
// must not match.
#include <windows.h>
#include <winsock2.h>
#include <winhttp.h>
#include <openssl/ssl.h>
#include <curl/curl.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

static std::wstring Widen(const char *s)
{
    wchar_t w[MAX_PATH];
    MultiByteToWideChar(CP_UTF8, 0, s, -1, w, MAX_PATH);
    return w;
}

// ---- a path received on a socket, read with ReadFile, sent back ---------------------------

class FileService {
public:
    explicit FileService(SOCKET s) : m_sock(s) {}
    void HandleGet();
    void HandleList();
    void HandleStat();
    void HandleScan();
private:
    bool SendChunk(const void *data, int n);
    SOCKET m_sock;
};

bool FileService::SendChunk(const void *data, int n)
{
    return send(m_sock, (const char *)data, n, 0) == n;
}

void FileService::HandleGet()
{
    char path[MAX_PATH];
    int n = recv(m_sock, path, sizeof path - 1, 0);
    if (n <= 0)
        return;
    path[n] = 0;
    std::wstring wpath = Widen(path);
    HANDLE f = CreateFileW(wpath.c_str(), GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL); // want "remote-collection/server-chosen-path"
    BYTE chunk[8192];
    DWORD got = 0;
    while (ReadFile(f, chunk, sizeof chunk, &got, NULL) && got)
        SendChunk(chunk, (int)got);
    CloseHandle(f);
}

// The server sends a wildcard; the names found are sent back.
void FileService::HandleList()
{
    char pattern[MAX_PATH];
    recv(m_sock, pattern, sizeof pattern, 0);
    WIN32_FIND_DATAA fd;
    HANDLE h = FindFirstFileA(pattern, &fd); // want "remote-collection/server-chosen-path"
    if (h == INVALID_HANDLE_VALUE)
        return;
    std::string listing;
    do {
        listing += fd.cFileName;
        listing += "\r\n";
    } while (FindNextFileA(h, &fd));
    FindClose(h);
    send(m_sock, listing.data(), (int)listing.size(), 0);
}

// ---- must not match: opened at the server's request, but nothing read is sent -------------

void FileService::HandleStat()
{
    char path[MAX_PATH];
    recv(m_sock, path, sizeof path, 0);
    HANDLE f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL); // ok: only the size is reported
    LARGE_INTEGER size;
    GetFileSizeEx(f, &size);
    CloseHandle(f);
    send(m_sock, (const char *)&size, sizeof size, 0);
}

enum { CLEAN = 0, INFECTED = 1 };

static int MatchSignatures(const BYTE *buf, DWORD n)
{
    for (DWORD i = 0; i + 4 <= n; ++i)
        if (memcmp(buf + i, "\xEB\xFE\x90\x90", 4) == 0)
            return INFECTED;
    return CLEAN;
}

void FileService::HandleScan()
{
    char path[MAX_PATH];
    recv(m_sock, path, sizeof path, 0);
    HANDLE f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL); // ok: scanned on demand, only a constant verdict is sent
    BYTE buf[65536];
    DWORD got = 0;
    ReadFile(f, buf, sizeof buf, &got, NULL);
    CloseHandle(f);
    const char *verdict = MatchSignatures(buf, got) == INFECTED ? "INFECTED" : "CLEAN";
    send(m_sock, verdict, (int)strlen(verdict), 0);
}

void QuarantineOnRequest(SOCKET s)
{
    char path[MAX_PATH];
    recv(s, path, sizeof path, 0);
    HANDLE in = CreateFileA(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL); // ok: copied into a local quarantine, not sent
    HANDLE out = CreateFileA("C:\\ProgramData\\AvCorp\\Quarantine\\item.bin", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    BYTE buf[4096];
    DWORD got = 0, put = 0;
    while (ReadFile(in, buf, sizeof buf, &got, NULL) && got)
        WriteFile(out, buf, got, &put, NULL);
    CloseHandle(in);
    CloseHandle(out);
    send(s, "QUARANTINED", 11, 0);
}

void UploadOwnLog(SOCKET s)
{
    HANDLE f = CreateFileA("C:\\ProgramData\\AvCorp\\agent.log", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL); // ok: a constant path, not chosen by the server
    char buf[4096];
    DWORD got = 0;
    ReadFile(f, buf, sizeof buf, &got, NULL);
    CloseHandle(f);
    send(s, buf, (int)got, 0);
}

// ---- OpenSSL, stdio ------------------------------------------------------------------------

void TlsFetch(SSL *ssl)
{
    char path[1024];
    int n = SSL_read(ssl, path, sizeof path - 1);
    path[n > 0 ? n : 0] = 0;
    FILE *f = fopen(path, "rb"); // want "remote-collection/server-chosen-path"
    char buf[4096];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        SSL_write(ssl, buf, (int)got);
    fclose(f);
}

// ---- WinHTTP tasking, posted back with WinHttpSendRequest --------------------------------

void HttpTask(HINTERNET conn, HINTERNET taskReq)
{
    char task[1024];
    DWORD got = 0;
    WinHttpReadData(taskReq, task, sizeof task - 1, &got);
    task[got] = 0;
    std::ifstream in(task, std::ios::binary); // todo "remote-collection/server-chosen-path" opening a std::ifstream is no sink (only CreateFile, fopen, open …), and `std::ifstream in(task, std::ios::binary);` is itself a vexing parse
    std::stringstream ss;
    ss << in.rdbuf();
    std::string body = ss.str();
    HINTERNET post = WinHttpOpenRequest(conn, L"POST", L"/upload", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    WinHttpSendRequest(post, NULL, 0, (LPVOID)body.data(), (DWORD)body.size(), (DWORD)body.size(), 0);
}

void HttpTaskWide(HINTERNET conn, HINTERNET taskReq)
{
    char task[1024];
    DWORD got = 0;
    WinHttpReadData(taskReq, task, sizeof task - 1, &got);
    task[got] = 0;
    std::wstring path = Widen(task);
    HANDLE f = CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL); // want "remote-collection/server-chosen-path"
    DWORD size = GetFileSize(f, NULL);
    std::vector<BYTE> data(size);
    ReadFile(f, &data[0], size, &got, NULL);
    CloseHandle(f);
    HINTERNET post = WinHttpOpenRequest(conn, L"PUT", L"/upload", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    WinHttpSendRequest(post, NULL, 0, &data[0], size, size, 0);
}

// ---- libcurl: the path arrives in the write callback, the contents go out as POST fields --

struct Exfil {
    CURL *curl;
    std::string body;
};

static size_t OnTask(char *data, size_t size, size_t nmemb, void *userdata)
{
    Exfil *ex = static_cast<Exfil *>(userdata);
    std::string path;
    path.assign(data, size * nmemb);
    int fd = open(path.c_str(), O_RDONLY); // want "remote-collection/server-chosen-path"
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        ex->body.append(buf, n);
    close(fd);
    curl_easy_setopt(ex->curl, CURLOPT_POSTFIELDS, ex->body.c_str());
    return size * nmemb;
}

void PollForTasks(Exfil *ex)
{
    curl_easy_setopt(ex->curl, CURLOPT_WRITEFUNCTION, OnTask);
    curl_easy_setopt(ex->curl, CURLOPT_WRITEDATA, ex);
    curl_easy_perform(ex->curl);
}

// ---- POSIX: a directory named by the peer, listed back ------------------------------------

void ListRemoteDir(int conn_fd)
{
    char dir[512];
    ssize_t n = read(conn_fd, dir, sizeof dir - 1);
    dir[n > 0 ? n : 0] = 0;
    DIR *d = opendir(dir); // todo "remote-collection/server-chosen-path" read() on a connection is not among this pack's network sources (remote-command has it, gated on the descriptor's name)
    struct dirent *e;
    while ((e = readdir(d)) != nullptr)
        send(conn_fd, e->d_name, strlen(e->d_name), 0);
    closedir(d);
}

void ListLocalDir(int conn_fd, int argc, char **argv)
{
    DIR *d = opendir(argc > 1 ? argv[1] : "/var/lib/avcorp"); // ok: a local argument chose the folder
    struct dirent *e;
    while ((e = readdir(d)) != nullptr)
        send(conn_fd, e->d_name, strlen(e->d_name), 0);
    closedir(d);
}
