/*
 * t_path.c: unit tests of path_clean, path_encode and query_encode.
 * Dot segments, empty segments, percent-decoding done once, refused bytes
 * and escapes, strict UTF-8 (RFC 3629), hidden names and .well-known
 * (RFC 8615), the length limit, and percent-encoding for hrefs.
 */
#include <stdlib.h>

#include "http.h"
#include "tap.h"

/* clean in[0..n) from a buffer of exactly n bytes into out[cap] */
static enum status
clean(const char *in, size_t n, char *out, size_t cap, int *dir)
{
	enum status s;
	char *b = malloc(n ? n : 1);

	if (b == NULL)
		abort();
	memcpy(b, in, n);
	*dir = -1;
	s = path_clean(b, n, out, cap, dir);
	free(b);
	return s;
}

/* accepted, with the clean path want and the directory flag wdir */
static void
good(const char *in, const char *want, int wdir)
{
	char out[HTTP_MAX_PATH];
	enum status s;
	int dir;

	s = clean(in, strlen(in), out, sizeof(out), &dir);
	ok(s == S_OK && strcmp(out, want) == 0 && dir == wdir,
	    "\"%s\" -> \"%s\" dir=%d (got %d \"%s\" dir=%d)", in, want, wdir,
	    s, s == S_OK ? out : "", dir);
}

/* refused with status want */
static void
bad_n(const char *in, size_t n, enum status want)
{
	char out[HTTP_MAX_PATH];
	enum status s;
	int dir;

	s = clean(in, n, out, sizeof(out), &dir);
	ok(s == want, "\"%.*s\" -> %d (got %d)", (int)n, in, want, s);
}

static void
bad(const char *in, enum status want)
{
	bad_n(in, strlen(in), want);
}

static void
segments(void)
{
	good("/", "", 1);
	good("/a", "a", 0);
	good("/a/b", "a/b", 0);
	good("/a/b/", "a/b", 1);
	good("/a/./b", "a/b", 0);
	good("/a/../b", "b", 0);
	good("/a/b/../c", "a/c", 0);
	good("/a/b/../../c", "c", 0);
	good("//a///b", "a/b", 0);
	good("//", "", 1);
	good("/a//", "a", 1);
	good("/.", "", 2);
	good("/./", "", 1);
	good("/a/.", "a", 2);
	good("/a/..", "", 2);
	good("/a/b/..", "a", 2);
	good("/a/b/../", "a", 1);
	good("/a/./", "a", 1);
	good("/a.b", "a.b", 0);
	good("/a.", "a.", 0);
	good("/index.html", "index.html", 0);
	good("/a+b", "a+b", 0);
	good("/~user/x", "~user/x", 0);
	bad("/../x", S_BAD_REQUEST);
	bad("/..", S_BAD_REQUEST);
	bad("/a/../../x", S_BAD_REQUEST);
	bad("/a/../..", S_BAD_REQUEST);
	bad("/./../x", S_BAD_REQUEST);
	bad("", S_BAD_REQUEST);
	bad("a/b", S_BAD_REQUEST);
	bad("*", S_BAD_REQUEST);
}

static void
escapes(void)
{
	good("/%41", "A", 0);
	good("/a%20b", "a b", 0);
	good("/%7euser", "~user", 0);
	good("/%25", "%", 0);
	good("/%252e", "%2e", 0);
	good("/%252e%252e/x", "%2e%2e/x", 0);
	good("/%252f", "%2f", 0);
	good("/a/%2e/b", "a/b", 0);
	good("/a/%2e%2e/b", "b", 0);
	good("/a/%2E%2E/b", "b", 0);
	good("/a/.%2e/b", "b", 0);
	good("/a/%2e%2e", "", 2);
	bad("/%2e%2e/x", S_BAD_REQUEST);
	bad("/%2E%2E/x", S_BAD_REQUEST);
	bad("/a/%2e%2e/%2e%2e/x", S_BAD_REQUEST);
	bad("/%00", S_BAD_REQUEST);
	bad("/a%00.html", S_BAD_REQUEST);
	bad_n("/a\0b", 4, S_BAD_REQUEST);
	bad("/a%2fb", S_BAD_REQUEST);
	bad("/a%2Fb", S_BAD_REQUEST);
	bad("/%2f", S_BAD_REQUEST);
	bad("/a%2F..%2F..%2Fetc", S_BAD_REQUEST);
	bad("/a\\b", S_BAD_REQUEST);
	bad("/..\\x", S_BAD_REQUEST);
	bad("/a%5cb", S_BAD_REQUEST);
	bad("/a%5Cb", S_BAD_REQUEST);
	bad("/%", S_BAD_REQUEST);
	bad("/a%", S_BAD_REQUEST);
	bad("/%1", S_BAD_REQUEST);
	bad("/a%4", S_BAD_REQUEST);
	bad("/%g1", S_BAD_REQUEST);
	bad("/%1g", S_BAD_REQUEST);
	bad("/%%41", S_BAD_REQUEST);
	bad("/% 41", S_BAD_REQUEST);
	bad("/%-1", S_BAD_REQUEST);
}

