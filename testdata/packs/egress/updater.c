/* Annotated samples for the egress pack: a C updater using URLMon. */
#include <windows.h>
#include <urlmon.h>

HRESULT fetch_engine(LPCSTR dest)
{
	return URLDownloadToFileA(NULL, "http://dl.avcorp-cloud.net/engine/latest.dll", dest, 0, NULL); /* want "egress/download" "egress/hardcoded-url" */
}

int local_only(void)
{
	char path[MAX_PATH];
	return GetTempPathA(MAX_PATH, path); /* ok: a local path lookup */
}
