/*
 * t_respond.c: unit tests of the decision (src/respond.c) and of header
 * serialisation (src/emit.c) against the in-memory tree of fakefs.h.
 * After every response the test checks that no handle was left open.
 */
#include <stdlib.h>

#include "http.h"
#include "fakefs.h"
#include "tap.h"

#define NOW 1800000000		/* later than every fake mtime */
#define MTIME_DATE "Tue, 14 Nov 2023 22:13:20 GMT"	/* 1700000000 */

static struct conf c;
static struct req r;
static struct resp rs;
static const struct fsview *rsfs = &fakefs;	/* the view rs came from */
static char *raw;
static char head[4096];
static int64_t now = NOW;	/* the time of the answers */

/* parse, decide and serialise one request against a view */
static enum status
ask_fs(const struct fsview *fs, const char *s)
{
	size_t n = strlen(s);

	resp_free(&rs, rsfs);
	rsfs = fs;
	free(raw);
	raw = malloc(n);
	memcpy(raw, s, n);
	if (http_parse(raw, n, &c, &r) != S_OK)
		return S_NONE;
	respond(&r, &c, fs, now, &rs);
	if (emit_head(&rs, now, head, sizeof(head)) == 0)
		return S_NONE;
	return rs.s;
}

static enum status
ask(const char *s)
{
	return ask_fs(&fakefs, s);
}

/*
 * a view of one file, "big", and its variant "big.zst", with the largest
 * numbers a response shows: size, inode and mtime in ns all 2^64 - 1
 */
static int big_handles;

static enum status
big_open(void *ctx, const char *path, struct finfo *fi)
{
	(void)ctx;
	fi->handle = -1;
	if (strcmp(path, "big") != 0 && strcmp(path, "big.zst") != 0)
		return S_NOT_FOUND;
	fi->type = FT_REG;
	fi->size = UINT64_MAX;
	fi->mtime = -1;
	fi->mtime_ns = 999999999;
	fi->ino = UINT64_MAX;
	fi->exec = 0;
	fi->handle = 0;
	big_handles++;
	return S_OK;
}

static void
big_close(void *ctx, int handle)
{
	(void)ctx;
	if (handle >= 0)
		big_handles--;
}

static int
big_list(void *ctx, int handle, const char *dir, struct dent **ents)
{
	(void)ctx;
	(void)handle;
	(void)dir;
	*ents = NULL;
	return -1;
}

static void
big_freelist(void *ctx, struct dent *e, int n)
{
	(void)ctx;
	(void)e;
	(void)n;
}

static enum status
big_cgi_open(void *ctx, const char *name, struct finfo *fi)
{
	(void)ctx;
	(void)name;
	fi->handle = -1;
	return S_NOT_FOUND;
}

static const struct fsview bigfs = {
	NULL, big_open, big_close, big_list, big_freelist, big_cgi_open,
};

/* the head in exactly its length and a NUL, and in no less */
static int
fits_exactly(void)
{
	char a[sizeof(head)], b[sizeof(head)];
	size_t n, cap;

	n = emit_head(&rs, NOW, a, sizeof(a));
	if (n == 0 || emit_head(&rs, NOW, b, n + 1) != n || memcmp(a, b, n + 1) != 0)
		return 0;
	for (cap = 0; cap <= n; cap++)
		if (emit_head(&rs, NOW, b, cap) != 0)
			return 0;
	return 1;
}

/* the same for the header of part i */
static int
part_fits_exactly(int i)
{
	char a[512], b[512];
	size_t n, cap;

	n = emit_part(&rs, i, a, sizeof(a));
	if (n == 0 || emit_part(&rs, i, b, n + 1) != n || memcmp(a, b, n + 1) != 0)
		return 0;
	for (cap = 0; cap <= n; cap++)
		if (emit_part(&rs, i, b, cap) != 0)
			return 0;
	return 1;
}

static int
has(const char *field)
{
	return strstr(head, field) != NULL;
}

static int
body_has(const char *s)
{
	return rs.b == B_BYTES && rs.gen.p && memmem(rs.bytes, rs.clen, s, strlen(s));
}

static size_t
body_at(const char *s)
{
	const char *p = memmem(rs.bytes, rs.clen, s, strlen(s));

	return p ? (size_t)(p - rs.bytes) : (size_t)-1;
}