static void
utf8(void)
{
	good("/%c3%a9", "\xc3\xa9", 0);
	good("/%C3%A9t%C3%A9", "\xc3\xa9t\xc3\xa9", 0);
	good("/\xc3\xa9", "\xc3\xa9", 0);
	good("/%e2%82%ac", "\xe2\x82\xac", 0);
	good("/%ed%9f%bf", "\xed\x9f\xbf", 0);
	good("/%ee%80%80", "\xee\x80\x80", 0);
	good("/%f0%9f%98%80", "\xf0\x9f\x98\x80", 0);
	good("/%f4%8f%bf%bf", "\xf4\x8f\xbf\xbf", 0);
	/* RFC 3629 3: overlong forms name ASCII by another spelling */
	bad("/%c0%ae", S_BAD_REQUEST);
	bad("/%c0%ae%c0%ae/x", S_BAD_REQUEST);
	bad("/%c1%bf", S_BAD_REQUEST);
	bad("/%e0%80%ae", S_BAD_REQUEST);
	bad("/%e0%9f%bf", S_BAD_REQUEST);
	bad("/%f0%80%80%ae", S_BAD_REQUEST);
	bad("/%f0%8f%bf%bf", S_BAD_REQUEST);
	/* surrogates, and beyond U+10FFFF */
	bad("/%ed%a0%80", S_BAD_REQUEST);
	bad("/%ed%bf%bf", S_BAD_REQUEST);
	bad("/%f4%90%80%80", S_BAD_REQUEST);
	bad("/%f5%80%80%80", S_BAD_REQUEST);
	bad("/%ff", S_BAD_REQUEST);
	bad("/%fe", S_BAD_REQUEST);
	/* lone continuations, truncated and broken sequences */
	bad("/%80", S_BAD_REQUEST);
	bad("/%bf", S_BAD_REQUEST);
	bad("/%c3", S_BAD_REQUEST);
	bad("/%c3/x", S_BAD_REQUEST);
	bad("/%c3%28", S_BAD_REQUEST);
	bad("/%e2%82", S_BAD_REQUEST);
	bad("/%f0%9f%98", S_BAD_REQUEST);
	bad("/\xc0\xae", S_BAD_REQUEST);
	bad("/\xff", S_BAD_REQUEST);
}

static void
hidden(void)
{
	bad("/.git/config", S_NOT_FOUND);
	bad("/.git", S_NOT_FOUND);
	bad("/.git/", S_NOT_FOUND);
	bad("/a/.hidden", S_NOT_FOUND);
	bad("/a/.hidden/b", S_NOT_FOUND);
	bad("/...", S_NOT_FOUND);
	bad("/a/..b", S_NOT_FOUND);
	bad("/.htaccess", S_NOT_FOUND);
	bad("/%2egit/config", S_NOT_FOUND);
	bad("/a/%2e%2e/.git/config", S_NOT_FOUND);
	bad("/a/.well-known", S_NOT_FOUND);
	bad("/a/.well-known/x", S_NOT_FOUND);
	bad("/.well-known/.x", S_NOT_FOUND);
	bad("/.well-knownx", S_NOT_FOUND);
	bad("/.well-know", S_NOT_FOUND);
	bad("/.WELL-KNOWN/x", S_NOT_FOUND);
	good("/.well-known/x", ".well-known/x", 0);
	good("/.well-known", ".well-known", 0);
	good("/.well-known/", ".well-known", 1);
	good("/.well-known/acme-challenge/tok", ".well-known/acme-challenge/tok", 0);
	good("/%2ewell-known/x", ".well-known/x", 0);
	good("/a/../.well-known/x", ".well-known/x", 0);
	good("//.well-known//x", ".well-known/x", 0);
}

/* the decoded path has room for HTTP_MAX_PATH - 1 bytes */
static void
lengths(void)
{
	char *in, out[HTTP_MAX_PATH], small[8];
	enum status s;
	size_t i, n;
	int dir;

	in = malloc(3 * HTTP_MAX_PATH + 16);
	if (in == NULL)
		abort();
	in[0] = '/';
	memset(in + 1, 'a', HTTP_MAX_PATH);

	n = HTTP_MAX_PATH - 1;
	s = clean(in, n, out, sizeof(out), &dir);
	ok(s == S_OK && strlen(out) == n - 1, "path of %zu bytes fits", n);
	n = HTTP_MAX_PATH;
	s = clean(in, n, out, sizeof(out), &dir);
	ok(s == S_URI_TOO_LONG, "path of %zu bytes -> 414 (got %d)", n, s);
	n = HTTP_MAX_PATH + 1;
	s = clean(in, n, out, sizeof(out), &dir);
	ok(s == S_URI_TOO_LONG, "path of %zu bytes -> 414 (got %d)", n, s);

	/* the limit is on the decoded bytes */
	for (i = 0; i < 2000; i++)
		memcpy(in + 1 + 3 * i, "%61", 3);
	s = clean(in, 1 + 3 * 2000, out, sizeof(out), &dir);
	ok(s == S_OK && strlen(out) == 2000, "6001 encoded bytes, 2001 decoded: fits");
	for (i = 0; i < HTTP_MAX_PATH; i++)
		memcpy(in + 1 + 3 * i, "%61", 3);
	s = clean(in, 1 + 3 * HTTP_MAX_PATH, out, sizeof(out), &dir);
	ok(s == S_URI_TOO_LONG, "%d encoded characters decoded -> 414", HTTP_MAX_PATH);

	/* a small output buffer */
	s = clean("/abcdef", 7, small, sizeof(small), &dir);
	ok(s == S_OK && strcmp(small, "abcdef") == 0, "7 bytes into 8 fit");
	s = clean("/abcdefg", 8, small, sizeof(small), &dir);
	ok(s == S_URI_TOO_LONG, "8 bytes into 8 -> 414");
	free(in);
}

