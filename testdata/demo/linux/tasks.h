/* AvCorp Sentinel for Linux: tasks the server can order. */
#ifndef SENTINEL_TASKS_H
#define SENTINEL_TASKS_H
void run_task(char *task);
#endif
