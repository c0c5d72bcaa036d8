// AvCorp Sentinel for Windows: collects host details and reports them.
#include "agent.h"
#include <sstream>

namespace sentinel {

TelemetryAgent::TelemetryAgent() {}

void TelemetryAgent::CollectHost()
{
    wchar_t name[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD n = MAX_COMPUTERNAME_LENGTH + 1;
    GetComputerNameW(name, &n);
    m_info.computer = name;
    wchar_t user[256];
    n = 256;
    GetUserNameW(user, &n);
    m_info.user = user;
    GetVolumeInformationW(L"C:\\", NULL, 0, &m_info.volumeSerial, NULL, NULL, NULL, 0);
    m_info.product = L"Sentinel 4.2";
}

static std::string Narrow(const std::wstring &w)
{
    std::string out(w.size() * 3, '\0');
    int len = WideCharToMultiByte(CP_UTF8, 0, w.c_str(), (int)w.size(), &out[0], (int)out.size(), NULL, NULL);
    out.resize(len);
    return out;
}

std::string TelemetryAgent::BuildReport() const
{
    std::ostringstream os;
    os << "{\"host\":\"" << Narrow(m_info.computer) << "\",\"user\":\"" << Narrow(m_info.user)
       << "\",\"serial\":" << m_info.volumeSerial << "}";
    return os.str();
}

bool TelemetryAgent::Upload(HttpUploader &up)
{
    m_lastReport = BuildReport();
    return up.Post(L"/v2/telemetry", m_lastReport);
}

void TelemetryAgent::ReportThreats(HttpUploader &up, const std::vector<std::wstring> &threats)
{
    std::string body = "{\"product\":\"Sentinel 4.2\",\"threats\":" + std::to_string(threats.size()) + "}";
    up.Post(L"/v2/threats", body); // ok: a constant product name and a count are not host data
}

}  // namespace sentinel
