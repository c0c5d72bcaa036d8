// Annotated samples for the egress pack: a C++ listener and resolver with libcurl.
#include <sys/socket.h>
#include <netdb.h>
#include <curl/curl.h>
#include <string>

namespace agent {

class Listener {
public:
    int Start(int port);
    bool Fetch(const std::string &url);
};

int Listener::Start(int port)
{
    int fd = socket(AF_INET6, SOCK_STREAM, 0); // want "egress/socket"
    ::listen(fd, SOMAXCONN); // want "egress/listen"
    hostent *h = gethostbyname("ctrl.avcorp-cloud.net"); // want "egress/dns-lookup" "egress/hardcoded-host"
    (void)h;
    return fd;
}

bool Listener::Fetch(const std::string &url)
{
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str()); // want "egress/curl-option"
    curl_easy_setopt(c, CURLOPT_VERBOSE, 1L); // ok: verbosity is not a target
    std::string version = "2.4.0.17"; // ok: a version assigned to a variable named version
    return curl_easy_perform(c) == CURLE_OK; // want "egress/http-request"
}

} // namespace agent
