// A cross-file endpoint agent: collection in collector.cpp, transports in transport.cpp,
// the scheduling in agent.cpp. Host data must be followed through the classes declared here.
#pragma once
#include <windows.h>
#include <winhttp.h>
#include <deque>
#include <mutex>
#include <string>
#include <vector>
#include <QTcpSocket>

struct SystemInfo {
    std::string computer;
    std::string user;
    std::string os;
    std::string installId;
    std::string productVersion;
    std::vector<std::string> processes;
};

// Upload queue shared by the collectors and the sender thread.
extern std::deque<std::string> g_outbox;
extern std::mutex g_outboxLock;

class ITransport {
public:
    virtual ~ITransport() {}
    virtual bool Send(const std::string &payload) = 0;
};

class HttpsTransport : public ITransport {
public:
    HttpsTransport(HINTERNET connect) : m_connect(connect) {}
    bool Send(const std::string &payload) override;
private:
    HINTERNET m_connect;
};

// A liveness beacon on its own socket; not a transport, and only ever given constants.
class StatusBeacon {
public:
    explicit StatusBeacon(SOCKET s) : m_sock(s) {}
    bool Send(const std::string &status);
private:
    SOCKET m_sock;
};

class ConsoleLink {
public:
    void Announce(const std::string &who);
private:
    QTcpSocket *m_socket;
};

class LocalLog {
public:
    LocalLog();
    void Write(const std::string &line);
private:
    HANDLE m_file;
};

class Collector {
public:
    void Gather(SystemInfo &out);
    std::string Serialize(const SystemInfo &info) const;
    void QueueDownloads(const std::wstring &dir);
private:
    void GatherProcesses(std::vector<std::string> &out);
};

class Agent {
public:
    Agent(ITransport *t, SOCKET beacon) : m_transport(t), m_beacon(beacon) {}
    void Start();
    void RunOnce();
    void Ping(SOCKET ctl);
private:
    static DWORD WINAPI ThreadProc(LPVOID self);
    ITransport *m_transport;
    Collector m_collector;
    ConsoleLink m_console;
    StatusBeacon m_beacon;
    LocalLog m_log;
    SystemInfo m_info;
};

extern std::vector<std::string> g_recentDocs;

DWORD WINAPI SenderLoop(LPVOID sock);
void QueueRecentDocuments();
void SendRecentDocuments(SOCKET s);
std::vector<BYTE> ReadWholeFile(const std::wstring &path);
bool SubmitSample(HINTERNET req, const std::wstring &path);

inline std::string Narrow(const wchar_t *w)
{
    char buf[1024];
    WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, sizeof buf, NULL, NULL);
    return buf;
}
