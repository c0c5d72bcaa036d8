// AvCorp Sentinel for Windows: engine updates. The engine DLL is replaced without any
// signature check.
#include "agent.h"
#include <urlmon.h>

namespace sentinel {

std::wstring UpdateUrl();

bool UpdateEngine(const std::wstring &url)
{
    wchar_t path[MAX_PATH] = L"C:\\ProgramData\\AvCorp\\engine.new.dll";
    if (URLDownloadToFileW(NULL, url.c_str(), path, 0, NULL) != S_OK) // want "egress/download"
        return false;
    HMODULE engine = LoadLibraryW(path); // want "dynamic-code/downloaded-code-run"
    return engine != NULL;
}

bool CheckForUpdates()
{
    return UpdateEngine(UpdateUrl());
}

}  // namespace sentinel
