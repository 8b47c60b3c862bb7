/*
 * parse.c: the request head parser, RFC 9112 sections 2 to 7 and 9.
 * It reads only the buffer it is given, allocates nothing, and every span
 * it returns points into that buffer.  It never performs I/O.
 */
#include <string.h>

#include "http.h"

static const struct {
	const char *name;
	enum method m;
} methods[] = {
	{ "GET", M_GET }, { "HEAD", M_HEAD }, { "POST", M_POST },
	{ "PUT", M_PUT }, { "DELETE", M_DELETE }, { "CONNECT", M_CONNECT },
	{ "OPTIONS", M_OPTIONS }, { "TRACE", M_TRACE }, { "PATCH", M_PATCH },
};

/* RFC 9110 5.6.2: tchar */
int
http_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

int
http_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
istoken(const char *p, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!http_tchar((unsigned char)p[i]))
			return 0;
	return 1;
}


static int
isows(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 3986 2.2, 2.3: unreserved and sub-delims, plus what else may be */
static int
hostchar(unsigned char c, const char *more)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || (c != '\0' && strchr("-._~!$&'()*+,;=", c)) ||
	    (c != '\0' && strchr(more, c));
}

/* RFC 9112 3.2 and RFC 3986 3.2.2, 3.2.3: uri-host [ ":" port ], where
 * uri-host is an IP-literal in brackets or a reg-name (pct-encoded too) */
