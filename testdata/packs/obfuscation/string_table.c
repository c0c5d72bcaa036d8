/* Annotated samples for the obfuscation pack in C: a bot's string table, stored encrypted by
 * one function and decrypted in place by another, with a key spread over four bytes of a
 * global, and credentials decrypted by a helper reached through a wrapper. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	char *val;
	int len;
};

static uint32_t strings_key = 0x1f2e3d4c;
static struct entry strings[8];

static void put(int id, const char *enc, int len)
{
	strings[id].val = malloc(len);
	memcpy(strings[id].val, enc, len);
	strings[id].len = len;
}

void strings_init(void)
{
	put(0, "\x23\x72\x6e\x35\x30\x24\x21\x34\x25\x33\x6d\x23\x24\x2e\x6e\x2e\x25\x34\x40", 19); // want "obfuscation/hidden-endpoint"
	put(1, "\x6f\x30\x32\x2f\x23\x6f\x40", 7);                                         // want "obfuscation/encoded-string"
	put(2, "banner", 6);                                                             // ok: plain text is not hidden
}

static void toggle(int id)
{
	struct entry *e = &strings[id];
	uint8_t a = strings_key & 0xff, b = (strings_key >> 8) & 0xff, c = (strings_key >> 16) & 0xff, d = strings_key >> 24;
	for (int i = 0; i < e->len; i++) {
		e->val[i] ^= a;
		e->val[i] ^= b;
		e->val[i] ^= c;
		e->val[i] ^= d;
	}
}

static char *unhide(const char *s, int n)
{
	char *out = malloc(n + 1);
	strncpy(out, s, n + 1);
	for (int i = 0; i < n; i++)
		out[i] -= 7;
	return out;
}

static void add_login(const char *user, const char *pass)
{
	unhide(user, strlen(user));
	unhide(pass, strlen(pass));
}

void logins_init(void)
{
	add_login("\x68\x6b\x74\x70\x75", "\x68\x6b\x74\x70\x75\x38\x39\x3a"); // want "obfuscation/encoded-string"
}
