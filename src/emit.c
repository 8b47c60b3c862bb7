/*
 * emit.c: serialise a response description into header bytes, RFC 9112 4
 * and 5, and the part headers of multipart/byteranges, RFC 9110 14.6.
 * Writes only into the caller's buffer, checking every length.
 */
#include "http.h"

/* the phrases of RFC 9110 15 and of the other codes in IANA's registry */
const char *
status_reason(enum status s)
{
	switch ((int)s) {
	case 100: return "Continue";
	case 101: return "Switching Protocols";
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 203: return "Non-Authoritative Information";
	case 204: return "No Content";
	case 205: return "Reset Content";
	case 206: return "Partial Content";
	case 207: return "Multi-Status";
	case 208: return "Already Reported";
	case 226: return "IM Used";
	case 300: return "Multiple Choices";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 305: return "Use Proxy";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 402: return "Payment Required";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 407: return "Proxy Authentication Required";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 411: return "Length Required";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 416: return "Range Not Satisfiable";
	case 417: return "Expectation Failed";
	case 421: return "Misdirected Request";
	case 422: return "Unprocessable Content";
	case 423: return "Locked";
	case 424: return "Failed Dependency";
	case 425: return "Too Early";
	case 426: return "Upgrade Required";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 451: return "Unavailable For Legal Reasons";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	case 505: return "HTTP Version Not Supported";
	case 506: return "Variant Also Negotiates";
	case 507: return "Insufficient Storage";
	case 508: return "Loop Detected";
	case 511: return "Network Authentication Required";
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
	out_str(&o, rs->reason[0] ? rs->reason : status_reason(rs->s));
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
	/* RFC 9110 8.6: none on 1xx, 204 and 304; RFC 9112 6.2: none when
	 * chunked; a 205 says 0 (RFC 9110 15.3.6: it has no content) */
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