static int
hostok(const char *p, size_t n)
{
	size_t i = 0;

	if (n > 0 && p[0] == '[') {
		/* IPv6address or IPvFuture: their characters, then ']' */
		for (i = 1; i < n && p[i] != ']'; i++)
			if (!hostchar((unsigned char)p[i], ":"))
				return 0;
		if (i == n || i == 1)
			return 0;
		i++;
	} else {
		for (; i < n && p[i] != ':'; i++) {
			if (p[i] == '%') {
				if (n - i < 3 || http_hex((unsigned char)p[i + 1]) < 0 ||
				    http_hex((unsigned char)p[i + 2]) < 0)
					return 0;
				i += 2;
			} else if (!hostchar((unsigned char)p[i], "")) {
				return 0;
			}
		}
	}
	if (i == n)
		return 1;
	/* port = *DIGIT */
	if (p[i++] != ':')
		return 0;
	for (; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

/* empty elements are returned as empty spans */
int
http_list(const char **pp, const char *end, struct span *el)
{
	const char *p = *pp, *q;

	if (p > end)
		return 0;
	while (p < end && isows(*p))
		p++;
	q = memchr(p, ',', (size_t)(end - p));
	if (q == NULL)
		q = end;
	el->p = p;
	el->n = (size_t)(q - p);
	while (el->n > 0 && isows(el->p[el->n - 1]))
		el->n--;
	*pp = q + 1;
	return 1;
}

/* RFC 9112 6.3: Content-Length is 1*DIGIT; a list of equal values is one value */
static enum status
content_length(const struct span *v, struct req *r)
{
	const char *p = v->p, *end = v->p + v->n;
	struct span el;
	int64_t x;
	size_t i;

	while (http_list(&p, end, &el)) {
		if (el.n == 0 || el.n > 18)
			return S_BAD_REQUEST;
		x = 0;
		for (i = 0; i < el.n; i++) {
			if (el.p[i] < '0' || el.p[i] > '9')
				return S_BAD_REQUEST;
			x = x * 10 + (el.p[i] - '0');
		}
		if (r->clen != -1 && r->clen != x)
			return S_BAD_REQUEST;
		r->clen = x;
	}
	return S_OK;
}

/* RFC 9112 6.1: the codings of all Transfer-Encoding fields, in order */
struct te {
	int seen, nchunked, lastchunked, unknown;
};

static void
transfer_encoding(const struct span *v, struct te *te)
{
	const char *p = v->p, *end = v->p + v->n;
	struct span el;

	te->seen = 1;
	while (http_list(&p, end, &el)) {
		if (el.n == 0)
			continue;
		if (http_ieq(el.p, el.n, "chunked")) {
			te->nchunked++;
			te->lastchunked = 1;
		} else {
			te->unknown = 1;
			te->lastchunked = 0;
		}
	}
}

static void
connection(const struct span *v, int *close, int *keep)
{
	const char *p = v->p, *end = v->p + v->n;
	struct span el;

	while (http_list(&p, end, &el)) {
		if (http_ieq(el.p, el.n, "close"))
			*close = 1;
		else if (http_ieq(el.p, el.n, "keep-alive"))
			*keep = 1;
	}
}

/* RFC 9112 3.2: origin-form, absolute-form, authority-form, asterisk-form */
static enum status
target(struct req *r)
{
	const char *p = r->target.p, *end = p + r->target.n, *q;
	size_t skip = 0;

	/* RFC 9112 3.2: a fragment is never part of a request-target */
	if (memchr(p, '#', r->target.n) != NULL)
		return S_BAD_REQUEST;
	if (r->target.n >= 7 && http_ieq(p, 7, "http://"))
		skip = 7;
	else if (r->target.n >= 8 && http_ieq(p, 8, "https://"))
		skip = 8;
	if (skip) {
		p += skip;
		for (q = p; q < end && *q != '/' && *q != '?'; q++)
			;
		/* RFC 9110 4.2.1: an http URI with an empty host is invalid */
		if (q == p || *p == ':' || memchr(p, '@', (size_t)(q - p)) != NULL ||
		    !hostok(p, (size_t)(q - p)))
			return S_BAD_REQUEST;
		r->host.p = p;
		r->host.n = (size_t)(q - p);
		p = q;
		if (p == end || *p == '?') {
			/* an empty path is "/" */
			r->path.p = "/";
			r->path.n = 1;
			if (p < end) {
				r->query.p = p + 1;
				r->query.n = (size_t)(end - p - 1);
			}
			return S_OK;
		}
	} else if (*p != '/') {
		if (r->target.n == 1 && *p == '*' && r->m == M_OPTIONS)
			return S_OK;
		if (r->m == M_CONNECT && hostok(p, r->target.n))
			return S_OK;
		return S_BAD_REQUEST;
	}
	q = memchr(p, '?', (size_t)(end - p));
	r->path.p = p;
	r->path.n = (size_t)((q ? q : end) - p);
	if (q) {
		r->query.p = q + 1;
		r->query.n = (size_t)(end - q - 1);
	}
	return S_OK;
}

/* the method of a request line, known as soon as its first space has come,
 * so that an error answered before the rest of the line (414, 505...) still
 * knows a HEAD, whose answer has no body (RFC 9110 9.3.2) */
static enum method
method(const char *p, size_t n)
{
	size_t i, k;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		k = strlen(methods[i].name);
		if (n > k && p[k] == ' ' && memcmp(p, methods[i].name, k) == 0)
			return methods[i].m;
	}
	return M_UNKNOWN;
}

/* the request line, RFC 9112 3: method SP request-target SP HTTP-version */
static enum status
request_line(const char *p, size_t n, struct req *r)
{
	const char *sp1, *sp2, *v;
	size_t i;

	sp1 = memchr(p, ' ', n);
	if (sp1 == NULL)
		return S_BAD_REQUEST;
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - p));
	if (sp2 == NULL)
		return S_BAD_REQUEST;
	r->method.p = p;
	r->method.n = (size_t)(sp1 - p);
	r->target.p = sp1 + 1;
	r->target.n = (size_t)(sp2 - sp1 - 1);
	r->version.p = sp2 + 1;
	r->version.n = n - (size_t)(sp2 + 1 - p);
	if (!istoken(r->method.p, r->method.n) || r->target.n == 0)
		return S_BAD_REQUEST;
	for (i = 0; i < r->target.n; i++)
		if ((unsigned char)r->target.p[i] <= 0x20 ||
		    (unsigned char)r->target.p[i] >= 0x7f)
			return S_BAD_REQUEST;

	/* RFC 9112 2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive */
	v = r->version.p;
	if (r->version.n != 8 || memcmp(v, "HTTP/", 5) != 0 ||
	    v[5] < '0' || v[5] > '9' || v[6] != '.' || v[7] < '0' || v[7] > '9')
		return S_BAD_REQUEST;
	if (v[5] != '1')
		return S_VERSION;
	r->minor = v[7] == '0' ? 0 : 1;
	return target(r);
}

