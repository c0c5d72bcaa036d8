/* Annotated samples for remote-command in C (Windows): registry changes ordered remotely. */
#include <windows.h>
#include <winhttp.h>

struct reg_order {
	char value_name[64];
	char data[256];
};

void apply_order(HINTERNET req, HKEY run)
{
	struct reg_order order;
	DWORD got = 0;
	WinHttpReadData(req, &order, sizeof order, &got);
	RegSetValueExA(run, order.value_name, 0, REG_SZ, (const BYTE *)order.data, (DWORD)strlen(order.data) + 1); // want "remote-command/registry-from-network"
}

void set_defaults(HKEY key)
{
	const char *path = "C:\\Program Files\\AvCorp\\tray.exe";
	RegSetValueExA(key, "AvCorpTray", 0, REG_SZ, (const BYTE *)path, (DWORD)strlen(path) + 1); /* ok: constant autorun written by the installer */
}