static void
files(void)
{
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK, "a file is 200");
	ok(rs.b == B_FILE && rs.clen == 6 && rs.rg[0].off == 0 && rs.rg[0].len == 6,
	    "its body is the whole file");
	ok(has("Content-Type: text/plain; charset=utf-8\r\n"), "text type with charset");
	ok(has("Content-Length: 6\r\n"), "Content-Length");
	ok(has("Last-Modified: " MTIME_DATE "\r\n"), "Last-Modified");
	ok(has("ETag: \"") && has("Accept-Ranges: bytes\r\n"), "ETag and Accept-Ranges");
	ok(has("Date: Fri, 15 Jan 2027 08:00:00 GMT\r\n"), "Date is the time given");
	ok(!has("Connection:"), "HTTP/1.1 keeps the connection without saying so");
	ok(strncmp(head, "HTTP/1.1 200 OK\r\n", 17) == 0, "status line");
	ok(strcmp(head + strlen(head) - 4, "\r\n\r\n") == 0, "the head ends with an empty line");
	ok(ask("HEAD /hello.txt HTTP/1.0\r\n\r\n") == S_OK && rs.head && rs.clen == 6 &&
	    rs.close, "HEAD has the GET length; HTTP/1.0 closes");
	ok(has("Connection: close\r\n"), "Connection: close when closing");
	ok(ask("GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") == S_OK &&
	    has("Connection: keep-alive\r\n"), "HTTP/1.0 keep-alive is confirmed");
	ok(ask("GET / HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK && rs.b == B_FILE &&
	    rs.clen == strlen(fake_data(1)) && has("text/html"), "/ serves index.html");
	ok(ask("GET /withindex/ HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK &&
	    rs.clen == strlen("<p>index</p>\n"), "a directory's index.html");
	ok(ask("GET /hello.txt/ HTTP/1.1\r\nHost: h\r\n\r\n") == S_NOT_FOUND,
	    "a file with a trailing slash is 404");
	ok(ask("GET /nothing HTTP/1.1\r\nHost: h\r\n\r\n") == S_NOT_FOUND, "missing is 404");
	ok(has("Content-Type: text/html; charset=utf-8\r\n") && body_has("404 Not Found"),
	    "error pages are HTML");
	ok(ask("GET /secret.txt HTTP/1.1\r\nHost: h\r\n\r\n") == S_FORBIDDEN,
	    "unreadable is 403");
	ok(ask("GET /fifo HTTP/1.1\r\nHost: h\r\n\r\n") == S_FORBIDDEN, "a FIFO is 403");
	ok(ask("GET /.git/config HTTP/1.1\r\nHost: h\r\n\r\n") == S_NOT_FOUND,
	    "dotfiles are 404");
	ok(ask("GET /.well-known/security.txt HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK,
	    ".well-known is served");
	ok(ask("GET /../hello.txt HTTP/1.1\r\nHost: h\r\n\r\n") == S_BAD_REQUEST,
	    "climbing above the root is 400");
	ok(ask("GET /dir/%2e%2e/hello.txt HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK,
	    "encoded dot segments resolve inside the root");
	ok(ask("GET /style.css?v=3 HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK &&
	    has("Content-Type: text/css; charset=utf-8\r\n"), "a query does not matter");
}

static void
methods(void)
{
	ok(ask("POST /hello.txt HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n") ==
	    S_METHOD_NOT_ALLOWED && has("Allow: GET, HEAD\r\n"), "POST is 405 with Allow");
	ok(ask("DELETE /hello.txt HTTP/1.1\r\nHost: h\r\n\r\n") == S_METHOD_NOT_ALLOWED,
	    "DELETE is 405");
	ok(ask("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n") == S_METHOD_NOT_ALLOWED,
	    "OPTIONS * is 405");
	ok(ask("BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n") == S_NOT_IMPLEMENTED,
	    "unknown method is 501");
	ok(!rs.close, "501 keeps a well-framed connection");
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
	    "Content-Length: 3\r\n\r\n") == S_OK && rs.close,
	    "100-continue on a static file: answer and close");
	ok(ask("POST /nothing-here HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
	    "Content-Length: 3\r\n\r\n") == S_METHOD_NOT_ALLOWED && rs.close,
	    "100-continue and an error: the unread body closes the connection");
	ok(ask("POST /cgi-bin/missing HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n") == S_NOT_FOUND && rs.close,
	    "so does a missing program, for a chunked body too");
	ok(ask("GET /%00 HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
	    "Content-Length: 3\r\n\r\n") == S_BAD_REQUEST && rs.close,
	    "and a bad path");
	ok(ask("OPTIONS * HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
	    "Content-Length: 3\r\n\r\n") == S_METHOD_NOT_ALLOWED && rs.close,
	    "and OPTIONS *");
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
	    "Content-Length: 0\r\n\r\n") == S_OK && !rs.close,
	    "100-continue with no body: nothing unread, the connection goes on");
	resp_free(&rs, &fakefs);
	respond_error(&rs, S_BAD_REQUEST, 1, 0);
	emit_head(&rs, NOW, head, sizeof(head));
	ok(rs.s == S_BAD_REQUEST && has("Connection: close\r\n") && body_has("400"),
	    "respond_error closes");
	resp_free(&rs, &fakefs);
	respond_error(&rs, S_BAD_REQUEST, 1, 1);
	ok(rs.head && rs.s == S_BAD_REQUEST, "respond_error to HEAD marks the response head-only");
	resp_free(&rs, &fakefs);
}

