// Dynamic-code samples in C++: scripts and detection rules received from the network and
// handed to an interpreter or rule compiler — Lua, Python, Duktape, QJSEngine, YARA — and
// interpreters fed from local files, constants, or given network data only as a value.
#include <winsock2.h>
#include <winhttp.h>
#include <openssl/ssl.h>
#include <curl/curl.h>
extern "C" {
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
}
#include <Python.h>
#include <duktape.h>
#include <yara.h>
#include <QJSEngine>
#include <QNetworkReply>
#include <QObject>
#include <fstream>
#include <sstream>
#include <string>

class ScriptHost {
public:
    ScriptHost() : L(luaL_newstate()) { luaL_openlibs(L); }
    void RunRemote(SOCKET s);
    void RunLocal(const char *path);
    void PushConfig(SOCKET s);
private:
    lua_State *L;
};

void ScriptHost::RunRemote(SOCKET s)
{
    uint32_t len = 0;
    recv(s, (char *)&len, sizeof len, MSG_WAITALL);
    std::string chunk(len, '\0');
    recv(s, &chunk[0], (int)len, MSG_WAITALL);
    if (luaL_loadbuffer(L, chunk.data(), chunk.size(), "=remote") == 0) // want "dynamic-code/interpreter-from-network"
        lua_pcall(L, 0, 0, 0);
}

void ScriptHost::RunLocal(const char *path)
{
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    luaL_dostring(L, ss.str().c_str()); // ok: a script from a local file
}

// Network data handed to a script as a value, not as code.
void ScriptHost::PushConfig(SOCKET s)
{
    char cfg[512];
    int n = recv(s, cfg, sizeof cfg - 1, 0);
    cfg[n > 0 ? n : 0] = 0;
    lua_getglobal(L, "on_config");
    lua_pushstring(L, cfg);
    lua_pcall(L, 1, 0, 0);
    luaL_dostring(L, "print('config applied')"); // ok: a constant script
}

// Python embedded in an EDR sensor, its "response actions" delivered over HTTPS.
void RunResponseAction(HINTERNET req)
{
    std::string code;
    char buf[4096];
    DWORD got = 0;
    while (WinHttpReadData(req, buf, sizeof buf, &got) && got)
        code.append(buf, got);
    Py_Initialize();
    PyRun_SimpleString(code.c_str()); // want "dynamic-code/interpreter-from-network"
    Py_Finalize();
}

// JavaScript rules for a web filter, over TLS.
void EvalFilter(SSL *ssl, duk_context *ctx)
{
    char src[8192];
    int n = SSL_read(ssl, src, sizeof src - 1);
    src[n > 0 ? n : 0] = 0;
    duk_peval_string(ctx, src); // want "dynamic-code/interpreter-from-network"
}

// Signature updates: YARA rules straight from the update server.
struct RuleUpdate {
    YR_COMPILER *compiler;
    std::string text;
};

static size_t OnRules(char *data, size_t size, size_t nmemb, void *userdata)
{
    RuleUpdate *u = static_cast<RuleUpdate *>(userdata);
    u->text.append(data, size * nmemb);
    yr_compiler_add_string(u->compiler, u->text.c_str(), "cloud"); // want "dynamic-code/interpreter-from-network"
    return size * nmemb;
}

void FetchRules(CURL *curl, RuleUpdate *u)
{
    curl_easy_setopt(curl, CURLOPT_URL, "https://rules.avcorp.example/latest.yar");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnRules);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, u);
    curl_easy_perform(curl);
}

void CompileBundledRules(YR_COMPILER *compiler)
{
    FILE *f = fopen("C:\\Program Files\\AvCorp\\rules\\base.yar", "r");
    yr_compiler_add_file(compiler, f, NULL, "base.yar"); // ok: rules shipped with the product
    fclose(f);
    yr_compiler_add_string(compiler, "rule eicar { strings: $a = \"EICAR\" condition: $a }", NULL); // ok: a constant rule
}

// Qt: a reply from the management server evaluated as JavaScript.
class PolicyClient : public QObject {
public:
    void onFinished(QNetworkReply *reply);
private:
    QJSEngine m_engine;
};

void PolicyClient::onFinished(QNetworkReply *reply)
{
    const QString script = QString::fromUtf8(reply->readAll());
    m_engine.evaluate(script); // want "dynamic-code/interpreter-from-network"
    m_engine.evaluate("policy.apply()"); // ok: a constant script
}
