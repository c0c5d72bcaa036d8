/* Annotated samples for the remote-collection pack in C: a check-in whose message carries
 * the host name and whose buffer then holds the server's command. The command comparison
 * is the protocol, not host gating; the name check before it is. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

static void exchange(int sock, char *msg, size_t size)
{
	send(sock, msg, strlen(msg), 0);
	recv(sock, msg, size, 0);
}

static void handle(const char *cmd)
{
	if (strcmp(cmd, "sleep") == 0) // ok: the server's command, though the buffer held the host name
		sleep(60);
	else if (strcmp(cmd, "exit") == 0)
		_exit(0);
}

void checkin(int sock)
{
	char name[64], msg[512];
	gethostname(name, sizeof name);
	if (strcmp(name, "ANALYSIS-VM") == 0) // want "remote-collection/host-gated"
		_exit(0);
	snprintf(msg, sizeof msg, "HELLO %s", name);
	exchange(sock, msg, sizeof msg);
	handle(msg);
}
