/*
 * path.c: turn a request path into a clean docroot-relative path.
 * Percent-decoding happens once (RFC 3986 2.1); the result is valid UTF-8
 * with no NUL, no backslash, no encoded '/', no dot segment and no name
 * starting with '.' other than a leading ".well-known" (RFC 8615).
 * Pure: the shells confine the opening of the result separately.
 */
#include <string.h>

#include "http.h"

/* RFC 3629 4: strict UTF-8, no overlong forms, no surrogates, <= U+10FFFF */
int
path_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, k, len;
	uint32_t cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			len = 2;
			cp = s[i] & 0x1f;
		} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			len = 3;
			cp = s[i] & 0x0f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			len = 4;
			cp = s[i] & 0x07;
		} else {
			return 0;
		}
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		i += len;
	}
	return 1;
}

/* decode %XX once into out; refuse what could name something else */
static enum status
decode(const char *p, size_t n, char *out, size_t cap, size_t *len)
{
	size_t i, o = 0;
	int hi, lo;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if (c == '%') {
			if (n - i < 3 || (hi = http_hex((unsigned char)p[i + 1])) < 0 ||
			    (lo = http_hex((unsigned char)p[i + 2])) < 0)
				return S_BAD_REQUEST;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
			/* an encoded '/' would hide a segment boundary */
			if (c == '/')
				return S_BAD_REQUEST;
		}
		if (c == '\0' || c == '\\')
			return S_BAD_REQUEST;
		if (o + 1 >= cap)
			return S_URI_TOO_LONG;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	*len = o;
	return S_OK;
}

enum status
path_clean(const char *p, size_t n, char *out, size_t cap, int *dir)
{
	size_t len, r = 0, w = 0, e, seg;
	enum status s;
	char *slash;

	if (n == 0 || p[0] != '/')
		return S_BAD_REQUEST;
	if ((s = decode(p, n, out, cap, &len)) != S_OK)
		return s;
	if (!path_utf8((const unsigned char *)out, len))
		return S_BAD_REQUEST;

	/* RFC 3986 5.2.4: remove dot segments; empty segments are merged */
	*dir = 1;
	while (r < len) {
		while (r < len && out[r] == '/')
			r++;
		if (r >= len)
			break;
		for (e = r; e < len && out[e] != '/'; e++)
			;
		seg = e - r;
		*dir = e == len ? 0 : 1;
		if (seg == 1 && out[r] == '.') {
			*dir = e == len ? 2 : 1;
		} else if (seg == 2 && out[r] == '.' && out[r + 1] == '.') {
			if (w == 0)
				return S_BAD_REQUEST;
			out[w] = '\0';
			slash = strrchr(out, '/');
			w = slash ? (size_t)(slash - out) : 0;
			*dir = e == len ? 2 : 1;
		} else {
			if (w > 0)
				out[w++] = '/';
			memmove(out + w, out + r, seg);
			w += seg;
		}
		r = e;
	}
	out[w] = '\0';

	/* no name may start with '.', but the leading ".well-known" */
	for (r = 0; r < w; r = e + 1) {
		for (e = r; e < w && out[e] != '/'; e++)
			;
		if (out[r] == '.' && !(r == 0 && e - r == 11 &&
		    memcmp(out, ".well-known", 11) == 0))
			return S_NOT_FOUND;
	}
	return S_OK;
}

/* p[0..n) into out, bytes other than unreserved ones and those in keep as
 * %XX; 0 when out (cap bytes, with the NUL) is too small */
static size_t
encode(const char *p, size_t n, const char *keep, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, o = 0;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~' || (c != '\0' && strchr(keep, c) != NULL)) {
			if (o + 1 >= cap)
				return 0;
			out[o++] = (char)c;
		} else {
			if (o + 3 >= cap)
				return 0;
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	if (o >= cap)
		return 0;
	out[o] = '\0';
	return o;
}

size_t
path_encode(const char *p, size_t n, char *out, size_t cap)
{
	return encode(p, n, "/", out, cap);
}

/* the query keeps what RFC 3986 3.4 allows there, '%' of its escapes too */
size_t
query_encode(const char *p, size_t n, char *out, size_t cap)
{
	return encode(p, n, "!$&'()*+,;=:@/?%", out, cap);
}
