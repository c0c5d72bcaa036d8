#include "updater.h"
#include <thread>
extern "C" {
#include <lua.h>
#include <lauxlib.h>
}

static void ScriptWorker(SOCKET s)
{
    lua_State *L = luaL_newstate();
    char script[16384];
    int n;
    while ((n = recv(s, script, sizeof script - 1, 0)) > 0) {
        script[n] = 0;
        luaL_dostring(L, script); // want "dynamic-code/interpreter-from-network"
    }
    lua_close(L);
}

static void HeartbeatWorker(SOCKET s)
{
    lua_State *L = luaL_newstate();
    luaL_dostring(L, "return os.time()"); // ok: a constant script
    send(s, "HB", 2, 0);
    lua_close(L);
}

void StartScriptWorker(SOCKET s)
{
    std::thread(ScriptWorker, s).detach();
    std::thread(HeartbeatWorker, s).detach();
}