static void
listings(void)
{
	ok(ask("GET /dir HTTP/1.1\r\nHost: h\r\n\r\n") == S_MOVED &&
	    has("Location: /dir/\r\n"), "a directory without '/' moves");
	ok(ask("GET /dir?x=1&y HTTP/1.1\r\nHost: h\r\n\r\n") == S_MOVED &&
	    has("Location: /dir/?x=1&y\r\n"), "the query moves with it");
	ok(ask("GET /dir/ HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK && rs.b == B_BYTES &&
	    has("text/html; charset=utf-8"), "a listing");
	ok(body_at("sub/") < body_at("a.txt"), "directories first");
	ok(body_has("&lt;b&gt;.txt") && !body_has("<b>.txt"), "names are escaped");
	ok(body_has("%3Cb%3E.txt"), "hrefs are percent-encoded");
	ok(!body_has(".hidden"), "dotfiles are hidden");
	ok(body_has("../"), "a parent link");
	ok(ask("GET /dir/?format=json HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK &&
	    has("Content-Type: application/json\r\n") && body_has("\"name\":\"sub\""),
	    "a JSON listing");
	c.listings = 0;
	ok(ask("GET /dir/ HTTP/1.1\r\nHost: h\r\n\r\n") == S_FORBIDDEN,
	    "listings off is 403");
	ok(ask("GET /withindex/ HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK,
	    "index.html still served with listings off");
	c.listings = 1;
}

static void
conditionals(void)
{
	char etag[80], req[400];
	const char *p, *e;

	ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\n\r\n");
	p = strstr(head, "ETag: ") + 6;
	e = strstr(p, "\r\n");
	snprintf(etag, sizeof(etag), "%.*s", (int)(e - p), p);

	snprintf(req, sizeof(req), "GET /hello.txt HTTP/1.1\r\nHost: h\r\n"
	    "If-None-Match: \"x\", %s\r\n\r\n", etag);
	ok(ask(req) == S_NOT_MODIFIED && rs.b == B_NONE, "If-None-Match match is 304");
	ok(!has("Content-Length") && has("ETag: ") && has("Last-Modified: "),
	    "304 has validators and no length");
	snprintf(req, sizeof(req), "GET /hello.txt HTTP/1.1\r\nHost: h\r\n"
	    "If-None-Match: W/%s\r\n\r\n", etag);
	ok(ask(req) == S_NOT_MODIFIED, "If-None-Match compares weakly");
	snprintf(req, sizeof(req), "GET /hello.txt HTTP/1.1\r\nHost: h\r\n"
	    "If-None-Match: \"zz\"\r\nX: y\r\nIf-None-Match: %s\r\n\r\n", etag);
	ok(ask(req) == S_NOT_MODIFIED, "If-None-Match on two lines is one list");
	snprintf(req, sizeof(req), "GET /hello.txt HTTP/1.1\r\nHost: h\r\n"
	    "If-Match: \"zz\"\r\nIf-Match: %s\r\n\r\n", etag);
	ok(ask(req) == S_OK, "so is If-Match");
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\nIf-Match: \"zz\"\r\n"
	    "If-Match: \"yy\"\r\n\r\n") == S_PRECONDITION_FAILED,
	    "If-Match on two lines, neither matching: 412");
	ok(ask("GET /dir/ HTTP/1.1\r\nHost: h\r\nIf-Match: \"x\"\r\n\r\n") ==
	    S_PRECONDITION_FAILED, "a listing has no entity-tag: If-Match a tag is 412");
	ok(ask("GET /dir/ HTTP/1.1\r\nHost: h\r\nIf-Match: *\r\n\r\n") == S_OK &&
	    rs.b == B_BYTES, "If-Match: * holds for a listing");
	ok(ask("GET /dir/ HTTP/1.1\r\nHost: h\r\nIf-None-Match: *\r\n\r\n") ==
	    S_NOT_MODIFIED && rs.b == B_NONE, "If-None-Match: * is 304 for a listing");
	ok(ask("GET /dir/ HTTP/1.1\r\nHost: h\r\nIf-None-Match: \"x\"\r\n"
	    "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\r\n\r\n") == S_OK,
	    "a tag never matches a listing, and it has no date to compare");
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\nIf-None-Match: *\r\n\r\n") ==
	    S_NOT_MODIFIED, "If-None-Match: *");
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: " MTIME_DATE
	    "\r\n\r\n") == S_NOT_MODIFIED, "If-Modified-Since equal is 304");
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: "
	    "Tuesday, 14-Nov-23 22:13:20 GMT\r\n\r\n") == S_NOT_MODIFIED, "RFC 850 date");
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: "
	    "Tue Nov 14 22:13:20 2023\r\n\r\n") == S_NOT_MODIFIED, "asctime date");
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: "
	    "Tue, 14 Nov 2023 22:13:19 GMT\r\n\r\n") == S_OK, "modified since is 200");
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: yesterday\r\n\r\n")
	    == S_OK, "an invalid date is ignored");
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\nIf-None-Match: \"other\"\r\n"
	    "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\r\n\r\n") == S_OK,
	    "If-None-Match takes precedence over If-Modified-Since");
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\nIf-Match: \"other\"\r\n\r\n") ==
	    S_PRECONDITION_FAILED, "If-Match mismatch is 412");
	snprintf(req, sizeof(req), "GET /hello.txt HTTP/1.1\r\nHost: h\r\n"
	    "If-Match: W/%s\r\n\r\n", etag);
	ok(ask(req) == S_PRECONDITION_FAILED, "If-Match compares strongly");
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\nIf-Match: *\r\n\r\n") == S_OK,
	    "If-Match: *");
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\nIf-Unmodified-Since: "
	    "Mon, 01 Jan 2001 00:00:00 GMT\r\n\r\n") == S_PRECONDITION_FAILED,
	    "If-Unmodified-Since before the change is 412");
	snprintf(req, sizeof(req), "GET /hello.txt HTTP/1.1\r\nHost: h\r\n"
	    "If-Match: %s\r\nIf-Unmodified-Since: Mon, 01 Jan 2001 00:00:00 GMT\r\n\r\n", etag);
	ok(ask(req) == S_OK, "If-Match takes precedence over If-Unmodified-Since");
}

