// Annotated samples for the egress pack: Windows APIs, wrapper macros, C++ libraries.
#include <windows.h>
#include <wininet.h>
#include <winhttp.h>
#include <urlmon.h>
#include <QTcpSocket>
#include <QNetworkAccessManager>

#define CWA(dll, api) api
#define API_CALL(api) api

class Uploader {
public:
    bool Post(const wchar_t *host, const BYTE *body, DWORD len);
    void Qt(const QByteArray &data);
private:
    QTcpSocket *m_socket;
};

bool Uploader::Post(const wchar_t *host, const BYTE *body, DWORD len)
{
    HINTERNET s = WinHttpOpen(L"Agent/1.0", 0, NULL, NULL, 0); // ok: opening a session sends nothing
    HINTERNET c = WinHttpConnect(s, host, 443, 0); // want "egress/connect"
    HINTERNET r = WinHttpOpenRequest(c, L"POST", L"/v1/events", NULL, NULL, NULL, WINHTTP_FLAG_SECURE); // want "egress/http-request"
    WinHttpSendRequest(r, NULL, 0, (LPVOID)body, len, len, 0); // want "egress/http-request"
    WinHttpWriteData(r, body, len, NULL); // want "egress/send"
    WinHttpReceiveResponse(r, NULL); // want "egress/receive"
    return true;
}

void Legacy(HINTERNET net, const char *data, DWORD n)
{
    HINTERNET u = InternetOpenUrlA(net, "http://update.avcorp-cloud.net/latest.bin", NULL, 0, 0, 0); // want "egress/http-request" "egress/hardcoded-url"
    DWORD written = 0;
    InternetWriteFile(u, data, n, &written); // want "egress/send"
    char buf[4096];
    DWORD got = 0;
    InternetReadFile(u, buf, sizeof buf, &got); // want "egress/receive"
    URLDownloadToFileW(NULL, L"https://cdn.avcorp-cloud.net/engine.dll", L"C:\\ProgramData\\engine.dll", 0, NULL); // want "egress/download" "egress/hardcoded-url"
    HttpSendRequestExA(u, NULL, NULL, 0, 0); // want "egress/http-request"
}

void Wrapped(SOCKET s, const char *buf, int n)
{
    CWA(ws2_32, send)(s, buf, n, 0); // want "egress/send"
    API_CALL(WSAConnect)(s, NULL, 0, NULL, NULL, NULL, NULL); // want "egress/connect"
    typedef int (WINAPI *send_t)(SOCKET, const char *, int, int);
    ((send_t)GetProcAddress(GetModuleHandleA("ws2_32.dll"), "send"))(s, buf, n, 0); // want "egress/send"
    ::send(s, buf, n, 0); // want "egress/send"
    WSASend(s, NULL, 1, NULL, 0, NULL, NULL); // want "egress/send"
}

void Uploader::Qt(const QByteArray &data)
{
    m_socket->connectToHost("10.20.30.40", 8080); // want "egress/connect" "egress/hardcoded-ip"
    m_socket->write(data); // want "egress/send"
    QNetworkAccessManager mgr;
    mgr.post(QNetworkRequest(QUrl("https://api.avcorp-cloud.net/report")), data); // want "egress/http-request" "egress/hardcoded-url"
    connect(m_socket, SIGNAL(readyRead()), this, SLOT(onRead())); // ok: a Qt signal connection, not a socket connect
    connect(m_socket, &QTcpSocket::readyRead, this, &Uploader::onRead); // ok: a Qt signal connection
}

void Harmless(std::string &s)
{
    s.append("std::cout"); // ok: not an endpoint
    const char *progid = "WScript.Shell"; // ok: a COM ProgID is not a host
    const char *reg = "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run"; // ok: a registry path
    const char *oid = "2.5.4.3"; // ok: an X.509 OID assigned to a variable named like one
    std::bind(&Uploader::Post, this); // ok: std::bind is not socket bind
}
