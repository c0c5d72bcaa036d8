// Transports: WinHTTP to the cloud, a Qt socket to the management console, a raw socket
// for the upload queue, and a local log file.
#include "agent.h"

bool HttpsTransport::Send(const std::string &payload)
{
    HINTERNET req = WinHttpOpenRequest(m_connect, L"POST", L"/v3/inventory", NULL, WINHTTP_NO_REFERER, WINHTTP_DEFAULT_ACCEPT_TYPES, WINHTTP_FLAG_SECURE);
    BOOL ok = WinHttpSendRequest(req, WINHTTP_NO_ADDITIONAL_HEADERS, 0, (LPVOID)payload.data(), (DWORD)payload.size(), (DWORD)payload.size(), 0); // want "telemetry/host-identity-upload" "telemetry/process-list-upload" "telemetry/registry-upload"
    WinHttpCloseHandle(req);
    return ok != FALSE;
}

bool StatusBeacon::Send(const std::string &status)
{
    return send(m_sock, status.data(), (int)status.size(), 0) > 0; // ok: only constants reach StatusBeacon::Send; the transport call goes to ITransport overrides
}

void ConsoleLink::Announce(const std::string &who)
{
    m_socket->write(who.c_str()); /* todo-ok "telemetry/process-list-upload" "telemetry/registry-upload" who is m_info.computer, and a member is one global (Agent::m_info) for all its fields */ // want "telemetry/host-identity-upload"
}

DWORD WINAPI SenderLoop(LPVOID param)
{
    SOCKET s = (SOCKET)param;
    for (;;) {
        std::string item;
        {
            std::lock_guard<std::mutex> lock(g_outboxLock);
            if (!g_outbox.empty()) {
                item = g_outbox.front();
                g_outbox.pop_front();
            }
        }
        if (!item.empty())
            send(s, item.c_str(), (int)item.size(), 0); // want "telemetry/directory-listing-upload"
        else
            Sleep(1000);
    }
}

LocalLog::LocalLog()
{
    wchar_t path[MAX_PATH];
    ExpandEnvironmentStringsW(L"%ProgramData%\\AvCorp\\agent.log", path, MAX_PATH);
    m_file = CreateFileW(path, FILE_APPEND_DATA, FILE_SHARE_READ, NULL, OPEN_ALWAYS, 0, NULL);
}

void LocalLog::Write(const std::string &line)
{
    DWORD w = 0;
    WriteFile(m_file, line.data(), (DWORD)line.size(), &w, NULL); // ok: a local log file is not the network
}

void SendRecentDocuments(SOCKET s)
{
    std::string all;
    for (size_t i = 0; i < g_recentDocs.size(); ++i)
        all += g_recentDocs[i] + "\n";
    send(s, all.data(), (int)all.size(), 0); // want "telemetry/directory-listing-upload"
}

bool SubmitSample(HINTERNET req, const std::wstring &path)
{
    std::vector<BYTE> body = ReadWholeFile(path);
    if (body.empty())
        return false;
    return HttpSendRequestW(req, L"Content-Type: application/octet-stream\r\n", (DWORD)-1, &body[0], (DWORD)body.size()) != FALSE; // want "telemetry/file-content-upload"
}
