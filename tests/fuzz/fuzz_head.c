/*
 * fuzz_head.c: the request head through the whole decision.  One input is
 * a request: parse, decide against the fake filesystem, emit the head and
 * the part headers (or the CGI environment).  The bytes after a complete
 * head, or the whole input when there is none, are also fed to the chunked
 * decoder, as the shell does with a body.  The fields that take one value
 * are checked against a count of their lines, and every status line
 * against the response (common.h).
 */
#include "common.h"
#include "fakefs.h"

/* what the shell will send must lie within what it has */
static void
check_body(const struct resp *rs)
{
	int i;

	switch (rs->b) {
	case B_NONE:
		break;
	case B_BYTES:
		if (rs->clen > 0 && (rs->bytes == NULL || rs->gen.oom))
			fail("bytes body without bytes");
		break;
	case B_CGI:
		if (rs->path[0] == '\0')
			fail("CGI response without a program");
		break;
	case B_FILE:
	case B_MULTI:
		if (rs->handle < 0 || rs->handle >= FAKE_N)
			fail("file body without a handle");
		for (i = 0; i < rs->nrg; i++)
			if (rs->rg[i].len == 0 || rs->rg[i].off > rs->fsize ||
			    rs->rg[i].len > rs->fsize - rs->rg[i].off)
				fail("range outside the file");
		if (rs->b == B_FILE && rs->rg[0].len != rs->clen)
			fail("file body length differs from Content-Length");
		break;
	}
}

/* the environment of a program: n strings "NAME=value", no HTTP_PROXY */
static void
environment(const struct req *r, const struct resp *rs)
{
	struct cgivars v = { "192.0.2.1", "54321", "192.0.2.2", "80",
	    "/srv/www", "/srv/cgi-bin/echo", 0, 0, 0, 0 };
	struct buf b = { NULL, 0, 0, 0 };
	const char *p, *end, *nul;
	int n, i;

	/* -s or not, as the input falls: both ways of finding SERVER_PORT */
	v.https = v.proxied = (int)(r->host.n & 1);
	n = cgi_env(r, rs, &v, &b);
	if (b.oom)
		fail("out of memory");
	p = b.p;
	end = b.p + b.n;
	for (i = 0; i < n; i++) {
		if (p >= end || (nul = memchr(p, '\0', (size_t)(end - p))) == NULL)
			fail("cgi_env gave fewer strings than it counted");
		if (memchr(p, '=', (size_t)(nul - p)) == NULL || *p == '=')
			fail("cgi_env string without a name");
		if (strncmp(p, "HTTP_PROXY=", 11) == 0)
			fail("cgi_env passed HTTP_PROXY");
		p = nul + 1;
	}
	if (p != end)
		fail("cgi_env gave more strings than it counted");
	buf_free(&b);
}

/* a body: decoded to its end or to an error, within its bounds */
static void
body(const char *p, size_t n)
{
	struct chunk c;
	size_t used, k;
	char *b = copy(p, n);

	chunk_init(&c);
	k = chunk_decode(&c, b, n, &used);
	free(b);
	if (k > used || used > n || (used != n && !c.done && c.err == S_NONE))
		fail("chunk_decode broke its contract");
}

/* Range, If-Range, If-Modified-Since and If-Unmodified-Since take one
 * value: in two lines or more it is empty; in none there is none */
static void
singles(const char *in, size_t headlen, const struct req *r)
{
	static const char *names[] = { "range", "if-range", "if-modified-since",
	    "if-unmodified-since" };
	const struct span *sp[4] = { &r->range, &r->if_range, &r->if_mod, &r->if_unmod };
	const char *p = in, *e = in + headlen, *lf, *colon;
	int cnt[4] = { 0, 0, 0, 0 }, line = 0, i;

	for (; p < e; p = lf + 1) {
		lf = memchr(p, '\n', (size_t)(e - p));
		if (lf == NULL)
			break;
		if (lf == p || (lf == p + 1 && *p == '\r')) {
			if (line == 0)
				continue;	/* empty lines before the request line */
			break;
		}
		if (line++ == 0)
			continue;	/* the request line */
		colon = memchr(p, ':', (size_t)(lf - p));
		if (colon == NULL)
			continue;
		for (i = 0; i < 4; i++)
			if ((size_t)(colon - p) == strlen(names[i]) &&
			    strncasecmp(p, names[i], strlen(names[i])) == 0)
				cnt[i]++;
	}
	for (i = 0; i < 4; i++) {
		if (cnt[i] >= 2 && (sp[i]->p == NULL || sp[i]->n != 0))
			fail("a single field given twice kept a value");
		if (cnt[i] == 0 && sp[i]->p != NULL)
			fail("a single field not given has a value");
		if (cnt[i] == 1 && sp[i]->p == NULL)
			fail("a single field given once has no value");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct req r;
	char *in = copy(data, size);
	struct conf c;
	struct resp rs;
	enum status s;

	conf_default(&c);
	c.listings = size > 0 ? in[0] & 1 : 1;
	if (size > 0 && in[0] & 2)
		c.cgisuffix = "";
	s = http_parse(in, size, &c, &r);
	if (s != S_OK)
		body(in, size);
	if (s == S_OK) {
		if (r.headlen == 0 || r.headlen > size)
			fail("head length outside the input");
		singles(in, r.headlen, &r);
		respond(&r, &c, &fakefs, NOW, &rs);
		check_body(&rs);
		/* a program's response head is sent once its output is read */
		if (rs.b == B_CGI)
			environment(&r, &rs);
		else
			emit(&rs, HTTP_HEAD_OUT);
		resp_free(&rs, &fakefs);
		if (fake_open_handles != 0)
			fail("file handle leaked");
		body(in + r.headlen, size - r.headlen);
	} else if (s != S_NONE) {
		respond_error(&rs, s, r.minor, r.m == M_HEAD);
		if (rs.b != B_BYTES || rs.bytes == NULL)
			fail("error response without a page");
		emit(&rs, 1024);
		resp_free(&rs, &fakefs);
		if (fake_open_handles != 0)
			fail("file handle leaked");
	}
	free(in);
	return 0;
}