static void
encode_is(const char *in, size_t n, const char *want)
{
	char out[256];
	size_t k;

	memset(out, 'X', sizeof(out));
	k = path_encode(in, n, out, sizeof(out));
	ok(k == strlen(want) && strcmp(out, want) == 0,
	    "encode \"%.*s\" -> \"%s\" (got %zu \"%s\")", (int)n, in, want, k,
	    k ? out : "");
}

#define ENCODE_IS(in, want) encode_is(in, sizeof(in) - 1, want)

static void
encode(void)
{
	static const char name[] = "d\xc3\xa9j\xc3\xa0 vu/100%/a#b?c";
	char out[16], back[128], again[64];
	size_t k;
	int dir;

	ENCODE_IS("abc", "abc");
	ENCODE_IS("a/b-c._~Z9", "a/b-c._~Z9");
	ENCODE_IS("a b", "a%20b");
	ENCODE_IS("a#b", "a%23b");
	ENCODE_IS("a?b", "a%3Fb");
	ENCODE_IS("100%", "100%25");
	ENCODE_IS("\xc3\xa9t\xc3\xa9", "%C3%A9t%C3%A9");
	ENCODE_IS("<b>&\"'", "%3Cb%3E%26%22%27");
	ENCODE_IS("a+b=c;d", "a%2Bb%3Dc%3Bd");
	ENCODE_IS("\x01\x7f\xff", "%01%7F%FF");
	ENCODE_IS("a\0b", "a%00b");

	/* room for the bytes and a NUL, or 0 */
	k = path_encode("abc", 3, out, 4);
	ok(k == 3 && strcmp(out, "abc") == 0, "encode into exactly enough room");
	ok(path_encode("abc", 3, out, 3) == 0, "encode one byte short -> 0");
	k = path_encode(" ", 1, out, 4);
	ok(k == 3 && strcmp(out, "%20") == 0, "escape into exactly enough room");
	ok(path_encode(" ", 1, out, 3) == 0, "escape one byte short -> 0");
	ok(path_encode("a b", 3, out, 5) == 0, "escape cut in the middle -> 0");
	ok(path_encode("abc", 3, out, 0) == 0, "no room at all -> 0");
	ok(path_encode("\xc3\xa9\xc3\xa9\xc3\xa9", 6, out, sizeof(out)) == 0,
	    "18 bytes of escapes into 16 -> 0");

	/* what path_encode writes, path_clean reads back */
	k = path_encode(name, sizeof(name) - 1, back + 1, sizeof(back) - 1);
	back[0] = '/';
	ok(k > 0 && clean(back, k + 1, again, sizeof(again), &dir) == S_OK &&
	    strcmp(again, name) == 0, "encode then clean gives the name back");
}

/* a query keeps what RFC 3986 allows in one, escapes the rest */
static void
query(void)
{
	char out[64];
	size_t k;

	k = query_encode("a=1&b=%2F:@/?!$'()*+,;", 22, out, sizeof(out));
	ok(k == 22 && strcmp(out, "a=1&b=%2F:@/?!$'()*+,;") == 0, "query: allowed bytes kept");
	k = query_encode("q=<b>\"x\" {}|\\^`#", 16, out, sizeof(out));
	ok(k > 0 && strcmp(out, "q=%3Cb%3E%22x%22%20%7B%7D%7C%5C%5E%60%23") == 0,
	    "query: <, >, quotes, space, braces, |, \\, ^, ` and # escaped: %s", out);
	k = query_encode("caf\xc3\xa9\x01\x7f", 7, out, sizeof(out));
	ok(k > 0 && strcmp(out, "caf%C3%A9%01%7F") == 0, "query: UTF-8 and controls escaped");
	k = query_encode("a\0b", 3, out, sizeof(out));
	ok(k > 0 && strcmp(out, "a%00b") == 0, "query: NUL escaped, not an end");
	ok(query_encode("<", 1, out, 3) == 0, "query: one byte short -> 0");
	k = query_encode("<", 1, out, 4);
	ok(k == 3 && strcmp(out, "%3C") == 0, "query: exactly enough room");
}

int
main(void)
{
	segments();
	escapes();
	utf8();
	hidden();
	lengths();
	encode();
	query();
	return tap_done();
}
