// AvCorp Sentinel for Windows: service entry point.
#include "agent.h"

namespace sentinel {
std::wstring TelemetryHost();
bool CheckForUpdates();
}

using namespace sentinel;

static DWORD WINAPI ControlThread(LPVOID param)
{
    std::wstring server = ControlServer();
    char narrow[64];
    WideCharToMultiByte(CP_ACP, 0, server.c_str(), -1, narrow, sizeof narrow, NULL, NULL);
    RunControlChannel(narrow);
    return 0;
}

int wmain(int argc, wchar_t **argv)
{
    TelemetryAgent agent;
    HttpUploader up(TelemetryHost());
    agent.CollectHost();
    agent.Upload(up);
    CheckForUpdates();
    CreateThread(NULL, 0, ControlThread, NULL, 0, NULL);
    Sleep(INFINITE);
    return 0;
}
