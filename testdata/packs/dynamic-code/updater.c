/* Annotated samples for the dynamic-code pack in C (Windows). */
#include <windows.h>
#include <urlmon.h>
#include <wininet.h>
#include <string.h>

typedef void (*plugin_init)(void);

/* A silent update: a DLL fetched from the network and loaded. */
int update_engine(void)
{
	char path[MAX_PATH] = "C:\\ProgramData\\AvCorp\\engine.dll";
	if (URLDownloadToFileA(NULL, "https://cdn.avcorp-cloud.net/engine.dll", path, 0, NULL) != S_OK)
		return -1;
	HMODULE m = LoadLibraryA(path); // want "dynamic-code/downloaded-code-run"
	plugin_init init = (plugin_init)GetProcAddress(m, "Init");
	init();
	return 0;
}

/* A library loaded from the installation directory was not downloaded. */
int load_local(void)
{
	HMODULE m = LoadLibraryA("C:\\Program Files\\AvCorp\\core.dll"); /* ok: a fixed local path */
	return m != NULL;
}

/* A stager: bytes from the network are copied into memory made executable. */
int stage(HINTERNET req)
{
	char buf[65536];
	DWORD got = 0;
	InternetReadFile(req, buf, sizeof buf, &got);
	void *mem = VirtualAlloc(NULL, got, MEM_COMMIT, PAGE_READWRITE);
	memcpy(mem, buf, got);
	DWORD old;
	VirtualProtect(mem, got, PAGE_EXECUTE_READ, &old); // want "dynamic-code/network-bytes-executed"
	CreateThread(NULL, 0, (LPTHREAD_START_ROUTINE)mem, NULL, 0, NULL); // want "dynamic-code/network-bytes-executed"
	return 0;
}

/* Protection changed on local data to read-only: not code. */
int lock_table(char *table, size_t n, HINTERNET req)
{
	DWORD old, got;
	InternetReadFile(req, table, (DWORD)n, &got);
	return VirtualProtect(table, n, PAGE_READONLY, &old); /* ok: not made executable */
}

/* Lua scripts pushed by the server are run. */
int run_script(lua_State *L, SOCKET s)
{
	char script[4096];
	int n = recv(s, script, sizeof script - 1, 0);
	script[n] = 0;
	return luaL_dostring(L, script); // want "dynamic-code/interpreter-from-network"
}

int run_builtin(lua_State *L)
{
	return luaL_dostring(L, "print('ready')"); /* ok: a constant script */
}
