/*
 * cgienv.c: the environment of a CGI program, RFC 3875 4.1.
 * Built from the request and what the shell knows of the connection;
 * nothing of the server's own environment is passed but a fixed PATH,
 * and no Proxy field becomes HTTP_PROXY (httpoxy).  Pure: no I/O.
 */
#include <stdio.h>
#include <string.h>

#include "http.h"

#define CGI_PATH "/usr/local/bin:/usr/bin:/bin"

static void
var(struct buf *b, int *n, const char *name, const char *v, size_t len)
{
	buf_str(b, name);
	buf_add(b, "=", 1);
	buf_add(b, v, len);
	buf_add(b, "", 1);
	(*n)++;
}

static void
str(struct buf *b, int *n, const char *name, const char *v)
{
	var(b, n, name, v ? v : "", v ? strlen(v) : 0);
}

/* RFC 3875 4.1.14: the host name without its port */
static void
server_name(struct buf *b, int *n, const struct span *host, const char *addr)
{
	const char *end;
	size_t len;

	len = host->p == NULL ? 0 : host->n;
	end = len > 0 ? memchr(host->p, ']', len) : NULL;
	if (end != NULL)
		len = (size_t)(end - host->p) + 1;
	else if (len > 0 && (end = memchr(host->p, ':', len)) != NULL)
		len = (size_t)(end - host->p);
	/* no host, or only a port (Host: :80): the local address */
	if (len == 0)
		str(b, n, "SERVER_NAME", addr);
	else
		var(b, n, "SERVER_NAME", host->p, len);
}

/*
 * behind a TLS proxy the socket's port is the proxy's: the port the client
 * named in Host, or HTTPS's 443 (RFC 3875 4.1.15, RFC 9110 4.2.2)
 */
static void
proxied_port(struct buf *b, int *n, const struct span *host)
{
	const char *p = host->p, *end = p + host->n, *q;
	long port = 0;

	if (p != NULL && host->n > 0 && *p == '[')
		p = memchr(p, ']', host->n);
	q = p == NULL ? NULL : memchr(p, ':', (size_t)(end - p));
	if (q != NULL && end - q >= 2 && end - q <= 6) {
		for (p = q + 1; p < end && *p >= '0' && *p <= '9'; p++)
			port = port * 10 + (*p - '0');
		if (p == end && port <= 65535) {
			/* as a number: "08443" is port 8443 */
			for (p = q + 1; p < end - 1 && *p == '0'; p++)
				;
			var(b, n, "SERVER_PORT", p, (size_t)(end - p));
			return;
		}
	}
	str(b, n, "SERVER_PORT", "443");
}

/* RFC 3875 4.1.18: HTTP_ plus the name in upper case, '-' as '_' */
static int
meta_name(struct buf *b, const struct span *name)
{
	size_t i;
	char c;

	for (i = 0; i < name->n; i++) {
		c = name->p[i];
		/* '_' would let X_Y pose as X-Y: such fields are dropped */
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-'))
			return 0;
	}
	buf_str(b, "HTTP_");
	for (i = 0; i < name->n; i++) {
		c = name->p[i];
		if (c >= 'a' && c <= 'z')
			c -= 32;
		else if (c == '-')
			c = '_';
		buf_add(b, &c, 1);
	}
	return 1;
}

static int
skipped(const struct span *name)
{
	return http_ieq(name->p, name->n, "content-length") ||
	    http_ieq(name->p, name->n, "content-type") ||
	    http_ieq(name->p, name->n, "proxy") ||
	    http_ieq(name->p, name->n, "host") ||
	    http_ieq(name->p, name->n, "transfer-encoding") ||
	    http_ieq(name->p, name->n, "connection");
}

static int
same(const struct span *a, const struct span *b)
{
	size_t i;
	char x, y;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		x = a->p[i] >= 'A' && a->p[i] <= 'Z' ? a->p[i] + 32 : a->p[i];
		y = b->p[i] >= 'A' && b->p[i] <= 'Z' ? b->p[i] + 32 : b->p[i];
		if (x != y)
			return 0;
	}
	return 1;
}