static void
ranges(void)
{
	char etag[80], req[400];
	const char *p, *e;
	size_t n, total;
	int i;

	ok(ask("GET /digits.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=2-4\r\n\r\n") ==
	    S_PARTIAL && rs.b == B_FILE && rs.rg[0].off == 2 && rs.rg[0].len == 3 &&
	    rs.clen == 3, "one range");
	ok(has("Content-Range: bytes 2-4/10\r\n"), "its Content-Range");
	ok(ask("GET /digits.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=-3\r\n\r\n") ==
	    S_PARTIAL && rs.rg[0].off == 7 && has("bytes 7-9/10"), "a suffix range");
	ok(ask("GET /digits.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=20-\r\n\r\n") ==
	    S_RANGE_NOT_SATISFIABLE && has("Content-Range: bytes */10\r\n"),
	    "unsatisfiable is 416");
	ok(ask("GET /digits.txt HTTP/1.1\r\nHost: h\r\nRange: lines=1-2\r\n\r\n") == S_OK &&
	    rs.clen == 10, "another unit is ignored");
	ok(ask("HEAD /digits.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=1-2\r\n\r\n") == S_OK,
	    "Range applies to GET only");
	ok(ask("GET /digits.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=0-1\r\n"
	    "Range: bytes=5-6\r\n\r\n") == S_OK && rs.clen == 10,
	    "Range in two lines is no valid Range: the whole file");
	ok(ask("GET /digits.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=2-4\r\n"
	    "If-Range: " MTIME_DATE "\r\nIf-Range: " MTIME_DATE "\r\n\r\n") == S_OK &&
	    rs.clen == 10, "If-Range in two lines cannot be evaluated: the whole file");
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: " MTIME_DATE
	    "\r\nIf-Modified-Since: " MTIME_DATE "\r\n\r\n") == S_OK,
	    "If-Modified-Since with two members is ignored (RFC 9110 13.1.3)");
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\nIf-Unmodified-Since: "
	    "Sat, 01 Jan 2000 00:00:00 GMT\r\nIf-Unmodified-Since: "
	    "Sat, 01 Jan 2000 00:00:00 GMT\r\n\r\n") == S_OK,
	    "If-Unmodified-Since with two members is ignored (RFC 9110 13.1.4)");
	ok(ask("GET /digits.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=3-999999999999999999999\r\n"
	    "\r\n") == S_PARTIAL && has("Content-Range: bytes 3-9/10\r\n"),
	    "a last-pos past 2^64 is the end (RFC 9110 14.1.1)");
	ok(ask("GET /digits.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=0-1, 5-6\r\n\r\n") ==
	    S_PARTIAL && rs.b == B_MULTI && rs.nrg == 2, "two ranges");
	ok(has("Content-Type: multipart/byteranges; boundary=httpd1-"), "multipart type");
	for (i = 0, total = 0; i <= rs.nrg; i++) {
		n = emit_part(&rs, i, head, sizeof(head));
		total += n + (i < rs.nrg ? rs.rg[i].len : 0);
		if (i == 0)
			ok(strstr(head, "Content-Range: bytes 0-1/10\r\n") &&
			    strstr(head, "Content-Type: text/plain"), "first part header");
		if (i == rs.nrg)
			ok(strstr(head, "--\r\n") != NULL, "closing boundary");
	}
	ok(total == rs.clen, "Content-Length is the sum of the parts");

	ask("GET /digits.txt HTTP/1.1\r\nHost: h\r\n\r\n");
	p = strstr(head, "ETag: ") + 6;
	e = strstr(p, "\r\n");
	snprintf(etag, sizeof(etag), "%.*s", (int)(e - p), p);
	snprintf(req, sizeof(req), "GET /digits.txt HTTP/1.1\r\nHost: h\r\n"
	    "Range: bytes=0-0\r\nIf-Range: %s\r\n\r\n", etag);
	ok(ask(req) == S_PARTIAL, "If-Range with the current tag");
	ok(ask("GET /digits.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=0-0\r\n"
	    "If-Range: \"old\"\r\n\r\n") == S_OK && rs.clen == 10,
	    "If-Range with an old tag sends everything");
	ok(ask("GET /digits.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=0-0\r\n"
	    "If-Range: " MTIME_DATE "\r\n\r\n") == S_PARTIAL, "If-Range with the date");
	/* RFC 9110 8.8.2.2: a Last-Modified of this very second is weak, and a
	 * weak date in If-Range is a false condition (13.1.5) */
	now = 1700000000;
	ok(ask("GET /digits.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=0-0\r\n"
	    "If-Range: " MTIME_DATE "\r\n\r\n") == S_OK && rs.clen == 10,
	    "If-Range with a date of the current second sends everything");
	now = NOW;
	ok(ask("GET /wed.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=0-0\r\n"
	    "If-Range: Wed, 15 Nov 2023 22:13:20 GMT\r\n\r\n") == S_PARTIAL,
	    "If-Range with a Wednesday date is a date, not a weak tag");
	ok(ask("GET /wed.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=0-0\r\n"
	    "If-Range: Wed, 15 Nov 2023 22:13:21 GMT\r\n\r\n") == S_OK,
	    "another Wednesday date sends everything");
	snprintf(req, sizeof(req), "GET /digits.txt HTTP/1.1\r\nHost: h\r\n"
	    "Range: bytes=0-0\r\nIf-Range: W/%s\r\n\r\n", etag);
	ok(ask(req) == S_OK, "a weak tag never matches (strong comparison)");
}

