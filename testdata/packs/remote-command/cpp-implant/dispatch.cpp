// Verbs matched against the table defined in table.cpp.
#include "implant.h"

int Dispatch(const std::string &verb, const std::string &args)
{
    for (size_t i = 0; i < g_commandCount; ++i) {
        if (_stricmp(verb.c_str(), g_commands[i].name) == 0) // want "remote-command/dispatcher"
            return g_commands[i].handler(args);
    }
    return -1;
}

// The same verbs in an if-chain: the handlers it reaches are in handlers.cpp.
int DispatchDirect(const std::string &verb, const std::string &args)
{
    if (verb == "shell") // want "remote-command/dispatcher"
        return CmdShell(args);
    if (verb == "put")
        return CmdPut(args);
    if (verb == "update")
        return CmdUpdate(args);
    if (verb == "bye")
        return CmdBye(args);
    return -1;
}
