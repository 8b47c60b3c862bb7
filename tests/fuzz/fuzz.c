/*
 * fuzz.c: a libFuzzer target over the whole pure module.  One input is a
 * request: parse, decide against the fake filesystem, emit the head and
 * the part headers (or the CGI environment), decode what follows the head
 * as a chunked body.  The same bytes also go straight to path_clean,
 * range_parse, date_parse and cgi_head (as a program's output).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "fakefs.h"

#define NOW 1700003600

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a broken promise of the pure module: stop with a message */
static void
fail(const char *what)
{
	fprintf(stderr, "fuzz: %s\n", what);
	abort();
}

/* a copy of exactly n bytes, so that any over-read is out of bounds */
static char *
copy(const void *p, size_t n)
{
	char *b = malloc(n ? n : 1);

	if (b == NULL)
		fail("out of memory");
	if (n > 0)
		memcpy(b, p, n);
	return b;
}

/* the head buffer sizes of the shell: a response head must fit them */
static void
emit(const struct resp *rs, size_t cap)
{
	char head[HTTP_HEAD_OUT], part[512];
	uint64_t total = 0;
	size_t n;
	int i;

	n = emit_head(rs, NOW, head, cap);
	if (n == 0 || n >= cap)
		fail("response head does not fit");
	if (memcmp(head, "HTTP/1.1 ", 9) != 0 || memcmp(head + n - 4, "\r\n\r\n", 4) != 0)
		fail("response head malformed");
	if (rs->b != B_MULTI)
		return;
	if (rs->nrg < 2 || rs->nrg > HTTP_MAX_RANGES)
		fail("multipart with a bad range count");
	for (i = 0; i <= rs->nrg; i++) {
		n = emit_part(rs, i, part, sizeof(part));
		if (n == 0)
			fail("part header does not fit");
		total += n;
		if (i < rs->nrg)
			total += rs->rg[i].len;
	}
	if (total != rs->clen)
		fail("multipart length differs from Content-Length");
}

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
	    "/srv/www", "/srv/cgi-bin/echo", 0 };
	struct buf b = { NULL, 0, 0, 0 };
	const char *p, *end, *nul;
	int n, i;

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

/* a program's header block: the fields passed on cannot split the response */
static void
cgi_output(const char *in, size_t n)
{
	static struct cgihead h;
	static struct resp rs;
	char head[HTTP_RESP_FIELDS + 512];
	const char *p, *end, *crlf;

	if (cgi_head(in, n, &h) != S_OK)
		return;
	if (h.headlen == 0 || h.headlen > n || h.headlen > HTTP_CGI_HEAD)
		fail("cgi_head length outside the input");
	if (h.s < 200 || h.s > 599)
		fail("cgi_head status out of range");
	if (h.nfields >= sizeof(h.fields) || strlen(h.fields) != h.nfields)
		fail("cgi_head fields out of bounds");
	for (p = h.fields, end = h.fields + h.nfields; p < end; p = crlf + 2) {
		crlf = strstr(p, "\r\n");
		if (crlf == NULL || memchr(p, '\n', (size_t)(crlf - p)) ||
		    memchr(p, '\r', (size_t)(crlf - p)) || memchr(p, ':', (size_t)(crlf - p)) == NULL)
			fail("cgi_head passed a malformed field");
	}

	/* the head the shell sends for it */
	respond_error(&rs, S_OK, 1);
	buf_free(&rs.gen);
	rs.s = h.s;
	rs.ctype = NULL;
	memcpy(rs.fields, h.fields, h.nfields + 1);
	rs.nfields = h.nfields;
	rs.b = B_CGI;
	rs.close = 0;
	rs.clen = h.clen > 0 ? (uint64_t)h.clen : 0;
	rs.noclen = h.clen < 0;
	rs.chunked = h.clen < 0;
	emit(&rs, sizeof(head));
}

