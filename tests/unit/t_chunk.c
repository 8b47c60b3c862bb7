/*
 * t_chunk.c: unit tests of the chunked decoder, chunk_decode (RFC 9112 7.1).
 * Every body is decoded whole, split at every byte boundary and fed one
 * byte at a time, each piece in a buffer of its exact size, and the three
 * must agree.  Errors, limits and where a body ends are checked too.
 */
#include <stdlib.h>

#include "http.h"
#include "tap.h"

#define OUT_CAP 65536

struct result {
	char out[OUT_CAP];
	size_t outn;		/* decoded bytes */
	size_t used;		/* input consumed, over all calls */
	int done;
	enum status err;
	uint64_t total;
	int broken;		/* a call broke the contract of chunk_decode */
};

/*
 * decode in[0..n) in pieces: the first of size first, then pieces of
 * size step.  Each piece is copied into a buffer of exactly its size, so
 * that an over-read or over-write is caught by the address sanitizer.
 */
static void
feed(const char *in, size_t n, size_t first, size_t step, struct result *res)
{
	struct chunk c;
	size_t pos = 0, len, got, used;
	char *b;

	memset(res, 0, sizeof(*res));
	chunk_init(&c);
	len = first < n ? first : n;
	for (;;) {
		b = malloc(len ? len : 1);
		if (b == NULL)
			abort();
		memcpy(b, in + pos, len);
		got = chunk_decode(&c, b, len, &used);
		if (got > used || used > len || res->outn + got > OUT_CAP)
			res->broken = 1;
		else
			memcpy(res->out + res->outn, b, got);
		free(b);
		res->outn += got;
		pos += used;
		if (c.done || c.err != S_NONE || res->broken)
			break;
		if (used != len)
			res->broken = 1;
		if (pos >= n || res->broken)
			break;
		len = n - pos < step ? n - pos : step;
	}
	res->used = pos;
	res->done = c.done;
	res->err = c.err;
	res->total = c.total;
}

static int
same(const struct result *a, const struct result *b)
{
	return a->outn == b->outn && memcmp(a->out, b->out, a->outn) == 0 &&
	    a->used == b->used && a->done == b->done && a->err == b->err &&
	    a->total == b->total && !a->broken && !b->broken;
}

/* whole, split everywhere, byte by byte: all three must agree */
static int
splits_agree(const char *in, size_t n)
{
	struct result *whole, *part;
	size_t k;
	int good = 1;

	whole = malloc(sizeof(*whole));
	part = malloc(sizeof(*part));
	if (whole == NULL || part == NULL)
		abort();
	feed(in, n, n, n ? n : 1, whole);
	for (k = 0; k <= n && good; k++) {
		feed(in, n, k, n ? n : 1, part);
		good = same(whole, part);
	}
	feed(in, n, 0, 1, part);
	good = good && same(whole, part);
	free(whole);
	free(part);
	return good;
}

/* a complete body: decodes to want, consumes all of in, agrees when split */
static void
body_ok(const char *name, const char *in, size_t n, const char *want, size_t wn)
{
	struct result *res = malloc(sizeof(*res));

	if (res == NULL)
		abort();
	feed(in, n, n, n ? n : 1, res);
	ok(!res->broken && res->err == S_NONE && res->done, "%s: decoded", name);
	ok(res->outn == wn && memcmp(res->out, want, wn) == 0, "%s: data", name);
	ok(res->used == n, "%s: all %zu bytes consumed (used %zu)", name, n, res->used);
	ok(res->total == wn, "%s: total counts the data", name);
	ok(splits_agree(in, n), "%s: same result split anywhere", name);
	free(res);
}

#define BODY_OK(name, in, want) body_ok(name, in, sizeof(in) - 1, want, sizeof(want) - 1)

/* a malformed body: 400 whole, split anywhere and byte by byte */
static void
body_bad(const char *name, const char *in, size_t n)
{
	struct result *res = malloc(sizeof(*res));

	if (res == NULL)
		abort();
	feed(in, n, n, n ? n : 1, res);
	ok(!res->broken && res->err == S_BAD_REQUEST && !res->done,
	    "%s: rejected", name);
	ok(splits_agree(in, n), "%s: rejected the same split anywhere", name);
	free(res);
}

#define BODY_BAD(name, in) body_bad(name, in, sizeof(in) - 1)

