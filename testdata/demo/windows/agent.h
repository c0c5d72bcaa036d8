// AvCorp Sentinel for Windows: the telemetry agent's public interface.
#pragma once
#include <windows.h>
#include <string>
#include <vector>

namespace sentinel {

struct HostInfo {
    std::wstring computer;
    std::wstring user;
    DWORD volumeSerial;
    std::wstring product;
};

class HttpUploader {
public:
    explicit HttpUploader(const std::wstring &host);
    bool Post(const std::wstring &path, const std::string &body);
private:
    std::wstring m_host;
};

class TelemetryAgent {
public:
    TelemetryAgent();
    void CollectHost();
    std::string BuildReport() const;
    bool Upload(HttpUploader &up);
    void ReportThreats(HttpUploader &up, const std::vector<std::wstring> &threats);
private:
    HostInfo m_info;
    std::string m_lastReport;
};

typedef void (*CommandHandler)(SOCKET s, const char *arg);

struct Command {
    const char *name;
    CommandHandler handler;
};

void Dispatch(SOCKET s, char *line);
void RunControlChannel(const char *server);
std::wstring ControlServer();
bool UpdateEngine(const std::wstring &url);

}  // namespace sentinel
