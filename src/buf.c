/*
 * buf.c: a growable byte buffer for generated bodies (error pages, listings).
 * Pure: it only allocates, never performs I/O.  After a failed allocation
 * the buffer is marked oom and every later append is ignored.  While p is
 * not NULL, p[n] is a NUL, so the contents can also be read as a string.
 * Also the fixed-size struct out, for header and log lines: appends of
 * bytes and of numbers, written by hand because printf's formatting was
 * most of the cost of a small response.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

/* make room for n more bytes and the NUL; 0, or -1 with oom set */
static int
grow(struct buf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (b->oom)
		return -1;
	if (n > SIZE_MAX - 1 - b->n) {
		b->oom = 1;
		return -1;
	}
	need = b->n + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if ((p = realloc(b->p, cap)) == NULL) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (grow(b, n) < 0)
		return;
	if (n > 0)
		memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void
buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_fmt(struct buf *b, const char *fmt, ...)
{
	va_list ap, aq;
	size_t room;
	int len;

	if (b->oom)
		return;
	/* try the free space first, grow and format again if it was short */
	room = b->p ? b->cap - b->n : 0;
	va_start(ap, fmt);
	va_copy(aq, ap);
	len = vsnprintf(room ? b->p + b->n : NULL, room, fmt, ap);
	va_end(ap);
	if (len < 0) {
		/* an unformattable value leaves a body that cannot be trusted */
		b->oom = 1;
	} else if ((size_t)len < room) {
		b->n += (size_t)len;
	} else if (grow(b, (size_t)len) == 0) {
		vsnprintf(b->p + b->n, b->cap - b->n, fmt, aq);
		b->n += (size_t)len;
	}
	va_end(aq);
	/* a short first attempt may have overwritten the NUL */
	if (b->p)
		b->p[b->n] = '\0';
}

void
buf_html(struct buf *b, const char *s, size_t n)
{
	const char *rep;
	size_t i, run;

	for (i = run = 0; i < n; i++) {
		switch (s[i]) {
		case '&':	rep = "&amp;";	break;
		case '<':	rep = "&lt;";	break;
		case '>':	rep = "&gt;";	break;
		case '"':	rep = "&quot;";	break;
		case '\'':	rep = "&#39;";	break;
		default:	continue;
		}
		buf_add(b, s + run, i - run);
		buf_str(b, rep);
		run = i + 1;
	}
	buf_add(b, s + run, n - run);
}

void
buf_json(struct buf *b, const char *s, size_t n)
{
	unsigned char c;
	size_t i, run;

	/* RFC 8259 7: quote, backslash and controls escaped; UTF-8 as is */
	for (i = run = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c != '"' && c != '\\' && c >= 0x20 && c != 0x7f)
			continue;
		buf_add(b, s + run, i - run);
		if (c == '"' || c == '\\') {
			buf_add(b, "\\", 1);
			buf_add(b, s + i, 1);
		} else
			buf_fmt(b, "\\u%04x", c);
		run = i + 1;
	}
	buf_add(b, s + run, n - run);
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
	b->oom = 0;
}

void
out_u64(struct out *o, uint64_t v)
{
	char d[20];		/* UINT64_MAX has 20 digits */
	size_t i = sizeof(d);

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	out_add(o, d + i, sizeof(d) - i);
}

void
out_x64(struct out *o, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	char d[16];
	size_t i = sizeof(d);

	do {
		d[--i] = hex[v & 15];
		v >>= 4;
	} while (v > 0);
	out_add(o, d + i, sizeof(d) - i);
}
