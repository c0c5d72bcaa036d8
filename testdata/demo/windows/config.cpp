// AvCorp Sentinel for Windows: endpoints. The control server's address is stored encoded.
#include "agent.h"

namespace sentinel {

static unsigned char g_control[] = { 0x0d, 0x04, 0x09, 0x12, 0x0d, 0x05, 0x05, 0x12, 0x0d, 0x0d, 0x0c, 0x12, 0x08, 0x0e };
static const wchar_t kTelemetryHost[] = L"telemetry.avcorp-cloud.net"; // want "egress/hardcoded-host"
static const wchar_t kUpdateUrl[] = L"https://update.avcorp-cloud.net/engine/latest.dll"; // want "egress/hardcoded-url"

std::wstring ControlServer()
{
    for (size_t i = 0; i < sizeof g_control; i++) // want "obfuscation/hidden-endpoint"
        g_control[i] ^= 0x3C;
    return std::wstring(g_control, g_control + sizeof g_control);
}

std::wstring TelemetryHost() { return kTelemetryHost; }
std::wstring UpdateUrl() { return kUpdateUrl; }

}  // namespace sentinel