static void
encodings(void)
{
	ok(ask("GET /page.html HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip\r\n\r\n") ==
	    S_OK && rs.clen == 2 && has("Content-Encoding: gzip\r\n"), "gzip variant");
	ok(has("Content-Type: text/html; charset=utf-8\r\n"), "the original's type");
	ok(has("Vary: Accept-Encoding\r\n"), "Vary");
	ok(ask("GET /page.html HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip, br\r\n\r\n") ==
	    S_OK && has("Content-Encoding: br\r\n"), "br preferred");
	ok(ask("GET /page.html HTTP/1.1\r\nHost: h\r\nAccept-Encoding: br;q=0, gzip\r\n\r\n")
	    == S_OK && has("Content-Encoding: gzip\r\n"), "q=0 refuses a coding");
	ok(ask("GET /page.html HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip;q=0.9, br;q=0.1"
	    "\r\n\r\n") == S_OK && has("Content-Encoding: gzip\r\n"), "higher q wins");
	ok(ask("GET /page.html HTTP/1.1\r\nHost: h\r\nAccept-Encoding: *\r\n\r\n") == S_OK &&
	    has("Content-Encoding: br\r\n"), "* accepts any");
	ok(ask("GET /page.html HTTP/1.1\r\nHost: h\r\nAccept-Encoding: deflate\r\n"
	    "Accept-Encoding: gzip\r\n\r\n") == S_OK && has("Content-Encoding: gzip\r\n"),
	    "Accept-Encoding on two lines is one list");
	ok(ask("GET /page.html HTTP/1.1\r\nHost: h\r\nAccept-Encoding: br;q=0\r\n"
	    "Accept-Encoding: *\r\n\r\n") == S_OK && has("Content-Encoding: gzip\r\n"),
	    "a coding refused on one line stays refused whatever * says on another");
	ok(ask("GET /page.html HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK && rs.clen == 12 &&
	    !has("Content-Encoding") && !has("Vary"),
	    "without Accept-Encoding: the identity, for every client and cache");
	ok(ask("GET /page.html HTTP/1.1\r\nHost: h\r\nAccept-Encoding: zstd\r\n\r\n") ==
	    S_OK && rs.clen == 12 && !has("Vary"), "no accepted variant exists: no Vary");
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip\r\n\r\n") ==
	    S_OK && !has("Vary"), "no Vary without a variant");
}

