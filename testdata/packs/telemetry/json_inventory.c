/* Annotated samples for the telemetry pack in C: an agent that builds its inventory as a
 * cJSON document and sends it to its manager, as Linux EDR agents do. */
#include <ifaddrs.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <proc/readproc.h>
#include "cJSON.h"

static void send_doc(int sock, cJSON *doc)
{
	char *text = cJSON_PrintUnformatted(doc);
	send(sock, text, strlen(text), 0); // want "telemetry/host-identity-upload" "telemetry/process-list-upload"
	cJSON_free(text);
}

void report_os(int sock)
{
	struct utsname u;
	uname(&u);
	cJSON *os = cJSON_CreateObject();
	cJSON_AddStringToObject(os, "sysname", u.sysname);
	cJSON_AddStringToObject(os, "release", u.release);
	send_doc(sock, os);
}

void report_interfaces(int sock)
{
	struct ifaddrs *ifs;
	getifaddrs(&ifs);
	cJSON *list = cJSON_CreateArray();
	for (struct ifaddrs *i = ifs; i; i = i->ifa_next)
		cJSON_AddItemToArray(list, cJSON_CreateString(i->ifa_name));
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddItemToObject(doc, "interfaces", list);
	send_doc(sock, doc);
}

void report_processes(int sock)
{
	PROCTAB *pt = openproc(PROC_FILLCOM | PROC_FILLSTAT);
	proc_t *p;
	cJSON *procs = cJSON_CreateArray();
	while ((p = readproc(pt, NULL)) != NULL)
		cJSON_AddItemToArray(procs, cJSON_CreateString(p->cmd));
	send_doc(sock, procs);
}

void heartbeat(int sock)
{
	cJSON *hb = cJSON_CreateObject();
	cJSON_AddStringToObject(hb, "status", "alive");
	cJSON_AddNumberToObject(hb, "version", 4);
	char *text = cJSON_PrintUnformatted(hb);
	send(sock, text, strlen(text), 0); // ok: only constants
}