static void
simple(void)
{
	BODY_OK("one chunk", "5\r\nhello\r\n0\r\n\r\n", "hello");
	BODY_OK("empty body", "0\r\n\r\n", "");
	BODY_OK("multiple chunks", "5\r\nhello\r\n1\r\n \r\n6\r\nworld!\r\n0\r\n\r\n",
	    "hello world!");
	BODY_OK("one-byte chunks", "1\r\na\r\n1\r\nb\r\n1\r\nc\r\n0\r\n\r\n", "abc");
	BODY_OK("CRLF and digits inside data",
	    "7\r\n\r\n0\r\n\r\n\r\n0\r\n\r\n", "\r\n0\r\n\r\n");
	BODY_OK("NUL and high bytes inside data", "4\r\n\0\xff\x80\n\r\n0\r\n\r\n",
	    "\0\xff\x80\n");
	BODY_OK("leading zeros in the size", "005\r\nhello\r\n000\r\n\r\n", "hello");
	BODY_OK("15 hex digits", "000000000000003\r\nabc\r\n0\r\n\r\n", "abc");
}

static void
hex(void)
{
	BODY_OK("lower-case hex", "a\r\n0123456789\r\n0\r\n\r\n", "0123456789");
	BODY_OK("upper-case hex", "A\r\n0123456789\r\n0\r\n\r\n", "0123456789");
	BODY_OK("two-digit lower hex",
	    "1f\r\n0123456789abcdef0123456789abcde\r\n0\r\n\r\n",
	    "0123456789abcdef0123456789abcde");
	BODY_OK("two-digit mixed hex",
	    "1F\r\n0123456789abcdef0123456789abcde\r\n0\r\n\r\n",
	    "0123456789abcdef0123456789abcde");
}

static void
extensions(void)
{
	BODY_OK("extension name=value", "5;a=b\r\nhello\r\n0\r\n\r\n", "hello");
	BODY_OK("extension on the last chunk", "5\r\nhello\r\n0;last\r\n\r\n", "hello");
	BODY_OK("several extensions", "5;a=b;c;d=\"x y\"\r\nhello\r\n0\r\n\r\n", "hello");
	BODY_OK("whitespace before an extension", "5 ;a=b\r\nhello\r\n0\t;c\r\n\r\n",
	    "hello");
	BODY_OK("tab inside an extension", "5;a=\"x\ty\"\r\nhello\r\n0\r\n\r\n", "hello");
}

static void
trailers(void)
{
	BODY_OK("one trailer", "5\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n", "hello");
	BODY_OK("two trailers", "0\r\nX-A: 1\r\nX-B: two words\r\n\r\n", "");
	BODY_OK("trailer with a tab", "0\r\nX-A:\tv\r\n\r\n", "");
}

static void
errors(void)
{
	BODY_BAD("data longer than its size", "5\r\nhelloX\r\n0\r\n\r\n");
	BODY_BAD("no CRLF after the data", "5\r\nhello0\r\n\r\n");
	BODY_BAD("CR without LF after the data", "5\r\nhello\rX0\r\n\r\n");
	BODY_BAD("data shorter than its size", "6\r\nhello\r\n0\r\n\r\n");
	BODY_BAD("bare LF after the size", "5\nhello\r\n0\r\n\r\n");
	BODY_BAD("bare LF after the data", "5\r\nhello\n0\r\n\r\n");
	BODY_BAD("bare LF after an extension", "5;a=b\nhello\r\n0\r\n\r\n");
	BODY_BAD("bare LF after the last chunk", "5\r\nhello\r\n0\n\r\n");
	BODY_BAD("bare LF as the final line", "5\r\nhello\r\n0\r\n\n");
	BODY_BAD("bare LF after a trailer", "0\r\nX-A: 1\n\r\n");
	BODY_BAD("CR without LF in the size line", "5\rhello\r\n0\r\n\r\n");
	BODY_BAD("0x prefix", "0x5\r\nhello\r\n0\r\n\r\n");
	BODY_BAD("0X prefix", "0X5\r\nhello\r\n0\r\n\r\n");
	BODY_BAD("negative size", "-5\r\nhello\r\n0\r\n\r\n");
	BODY_BAD("plus sign", "+5\r\nhello\r\n0\r\n\r\n");
	BODY_BAD("empty size line", "\r\nhello\r\n0\r\n\r\n");
	BODY_BAD("space before the size", " 5\r\nhello\r\n0\r\n\r\n");
	BODY_BAD("extension without a size", ";a=b\r\nhello\r\n0\r\n\r\n");
	BODY_BAD("non-hex digit", "5g\r\nhello\r\n0\r\n\r\n");
	BODY_BAD("16 hex digits", "0000000000000005\r\nhello\r\n0\r\n\r\n");
	BODY_BAD("16 hex digits, all F", "FFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n");
	BODY_BAD("20 hex digits", "10000000000000000000\r\nx\r\n0\r\n\r\n");
	BODY_BAD("CTL in an extension", "5;a=\x01\r\nhello\r\n0\r\n\r\n");
	BODY_BAD("NUL in an extension", "5;a\0b\r\nhello\r\n0\r\n\r\n");
	BODY_BAD("DEL in an extension", "5;a=\x7f\r\nhello\r\n0\r\n\r\n");
	BODY_BAD("CTL in a trailer", "0\r\nX-A: \x1b[0m\r\n\r\n");
	BODY_BAD("NUL in a trailer", "0\r\nX-A: a\0b\r\n\r\n");
	BODY_BAD("CR without LF in a trailer", "0\r\nX-A: 1\rX\r\n\r\n");
}

