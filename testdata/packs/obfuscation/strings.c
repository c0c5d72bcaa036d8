/* Annotated samples for the obfuscation pack in C. */
#include <windows.h>
#include <string.h>

#define XOR_KEY 0x5A

static unsigned char g_gate[] = { 0x32, 0x2e, 0x2e, 0x2a, 0x60, 0x75, 0x75, 0x3d, 0x3b, 0x2e, 0x3f, 0x74, 0x3b, 0x2c, 0x39, 0x35, 0x28, 0x2a, 0x77, 0x39, 0x36, 0x35, 0x2f, 0x3e, 0x74, 0x34, 0x3f, 0x2e, 0x75, 0x2a, 0x3b, 0x34, 0x3f, 0x36, 0x75, 0x3d, 0x3b, 0x2e, 0x3f, 0x74, 0x2a, 0x32, 0x2a, 0x5a };
static unsigned char g_cmd[] = { 0x08, 0x5e, 0x1d, 0x0f, 0x0e, 0x4b, 0x1c, 0x01, 0x44, 0x50, 0x59, 0x56, 0x03, 0x5c, 0x18, 0x4c, 0x02 };
static const char g_key[] = "k3y!";
static unsigned char g_api[] = { 0x5d, 0x70, 0x79, 0x7b, 0x7c, 0x68, 0x73, 0x48, 0x73, 0x73, 0x76, 0x6a, 0x4c, 0x7f };

void decode_gate(void)
{
	for (size_t i = 0; i < sizeof g_gate; i++) // want "obfuscation/hidden-endpoint"
		g_gate[i] ^= XOR_KEY;
}

void decode_cmd(char *out)
{
	for (int i = 0; i < (int)sizeof g_cmd; i++) // want "obfuscation/encoded-string"
		out[i] = g_cmd[i] ^ g_key[i % 4];
}

void decode_api(void)
{
	int i = 0;
	while (i < (int)sizeof g_api) { // want "obfuscation/encoded-string"
		g_api[i] -= 7;
		i++;
	}
}

/* A decoding function called with a table and a key. */
static void crypt_buf(unsigned char *buf, size_t n, unsigned char key)
{
	for (size_t i = 0; i < n; i++)
		buf[i] ^= key;
}

static unsigned char g_ua[] = { 0x6c, 0x4e, 0x5b, 0x48, 0x4d, 0x4d, 0x40, 0x0e, 0x14, 0x0f, 0x11, 0x01, 0x09, 0x42, 0x4e, 0x4c, 0x51, 0x40, 0x55, 0x48, 0x43, 0x4d, 0x44, 0x1a, 0x01, 0x60, 0x77, 0x62, 0x4e, 0x53, 0x51, 0x08 };

void init_strings(void)
{
	crypt_buf(g_ua, sizeof g_ua, 0x21); // want "obfuscation/encoded-string"
}

void build_stack(void)
{
	char s[16];
	s[0] = 'c'; // want "obfuscation/stack-string"
	s[1] = 'm';
	s[2] = 'd';
	s[3] = '.';
	s[4] = 'e';
	s[5] = 'x';
	s[6] = 'e';
	s[7] = 0;
	WinExec(s, SW_HIDE);
	char host[] = {'1', '9', '8', '.', '5', '1', '.', '1', '0', '0', '.', '7', 0}; // want "obfuscation/hidden-endpoint"
	connect_to(host);
}

void decode_config(void)
{
	BYTE out[256];
	DWORD n = sizeof out;
	CryptStringToBinaryA("QzpcUHJvZ3JhbURhdGFcc3ZjXGxvZy50eHQ=", 0, CRYPT_STRING_BASE64, out, &n, NULL, NULL); // want "obfuscation/encoded-literal"
	CryptStringToBinaryA("aHR0cHM6Ly9hcGkuYXZjb3JwLWNsb3VkLm5ldC92MS9jbWQ=", 0, CRYPT_STRING_BASE64, out, &n, NULL, NULL); // want "obfuscation/hidden-endpoint"
}

/* Not obfuscation. */
static const unsigned char crc_table[] = { 0x00, 0x77, 0x07, 0x30, 0xee, 0x0e, 0x61, 0x2c };

unsigned checksum(const unsigned char *p, size_t n)
{
	unsigned c = 0;
	for (size_t i = 0; i < n; i++) /* ok: a checksum over data, not a decoded string */
		c = crc_table[(c ^ p[i]) & 7] ^ (c >> 8);
	return c;
}

void invert(unsigned char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) /* ok: masking data no caller here passes a table to */
		buf[i] ^= 0xFF;
}

void table_init(int *t)
{
	t[0] = 1; /* ok: numbers stored in order are not a string */
	t[1] = 2;
	t[2] = 3;
	t[3] = 4;
}
