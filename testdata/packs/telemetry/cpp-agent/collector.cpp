// Collection: host identity, processes and a directory listing.
#include "agent.h"
#include <tlhelp32.h>
#include <sstream>

std::deque<std::string> g_outbox;
std::mutex g_outboxLock;
std::vector<std::string> g_recentDocs;

void Collector::Gather(SystemInfo &out)
{
    wchar_t name[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD n = MAX_COMPUTERNAME_LENGTH + 1;
    GetComputerNameW(name, &n);
    out.computer = Narrow(name);

    wchar_t user[256];
    n = 256;
    GetUserNameW(user, &n);
    out.user = Narrow(user);

    OSVERSIONINFOEXW vi = { sizeof(vi) };
    GetVersionExW((LPOSVERSIONINFOW)&vi);
    out.os = std::to_string(vi.dwMajorVersion) + "." + std::to_string(vi.dwBuildNumber);

    char id[64];
    DWORD cb = sizeof id;
    RegGetValueA(HKEY_LOCAL_MACHINE, "SOFTWARE\\AvCorp\\Agent", "InstallId", RRF_RT_REG_SZ, NULL, id, &cb);
    out.installId = id;

    out.productVersion = "5.1.2";
    GatherProcesses(out.processes);
}

void Collector::GatherProcesses(std::vector<std::string> &out)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    PROCESSENTRY32W pe = { sizeof(pe) };
    for (BOOL ok = Process32FirstW(snap, &pe); ok; ok = Process32NextW(snap, &pe))
        out.push_back(Narrow(pe.szExeFile));
    CloseHandle(snap);
}

std::string Collector::Serialize(const SystemInfo &info) const
{
    std::ostringstream js;
    js << "{\"computer\":\"" << info.computer << "\",\"user\":\"" << info.user << "\",\"os\":\"" << info.os
       << "\",\"install\":\"" << info.installId << "\",\"procs\":[";
    for (size_t i = 0; i < info.processes.size(); ++i)
        js << (i ? "," : "") << "\"" << info.processes[i] << "\"";
    js << "]}";
    return js.str();
}

// File names are queued here and sent by SenderLoop in transport.cpp.
void Collector::QueueDownloads(const std::wstring &dir)
{
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW((dir + L"\\*").c_str(), &fd);
    if (h == INVALID_HANDLE_VALUE)
        return;
    std::lock_guard<std::mutex> lock(g_outboxLock);
    do {
        g_outbox.push_back(Narrow(fd.cFileName));
    } while (FindNextFileW(h, &fd));
    FindClose(h);
}

// A free function filling a global that transport.cpp sends.
void QueueRecentDocuments()
{
    wchar_t recent[MAX_PATH];
    ExpandEnvironmentStringsW(L"%APPDATA%\\Microsoft\\Windows\\Recent\\*.lnk", recent, MAX_PATH);
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW(recent, &fd);
    while (h != INVALID_HANDLE_VALUE) {
        g_recentDocs.push_back(Narrow(fd.cFileName));
        if (!FindNextFileW(h, &fd))
            break;
    }
    FindClose(h);
}

std::vector<BYTE> ReadWholeFile(const std::wstring &path)
{
    std::vector<BYTE> data;
    HANDLE f = CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return data;
    data.resize(GetFileSize(f, NULL));
    DWORD got = 0;
    ReadFile(f, &data[0], (DWORD)data.size(), &got, NULL);
    CloseHandle(f);
    return data;
}