/* every field once, its repetitions joined (RFC 9110 5.3) */
static void
fields(const struct req *r, struct buf *b, int *n)
{
	const struct span *nm;
	const char *sep;
	int i, j, seen;

	for (i = 0; i < r->nf; i++) {
		nm = &r->f[i].name;
		if (skipped(nm))
			continue;
		for (j = 0, seen = 0; j < i && !seen; j++)
			seen = same(&r->f[j].name, nm);
		if (seen || !meta_name(b, nm))
			continue;
		/* RFC 6265 5.4: cookies are joined with "; " */
		sep = http_ieq(nm->p, nm->n, "cookie") ? "; " : ", ";
		buf_add(b, "=", 1);
		buf_add(b, r->f[i].value.p, r->f[i].value.n);
		for (j = i + 1; j < r->nf; j++)
			if (same(&r->f[j].name, nm)) {
				buf_str(b, sep);
				buf_add(b, r->f[j].value.p, r->f[j].value.n);
			}
		buf_add(b, "", 1);
		(*n)++;
	}
}

int
cgi_env(const struct req *r, const struct resp *rs, const struct cgivars *v,
    struct buf *b)
{
	const struct span *f;
	char len[24];
	const char *sp;
	int n = 0;

	str(b, &n, "GATEWAY_INTERFACE", "CGI/1.1");
	str(b, &n, "SERVER_SOFTWARE", SERVER_NAME "/" SERVER_VERSION);
	server_name(b, &n, &r->host, v->server_addr);
	str(b, &n, "SERVER_ADDR", v->server_addr);
	if (v->proxied)
		proxied_port(b, &n, &r->host);
	else
		str(b, &n, "SERVER_PORT", v->server_port);
	var(b, &n, "SERVER_PROTOCOL", r->version.p, r->version.n);
	var(b, &n, "REQUEST_METHOD", r->method.p, r->method.n);
	var(b, &n, "REQUEST_URI", r->target.p, r->target.n);
	str(b, &n, "SCRIPT_NAME", rs->script_name);
	str(b, &n, "SCRIPT_FILENAME", v->script_filename);
	if (rs->path_info[0]) {
		str(b, &n, "PATH_INFO", rs->path_info);
		buf_str(b, "PATH_TRANSLATED=");
		buf_str(b, v->docroot);
		buf_str(b, rs->path_info);
		buf_add(b, "", 1);
		n++;
	}
	var(b, &n, "QUERY_STRING", r->query.p ? r->query.p : "", r->query.n);
	str(b, &n, "DOCUMENT_ROOT", v->docroot);
	str(b, &n, "REMOTE_ADDR", v->remote_addr);
	str(b, &n, "REMOTE_HOST", v->remote_addr);
	str(b, &n, "REMOTE_PORT", v->remote_port);
	if ((f = http_field(r, "content-type")) != NULL)
		var(b, &n, "CONTENT_TYPE", f->p, f->n);
	/* RFC 3875 4.1.2: set when there is a body; a chunked one has a
	 * length once decoded whole, and none while it streams */
	if (r->chunked ? v->gathered : r->clen >= 0) {
		snprintf(len, sizeof(len), "%llu", r->chunked ?
		    (unsigned long long)v->body_len : (unsigned long long)r->clen);
		str(b, &n, "CONTENT_LENGTH", len);
	}
	/* RFC 3875 4.1.1: the scheme of the credentials */
	if ((f = http_field(r, "authorization")) != NULL) {
		sp = memchr(f->p, ' ', f->n);
		var(b, &n, "AUTH_TYPE", f->p, sp ? (size_t)(sp - f->p) : f->n);
	}
	if (v->https)
		str(b, &n, "HTTPS", "on");
	str(b, &n, "REDIRECT_STATUS", "200");
	str(b, &n, "PATH", CGI_PATH);
	/* RFC 9112 3.2.2: the host of an absolute-form target, not Host */
	if (r->host.n > 0)
		var(b, &n, "HTTP_HOST", r->host.p, r->host.n);
	fields(r, b, &n);
	return n;
}
