// Telemetry samples in C++ (Windows): an endpoint agent fingerprints the machine it runs on
// and registers with its cloud. Host identity must be followed through members, structs,
// std::string building and wrappers; constants, lengths and local logging must not match.
#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <winhttp.h>
#include <lm.h>
#include <cstdio>
#include <string>
#include <sstream>

#define CWA(dll, api) api

typedef int (WINAPI *SEND_FN)(SOCKET, const char *, int, int);
typedef LONG (WINAPI *RTLGETVERSION_FN)(PRTL_OSVERSIONINFOW);

struct NetApi {
    HMODULE ws2;
    SEND_FN pSend;
};

struct HostInfo {
    char computer[MAX_COMPUTERNAME_LENGTH + 1];
    wchar_t user[UNLEN + 1];
    DWORD volumeSerial;
    char agentVersion[16];
};

class TelemetryClient {
public:
    bool Register();
    void Heartbeat();
    void ReportUser();
    void ReportDomain();
    void Ping();
    void SendFingerprint(const HostInfo &info);
private:
    bool Post(const std::wstring &path, const std::string &body);
    bool Get(const std::wstring &path);
    SOCKET m_sock;
    HINTERNET m_connect;
    NetApi m_api;
};

SOCKET g_ctl = INVALID_SOCKET;

// The agent's only socket wrapper: loops over send until everything is written.
static bool SendAll(SOCKET s, const std::string &data)
{
    size_t off = 0;
    while (off < data.size()) {
        int n = send(s, data.data() + off, (int)(data.size() - off), 0); // want "telemetry/host-identity-upload"
        if (n <= 0)
            return false;
        off += n;
    }
    return true;
}

static void CollectHostInfo(HostInfo *info)
{
    DWORD n = sizeof(info->computer);
    GetComputerNameA(info->computer, &n);
    n = UNLEN + 1;
    GetUserNameW(info->user, &n);
    GetVolumeInformationW(L"C:\\", NULL, 0, &info->volumeSerial, NULL, NULL, NULL, 0);
    strcpy(info->agentVersion, "4.2.0");
}

static std::string MacAddress()
{
    IP_ADAPTER_INFO adapters[16];
    ULONG len = sizeof(adapters);
    if (GetAdaptersInfo(adapters, &len) != ERROR_SUCCESS)
        return std::string();
    const BYTE *a = adapters[0].Address;
    char mac[18];
    sprintf(mac, "%02X-%02X-%02X-%02X-%02X-%02X", a[0], a[1], a[2], a[3], a[4], a[5]);
    return mac;
}

static std::string OsVersion()
{
    RTL_OSVERSIONINFOW vi = { sizeof(vi) };
    RTLGETVERSION_FN pRtlGetVersion =
        (RTLGETVERSION_FN)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "RtlGetVersion");
    pRtlGetVersion(&vi);
    std::ostringstream os;
    os << vi.dwMajorVersion << "." << vi.dwMinorVersion << "." << vi.dwBuildNumber;
    return os.str();
}

static void DomainOf(std::wstring &out)
{
    wchar_t buf[256];
    DWORD n = 256;
    GetComputerNameExW(ComputerNameDnsDomain, buf, &n);
    out = buf;
}

static std::string Narrow(const std::wstring &w)
{
    char buf[512];
    WideCharToMultiByte(CP_UTF8, 0, w.c_str(), -1, buf, sizeof buf, NULL, NULL);
    return std::string(buf);
}

bool TelemetryClient::Register()
{
    HostInfo info = {};
    CollectHostInfo(&info);
    char line[512];
    _snprintf(line, sizeof(line), "REG %s %08lx %s\n", info.computer, info.volumeSerial, MacAddress().c_str());
    if (!SendAll(m_sock, line))
        return false;
    SendFingerprint(info);
    return true;
}

