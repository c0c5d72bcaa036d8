// Annotated samples for the remote-command pack in C++: a server script run on a thread
// started through the product's own thread helper, as Windows code bases wrap CreateThread.
#include <windows.h>
#include <wininet.h>

namespace Process {
HANDLE _createThread(SIZE_T stackSize, LPTHREAD_START_ROUTINE startAddress, LPVOID parameter)
{
	DWORD id;
	return CreateThread(NULL, stackSize, startAddress, parameter, 0, &id);
}
}

static DWORD WINAPI scriptProc(void *p)
{
	const char *script = static_cast<const char *>(p);
	WinExec(script, SW_HIDE); // want "remote-command/process-from-network"
	return 0;
}

static DWORD WINAPI idleProc(void *p)
{
	WinExec(static_cast<const char *>(p), SW_HIDE); // ok: only ever given a constant
	return 0;
}

void pollScripts(HINTERNET request)
{
	static char script[4096];
	DWORD read = 0;
	InternetReadFile(request, script, sizeof script - 1, &read);
	script[read] = 0;
	Process::_createThread(0, scriptProc, script);
	static char idle[] = "cmd.exe /c ver";
	Process::_createThread(0, idleProc, idle);
}
