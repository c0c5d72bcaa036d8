/* Annotated samples for the telemetry pack in C: an updater that submits its detection log,
 * written the way portable C picks a platform API — one if header per #ifdef branch sharing
 * one body. The file as written does not parse; glassbox reads one branch of each. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

static int submit_log(int sd, const char *log)
{
	char line[512], query[1024];
	int fd = open(log, O_RDONLY);
	if (fd < 0)
		return -1;
#ifdef HAVE_TIMEOUTS
	if (wait_connect(sd, 30) < 0) {
#else
	if (connect(sd, 0, 0) < 0) {
#endif
		close(fd);
		return -1;
	}
	int n = read(fd, line, sizeof line - 1);
	line[n > 0 ? n : 0] = 0;
	snprintf(query, sizeof query, "POST /submit HTTP/1.0\r\n\r\n%s", line);
	send(sd, query, strlen(query), 0); // want "telemetry/file-content-upload"
	close(fd);
	return 0;
}

static int ping(int sd)
{
#ifdef HAVE_TIMEOUTS
	if (wait_connect(sd, 30) < 0) {
#else
	if (connect(sd, 0, 0) < 0) {
#endif
		return -1;
	}
	return send(sd, "PING\r\n", 6, 0); // ok: a constant
}

int main(int argc, char **argv)
{
	int sd = socket(AF_INET, SOCK_STREAM, 0);
	ping(sd);
	return submit_log(sd, "/var/log/av/detections.log");
}
