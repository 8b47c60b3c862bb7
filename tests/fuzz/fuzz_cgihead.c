/*
 * fuzz_cgihead.c: a CGI program's header block, RFC 3875 6.  The input is
 * what a program writes.  A parsed block lies within the input and its
 * limit; its status is a final one; the fields passed on are whole
 * "Name: value" lines with no CR or LF inside, so a program cannot split
 * the response; and the head the shell sends for it fits and is well formed.
 */
#include "common.h"

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
	if (s != S_OK)
		goto out;
	if (h.headlen == 0 || h.headlen > size || h.headlen > HTTP_CGI_HEAD)
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
	respond_error(&rs, S_OK, 1, 0);
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
	emit(&rs, HTTP_HEAD_OUT);
out:
	free(in);
	return 0;
}
