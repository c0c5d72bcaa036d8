#include "updater.h"
#include <urlmon.h>

std::wstring Downloader::Fetch(const std::wstring &url)
{
    wchar_t tmp[MAX_PATH], file[MAX_PATH];
    GetTempPathW(MAX_PATH, tmp);
    GetTempFileNameW(tmp, L"avu", 0, file);
    URLDownloadToFileW(NULL, url.c_str(), file, 0, NULL);
    return file;
}

std::wstring Downloader::FetchToCache(const std::wstring &url)
{
    std::wstring cached(MAX_PATH, L'\0');
    URLDownloadToCacheFileW(NULL, url.c_str(), &cached[0], MAX_PATH, 0, NULL);
    cached.resize(wcslen(cached.c_str()));
    return cached;
}
