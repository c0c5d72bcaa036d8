// Obfuscation samples in C++: strings an implant hides from `strings` and from reviewers —
// and the byte loops of an antivirus that decode nothing.
#include <windows.h>
#include <wincrypt.h>
#include <string>
#include <vector>
#include <winhttp.h>

#define STR_KEY 0x37

// "https://gate.avcorp-cloud.net/panel/gate.php", XOR 0x37.
static unsigned char g_gate[] = { 0x5f, 0x43, 0x43, 0x47, 0x44, 0x0d, 0x18, 0x18, 0x50, 0x56, 0x43, 0x52, 0x19, 0x56, 0x41, 0x54, 0x58, 0x45, 0x47, 0x1a, 0x54, 0x5b, 0x58, 0x42, 0x53, 0x19, 0x59, 0x52, 0x43, 0x18, 0x47, 0x56, 0x59, 0x52, 0x5b, 0x18, 0x50, 0x56, 0x43, 0x52, 0x19, 0x47, 0x5f, 0x47 };
// "cmd.exe /c whoami", XOR with a four-byte key.
static unsigned char g_cmd[] = { 0x32, 0x5a, 0x1c, 0x0f, 0x34, 0x4f, 0x1d, 0x01, 0x7e, 0x54, 0x58, 0x56, 0x39, 0x58, 0x19, 0x4c, 0x38 };
static const unsigned char g_cmdKey[] = { 'Q', '7', 'x', '!' }; // ok: the XOR key of g_cmd, written as characters: a key, not a hidden string
// "Global\AvSvcMtx", each byte plus 5.
static unsigned char g_mutex[] = { 0x4c, 0x71, 0x74, 0x67, 0x66, 0x71, 0x61, 0x46, 0x7b, 0x58, 0x7b, 0x68, 0x52, 0x79, 0x7d };

class StringVault {
public:
    std::string Gate();
    std::string Command();
    void Mutex();
    std::string RunKey();
    std::string Stage2();
    std::string Verb();
    std::string Shell();
};

std::string StringVault::Gate()
{
    for (size_t i = 0; i < sizeof g_gate; ++i) // want "obfuscation/hidden-endpoint"
        g_gate[i] ^= STR_KEY;
    return std::string((const char *)g_gate, sizeof g_gate);
}

std::string StringVault::Command()
{
    std::string out(sizeof g_cmd, '\0');
    for (size_t i = 0; i < sizeof g_cmd; ++i) // want "obfuscation/encoded-string"
        out[i] = (char)(g_cmd[i] ^ g_cmdKey[i % 4]);
    return out;
}

void StringVault::Mutex()
{
    size_t i = 0;
    while (i < sizeof g_mutex) { // want "obfuscation/encoded-string"
        g_mutex[i] -= 5;
        ++i;
    }
    CreateMutexA(NULL, TRUE, (const char *)g_mutex);
}

std::string StringVault::RunKey()
{
    BYTE out[128];
    DWORD n = sizeof out;
    CryptStringToBinaryA("U09GVFdBUkVcTWljcm9zb2Z0XFdpbmRvd3NcQ3VycmVudFZlcnNpb25cUnVu", 0, CRYPT_STRING_BASE64, out, &n, NULL, NULL); // want "obfuscation/encoded-literal"
    return std::string((const char *)out, n);
}

std::string StringVault::Stage2()
{
    BYTE out[128];
    DWORD n = sizeof out;
    CryptStringToBinaryA("aHR0cHM6Ly9jZG4uYXZjb3JwLWNsb3VkLm5ldC9zdGFnZTIuYmlu", 0, CRYPT_STRING_BASE64, out, &n, NULL, NULL); // want "obfuscation/hidden-endpoint"
    return std::string((const char *)out, n);
}

std::string StringVault::Shell()
{
    char shell[] = { 'p', 'o', 'w', 'e', 'r', 's', 'h', 'e', 'l', 'l', '.', 'e', 'x', 'e', 0 }; // want "obfuscation/stack-string"
    return shell;
}

std::string StringVault::Verb()
{
    char v[8];
    v[0] = 'u'; // want "obfuscation/stack-string"
    v[1] = 'p';
    v[2] = 'l';
    v[3] = 'o';
    v[4] = 'a';
    v[5] = 'd';
    v[6] = 0;
    return v;
}

void Beacon()
{
    wchar_t host[] = { L'1', L'9', L'8', L'.', L'5', L'1', L'.', L'1', L'0', L'0', L'.', L'9', 0 }; // want "obfuscation/hidden-endpoint"
    HINTERNET s = WinHttpOpen(L"Mozilla/5.0", 0, NULL, NULL, 0);
    WinHttpConnect(s, host, 443, 0);
}

// ---- must not match -------------------------------------------------------------------

static const unsigned int kCrcTable[] = { 0x00000000, 0x77073096, 0xee0e612c, 0x990951ba };

unsigned int Crc(const unsigned char *p, size_t n)
{
    unsigned int c = 0xFFFFFFFF;
    for (size_t i = 0; i < n; ++i) // ok: a checksum over data, not a decoded string
        c = kCrcTable[(c ^ p[i]) & 3] ^ (c >> 8);
    return ~c;
}

// An emulator unpacking a sample's XOR layer: the data and key come from the scanned file.
void UnxorSample(std::vector<unsigned char> &sample, unsigned char key)
{
    for (size_t i = 0; i < sample.size(); ++i) // ok: the data and the key come from the scanned file
        sample[i] ^= key;
}
