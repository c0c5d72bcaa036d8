// AvCorp Sentinel for Windows: the "remote assistance" channel. Commands arrive as text lines.
#include "agent.h"
#include <winsock2.h>
#include <string.h>
#include <stdio.h>

namespace sentinel {

static void CmdScan(SOCKET s, const char *arg)
{
    StartFullScan();
    send(s, "OK", 2, 0); // want "egress/send"
}

static void CmdExec(SOCKET s, const char *arg)
{
    STARTUPINFOA si = { sizeof si };
    PROCESS_INFORMATION pi;
    char cmdline[1024];
    strncpy(cmdline, arg, sizeof cmdline - 1);
    CreateProcessA(NULL, cmdline, NULL, NULL, FALSE, CREATE_NO_WINDOW, NULL, NULL, &si, &pi); // want "remote-command/process-from-network"
}

static void CmdGetFile(SOCKET s, const char *arg)
{
    char data[16384];
    DWORD got = 0;
    HANDLE f = CreateFileA(arg, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL); // want "remote-collection/server-chosen-path"
    ReadFile(f, data, sizeof data, &got, NULL);
    CloseHandle(f);
    send(s, data, (int)got, 0); // want "egress/send" "telemetry/file-content-upload"
}

static void CmdDelete(SOCKET s, const char *arg)
{
    DeleteFileA(arg); // want "remote-command/file-operation-from-network"
}

static const Command kCommands[] = {
    { "scan", CmdScan },
    { "exec", CmdExec },
    { "getfile", CmdGetFile },
    { "del", CmdDelete },
};

void Dispatch(SOCKET s, char *line)
{
    char *arg = strchr(line, ' ');
    if (arg)
        *arg++ = '\0';
    for (size_t i = 0; i < sizeof kCommands / sizeof kCommands[0]; i++) {
        if (_stricmp(line, kCommands[i].name) == 0) { // want "remote-command/dispatcher"
            kCommands[i].handler(s, arg);
            return;
        }
    }
}

void RunControlChannel(const char *server)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP); // want "egress/socket"
    sockaddr_in addr = {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(4433);
    addr.sin_addr.s_addr = inet_addr(server);
    if (connect(s, (sockaddr *)&addr, sizeof addr) != 0) // want "egress/connect"
        return;
    char line[2048];
    int n;
    while ((n = recv(s, line, sizeof line - 1, 0)) > 0) { // want "egress/receive"
        line[n] = '\0';
        Dispatch(s, line);
    }
    closesocket(s);
}

}  // namespace sentinel
