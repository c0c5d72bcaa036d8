// Telemetry samples in C++ (Linux/macOS agent): host identity, environment, directory
// listings and file contents uploaded over libcurl, OpenSSL, raw sockets and Boost.Asio.
#include <sys/utsname.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <dirent.h>
#include <fcntl.h>
#include <netdb.h>
#include <pwd.h>
#include <unistd.h>
#include <syslog.h>
#include <openssl/ssl.h>
#include <curl/curl.h>
#include <boost/asio.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char **environ;

namespace agent {

struct Inventory {
    std::string hostname;
    std::string kernel;
    std::string user;
};

class CloudClient {
public:
    explicit CloudClient(const std::string &base) : m_base(base), m_curl(curl_easy_init()) {}
    bool PostJson(const std::string &path, const std::string &json);
    bool Checkin(const Inventory &inv);
    void UploadFile(const char *path);
    void ReportHome();
    void ReportProxy();
private:
    std::string m_base;
    CURL *m_curl;
};

static std::string JsonEscape(const std::string &in)
{
    std::string out;
    out.reserve(in.size());
    for (char c : in) {
        if (c == '"' || c == '\\')
            out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

static Inventory Gather()
{
    Inventory inv;
    char host[256] = {0};
    gethostname(host, sizeof host - 1);
    inv.hostname = host;
    struct utsname u;
    if (uname(&u) == 0)
        inv.kernel = std::string(u.sysname) + " " + u.release;
    struct passwd *pw = getpwuid(getuid());
    inv.user = pw ? pw->pw_name : "";
    return inv;
}

bool CloudClient::PostJson(const std::string &path, const std::string &json)
{
    std::string url = m_base + path;
    curl_easy_setopt(m_curl, CURLOPT_URL, url.c_str()); // ok: base URL and constant paths only
    curl_easy_setopt(m_curl, CURLOPT_POSTFIELDS, json.c_str()); // want "telemetry/host-identity-upload"
    return curl_easy_perform(m_curl) == CURLE_OK;
}

bool CloudClient::Checkin(const Inventory &inv)
{
    std::ostringstream js;
    js << "{\"host\":\"" << JsonEscape(inv.hostname) << "\",\"kernel\":\"" << inv.kernel << "\"}";
    return PostJson("/v1/checkin", js.str());
}

// The login name over TLS, read by getlogin() and framed by hand.
void SendLogin(SSL *ssl)
{
    const char *login = getlogin();
    std::string frame("L");
    frame.append(login ? login : "?");
    SSL_write(ssl, frame.data(), (int)frame.size()); // want "telemetry/host-identity-upload"
}

// uname() through a lambda that formats, sent over Boost.Asio.
void SendKernel(boost::asio::ip::tcp::socket &sock)
{
    struct utsname u;
    uname(&u);
    auto fmt = [](const struct utsname &x) { return std::string(x.nodename) + "/" + x.release; };
    std::string line = fmt(u);
    boost::asio::write(sock, boost::asio::buffer(line)); // want "telemetry/host-identity-upload"
}

// ---- environment ----------------------------------------------------------------------

void CloudClient::ReportHome()
{
    const char *home = getenv("HOME");
    char *q = curl_easy_escape(m_curl, home, 0);
    std::string url = m_base + "/v1/env?home=" + q;
    curl_easy_setopt(m_curl, CURLOPT_URL, url.c_str()); // want "telemetry/environment-upload"
    curl_easy_perform(m_curl);
    curl_free(q);
}

void DumpEnvironment(int sock)
{
    std::string all;
    for (char **e = environ; *e; ++e) {
        all += *e;
        all += '\n';
    }
    send(sock, all.data(), all.size(), 0); // want "telemetry/environment-upload"
}

// Only how many variables there are: a count, not the environment.
void SendEnvCount(int sock)
{
    int n = 0;
    while (environ[n])
        n++;
    send(sock, (const char *)&n, sizeof n, 0); // ok: a count of the variables
}

void SendShell(int sock)
{
    const char *shell = secure_getenv("SHELL");
    char msg[256];
    snprintf(msg, sizeof msg, "shell=%s", shell ? shell : "");
    send(sock, msg, strlen(msg), 0); // want "telemetry/environment-upload"
}

void SendUser(int sock)
{
    std::string user = getenv("USER");
    std::string line = "user=" + user + "\n";
    send(sock, line.data(), line.size(), 0); // want "telemetry/environment-upload"
}

void CloudClient::ReportProxy()
{
    const char *proxy = getenv("HTTPS_PROXY");
    if (proxy)
        curl_easy_setopt(m_curl, CURLOPT_PROXY, proxy); // ok: the proxy setting configures the connection, it is not uploaded
    syslog(LOG_INFO, "using proxy %s", proxy ? proxy : "none");
    curl_easy_setopt(m_curl, CURLOPT_USERAGENT, "avcorp-agent/4.2"); // ok: constant user agent
}

// ---- directory listings ---------------------------------------------------------------

void ListHome(int sock, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    std::vector<std::string> names;
    while (struct dirent *ent = readdir(d))
        names.push_back(ent->d_name);
    closedir(d);
    std::string out;
    for (const auto &n : names)
        out += n + "\n";
    send(sock, out.c_str(), out.size(), 0); // want "telemetry/directory-listing-upload"
}

void ListDownloads(int sock, const std::string &home)
{
    DIR *d = opendir((home + "/Downloads").c_str());
    struct dirent *ent;
    char line[512];
    while ((ent = readdir(d)) != NULL) {
        snprintf(line, sizeof line, "%s\n", ent->d_name);
        send(sock, line, strlen(line), 0); // want "telemetry/directory-listing-upload"
    }
    closedir(d);
}

void ListSsh(SSL *ssl)
{
    struct dirent **list = nullptr;
    int n = scandir("/root/.ssh", &list, nullptr, alphasort);
    for (int i = 0; i < n; ++i) {
        SSL_write(ssl, list[i]->d_name, (int)strlen(list[i]->d_name)); // want "telemetry/directory-listing-upload"
        free(list[i]);
    }
    free(list);
}

void CountFiles(int sock, const char *dir)
{
    DIR *d = opendir(dir);
    int count = 0;
    while (readdir(d) != nullptr)
        ++count;
    closedir(d);
    char msg[32];
    snprintf(msg, sizeof msg, "files=%d", count);
    send(sock, msg, strlen(msg), 0); // ok: only a count leaves the machine
}

// ---- file contents --------------------------------------------------------------------

void CloudClient::UploadFile(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return;
    struct stat st;
    fstat(fileno(fp), &st);
    curl_easy_setopt(m_curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(m_curl, CURLOPT_READDATA, fp); // want "telemetry/file-content-upload"
    curl_easy_setopt(m_curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)st.st_size); // ok: only the size
    curl_easy_perform(m_curl);
    fclose(fp);
}

void SendShadow(SSL *ssl)
{
    std::ifstream in("/etc/shadow");
    std::string line;
    std::string all;
    while (std::getline(in, line))
        all += line + "\n";
    SSL_write(ssl, all.data(), (int)all.size()); // want "telemetry/file-content-upload"
}

void SendMapped(int sock, const char *path)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    fstat(fd, &st);
    void *p = mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    send(sock, p, st.st_size, 0); // want "telemetry/file-content-upload"
    munmap(p, st.st_size);
    close(fd);
}

void SendChunks(int sock, const char *path)
{
    int fd = open(path, O_RDONLY);
    char buf[8192];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        send(sock, buf, n, 0); // want "telemetry/file-content-upload"
    close(fd);
}

bool UploadKeyFile(SSL *ssl, const char *path)
{
    FILE *f = fopen(path, "rb");
    std::vector<unsigned char> buf(64 * 1024);
    size_t n = fread(&buf[0], 1, buf.size(), f);
    fclose(f);
    return SSL_write(ssl, &buf[0], (int)n) > 0; // want "telemetry/file-content-upload"
}

void SendConfigSize(int sock)
{
    FILE *f = fopen("/etc/avcorp/agent.conf", "r");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    send(sock, &size, sizeof size, 0); // ok: the size of the file, not its contents
}

void LogConfig()
{
    std::ifstream cfg("/etc/avcorp/agent.conf");
    std::string line;
    while (std::getline(cfg, line))
        syslog(LOG_DEBUG, "config: %s", line.c_str()); // ok: logged locally, never sent
}

// The server name comes from the agent's own configuration file and is resolved: the file's
// contents pick the destination, they are not what is sent.
int ConnectConfigured(const char *conf)
{
    char server[256] = {0};
    FILE *f = fopen(conf, "r");
    fgets(server, sizeof server, f);
    fclose(f);
    server[strcspn(server, "\r\n")] = 0;
    struct addrinfo *res = nullptr;
    return getaddrinfo(server, "443", nullptr, &res); // todo-ok "telemetry/file-content-upload" a configured server name is indistinguishable from uploaded contents
}

// A local proxy relays bytes between two sockets with read() and send(): the bytes come
// from a peer, not from a file.
void Relay(int client_fd, int upstream_fd)
{
    char buf[4096];
    ssize_t n = read(client_fd, buf, sizeof buf);
    if (n > 0)
        send(upstream_fd, buf, n, 0); // todo-ok "telemetry/file-content-upload" read() on a socket descriptor is modelled as a file read
}

} // namespace agent

int main(int argc, char **argv)
{
    agent::CloudClient client(argc > 1 ? argv[1] : "https://telemetry.avcorp.example");
    client.Checkin(agent::Gather());
    client.ReportHome();
    client.ReportProxy();
    client.UploadFile("/var/log/avcorp/quarantine.tar");
    return 0;
}
