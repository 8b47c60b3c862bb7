/*
 * fuzz_query.c: query strings.  httpd1 has no query parser of its own: a
 * query is matched whole against "format=json" between '&'s (respond.c's
 * has_param), copied into a redirect's Location (bytes a URI may not hold
 * there percent-encoded), and passed to a program
 * as QUERY_STRING.  The input's first byte picks a path, the rest is the
 * query of a GET; the request goes through http_parse and respond, and
 * the answer is checked against an independent reading of the query.
 */
#include "common.h"
#include "fakefs.h"

static const char *const paths[] = {
	"/dir/", "/dir", "/cgi-bin/echo", "/product.cgi", "/hello.txt", "/",
};

/* an element of the query, between '&'s, is exactly format=json */
static int
wants_json(const char *q, size_t n)
{
	size_t i = 0, j;

	while (i <= n) {
		for (j = i; j < n && q[j] != '&'; j++)
			;
		if (j - i == 11 && memcmp(q + i, "format=json", 11) == 0)
			return 1;
		i = j + 1;
	}
	return 0;
}

/* every line of a serialised head ends in CRLF, and only there */
static void
lines(const char *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((h[i] == '\r' && (i + 1 == n || h[i + 1] != '\n')) ||
		    (h[i] == '\n' && (i == 0 || h[i - 1] != '\r')))
			fail("a query split the response head");
}

/* a redirect's Location carries the query with each byte a URI may not
 * hold in a query (RFC 3986 3.4) as %XX, every other byte as it was */
static void
location(const struct req *r, const struct resp *rs)
{
	static const char ok[] = "!$&'()*+,;=:@/?%-._~";
	static const char hex[] = "0123456789ABCDEF";
	const char *l = memmem(rs->fields, rs->nfields, "Location: /dir/?", 16);
	size_t i, o = 0;
	unsigned char c;

	if (l == NULL)
		fail("a redirect without the query in its Location");
	l += 16;
	for (i = 0; i < r->query.n; i++) {
		c = (unsigned char)r->query.p[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c != 0 && strchr(ok, c) != NULL)) {
			if (l[o++] != (char)c)
				fail("Location changed a byte a query may hold");
		} else if (l[o] != '%' || l[o + 1] != hex[c >> 4] || l[o + 2] != hex[c & 15]) {
			fail("Location holds a byte a query may not");
		} else {
			o += 3;
		}
	}
	if (l[o] != '\r' || l[o + 1] != '\n')
		fail("Location goes on past the query");
}

/* QUERY_STRING in the program's environment is the query, byte for byte */
static void
query_string(const struct req *r, const struct resp *rs)
{
	struct cgivars v = { "192.0.2.1", "54321", "192.0.2.2", "80",
	    "/srv/www", "/srv/cgi-bin/echo", 0, 0, 0, 0 };
	struct buf b = { NULL, 0, 0, 0 };
	const char *p, *end;
	int n, i, found = 0;

	n = cgi_env(r, rs, &v, &b);
	if (b.oom)
		fail("out of memory");
	for (p = b.p, end = b.p + b.n, i = 0; i < n && p < end; i++, p += strlen(p) + 1)
		if (strncmp(p, "QUERY_STRING=", 13) == 0) {
			found++;
			if (strlen(p + 13) != r->query.n ||
			    (r->query.n && memcmp(p + 13, r->query.p, r->query.n) != 0))
				fail("QUERY_STRING differs from the query");
		}
	if (found != 1)
		fail("QUERY_STRING missing or repeated");
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct req r;
	static char head[HTTP_HEAD_OUT];
	static const char tail[] = " HTTP/1.1\r\nHost: x\r\n\r\n";
	const char *path;
	char *in;
	struct conf c;
	struct resp rs;
	size_t plen, n, k;

	if (size < 1 || size > 3 * HTTP_MAX_PATH)
		return 0;
	path = paths[data[0] % (sizeof(paths) / sizeof(paths[0]))];
	plen = strlen(path);
	n = 4 + plen + 1 + (size - 1) + sizeof(tail) - 1;
	in = malloc(n);
	if (in == NULL)
		fail("out of memory");
	memcpy(in, "GET ", 4);
	memcpy(in + 4, path, plen);
	in[4 + plen] = '?';
	memcpy(in + 5 + plen, data + 1, size - 1);
	memcpy(in + 5 + plen + size - 1, tail, sizeof(tail) - 1);

	conf_default(&c);
	if (http_parse(in, n, &c, &r) != S_OK)
		goto out;
	if (r.query.p == NULL)
		fail("a query went missing");
	respond(&r, &c, &fakefs, NOW, &rs);
	if (rs.b == B_CGI) {
		query_string(&r, &rs);
	} else {
		k = emit_head(&rs, NOW, head, sizeof(head));
		if (k == 0)
			fail("response head does not fit");
		lines(head, k);
		if (rs.s == S_MOVED && strcmp(path, "/dir") == 0)
			location(&r, &rs);
		if (rs.s == S_OK && strcmp(path, "/dir/") == 0 &&
		    (strcmp(rs.ctype, "application/json") == 0) !=
		    wants_json(r.query.p, r.query.n))
			fail("has_param disagrees about format=json");
	}
	resp_free(&rs, &fakefs);
	if (fake_open_handles != 0)
		fail("file handle leaked");
out:
	free(in);
	return 0;
}