void TelemetryClient::SendFingerprint(const HostInfo &info)
{
    std::string body = "{\"user\":\"";
    body += Narrow(info.user);
    body += "\",\"os\":\"" + OsVersion() + "\"}";
    Post(L"/api/v2/fingerprint", body);
}

bool TelemetryClient::Post(const std::wstring &path, const std::string &body)
{
    HINTERNET req = WinHttpOpenRequest(m_connect, L"POST", path.c_str(), NULL, WINHTTP_NO_REFERER, WINHTTP_DEFAULT_ACCEPT_TYPES, WINHTTP_FLAG_SECURE); // ok: constant path
    if (!req)
        return false;
    BOOL ok = WinHttpSendRequest(req, L"Content-Type: application/json\r\n", (DWORD)-1, // want "telemetry/host-identity-upload"
                                 (LPVOID)body.data(), (DWORD)body.size(), (DWORD)body.size(), 0);
    WinHttpCloseHandle(req);
    return ok != FALSE;
}

// The user name travels in the query string of a GET.
bool TelemetryClient::Get(const std::wstring &path)
{
    HINTERNET req = WinHttpOpenRequest(m_connect, L"GET", path.c_str(), NULL, // want "telemetry/host-identity-upload"
                                       WINHTTP_NO_REFERER, WINHTTP_DEFAULT_ACCEPT_TYPES, WINHTTP_FLAG_SECURE);
    BOOL ok = WinHttpSendRequest(req, WINHTTP_NO_ADDITIONAL_HEADERS, 0, WINHTTP_NO_REQUEST_DATA, 0, 0, 0); // ok: no body
    WinHttpCloseHandle(req);
    return ok != FALSE;
}

void TelemetryClient::ReportUser()
{
    wchar_t user[UNLEN + 1];
    DWORD n = UNLEN + 1;
    GetUserNameW(user, &n);
    std::wstring path = L"/api/v2/checkin?user=";
    path.append(user);
    Get(path);
}

void TelemetryClient::ReportDomain()
{
    std::wstring domain;
    DomainOf(domain);
    std::string d = Narrow(domain);
    send(m_sock, d.c_str(), (int)d.size(), 0); // want "telemetry/host-identity-upload"
}

// send resolved at run time and kept in a struct of function pointers.
void TelemetryClient::Heartbeat()
{
    m_api.ws2 = LoadLibraryA("ws2_32.dll");
    m_api.pSend = (SEND_FN)GetProcAddress(m_api.ws2, "send");
    char user[128];
    DWORD n = sizeof user;
    GetUserNameA(user, &n);
    m_api.pSend(m_sock, user, (int)strlen(user), 0); // want "telemetry/host-identity-upload"
}

// Workgroup name through a wrapper macro, sent through the same macro.
void ReportWorkgroup(SOCKET s)
{
    WKSTA_INFO_100 *wi = NULL;
    CWA(netapi32, NetWkstaGetInfo)(NULL, 100, (LPBYTE *)&wi);
    char group[128];
    WideCharToMultiByte(CP_UTF8, 0, wi->wki100_langroup, -1, group, sizeof group, NULL, NULL);
    CWA(ws2_32, send)(s, group, (int)strlen(group), 0); // want "telemetry/host-identity-upload"
}

// The computer name leaves as a DNS label: a beacon that works through any proxy.
void DnsBeacon()
{
    char host[64];
    char q[256];
    gethostname(host, sizeof host);
    sprintf(q, "%s.t.avcorp-telemetry.net", host);
    struct addrinfo *res = NULL;
    getaddrinfo(q, NULL, NULL, &res); // want "telemetry/host-identity-upload"
    freeaddrinfo(res);
}

// OS version kept in a member by one method and sent by another.
class Beacon {
public:
    void Init();
    void Send(SOCKET s);
private:
    SYSTEM_INFO m_si;
    std::string m_banner;
};

void Beacon::Init()
{
    GetNativeSystemInfo(&m_si);
    std::ostringstream os;
    os << "arch=" << m_si.wProcessorArchitecture << ";cpus=" << m_si.dwNumberOfProcessors;
    m_banner = os.str();
}

