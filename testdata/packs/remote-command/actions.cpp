// Remote-command samples in C++: network input that reaches process creation, file changes
// and the registry directly — over Winsock, WinHTTP, OpenSSL, POSIX sockets and Qt — and the
// same APIs driven by constants, the command line or read-only access.
#include <windows.h>
#include <winsock2.h>
#include <winhttp.h>
#include <shellapi.h>
#include <openssl/ssl.h>
#include <spawn.h>
#include <unistd.h>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>
#include <QTcpSocket>
#include <QProcess>

extern char **environ;

static std::wstring Widen(const std::string &s)
{
    wchar_t buf[1024];
    MultiByteToWideChar(CP_UTF8, 0, s.c_str(), -1, buf, 1024);
    return buf;
}

static bool RecvLine(SOCKET s, std::string &out)
{
    char c;
    out.clear();
    while (recv(s, &c, 1, 0) == 1) {
        if (c == '\n')
            return true;
        out += c;
    }
    return false;
}

// ---- processes --------------------------------------------------------------------------

class RemoteShell {
public:
    explicit RemoteShell(SOCKET s) : m_sock(s) {}
    void Run();
    void RunElevated(const std::string &cmd);
private:
    SOCKET m_sock;
    std::wstring m_lastCommand;
};

void RemoteShell::Run()
{
    std::string line;
    while (RecvLine(m_sock, line)) {
        m_lastCommand = L"cmd.exe /c " + Widen(line);
        STARTUPINFOW si = { sizeof(si) };
        PROCESS_INFORMATION pi;
        CreateProcessW(NULL, &m_lastCommand[0], NULL, NULL, FALSE, CREATE_NO_WINDOW, NULL, NULL, &si, &pi); // want "remote-command/process-from-network"
        WaitForSingleObject(pi.hProcess, INFINITE);
        RunElevated(line);
    }
}

void RemoteShell::RunElevated(const std::string &cmd)
{
    SHELLEXECUTEINFOW sei = { sizeof(sei) };
    std::wstring file = Widen(cmd);
    sei.lpVerb = L"runas";
    sei.lpFile = file.c_str();
    sei.nShow = SW_HIDE;
    ShellExecuteExW(&sei); // want "remote-command/process-from-network"
}

void RunFromHttp(HINTERNET req)
{
    char buf[4096];
    DWORD got = 0;
    std::string body;
    while (WinHttpReadData(req, buf, sizeof buf, &got) && got)
        body.append(buf, got);
    std::wstring args = Widen(body);
    ShellExecuteW(NULL, L"open", L"powershell.exe", args.c_str(), NULL, SW_HIDE); // want "remote-command/process-from-network"
}

void RunOverTls(SSL *ssl)
{
    char cmd[512];
    int n = SSL_read(ssl, cmd, sizeof cmd - 1);
    if (n <= 0)
        return;
    cmd[n] = 0;
    FILE *p = popen(cmd, "r"); // want "remote-command/process-from-network"
    char out[4096];
    size_t m = fread(out, 1, sizeof out, p);
    SSL_write(ssl, out, (int)m);
    pclose(p);
}

void SpawnFromPeer(int peer_fd)
{
    char line[1024];
    ssize_t n = read(peer_fd, line, sizeof line - 1);
    line[n > 0 ? n : 0] = 0;
    std::vector<char *> argv;
    for (char *tok = strtok(line, " "); tok; tok = strtok(NULL, " "))
        argv.push_back(tok);
    argv.push_back(nullptr);
    pid_t pid;
    posix_spawnp(&pid, argv[0], NULL, NULL, argv.data(), environ); // want "remote-command/process-from-network"
    if (fork() == 0)
        execvp(argv[0], argv.data()); // want "remote-command/process-from-network"
}

// Received over WSARecv into a WSABUF that points at the real buffer.
void RunOverlapped(SOCKET s)
{
    char buf[1024];
    WSABUF wb;
    wb.buf = buf;
    wb.len = sizeof buf;
    DWORD got = 0, flags = 0;
    WSARecv(s, &wb, 1, &got, &flags, NULL, NULL);
    buf[got] = 0;
    system(buf); // todo "remote-command/process-from-network" WSARecv writes into the memory wb.buf points to; the alias between wb.buf and buf is not followed
}

class QtRemote : public QObject {
public:
    void onReadyRead();
private:
    QTcpSocket *m_sock;
    QProcess m_proc;
};

void QtRemote::onReadyRead()
{
    QByteArray line = m_sock->readLine().trimmed();
    m_proc.start(QString::fromUtf8(line)); // want "remote-command/process-from-network"
}

// must not match: processes -----------------------------------------------------------------

void RunConstant(SOCKET s)
{
    char reply[16];
    recv(s, reply, sizeof reply, 0);
    if (reply[0] == 'U')
        WinExec("C:\\Program Files\\AvCorp\\updater.exe /silent", SW_HIDE); // ok: the network only triggers a constant command
}

int RunFromCommandLine(int argc, char **argv)
{
    if (argc < 2)
        return 1;
    std::string cmd = std::string("scan.exe ") + argv[1];
    return system(cmd.c_str()); // ok: the command line is local input
}

void RunWithStatus(SOCKET s)
{
    char buf[64];
    int n = recv(s, buf, sizeof buf, 0);
    char cmd[128];
    sprintf(cmd, "logger \"received %d bytes\"", n);
    system(cmd); // ok: only a byte count from recv, not its data
}

// ---- files ------------------------------------------------------------------------------

struct FileRequest {
    char path[MAX_PATH];
    char newPath[MAX_PATH];
    DWORD size;
};