/* the bytes of heads, ETags and Content-Range fields */
static void
formats(void)
{
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK &&
	    strcmp(head, "HTTP/1.1 200 OK\r\nServer: httpd1\r\n"
	    "Date: Fri, 15 Jan 2027 08:00:00 GMT\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 6\r\n"
	    "Accept-Ranges: bytes\r\nETag: \"66-6-17979cfe362a0000\"\r\n"
	    "Last-Modified: " MTIME_DATE "\r\n\r\n") == 0,
	    "a file's head, byte for byte");
	ok(fits_exactly(), "a file's head fits in its length and a NUL, not one less");
	ok(ask("HEAD /page.html HTTP/1.0\r\nAccept-Encoding: gzip\r\n\r\n") == S_OK &&
	    strcmp(head, "HTTP/1.1 200 OK\r\nServer: httpd1\r\n"
	    "Date: Fri, 15 Jan 2027 08:00:00 GMT\r\n"
	    "Content-Type: text/html; charset=utf-8\r\nContent-Length: 2\r\n"
	    "Accept-Ranges: bytes\r\nContent-Encoding: gzip\r\n"
	    "ETag: \"6a-2-17979cfe362a0000gzip\"\r\n"
	    "Last-Modified: " MTIME_DATE "\r\nVary: Accept-Encoding\r\n"
	    "Connection: close\r\n\r\n") == 0,
	    "a variant's head: its ETag names the coding");
	ok(fits_exactly(), "the variant's head fits exactly");

	ok(ask_fs(&bigfs, "GET /big HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK &&
	    has("Content-Length: 18446744073709551615\r\n") &&
	    has("ETag: \"ffffffffffffffff-ffffffffffffffff-ffffffffffffffff\"\r\n") &&
	    has("Last-Modified: Wed, 31 Dec 1969 23:59:59 GMT\r\n"),
	    "2^64 - 1 in Content-Length and every part of the ETag");
	ok(ask_fs(&bigfs, "GET /big HTTP/1.1\r\nHost: h\r\nAccept-Encoding: zstd\r\n\r\n")
	    == S_OK && has("ETag: \"ffffffffffffffff-ffffffffffffffff-"
	    "ffffffffffffffffzstd\"\r\n"), "the longest ETag");
	ok(ask_fs(&bigfs, "GET /big HTTP/1.1\r\nHost: h\r\nRange: bytes=-1\r\n\r\n") ==
	    S_PARTIAL && has("Content-Range: bytes 18446744073709551614-"
	    "18446744073709551614/18446744073709551615\r\n") &&
	    has("Content-Length: 1\r\n"), "Content-Range at the end of 2^64 - 1 bytes");
	ok(fits_exactly(), "that head fits exactly");
	ok(ask_fs(&bigfs, "GET /big HTTP/1.1\r\nHost: h\r\nRange: bytes=0-0, 10-19, -1\r\n"
	    "\r\n") == S_PARTIAL && rs.b == B_MULTI && rs.nrg == 3, "three ranges of it");
	emit_part(&rs, 1, head, sizeof(head));
	ok(strstr(head, "\r\nContent-Type: application/octet-stream\r\n"
	    "Content-Range: bytes 10-19/18446744073709551615\r\n\r\n") != NULL &&
	    strncmp(head, "\r\n--httpd1-", 11) == 0, "a part's header");
	emit_part(&rs, 2, head, sizeof(head));
	ok(strstr(head, "Content-Range: bytes 18446744073709551614-18446744073709551614/"
	    "18446744073709551615\r\n\r\n") != NULL, "the last part's Content-Range");
	emit_part(&rs, 3, head, sizeof(head));
	ok(strlen(head) == 2 + 2 + 7 + 16 + 4 && strcmp(head + 27, "--\r\n") == 0,
	    "the closing boundary");
	ok(part_fits_exactly(0) && part_fits_exactly(2) && part_fits_exactly(3),
	    "part headers fit in their length and a NUL, not one less");
	resp_free(&rs, rsfs);
	ok(big_handles == 0, "no handle of the big view left open");
	rsfs = &fakefs;

	ok(strcmp(status_reason(S_RESET_CONTENT), "Reset Content") == 0 &&
	    strcmp(status_reason(203), "Non-Authoritative Information") == 0 &&
	    strcmp(status_reason(421), "Misdirected Request") == 0 &&
	    strcmp(status_reason(511), "Network Authentication Required") == 0,
	    "the reason phrases of RFC 9110 15 and IANA's registry");
	ok(strcmp(status_reason(299), "Success") == 0 &&
	    strcmp(status_reason(418), "Client Error") == 0 &&
	    strcmp(status_reason(599), "Server Error") == 0, "other codes: their class");
	ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\n\r\n");
	snprintf(rs.reason, sizeof(rs.reason), "%s", "All Good");
	ok(emit_head(&rs, now, head, sizeof(head)) > 0 &&
	    strncmp(head, "HTTP/1.1 200 All Good\r\n", 23) == 0,
	    "a reason phrase of the response's own replaces the standard one");
	ok(ask("GET /hello.txt HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK &&
	    strncmp(head, "HTTP/1.1 200 OK\r\n", 17) == 0, "and is gone by the next");
}

int
main(void)
{
	rs.handle = -1;
	conf_default(&c);
	files();
	methods();
	listings();
	conditionals();
	ranges();
	encodings();
	formats();
	resp_free(&rs, &fakefs);
	ok(fake_open_handles == 0, "no handle left open");
	free(raw);
	return tap_done();
}
