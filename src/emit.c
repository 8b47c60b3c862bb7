/*
 * emit.c: serialise a response description into header bytes, RFC 9112 4
 * and 5, and the part headers of multipart/byteranges, RFC 9110 14.6.
 * Writes only into the caller's buffer, checking every length.
 */
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

size_t
emit_head(const struct resp *rs, int64_t now, char *buf, size_t cap)
{
	struct out o = { buf, 0, cap, 0 };
	char date[DATE_LEN + 1];

	if (cap == 0)
		return 0;
	out_str(&o, "HTTP/1.1 ");
	out_u64(&o, (uint64_t)rs->s);
	out_str(&o, " ");
	out_str(&o, status_reason(rs->s));
	out_str(&o, "\r\nServer: " SERVER_NAME "\r\n");
	if (date_fmt(now, date) == 0) {
		out_str(&o, "Date: ");
		out_add(&o, date, DATE_LEN);
		out_str(&o, "\r\n");
	}
	if (rs->b == B_MULTI) {
		out_str(&o, "Content-Type: multipart/byteranges; boundary=");
		out_str(&o, rs->boundary);
		out_str(&o, "\r\n");
	} else if (rs->ctype) {
		out_str(&o, "Content-Type: ");
		out_str(&o, rs->ctype);
		out_str(&o, "\r\n");
	}
	/* RFC 9110 8.6: none on 1xx, 204 and 304; RFC 9112 6.2: none when chunked */
	if (rs->chunked) {
		out_str(&o, "Transfer-Encoding: chunked\r\n");
	} else if (!rs->noclen && rs->s >= 200 && rs->s != S_NO_CONTENT &&
	    rs->s != S_NOT_MODIFIED) {
		out_str(&o, "Content-Length: ");
		out_u64(&o, rs->clen);
		out_str(&o, "\r\n");
	}
	/* "Name: value\r\n" lines, with no NUL in them */
	out_add(&o, rs->fields, rs->nfields);
	if (rs->close)
		out_str(&o, "Connection: close\r\n");
	else if (rs->minor == 0)
		out_str(&o, "Connection: keep-alive\r\n");
	out_str(&o, "\r\n");
	return o.full ? 0 : o.n;
}

size_t
emit_part(const struct resp *rs, int i, char *buf, size_t cap)
{
	struct out o = { buf, 0, cap, 0 };
	const struct range *rg;

	if (cap == 0)
		return 0;
	out_str(&o, "\r\n--");
	out_str(&o, rs->boundary);
	if (i >= rs->nrg) {
		out_str(&o, "--\r\n");
	} else {
		rg = &rs->rg[i];
		out_str(&o, "\r\nContent-Type: ");
		out_str(&o, rs->ctype ? rs->ctype : "application/octet-stream");
		out_str(&o, "\r\nContent-Range: bytes ");
		out_u64(&o, rg->off);
		out_str(&o, "-");
		out_u64(&o, rg->off + rg->len - 1);
		out_str(&o, "/");
		out_u64(&o, rs->fsize);
		out_str(&o, "\r\n\r\n");
	}
	return o.full ? 0 : o.n;
}
