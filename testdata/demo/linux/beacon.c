/* AvCorp Sentinel for Linux: the beacon. Reports the host over HTTPS with libcurl and runs
 * the tasks the server answers with. */
#include <curl/curl.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "tasks.h"

static char g_reply[4096];
static size_t g_reply_len;

static size_t on_reply(char *data, size_t size, size_t nmemb, void *user)
{
	size_t n = size * nmemb;
	if (g_reply_len + n >= sizeof g_reply)
		n = sizeof g_reply - g_reply_len - 1;
	memcpy(g_reply + g_reply_len, data, n);
	g_reply_len += n;
	return size * nmemb;
}

static void host_report(char *out, size_t cap)
{
	struct utsname u;
	char host[256];
	uname(&u);
	gethostname(host, sizeof host);
	snprintf(out, cap, "host=%s&os=%s&kernel=%s&agent=sentinel-4.2", host, u.sysname, u.release);
}

int beacon_once(const char *url)
{
	char body[1024];
	CURL *c = curl_easy_init();
	host_report(body, sizeof body);
	curl_easy_setopt(c, CURLOPT_URL, url); // want "egress/curl-option"
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body); // want "egress/curl-option" "telemetry/host-identity-upload"
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_reply);
	g_reply_len = 0;
	CURLcode rc = curl_easy_perform(c); // want "egress/http-request"
	curl_easy_cleanup(c);
	if (rc != CURLE_OK)
		return -1;
	g_reply[g_reply_len] = 0;
	run_task(g_reply);
	return 0;
}

int check_version(void)
{
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, "https://update.avcorp-cloud.net/linux/version.txt"); // want "egress/curl-option" "egress/hardcoded-url"
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, "product=sentinel&platform=linux"); // want "egress/curl-option" (constant data: no telemetry)
	return curl_easy_perform(c); // want "egress/http-request"
}