void OnFileRequest(SOCKET s)
{
    FileRequest req;
    recv(s, (char *)&req, sizeof req, MSG_WAITALL);
    MoveFileA(req.path, req.newPath); // want "remote-command/file-operation-from-network"
    CopyFileA(req.newPath, "C:\\Windows\\Temp\\x.tmp", FALSE); // want "remote-command/file-operation-from-network"
}

void ReceiveFile(SOCKET s)
{
    char name[MAX_PATH];
    int n = recv(s, name, sizeof name - 1, 0);
    name[n] = 0;
    HANDLE h = CreateFileA(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_HIDDEN, NULL); // want "remote-command/file-operation-from-network"
    char chunk[4096];
    DWORD w;
    while ((n = recv(s, chunk, sizeof chunk, 0)) > 0)
        WriteFile(h, chunk, n, &w, NULL);
    CloseHandle(h);
}

void SaveAs(SSL *ssl)
{
    char path[512];
    SSL_read(ssl, path, sizeof path);
    FILE *f = fopen(path, "wb"); // want "remote-command/file-operation-from-network"
    fclose(f);
    std::string old = std::string(path) + ".bak";
    rename(path, old.c_str()); // want "remote-command/file-operation-from-network"
}

void WipeDirectory(SOCKET s)
{
    std::string dir;
    RecvLine(s, dir);
    std::filesystem::remove_all(dir); // todo "remote-command/file-operation-from-network" std::filesystem::remove and remove_all are dispatcher actions but not sinks of this rule
    RemoveDirectoryA(dir.c_str()); // want "remote-command/file-operation-from-network"
}

// must not match: files --------------------------------------------------------------------

void ReadOnlyOpen(SOCKET s)
{
    char name[MAX_PATH];
    recv(s, name, sizeof name, 0);
    HANDLE h = CreateFileA(name, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL); // ok: opened for reading only
    FILE *f = fopen(name, "rb"); // ok: opened for reading only
    fclose(f);
    CloseHandle(h);
}

void CleanupAfterUninstall(SOCKET s)
{
    char verb[32];
    recv(s, verb, sizeof verb, 0);
    if (strcmp(verb, "uninstall") == 0)
        DeleteFileW(L"C:\\ProgramData\\AvCorp\\cache.db"); // ok: a constant path
}

void RotateLog(int argc, char **argv)
{
    if (argc > 1)
        MoveFileExA(argv[1], "agent.log.1", MOVEFILE_REPLACE_EXISTING); // ok: the path is a command-line argument
}

// ---- registry -----------------------------------------------------------------------------

struct RegCommand {
    char key[256];
    char name[128];
    char value[512];
};

void ApplyRegistryCommand(SOCKET s)
{
    RegCommand cmd;
    recv(s, (char *)&cmd, sizeof cmd, MSG_WAITALL);
    HKEY k;
    RegCreateKeyExA(HKEY_CURRENT_USER, cmd.key, 0, NULL, 0, KEY_WRITE, NULL, &k, NULL); // want "remote-command/registry-from-network"
    RegSetValueExA(k, cmd.name, 0, REG_SZ, (const BYTE *)cmd.value, (DWORD)strlen(cmd.value) + 1); // want "remote-command/registry-from-network"
    RegCloseKey(k);
}

void InstallRunKey(HINTERNET req)
{
    char buf[1024];
    DWORD got = 0;
    WinHttpReadData(req, buf, sizeof buf - 1, &got);
    buf[got] = 0;
    std::wstring path = Widen(buf);
    HKEY run;
    RegOpenKeyExW(HKEY_CURRENT_USER, L"Software\\Microsoft\\Windows\\CurrentVersion\\Run", 0, KEY_SET_VALUE, &run);
    RegSetValueExW(run, L"AvCorpHelper", 0, REG_SZ, (const BYTE *)path.c_str(), (DWORD)((path.size() + 1) * sizeof(wchar_t))); // want "remote-command/registry-from-network"
    RegCloseKey(run);
}

void RemoveValue(SSL *ssl)
{
    char name[128];
    SSL_read(ssl, name, sizeof name);
    HKEY k;
    RegOpenKeyExA(HKEY_LOCAL_MACHINE, "SOFTWARE\\AvCorp\\Agent", 0, KEY_SET_VALUE, &k);
    RegDeleteValueA(k, name); // want "remote-command/registry-from-network"
    RegCloseKey(k);
}

// must not match: registry ---------------------------------------------------------------------

void RecordLastContact(SOCKET s)
{
    char reply[64];
    int n = recv(s, reply, sizeof reply, 0);
    if (n <= 0)
        return;
    DWORD now = (DWORD)time(NULL);
    HKEY k;
    RegCreateKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\AvCorp\\Agent", 0, NULL, 0, KEY_WRITE, NULL, &k, NULL); // ok: constant key
    RegSetValueExW(k, L"LastContact", 0, REG_DWORD, (const BYTE *)&now, sizeof now); // ok: a timestamp, not the reply
    RegCloseKey(k);
}

void SetPolicyFlag(SOCKET s)
{
    char reply[8];
    recv(s, reply, sizeof reply, 0);
    DWORD enabled = reply[0] == '1' ? 1 : 0;
    HKEY k;
    RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\AvCorp\\Agent", 0, KEY_SET_VALUE, &k);
    RegSetValueExW(k, L"CloudScan", 0, REG_DWORD, (const BYTE *)&enabled, sizeof enabled); // ok: one of two constants, chosen by a comparison
    RegCloseKey(k);
}
