/*
 * chunk.c: an incremental decoder of the chunked transfer coding,
 * RFC 9112 7.1.  Strict: every line ends in CRLF, the size is hex with no
 * sign or padding limit abuse, extensions and trailers are bounded.
 * It decodes in place and never performs I/O.
 */
#include <string.h>

#include "http.h"

enum {
	SIZE, BWS, EXT, SIZE_LF, DATA, DATA_CR, DATA_LF,
	TRAILER, TRAILER_LINE, TRAILER_LF, END_LF,
};

#define MAX_DIGITS 15		/* sizes below 2^60 */
#define MAX_EXT 4096

void
chunk_init(struct chunk *c)
{
	memset(c, 0, sizeof(*c));
	c->st = SIZE;
	c->err = S_NONE;
}

static int
isctl(unsigned char ch)
{
	return (ch < 0x20 && ch != '\t') || ch == 0x7f;
}

size_t
chunk_decode(struct chunk *c, char *buf, size_t n, size_t *used)
{
	size_t i = 0, o = 0, k;
	unsigned char ch;
	int v;

	while (i < n && !c->done && c->err == S_NONE) {
		ch = (unsigned char)buf[i];
		switch (c->st) {
		case SIZE:
			if ((v = http_hex(ch)) >= 0) {
				if (++c->ndigits > MAX_DIGITS)
					c->err = S_BAD_REQUEST;
				c->left = c->left * 16 + (uint64_t)v;
				i++;
			} else if (c->ndigits == 0) {
				c->err = S_BAD_REQUEST;
			} else {
				c->st = BWS;
			}
			break;
		case BWS:
			/* RFC 9112 7.1.1: chunk-size [ BWS ";" chunk-ext ] CRLF */
			if (ch == ' ' || ch == '\t') {
				if (++c->linelen > MAX_EXT)
					c->err = S_BAD_REQUEST;
				i++;
			} else if (ch == ';') {
				/* the extension's bound counts from the ';' */
				c->st = EXT;
				c->linelen = 1;
				i++;
			} else if (ch == '\r') {
				c->st = SIZE_LF;
				i++;
			} else {
				c->err = S_BAD_REQUEST;
			}
			break;
		case EXT:
			/* chunk-ext is skipped, but stays bounded and free of CTLs */
			if (ch == '\r')
				c->st = SIZE_LF;
			else if (isctl(ch) || ++c->linelen > MAX_EXT)
				c->err = S_BAD_REQUEST;
			i++;
			break;
		case SIZE_LF:
			if (ch != '\n') {
				c->err = S_BAD_REQUEST;
				break;
			}
			i++;
			c->linelen = 0;
			c->ndigits = 0;
			c->st = c->left == 0 ? TRAILER : DATA;
			break;
		case DATA:
			k = n - i;
			if (k > c->left)
				k = (size_t)c->left;
			memmove(buf + o, buf + i, k);
			o += k;
			i += k;
			c->left -= k;
			c->total += k;
			if (c->left == 0)
				c->st = DATA_CR;
			break;
		case DATA_CR:
		case DATA_LF:
			if (ch != (c->st == DATA_CR ? '\r' : '\n')) {
				c->err = S_BAD_REQUEST;
				break;
			}
			i++;
			c->st = c->st == DATA_CR ? DATA_LF : SIZE;
			break;
		case TRAILER:
			/* RFC 9112 7.1.2: trailer fields are read and dropped */
			if (ch == '\r') {
				c->st = END_LF;
				i++;
			} else {
				c->st = TRAILER_LINE;
			}
			break;
		case TRAILER_LINE:
			if (ch == '\r')
				c->st = TRAILER_LF;
			else if (isctl(ch) || ++c->trailer > HTTP_MAX_TRAILER)
				c->err = S_BAD_REQUEST;
			i++;
			break;
		case TRAILER_LF:
		case END_LF:
			if (ch != '\n') {
				c->err = S_BAD_REQUEST;
				break;
			}
			i++;
			if (c->st == END_LF)
				c->done = 1;
			c->st = TRAILER;
			break;
		}
	}
	*used = i;
	return o;
}
