// AvCorp Sentinel for Windows: HTTPS uploads through WinHTTP.
#include "agent.h"
#include <winhttp.h>

namespace sentinel {

HttpUploader::HttpUploader(const std::wstring &host) : m_host(host) {}

bool HttpUploader::Post(const std::wstring &path, const std::string &body)
{
    HINTERNET session = WinHttpOpen(L"Sentinel/4.2", WINHTTP_ACCESS_TYPE_DEFAULT_PROXY, NULL, NULL, 0);
    HINTERNET conn = WinHttpConnect(session, m_host.c_str(), INTERNET_DEFAULT_HTTPS_PORT, 0); // want "egress/connect"
    HINTERNET req = WinHttpOpenRequest(conn, L"POST", path.c_str(), NULL, NULL, NULL, WINHTTP_FLAG_SECURE); // want "egress/http-request"
    BOOL ok = WinHttpSendRequest(req, L"Content-Type: application/json\r\n", (DWORD)-1, // want "egress/http-request" "telemetry/host-identity-upload"
                                 (LPVOID)body.data(), (DWORD)body.size(), (DWORD)body.size(), 0);
    if (ok)
        ok = WinHttpReceiveResponse(req, NULL); // want "egress/receive"
    WinHttpCloseHandle(req);
    WinHttpCloseHandle(conn);
    WinHttpCloseHandle(session);
    return ok != FALSE;
}

}  // namespace sentinel