/* a field line, RFC 9112 5: field-name ":" OWS field-value OWS */
static enum status
field_line(const char *p, size_t n, struct field *f)
{
	const char *colon;
	size_t i;
	unsigned char c;

	/* RFC 9112 5.2: obs-fold is rejected */
	if (isows(p[0]))
		return S_BAD_REQUEST;
	colon = memchr(p, ':', n);
	if (colon == NULL)
		return S_BAD_REQUEST;
	f->name.p = p;
	f->name.n = (size_t)(colon - p);
	/* RFC 9112 5.1: no whitespace between the name and the colon */
	if (!istoken(f->name.p, f->name.n))
		return S_BAD_REQUEST;
	p = colon + 1;
	n -= f->name.n + 1;
	while (n > 0 && isows(*p)) {
		p++;
		n--;
	}
	while (n > 0 && isows(p[n - 1]))
		n--;
	/* RFC 9110 5.5: field-vchar, SP, HTAB; never NUL, CR, LF or other CTLs */
	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return S_BAD_REQUEST;
	}
	f->value.p = p;
	f->value.n = n;
	return S_OK;
}

/*
 * the next line of buf[*off..n): its length without the line end, and the
 * offset after it.  RFC 9112 2.2: a bare LF ends a line too; a CR anywhere
 * but before LF is an error.  Returns S_NONE when no line end is there yet.
 */
static enum status
line(const char *buf, size_t n, size_t *off, size_t *len)
{
	const char *p = buf + *off, *lf;

	lf = memchr(p, '\n', n - *off);
	if (lf == NULL)
		return S_NONE;
	*len = (size_t)(lf - p);
	if (*len > 0 && p[*len - 1] == '\r')
		(*len)--;
	if (memchr(p, '\r', *len) != NULL)
		return S_BAD_REQUEST;
	*off = (size_t)(lf + 1 - buf);
	return S_OK;
}

/*
 * a field that takes one value, not a list: given twice, its value is empty,
 * which none of them accepts (RFC 9110 13.1.3, 13.1.4: a date with more than
 * one member is ignored; a Range or If-Range in two lines is no valid one,
 * and an If-Range that cannot be evaluated sends the whole representation)
 */
static void
single(struct span *to, const struct span *v)
{
	if (to->p == NULL)
		*to = *v;
	else
		*to = (struct span){ "", 0 };
}

static void
known_field(struct req *r, const struct field *f, struct te *te,
    int *close, int *keep, enum status *s)
{
	const struct span *nm = &f->name, *v = &f->value;
	enum status t;

	if (http_ieq(nm->p, nm->n, "host")) {
		r->nhost++;
		if (!hostok(v->p, v->n))
			*s = S_BAD_REQUEST;
		else if (r->host.p == NULL)
			r->host = *v;
	} else if (http_ieq(nm->p, nm->n, "content-length")) {
		if ((t = content_length(v, r)) != S_OK)
			*s = t;
	} else if (http_ieq(nm->p, nm->n, "transfer-encoding")) {
		transfer_encoding(v, te);
	} else if (http_ieq(nm->p, nm->n, "connection")) {
		connection(v, close, keep);
	} else if (http_ieq(nm->p, nm->n, "expect")) {
		/* RFC 9110 10.1.1: only 100-continue is defined, and an
		 * HTTP/1.0 client sends its body without waiting for it */
		if (http_ieq(v->p, v->n, "100-continue"))
			r->expect100 = r->minor == 1;
		else
			*s = S_EXPECTATION_FAILED;
	} else if (http_ieq(nm->p, nm->n, "if-match") && !r->if_match.p) {
		r->if_match = *v;
	} else if (http_ieq(nm->p, nm->n, "if-none-match") && !r->if_none_match.p) {
		r->if_none_match = *v;
	} else if (http_ieq(nm->p, nm->n, "if-modified-since")) {
		single(&r->if_mod, v);
	} else if (http_ieq(nm->p, nm->n, "if-unmodified-since")) {
		single(&r->if_unmod, v);
	} else if (http_ieq(nm->p, nm->n, "if-range")) {
		single(&r->if_range, v);
	} else if (http_ieq(nm->p, nm->n, "range")) {
		single(&r->range, v);
	} else if (http_ieq(nm->p, nm->n, "accept-encoding") && !r->accept_enc.p) {
		r->accept_enc = *v;
	} else if (http_ieq(nm->p, nm->n, "accept") && !r->accept.p) {
		r->accept = *v;
	}
}