/* an extension or trailer of exactly len bytes inside a body */
static void
limits(void)
{
	char *in, *p;
	struct result *res = malloc(sizeof(*res));
	size_t n, ext;

	in = malloc(3 * 8192);
	if (in == NULL || res == NULL)
		abort();

	/* the extension counts from the ';' to the CR */
	for (ext = 4095; ext <= 4097; ext++) {
		p = in;
		*p++ = '3';
		*p++ = ';';
		memset(p, 'e', ext - 1);
		p += ext - 1;
		memcpy(p, "\r\nabc\r\n0\r\n\r\n", 12);
		n = (size_t)(p + 12 - in);
		feed(in, n, n, n, res);
		if (ext <= 4096)
			ok(res->done && res->err == S_NONE && res->outn == 3,
			    "extension of %zu bytes accepted", ext);
		else
			ok(res->err == S_BAD_REQUEST, "extension of %zu bytes rejected", ext);
		feed(in, n, 0, 1, res);
		ok(ext <= 4096 ? res->done : res->err == S_BAD_REQUEST,
		    "extension of %zu bytes, byte by byte", ext);
	}

	/* an over-long extension is refused before its end arrives */
	p = in;
	*p++ = '3';
	*p++ = ';';
	memset(p, 'e', 5000);
	n = 5002;
	feed(in, n, n, n, res);
	ok(res->err == S_BAD_REQUEST, "unterminated extension of 5000 bytes rejected");

	/* trailer bytes are counted over all lines, line ends excluded */
	for (ext = HTTP_MAX_TRAILER; ext <= HTTP_MAX_TRAILER + 1; ext++) {
		p = in;
		memcpy(p, "0\r\n", 3);
		p += 3;
		memcpy(p, "X-A: ", 5);
		memset(p + 5, 'v', ext / 2 - 5);
		p += ext / 2;
		memcpy(p, "\r\nX-B: ", 7);
		memset(p + 7, 'w', ext - ext / 2 - 5);
		p += 2 + ext - ext / 2;
		memcpy(p, "\r\n\r\n", 4);
		n = (size_t)(p + 4 - in);
		feed(in, n, n, n, res);
		if (ext <= HTTP_MAX_TRAILER)
			ok(res->done && res->err == S_NONE && res->used == n,
			    "trailers of %zu bytes accepted", ext);
		else
			ok(res->err == S_BAD_REQUEST, "trailers of %zu bytes rejected", ext);
		ok(splits_agree(in, n), "trailers of %zu bytes, split anywhere", ext);
	}

	/* a single trailer line longer than the limit */
	p = in;
	memcpy(p, "0\r\nX-A: ", 8);
	memset(p + 8, 'v', 8000);
	memcpy(p + 8008, "\r\n\r\n", 4);
	n = 8012;
	feed(in, n, n, n, res);
	ok(res->err == S_BAD_REQUEST, "trailer line of 8005 bytes rejected");

	free(in);
	free(res);
}

/* a large chunk arriving in many reads */
static void
large(void)
{
	size_t dn = 40000, n, i;
	char *in, *want;
	struct result *res = malloc(sizeof(*res));
	int len;

	in = malloc(dn + 64);
	want = malloc(dn);
	if (in == NULL || want == NULL || res == NULL)
		abort();
	len = snprintf(in, 64, "%zx\r\n", dn);
	for (i = 0; i < dn; i++)
		want[i] = (char)('a' + i % 26);
	memcpy(in + len, want, dn);
	memcpy(in + len + dn, "\r\n0\r\n\r\n", 7);
	n = (size_t)len + dn + 7;
	feed(in, n, n, n, res);
	ok(res->done && res->outn == dn && memcmp(res->out, want, dn) == 0,
	    "40000-byte chunk whole");
	feed(in, n, 3, 1000, res);
	ok(res->done && res->outn == dn && memcmp(res->out, want, dn) == 0,
	    "40000-byte chunk in reads of 1000");
	feed(in, n, 0, 1, res);
	ok(res->done && res->outn == dn && memcmp(res->out, want, dn) == 0 &&
	    res->total == dn, "40000-byte chunk byte by byte");
	free(in);
	free(want);
	free(res);
}

