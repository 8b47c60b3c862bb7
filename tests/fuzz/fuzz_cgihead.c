/*
 * fuzz_cgihead.c: a CGI program's header block, RFC 3875 6.  The input is
 * what a program writes.  A parsed block lies within the input and its
 * limit; its status is a final one; the fields passed on are whole
 * "Name: value" lines with no CR or LF inside, so a program cannot split
 * the response; its reason phrase is that of the input's Status line; and
 * the head the shell sends for it fits and is well formed.
 */
#include "common.h"

/* the Status line of the input, read apart from cgi_head: the text after
 * "DDD " (blanks trimmed) is the reason when shorter than HTTP_REASON */
static void
reason_check(const char *in, const struct cgihead *h)
{
	const char *p = in, *e = in + h->headlen, *lf, *v, *ve;
	size_t i, vn, rl = strlen(h->reason);
	char want[HTTP_REASON];

	want[0] = '\0';
	if (rl >= HTTP_REASON)
		fail("reason not shorter than HTTP_REASON");
	for (i = 0; i < rl; i++)
		if (((unsigned char)h->reason[i] < 0x20 && h->reason[i] != '\t') ||
		    h->reason[i] == 0x7f)
			fail("reason holds a control byte");
	for (; p < e; p = lf + 1) {
		lf = memchr(p, '\n', (size_t)(e - p));
		if (lf == NULL || lf == p || (lf == p + 1 && *p == '\r'))
			break;
		if ((size_t)(lf - p) < 7 || strncasecmp(p, "status:", 7) != 0)
			continue;
		v = p + 7;
		ve = lf;
		if (ve > v && ve[-1] == '\r')
			ve--;
		while (v < ve && (*v == ' ' || *v == '\t'))
			v++;
		for (vn = (size_t)(ve - v); vn > 0 && (v[vn - 1] == ' ' || v[vn - 1] == '\t'); vn--)
			;
		if (vn > 4 && vn - 4 < HTTP_REASON) {
			memcpy(want, v + 4, vn - 4);
			want[vn - 4] = '\0';
		}
		if (atoi(v) != (int)h->s)
			fail("status differs from the Status line");
	}
	if (strcmp(want, h->reason) != 0)
		fail("reason differs from the Status line");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cgihead h;
	static struct resp rs;
	char *in = copy(data, size);
	const char *p, *end, *crlf;
	enum status s;

	s = cgi_head(in, size, &h);
	if (s != S_NONE && s != S_OK && s != S_BAD_GATEWAY)
		fail("cgi_head gave an unexpected status");
	if (s == S_NONE && size >= HTTP_CGI_HEAD)
		fail("cgi_head wants more than its limit");
	if (h.notype && s != S_BAD_GATEWAY)
		fail("notype without a 502");
	if (s != S_OK)
		goto out;
	if (h.headlen == 0 || h.headlen > size || h.headlen > HTTP_CGI_HEAD)
		fail("cgi_head length outside the input");
	if (h.s < 200 || h.s > 599)
		fail("cgi_head status out of range");
	if (h.untyped && (h.ctype || h.clen > 0 || h.headlen != size))
		fail("untyped with a type or a body");
	reason_check(in, &h);
	if (h.nfields >= sizeof(h.fields) || strlen(h.fields) != h.nfields)
		fail("cgi_head fields out of bounds");
	for (p = h.fields, end = h.fields + h.nfields; p < end; p = crlf + 2) {
		crlf = strstr(p, "\r\n");
		if (crlf == NULL || memchr(p, '\n', (size_t)(crlf - p)) ||
		    memchr(p, '\r', (size_t)(crlf - p)) || memchr(p, ':', (size_t)(crlf - p)) == NULL)
			fail("cgi_head passed a malformed field");
	}

	/* the head the shell sends for it */
	respond_error(&rs, S_OK, 1, 0);
	buf_free(&rs.gen);
	rs.s = h.s;
	memcpy(rs.reason, h.reason, sizeof(rs.reason));
	rs.ctype = NULL;
	memcpy(rs.fields, h.fields, h.nfields + 1);
	rs.nfields = h.nfields;
	rs.b = B_CGI;
	rs.close = 0;
	rs.clen = h.clen > 0 ? (uint64_t)h.clen : 0;
	rs.noclen = h.clen < 0;
	rs.chunked = h.clen < 0;
	emit(&rs, HTTP_HEAD_OUT);
out:
	free(in);
	return 0;
}
