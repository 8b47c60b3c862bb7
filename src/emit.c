/*
 * emit.c: serialise a response description into header bytes, RFC 9112 4
 * and 5, and the part headers of multipart/byteranges, RFC 9110 14.6.
 * Writes only into the caller's buffer, checking every length.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "http.h"

const char *
status_reason(enum status s)
{
	switch (s) {
	case S_CONTINUE: return "Continue";
	case S_OK: return "OK";
	case S_CREATED: return "Created";
	case S_ACCEPTED: return "Accepted";
	case S_NO_CONTENT: return "No Content";
	case S_PARTIAL: return "Partial Content";
	case S_MOVED: return "Moved Permanently";
	case S_FOUND: return "Found";
	case S_SEE_OTHER: return "See Other";
	case S_NOT_MODIFIED: return "Not Modified";
	case S_TEMPORARY_REDIRECT: return "Temporary Redirect";
	case S_PERMANENT_REDIRECT: return "Permanent Redirect";
	case S_BAD_REQUEST: return "Bad Request";
	case S_UNAUTHORIZED: return "Unauthorized";
	case S_FORBIDDEN: return "Forbidden";
	case S_NOT_FOUND: return "Not Found";
	case S_METHOD_NOT_ALLOWED: return "Method Not Allowed";
	case S_NOT_ACCEPTABLE: return "Not Acceptable";
	case S_REQUEST_TIMEOUT: return "Request Timeout";
	case S_CONFLICT: return "Conflict";
	case S_GONE: return "Gone";
	case S_LENGTH_REQUIRED: return "Length Required";
	case S_PRECONDITION_FAILED: return "Precondition Failed";
	case S_CONTENT_TOO_LARGE: return "Content Too Large";
	case S_URI_TOO_LONG: return "URI Too Long";
	case S_UNSUPPORTED_MEDIA_TYPE: return "Unsupported Media Type";
	case S_RANGE_NOT_SATISFIABLE: return "Range Not Satisfiable";
	case S_EXPECTATION_FAILED: return "Expectation Failed";
	case S_UNPROCESSABLE: return "Unprocessable Content";
	case S_TOO_MANY_REQUESTS: return "Too Many Requests";
	case S_FIELDS_TOO_LARGE: return "Request Header Fields Too Large";
	case S_INTERNAL: return "Internal Server Error";
	case S_NOT_IMPLEMENTED: return "Not Implemented";
	case S_BAD_GATEWAY: return "Bad Gateway";
	case S_UNAVAILABLE: return "Service Unavailable";
	case S_GATEWAY_TIMEOUT: return "Gateway Timeout";
	case S_VERSION: return "HTTP Version Not Supported";
	default: break;
	}
	/* RFC 9110 15: a code without a phrase here is understood by its class */
	switch (s / 100) {
	case 1: return "Informational";
	case 2: return "Success";
	case 3: return "Redirection";
	case 4: return "Client Error";
	default: return "Server Error";
	}
}

struct out {
	char *p;
	size_t n, cap;
	int full;
};

__attribute__((format(printf, 2, 3)))
static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (o->full)
		return;
	va_start(ap, fmt);
	k = vsnprintf(o->p + o->n, o->cap - o->n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= o->cap - o->n)
		o->full = 1;
	else
		o->n += (size_t)k;
}

size_t
emit_head(const struct resp *rs, int64_t now, char *buf, size_t cap)
{
	struct out o = { buf, 0, cap, 0 };
	char date[DATE_LEN + 1];

	if (cap == 0)
		return 0;
	put(&o, "HTTP/1.1 %d %s\r\nServer: " SERVER_NAME "\r\n", rs->s,
	    status_reason(rs->s));
	if (date_fmt(now, date) == 0)
		put(&o, "Date: %s\r\n", date);
	if (rs->b == B_MULTI)
		put(&o, "Content-Type: multipart/byteranges; boundary=%s\r\n",
		    rs->boundary);
	else if (rs->ctype)
		put(&o, "Content-Type: %s\r\n", rs->ctype);
	/* RFC 9110 8.6: none on 1xx, 204 and 304; RFC 9112 6.2: none when chunked */
	if (rs->chunked)
		put(&o, "Transfer-Encoding: chunked\r\n");
	else if (!rs->noclen && rs->s >= 200 && rs->s != S_NO_CONTENT &&
	    rs->s != S_NOT_MODIFIED)
		put(&o, "Content-Length: %llu\r\n", (unsigned long long)rs->clen);
	put(&o, "%.*s", (int)rs->nfields, rs->fields);
	if (rs->close)
		put(&o, "Connection: close\r\n");
	else if (rs->minor == 0)
		put(&o, "Connection: keep-alive\r\n");
	put(&o, "\r\n");
	return o.full ? 0 : o.n;
}

size_t
emit_part(const struct resp *rs, int i, char *buf, size_t cap)
{
	struct out o = { buf, 0, cap, 0 };
	const struct range *rg;

	if (cap == 0)
		return 0;
	if (i >= rs->nrg) {
		put(&o, "\r\n--%s--\r\n", rs->boundary);
	} else {
		rg = &rs->rg[i];
		put(&o, "\r\n--%s\r\nContent-Type: %s\r\n"
		    "Content-Range: bytes %llu-%llu/%llu\r\n\r\n", rs->boundary,
		    rs->ctype ? rs->ctype : "application/octet-stream",
		    (unsigned long long)rg->off,
		    (unsigned long long)(rg->off + rg->len - 1),
		    (unsigned long long)rs->fsize);
	}
	return o.full ? 0 : o.n;
}