/* the data lands at the start of the same buffer, in order */
static void
in_place(void)
{
	static const char in[] = "3\r\nabc\r\n4;x=y\r\ndefg\r\n0\r\n\r\n";
	char buf[sizeof(in)];
	struct chunk c;
	size_t got, used;

	memcpy(buf, in, sizeof(in));
	chunk_init(&c);
	got = chunk_decode(&c, buf, sizeof(in) - 1, &used);
	ok(got == 7 && memcmp(buf, "abcdefg", 7) == 0, "in place: data at buf[0..7)");
	ok(used == sizeof(in) - 1 && c.done, "in place: whole body consumed");
	ok(c.total == 7, "in place: total is 7");

	/* a second call on a finished decoder consumes nothing */
	memcpy(buf, "5\r\nhello\r\n", 10);
	got = chunk_decode(&c, buf, 10, &used);
	ok(got == 0 && used == 0, "after the end: nothing consumed");

	/* nor does one on a failed decoder */
	chunk_init(&c);
	memcpy(buf, "x\r\n", 3);
	chunk_decode(&c, buf, 3, &used);
	ok(c.err == S_BAD_REQUEST, "failed decoder: error set");
	memcpy(buf, "0\r\n\r\n", 5);
	got = chunk_decode(&c, buf, 5, &used);
	ok(got == 0 && used == 0 && c.err == S_BAD_REQUEST && !c.done,
	    "after an error: nothing consumed, error kept");

	/* an empty call changes nothing */
	chunk_init(&c);
	got = chunk_decode(&c, buf, 0, &used);
	ok(got == 0 && used == 0 && !c.done && c.err == S_NONE, "empty input");
}

/* a body cut short is neither done nor an error, and is all consumed */
static void
incomplete(void)
{
	static const char *const cuts[] = {
		"5", "5\r", "5\r\n", "5\r\nhel", "5\r\nhello", "5\r\nhello\r",
		"5\r\nhello\r\n", "5\r\nhello\r\n0", "5\r\nhello\r\n0\r\n",
		"5\r\nhello\r\n0\r\n\r", "5;a=b", "0\r\nX-A: 1\r\n",
		"FFFFFFFFFFFFFFF\r\nabc",
	};
	struct result *res = malloc(sizeof(*res));
	size_t i, n;

	if (res == NULL)
		abort();
	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		n = strlen(cuts[i]);
		feed(cuts[i], n, n, n, res);
		ok(!res->broken && !res->done && res->err == S_NONE && res->used == n,
		    "incomplete \"%.*s\": waits for more", (int)strcspn(cuts[i], "\r\n"),
		    cuts[i]);
	}
	free(res);
}

/* *used stops at the end of the body: a pipelined request stays put */
static void
pipelined(void)
{
	static const char a[] = "5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1\r\n\r\n";
	static const char b[] = "0\r\nX-A: 1\r\n\r\n0\r\n\r\n";
	static const char d[] = "3\r\nabc\r\n0\r\n\r\n\r\n";
	struct result *res = malloc(sizeof(*res));
	size_t end;

	if (res == NULL)
		abort();
	end = strlen("5\r\nhello\r\n0\r\n\r\n");
	feed(a, sizeof(a) - 1, sizeof(a) - 1, 1, res);
	ok(res->done && res->used == end && res->outn == 5 &&
	    memcmp(res->out, "hello", 5) == 0, "pipelined request: used stops at %zu", end);
	ok(splits_agree(a, sizeof(a) - 1), "pipelined request: same split anywhere");

	end = strlen("0\r\nX-A: 1\r\n\r\n");
	feed(b, sizeof(b) - 1, sizeof(b) - 1, 1, res);
	ok(res->done && res->used == end && res->outn == 0,
	    "after trailers: used stops at %zu", end);
	ok(splits_agree(b, sizeof(b) - 1), "after trailers: same split anywhere");

	end = sizeof(d) - 3;
	feed(d, sizeof(d) - 1, sizeof(d) - 1, 1, res);
	ok(res->done && res->used == end, "an extra CRLF is left for the next request");
	free(res);
}

int
main(void)
{
	simple();
	hex();
	extensions();
	trailers();
	errors();
	limits();
	large();
	in_place();
	incomplete();
	pipelined();
	return tap_done();
}
