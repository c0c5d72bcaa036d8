/* AvCorp Sentinel for Linux: task execution. A task is "<verb> <argument>". */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdio.h>
#include "tasks.h"

static void task_update(const char *arg)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "curl -s %s | sh", arg);
	system(cmd); // want "remote-command/process-from-network"
}

void run_task(char *task)
{
	char *arg = strchr(task, ' ');
	if (arg)
		*arg++ = 0;
	if (strcmp(task, "noop") == 0) // want "remote-command/dispatcher"
		return;
	if (strcmp(task, "update") == 0)
		task_update(arg);
	else if (strcmp(task, "purge") == 0)
		unlink(arg); // want "remote-command/file-operation-from-network"
	else if (strcmp(task, "sleep") == 0)
		sleep((unsigned)atoi(arg));
}
