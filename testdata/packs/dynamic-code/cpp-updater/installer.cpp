#include "updater.h"
#include <shellapi.h>

bool Installer::Apply(const std::wstring &package)
{
    std::wstring cmd = L"msiexec.exe /i \"" + package + L"\" /qn";
    STARTUPINFOW si = { sizeof(si) };
    PROCESS_INFORMATION pi;
    return CreateProcessW(NULL, &cmd[0], NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi) != FALSE; // want "dynamic-code/downloaded-code-run"
}

bool Installer::LoadExtension(const std::wstring &dll)
{
    return LoadLibraryW(dll.c_str()) != NULL; // want "dynamic-code/downloaded-code-run"
}

bool Installer::RunBundledRepair()
{
    return (INT_PTR)ShellExecuteW(NULL, L"open", L"C:\\Program Files\\AvCorp\\repair.exe", L"/auto", NULL, SW_HIDE) > 32; // ok: a program installed with the product
}