void Beacon::Send(SOCKET s)
{
    ::send(s, m_banner.c_str(), (int)m_banner.size(), 0); // want "telemetry/host-identity-upload"
}

// The volume serial number alone: the classic installation fingerprint.
void SendVolumeSerial(SOCKET s)
{
    DWORD serial = 0;
    GetVolumeInformationA("C:\\", NULL, 0, &serial, NULL, NULL, NULL, 0);
    char id[16];
    sprintf(id, "%08lX", serial);
    send(s, id, 8, 0); // want "telemetry/host-identity-upload"
}

// Every adapter's MAC address, walked through the linked list GetAdaptersAddresses fills.
void SendMacs(SOCKET s)
{
    ULONG len = 15000;
    PIP_ADAPTER_ADDRESSES addrs = (PIP_ADAPTER_ADDRESSES)malloc(len);
    GetAdaptersAddresses(AF_UNSPEC, GAA_FLAG_SKIP_ANYCAST, NULL, addrs, &len);
    std::string macs;
    for (PIP_ADAPTER_ADDRESSES a = addrs; a != NULL; a = a->Next) {
        char one[32];
        sprintf(one, "%02x%02x%02x%02x%02x%02x;", a->PhysicalAddress[0], a->PhysicalAddress[1], a->PhysicalAddress[2],
                a->PhysicalAddress[3], a->PhysicalAddress[4], a->PhysicalAddress[5]);
        macs += one;
    }
    free(addrs);
    sendto(s, macs.data(), (int)macs.size(), 0, NULL, 0); // want "telemetry/host-identity-upload"
}

// ---- must not match -------------------------------------------------------------------

void TelemetryClient::Ping()
{
    static const char kPing[] = "PING agent/4.2\n";
    send(m_sock, kPing, sizeof(kPing) - 1, 0); // ok: a constant heartbeat
}

void SendNameLength(SOCKET s)
{
    char name[256];
    DWORD n = sizeof name;
    GetComputerNameA(name, &n);
    int len = (int)strlen(name);
    send(s, (const char *)&len, sizeof len, 0); // ok: only the length of the name is sent
}

void LogStartup(FILE *log)
{
    char host[256];
    gethostname(host, sizeof host);
    fprintf(log, "agent started on %s\n", host);
    OutputDebugStringA(host);
    send(g_ctl, "READY\n", 6, 0); // ok: the host name only went to the local log
}

int SendArguments(SOCKET s, int argc, char **argv)
{
    std::string msg = "cli";
    for (int i = 1; i < argc; ++i) {
        msg += ' ';
        msg += argv[i];
    }
    return send(s, msg.c_str(), (int)msg.size(), 0); // ok: arguments typed by the user are not host identity
}

void SendAnonymous(SOCKET s)
{
    char host[256];
    char out[64];
    gethostname(host, sizeof host);
    strcpy(out, "anonymous");
    bool isServer = strstr(host, "SRV") != NULL;
    send(s, out, (int)strlen(out), 0); // ok: a different buffer, filled with a constant
    send(s, isServer ? "role=server" : "role=workstation", 16, 0); // ok: one bit derived by a comparison, as a constant
}

void SendVersionField(SOCKET s)
{
    HostInfo info;
    CollectHostInfo(&info);
    send(s, info.agentVersion, (int)strlen(info.agentVersion), 0); // ok: the field CollectHostInfo fills with a constant
}

// A buffer reused: the computer name is logged, then overwritten with a status line.
void StatusReport(SOCKET s)
{
    char buf[256];
    DWORD n = sizeof buf;
    GetComputerNameA(buf, &n);
    OutputDebugStringA(buf);
    strcpy(buf, "STATUS OK\n");
    send(s, buf, (int)strlen(buf), 0); // todo-ok "telemetry/host-identity-upload" flow-insensitive: buf was overwritten by a constant before the send
}
