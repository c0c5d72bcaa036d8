// The socket side: one line per command, "verb args".
#include "implant.h"

bool Channel::Receive(std::string &line)
{
    char c;
    line.clear();
    while (recv(m_sock, &c, 1, 0) == 1) {
        if (c == '\n')
            return true;
        line.push_back(c);
    }
    return false;
}

void Channel::Serve()
{
    std::string line;
    while (Receive(line)) {
        size_t sp = line.find(' ');
        std::string verb = line.substr(0, sp);
        std::string args = sp == std::string::npos ? std::string() : line.substr(sp + 1);
        int rc = Dispatch(verb, args);
        char status[16];
        sprintf(status, "%d\n", rc);
        send(m_sock, status, (int)strlen(status), 0);
    }
}

void Channel::ServeRouted()
{
    static Router router;
    std::string line;
    while (Receive(line)) {
        size_t sp = line.find(' ');
        router.Route(line.substr(0, sp), line.substr(sp + 1));
    }
}

void Channel::ServeDirect()
{
    char buf[512];
    int n = recv(m_sock, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return;
    buf[n] = 0;
    char *sp = strchr(buf, ' ');
    if (sp)
        *sp++ = 0;
    DispatchDirect(buf, sp ? sp : "");
}

// A local maintenance pipe: the same verbs, but from a named pipe only the local service
// account can open.
void ServeLocalPipe()
{
    HANDLE pipe = CreateNamedPipeA("\\\\.\\pipe\\avagent-local", PIPE_ACCESS_INBOUND, PIPE_TYPE_BYTE, 1, 0, 4096, 0, NULL);
    ConnectNamedPipe(pipe, NULL);
    char buf[256];
    DWORD got = 0;
    ReadFile(pipe, buf, sizeof buf - 1, &got, NULL);
    buf[got] = 0;
    if (strcmp(buf, "flush") == 0) // ok: a local pipe is not network input
        DeleteFileA("C:\\ProgramData\\svc\\queue.db");
    else if (strcmp(buf, "restart") == 0)
        ExitWindowsEx(EWX_REBOOT, 0);
}