/* the bytes after a head, as a chunked body: whole, then in two pieces */
static void
chunked(const char *p, size_t n, size_t cut)
{
	struct chunk c1, c2;
	size_t u1, u2, u3, k1, k2, k3;
	char *b;

	b = copy(p, n);
	chunk_init(&c1);
	k1 = chunk_decode(&c1, b, n, &u1);
	free(b);
	if (k1 > u1 || u1 > n || (u1 != n && !c1.done && c1.err == S_NONE))
		fail("chunk_decode broke its contract");
	if (c1.total != k1)
		fail("chunk total differs from the data");

	/* the same bytes in two reads decode the same way */
	cut = n ? cut % (n + 1) : 0;
	chunk_init(&c2);
	b = copy(p, cut);
	k2 = chunk_decode(&c2, b, cut, &u2);
	free(b);
	k3 = u3 = 0;
	if (u2 == cut && !c2.done && c2.err == S_NONE) {
		b = copy(p + cut, n - cut);
		k3 = chunk_decode(&c2, b, n - cut, &u3);
		free(b);
	}
	if (k2 + k3 != k1 || u2 + u3 != u1 || c1.done != c2.done || c1.err != c2.err)
		fail("chunk_decode differs when split");
}

static void
pipeline(const char *in, size_t n)
{
	static struct req r;
	struct conf c;
	struct resp rs;
	enum status s;

	conf_default(&c);
	c.listings = n > 0 ? in[0] & 1 : 1;
	if (n > 0 && in[0] & 2)
		c.cgisuffix = "";
	s = http_parse(in, n, &c, &r);
	/* without a head, the whole input is tried as a chunked body */
	if (s != S_OK)
		chunked(in, n, n > 1 ? (unsigned char)in[1] : 0);
	if (s == S_NONE)
		return;
	if (s == S_OK) {
		if (r.headlen == 0 || r.headlen > n)
			fail("head length outside the input");
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
		chunked(in + r.headlen, n - r.headlen, n > 1 ? (unsigned char)in[1] : 0);
		return;
	}
	respond_error(&rs, s, r.minor);
	if (rs.b != B_BYTES || rs.bytes == NULL)
		fail("error response without a page");
	emit(&rs, 1024);
	resp_free(&rs, &fakefs);
	if (fake_open_handles != 0)
		fail("file handle leaked");
}

/* a clean path is relative, has no empty, dot or hidden segment */
static void
paths(const char *in, size_t n)
{
	char out[HTTP_MAX_PATH], enc[3 * HTTP_MAX_PATH + 2], again[HTTP_MAX_PATH];
	size_t k, w;
	int dir, dir2;

	if (path_clean(in, n, out, sizeof(out), &dir) != S_OK)
		return;
	w = strlen(out);
	if (w >= sizeof(out) || dir < 0 || dir > 1)
		fail("path_clean output out of bounds");
	if (w > 0 && (out[0] == '/' || out[w - 1] == '/' || strstr(out, "//") ||
	    strchr(out, '\\') || (out[0] == '.' && strncmp(out, ".well-known", 11) != 0) ||
	    strstr(out, "/.")))
		fail("path_clean let a bad path through");
	if (w > 0 && out[0] == '.' && out[11] != '\0' && out[11] != '/')
		fail("path_clean let a hidden name through");

	/* encoding the clean path and cleaning it again changes nothing */
	enc[0] = '/';
	k = path_encode(out, w, enc + 1, sizeof(enc) - 1);
	if (k == 0 && w > 0)
		fail("path_encode refused a clean path");
	if (path_clean(enc, k + 1, again, sizeof(again), &dir2) != S_OK ||
	    strcmp(out, again) != 0)
		fail("path_encode then path_clean changed the path");
}

static void
ranges(const char *in, size_t n)
{
	static const uint64_t lens[] = { 0, 1, 10, 1000, (uint64_t)1 << 40, INT64_MAX };
	struct range rg[HTTP_MAX_RANGES];
	size_t i;
	int k, j;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		k = range_parse(in, n, lens[i], rg);
		if (k < -1 || k > HTTP_MAX_RANGES)
			fail("range_parse count out of bounds");
		for (j = 0; j < k; j++)
			if (rg[j].len == 0 || rg[j].off >= lens[i] ||
			    rg[j].len > lens[i] - rg[j].off)
				fail("range_parse range outside the representation");
	}
}

static void
dates(const char *in, size_t n)
{
	char out[DATE_LEN + 1];
	int64_t t, t2;

	if (date_parse(in, n, &t) != 0)
		return;
	if (date_fmt(t, out) != 0)
		fail("date_parse gave a time date_fmt refuses");
	if (date_parse(out, DATE_LEN, &t2) != 0 || t2 != t)
		fail("date_fmt then date_parse changed the time");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = copy(data, size);

	pipeline(in, size);
	paths(in, size);
	ranges(in, size);
	dates(in, size);
	cgi_output(in, size);
	mime_type(in, size);
	free(in);
	return 0;
}
