/* Annotated samples for the egress pack: POSIX and Winsock sockets, DNS, OpenSSL, libcurl. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <netdb.h>
#include <curl/curl.h>
#include <openssl/ssl.h>

struct transport {
	int (*send)(int, const void *, int, int);
};

static const char *primary = "https://telemetry.avcorp-cloud.net/v2/submit"; // want "egress/hardcoded-url"
static const char *backup_ip = "203.0.113.77";                                // want "egress/hardcoded-ip"
static const char *relay = "relay.avcorp-cloud.net:8443";                     // want "egress/hardcoded-host"
#define FILE_VERSION "1.0.0.1" // ok: a version number, not an address
#define GATE_URL "http://198.51.100.14/panel/gate.php" // want "egress/hardcoded-url"
#define FALLBACK_HOST L"fallback.avcorp-cloud.net" // want "egress/hardcoded-host"
#define FALLBACK_IP "203.0.113.78" // want "egress/hardcoded-ip"
#define BUILD_VERSION "2.4.0.17" // ok: a version number in a macro
#define LOG_FMT "[%s] %s" // ok: a format, not an endpoint
#define CONFIG_NAME "settings.json" // ok: a file name, not a host
static const char *libname = "libcrypto.so"; // ok: .so is a file extension here
static const char *tmpl = "http://%s:%d/upload"; // want "egress/hardcoded-url"
static const char *bare_tmpl = "https://%s:%d/%s"; // ok: placeholders only, no endpoint

static void usage(void)
{
	printf("Documentation: https://docs.avcorp-cloud.net/agent/faq\n"); // ok: a link in a message
	fprintf(stderr, "mirror *.avcorp-cloud.net unreachable\n");        // ok: a host in a message
}

int beacon(const char *host, const char *data, size_t len)
{
	struct addrinfo *res = NULL;
	if (getaddrinfo(host, "443", NULL, &res) != 0) // want "egress/dns-lookup"
		return -1;
	int s = socket(AF_INET, SOCK_STREAM, 0); // want "egress/socket"
	if (connect(s, res->ai_addr, res->ai_addrlen) != 0) // want "egress/connect"
		return -1;
	send(s, data, len, 0);   // want "egress/send"
	sendto(s, data, len, 0, res->ai_addr, res->ai_addrlen); // want "egress/send"
	char reply[512];
	recv(s, reply, sizeof reply, 0); // want "egress/receive"
	return 0;
}

int serve(int port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0); // want "egress/socket"
	listen(s, 5); // want "egress/listen"
	return accept(s, NULL, NULL); // want "egress/listen"
}

void through_pointer(struct transport *t, int s)
{
	t->send(s, "x", 1, 0); // ok: a struct member named send is not the socket API
	size_t n = strlen("send"); // ok: no network here
	printf("send %zu\n", n);   // ok: printing is not sending
}

int tls(SSL *ssl, const char *buf, int n)
{
	SSL_connect(ssl); // want "egress/connect"
	return SSL_write(ssl, buf, n); // want "egress/send"
}

int upload(const char *url, const char *body)
{
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, url); // want "egress/curl-option"
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body); // want "egress/curl-option"
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L); // ok: a timeout says nothing about where data goes
	return curl_easy_perform(c); // want "egress/http-request"
}

/* Local channels and address formatting are not network traffic. */
int local_channels(const struct sockaddr *sa, socklen_t len)
{
	char host[64];
	int ctl = socket(AF_UNIX, SOCK_STREAM, 0);                        // ok: a local socket
	int nl = socket(AF_NETLINK, SOCK_RAW, 0);                         // ok: the kernel, not the network
	getnameinfo(sa, len, host, sizeof host, NULL, 0, NI_NUMERICHOST); // ok: formats the address, no DNS query
	return getnameinfo(sa, len, host, sizeof host, NULL, 0, 0);       // want "egress/dns-lookup"
}

#define INET_ADDR(o1, o2, o3, o4) (htonl((o1 << 24) | (o2 << 16) | (o3 << 8) | (o4 << 0)))
static unsigned int fallback_c2(void)
{
	return INET_ADDR(198, 51, 100, 23); // want "egress/hardcoded-ip"
}
static unsigned int version_word(void)
{
	return MAKE_VERSION(2, 4, 0, 17); // ok: a version, not an address
}
#define DECOY_ADDR INET_ADDR(203, 0, 113, 9) // want "egress/hardcoded-ip"
#define SCAN_PORTS MAKE_PORTS(22, 23, 80, 443) // ok: not an address