/* RFC 9112 6: how the body is framed, and whether the connection persists */
static enum status
framing(struct req *r, const struct conf *c, const struct te *te, int close, int keep)
{
	r->keepalive = r->minor == 1 ? !close : keep && !close;
	if (te->seen) {
		r->keepalive = 0;
		/* RFC 9112 6.1: an HTTP/1.0 message with Transfer-Encoding is faulty */
		if (r->minor == 0 || r->clen != -1)
			return S_BAD_REQUEST;
		/* RFC 9112 6.3: chunked must be final, and is applied once */
		if (!te->lastchunked || te->nchunked != 1)
			return S_BAD_REQUEST;
		if (te->unknown)
			return S_NOT_IMPLEMENTED;
		r->chunked = 1;
		r->keepalive = r->minor == 1 ? !close : 0;
	}
	/* RFC 9112 3.2: exactly one Host in HTTP/1.1 */
	if (r->minor == 1 && r->nhost != 1)
		return S_BAD_REQUEST;
	if (r->nhost > 1)
		return S_BAD_REQUEST;
	if (r->clen > 0 && (uint64_t)r->clen > c->max_body)
		return S_CONTENT_TOO_LARGE;
	return S_OK;
}

enum status
http_parse(const char *buf, size_t n, const struct conf *c, struct req *r)
{
	struct te te = { 0, 0, 0, 0 };
	size_t off = 0, start, len;
	int close = 0, keep = 0;
	enum status s, t;

	memset(r, 0, offsetof(struct req, f));
	r->nf = 0;
	r->clen = -1;
	r->minor = 1;

	/* RFC 9112 2.2: empty lines before the request line are ignored */
	while (off < n && (buf[off] == '\n' ||
	    (buf[off] == '\r' && off + 1 < n && buf[off + 1] == '\n')))
		off += buf[off] == '\r' ? 2 : 1;
	if (off >= c->max_head)
		return S_FIELDS_TOO_LARGE;

	start = off;
	r->m = method(buf + start, n - start);
	s = line(buf, n, &off, &len);
	/* a CR at the end may be the line's own, its LF still to come */
	if (s == S_NONE)
		return n - start - (n > start && buf[n - 1] == '\r') > c->max_line ?
		    S_URI_TOO_LONG :
		    n >= c->max_head ? S_FIELDS_TOO_LARGE : S_NONE;
	if (len > c->max_line)
		return S_URI_TOO_LONG;
	if (s != S_OK)
		return s;
	if ((s = request_line(buf + start, len, r)) != S_OK)
		return s;

	/* field lines until the empty line */
	s = S_OK;
	for (;;) {
		start = off;
		t = line(buf, n, &off, &len);
		if (off > c->max_head || (t == S_NONE && n >= c->max_head))
			return S_FIELDS_TOO_LARGE;
		if (t != S_OK)
			return t;
		if (len == 0)
			break;
		if (r->nf >= c->max_fields || r->nf >= HTTP_FIELDS_CAP)
			return S_FIELDS_TOO_LARGE;
		if ((t = field_line(buf + start, len, &r->f[r->nf])) != S_OK)
			return t;
		known_field(r, &r->f[r->nf], &te, &close, &keep, &s);
		r->nf++;
	}
	r->headlen = off;
	if (s != S_OK)
		return s;
	return framing(r, c, &te, close, keep);
}

const struct span *
http_field(const struct req *r, const char *name)
{
	int i;

	for (i = 0; i < r->nf; i++)
		if (http_ieq(r->f[i].name.p, r->f[i].name.n, name))
			return &r->f[i].value;
	return NULL;
}
