/*
 * cgihead.c: parse the header block a CGI program writes, RFC 3875 6.
 * Lines may end in LF or CRLF.  Status, Location and Content-Length are
 * interpreted; hop-by-hop fields are dropped; the rest pass on, checked to
 * be well-formed so that no program can split the response.  Pure.
 */
#include <stdio.h>
#include <string.h>

#include "http.h"

static const char *dropped[] = {
	"connection", "keep-alive", "transfer-encoding", "te", "upgrade",
	"proxy-connection", "trailer", "server", "date",
};

/* RFC 3875 6.3.3: Status: 3DIGIT [SP reason]; the reason is kept when
 * it fits (its bytes are checked as every field value's are) */
static enum status
status_field(struct cgihead *h, const char *v, size_t n)
{
	int s;

	if (n < 3 || v[0] < '1' || v[0] > '5' || v[1] < '0' || v[1] > '9' ||
	    v[2] < '0' || v[2] > '9' || (n > 3 && v[3] != ' '))
		return S_NONE;
	s = (v[0] - '0') * 100 + (v[1] - '0') * 10 + (v[2] - '0');
	if (n > 4 && n - 4 < sizeof(h->reason)) {
		memcpy(h->reason, v + 4, n - 4);
		h->reason[n - 4] = '\0';
	}
	return s < 200 ? S_NONE : (enum status)s;
}

static int
field(struct cgihead *h, const char *p, size_t n, int *status, int *location)
{
	const char *colon = memchr(p, ':', n), *v;
	size_t i, nlen, vlen, k;
	enum status s;

	if (colon == NULL || colon == p)
		return -1;
	nlen = (size_t)(colon - p);
	for (i = 0; i < nlen; i++)
		if (!http_tchar((unsigned char)p[i]))
			return -1;
	v = colon + 1;
	vlen = n - nlen - 1;
	while (vlen > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		vlen--;
	}
	while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;
	for (i = 0; i < vlen; i++)
		if (((unsigned char)v[i] < 0x20 && v[i] != '\t') || v[i] == 0x7f)
			return -1;
	if (http_ieq(p, nlen, "status")) {
		/* one Status, one Content-Length, one Content-Type, one Location */
		if (*status || (s = status_field(h, v, vlen)) == S_NONE)
			return -1;
		h->s = s;
		*status = 1;
		return 0;
	}
	if (http_ieq(p, nlen, "content-length")) {
		if (vlen == 0 || vlen > 18 || h->clen >= 0)
			return -1;
		for (i = 0, h->clen = 0; i < vlen; i++) {
			if (v[i] < '0' || v[i] > '9')
				return -1;
			h->clen = h->clen * 10 + (v[i] - '0');
		}
		return 0;
	}
	for (i = 0; i < sizeof(dropped) / sizeof(dropped[0]); i++)
		if (http_ieq(p, nlen, dropped[i]))
			return 0;
	if (http_ieq(p, nlen, "content-type")) {
		if (h->ctype)
			return -1;
		h->ctype = 1;
	}
	if (http_ieq(p, nlen, "location")) {
		if (*location)
			return -1;
		*location = 1;
		/* a path of this server, not a network-path reference ("//host") */
		if (vlen > 0 && v[0] == '/' && (vlen == 1 || v[1] != '/')) {
			h->local = v;
			h->nlocal = vlen;
		}
	}
	k = nlen + vlen + 4;
	if (k >= sizeof(h->fields) - h->nfields)
		return -1;
	snprintf(h->fields + h->nfields, sizeof(h->fields) - h->nfields, "%.*s: %.*s\r\n",
	    (int)nlen, p, (int)vlen, v);
	h->nfields += k;
	return 0;
}

enum status
cgi_head(const char *buf, size_t n, struct cgihead *h)
{
	const char *p = buf, *end = buf + n, *lf;
	int status = 0, location = 0;
	size_t len;

	h->headlen = 0;
	h->s = S_OK;
	h->clen = -1;
	h->ctype = 0;
	h->untyped = 0;
	h->notype = 0;
	h->reason[0] = '\0';
	h->nfields = 0;
	h->fields[0] = '\0';
	h->local = NULL;
	h->nlocal = 0;
	for (;;) {
		lf = memchr(p, '\n', (size_t)(end - p));
		if (lf == NULL)
			return n >= HTTP_CGI_HEAD ? S_BAD_GATEWAY : S_NONE;
		len = (size_t)(lf - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (memchr(p, '\r', len) != NULL)
			return S_BAD_GATEWAY;
		if (len == 0)
			break;
		if (field(h, p, len, &status, &location) < 0)
			return S_BAD_GATEWAY;
		p = lf + 1;
	}
	h->headlen = (size_t)(lf + 1 - buf);
	if (h->headlen > HTTP_CGI_HEAD)
		return S_BAD_GATEWAY;
	/* RFC 3875 6.2.3 and 6.2.4: a redirect without Status is a 302;
	 * RFC 3875 6.2.2: with Status, a local path is the client's to follow */
	if (location && !status)
		h->s = S_FOUND;
	if (status)
		h->local = NULL;
	/* RFC 3875 6.3.1: a body needs a Content-Type; whether there is
	 * one is known now if it is announced or has begun */
	if (!h->ctype && !location && h->clen != 0 && h->s != S_NO_CONTENT &&
	    h->s != S_RESET_CONTENT && h->s != S_NOT_MODIFIED) {
		if (h->clen > 0 || n > h->headlen) {
			h->notype = 1;
			return S_BAD_GATEWAY;
		}
		h->untyped = 1;
	}
	return S_OK;
}

enum status
cgi_nph_status(const char *buf, size_t n)
{
	static const char form[] = "HTTP/d.d ddd";	/* d: a digit */
	size_t i;
	int s;

	for (i = 0; i < sizeof(form) - 1; i++) {
		if (i == n)
			return S_NONE;
		if (form[i] == 'd' ? buf[i] < '0' || buf[i] > '9' : buf[i] != form[i])
			return S_BAD_GATEWAY;
	}
	/* the code ends the line or is followed by the reason phrase */
	if (n > i && buf[i] != ' ' && buf[i] != '\r' && buf[i] != '\n')
		return S_BAD_GATEWAY;
	s = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
	return s < 100 || s > 599 ? S_BAD_GATEWAY : (enum status)s;
}
