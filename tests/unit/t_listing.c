/*
 * t_listing.c: directory listings in HTML and JSON: order, hidden
 * dotfiles, escaping of names, href encoding, sizes, times, thumbnails;
 * the body buffer they are built in, and the fixed buffer of header lines.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "tap.h"

static struct dent
ent(const char *name, enum ftype type, uint64_t size, int64_t mtime)
{
	struct dent d;

	d.name = strdup(name);
	d.type = type;
	d.size = size;
	d.mtime = mtime;
	return d;
}

static void
freeents(struct dent *e, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(e[i].name);
}

static int
has(const struct buf *b, const char *s)
{
	return b->p != NULL && strstr(b->p, s) != NULL;
}

/* both present, x first */
static int
before(const struct buf *b, const char *x, const char *y)
{
	const char *px, *py;

	if (b->p == NULL || (px = strstr(b->p, x)) == NULL ||
	    (py = strstr(b->p, y)) == NULL)
		return 0;
	return px < py;
}

static int
count(const struct buf *b, const char *s)
{
	const char *p;
	int n = 0;

	for (p = b->p; p != NULL && (p = strstr(p, s)) != NULL; p++)
		n++;
	return n;
}

/* one file rendered as an HTML listing, in the buffer */
static void
single(struct buf *b, const char *name, uint64_t size, int64_t mtime)
{
	struct dent e[1];

	e[0] = ent(name, FT_REG, size, mtime);
	buf_free(b);
	listing_html(b, "d", e, 1);
	freeents(e, 1);
}

static void
test_buf(void)
{
	struct buf b = { 0 };
	char big[1000];
	size_t oldn;

	buf_str(&b, "abc");
	buf_add(&b, "de", 2);
	buf_add(&b, NULL, 0);
	ok(b.n == 5 && strcmp(b.p, "abcde") == 0, "buf_str and buf_add");
	buf_fmt(&b, "%d-%s", 42, "x");
	ok(b.n == 9 && strcmp(b.p, "abcde42-x") == 0, "buf_fmt appends");
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_fmt(&b, "[%s]", big);
	ok(b.n == 9 + 1001 && b.p[9] == '[' && b.p[b.n - 1] == ']' &&
	    b.p[b.n] == '\0' && !b.oom, "buf_fmt grows past the free space");
	buf_free(&b);
	ok(b.p == NULL && b.n == 0 && b.cap == 0, "buf_free empties");

	buf_fmt(&b, "%s", "");
	ok(b.n == 0 && !b.oom, "empty format on an empty buffer");
	buf_html(&b, "a&b<c>d\"e'f", 11);
	ok(strcmp(b.p, "a&amp;b&lt;c&gt;d&quot;e&#39;f") == 0,
	    "buf_html escapes & < > \" '");
	buf_free(&b);
	buf_json(&b, "q\"\\\n\x01\x7f\xc3\xa9/", 9);
	ok(strcmp(b.p, "q\\\"\\\\\\u000a\\u0001\\u007f\xc3\xa9/") == 0,
	    "buf_json escapes quote, backslash and controls, keeps UTF-8");
	buf_free(&b);
	buf_json(&b, "a\0b", 3);
	ok(b.n == 8 && memcmp(b.p, "a\\u0000b", 8) == 0, "buf_json escapes NUL");

	/* after a failed allocation nothing more is added */
	oldn = b.n;
	b.oom = 1;
	buf_str(&b, "more");
	buf_fmt(&b, "%s", "more");
	buf_html(&b, "<", 1);
	buf_json(&b, "\"", 1);
	ok(b.n == oldn, "an oom buffer ignores appends");
	buf_free(&b);
	ok(b.oom == 0, "buf_free clears oom");
}

/* one number through out_u64 or out_x64 equals snprintf's %llu or %llx */
static int
num_is(uint64_t v, int hex)
{
	char got[32], want[32];
	struct out o = { got, 0, sizeof(got), 0 };

	if (hex)
		out_x64(&o, v);
	else
		out_u64(&o, v);
	snprintf(want, sizeof(want), hex ? "%llx" : "%llu", (unsigned long long)v);
	return !o.full && o.n == strlen(want) && strcmp(got, want) == 0;
}

static void
test_out(void)
{
	char b[40];
	struct out o;
	uint64_t v;
	int all, i;

	ok(num_is(0, 0) && num_is(0, 1), "0 is one digit");
	ok(num_is(UINT64_MAX, 0) && num_is(UINT64_MAX, 1),
	    "UINT64_MAX: 20 decimal digits, 16 hex digits");
	all = 1;
	for (v = 1, i = 0; i < 64; i++, v <<= 1)
		all &= num_is(v, 0) && num_is(v - 1, 0) && num_is(v + 1, 0) &&
		    num_is(v, 1) && num_is(v - 1, 1) && num_is(v * 10 / 9, 0);
	for (v = 1, i = 0; i < 20; i++, v *= 10)
		all &= num_is(v, 0) && num_is(v - 1, 0) && num_is(v, 1);
	ok(all, "numbers around powers of 2 and 10 agree with snprintf");

	/* an append fits with room for its NUL, as snprintf's result would */
	memset(b, '#', sizeof(b));
	o = (struct out){ b, 0, 6, 0 };
	out_str(&o, "abcde");
	ok(!o.full && o.n == 5 && strcmp(b, "abcde") == 0, "exact fit");
	out_add(&o, "", 0);
	ok(!o.full && o.n == 5, "nothing fits in the NUL's place");
	out_add(&o, "f", 1);
	ok(o.full && o.n == 5 && b[5] == '\0' && b[6] == '#', "one byte more is full");
	out_add(&o, "", 0);
	out_u64(&o, 1);
	ok(o.full && o.n == 5 && strcmp(b, "abcde") == 0, "a full buffer stays full");

	memset(b, '#', sizeof(b));
	o = (struct out){ b, 0, 5, 0 };
	out_str(&o, "abcde");
	ok(o.full && o.n == 0 && b[0] == '#', "one byte short adds nothing");
	o = (struct out){ b, 0, 0, 0 };
	out_add(&o, "", 0);
	ok(o.full && b[0] == '#', "nothing fits in no room");

	o = (struct out){ b, 0, 21, 0 };
	out_u64(&o, UINT64_MAX);
	ok(!o.full && o.n == 20 && strcmp(b, "18446744073709551615") == 0,
	    "UINT64_MAX in 21 bytes");
	memset(b, '#', sizeof(b));
	o = (struct out){ b, 0, 20, 0 };
	out_u64(&o, UINT64_MAX);
	ok(o.full && b[0] == '#', "UINT64_MAX in 20 bytes is full");
	o = (struct out){ b, 0, 17, 0 };
	out_x64(&o, UINT64_MAX);
	ok(!o.full && strcmp(b, "ffffffffffffffff") == 0, "16 hex digits in 17 bytes");
	o = (struct out){ b, 0, 16, 0 };
	out_x64(&o, UINT64_MAX);
	ok(o.full, "16 hex digits in 16 bytes is full");

	o = (struct out){ b, 0, sizeof(b), 0 };
	out_str(&o, "bytes ");
	out_u64(&o, 0);
	out_add(&o, "-x", 1);
	out_u64(&o, 99);
	out_str(&o, "/");
	out_x64(&o, 255);
	ok(!o.full && strcmp(b, "bytes 0-99/ff") == 0, "appends in a row");
}

static void
test_html(void)
{
	struct buf b = { 0 };
	struct dent e[8];
	int n = 0;

	e[n++] = ent("b.txt", FT_REG, 5, 1700000000);
	e[n++] = ent("zeta", FT_DIR, 4096, 1700000000);
	e[n++] = ent(".hidden", FT_REG, 1, 0);
	e[n++] = ent("A.txt", FT_REG, 1234, 784111777);
	e[n++] = ent(".git", FT_DIR, 4096, 0);
	e[n++] = ent("alpha", FT_DIR, 4096, 0);
	e[n++] = ent("<script>&\"x.txt", FT_REG, 0, 0);
	e[n++] = ent("a b#c?d:e%.txt", FT_REG, 1023, 0);
	listing_html(&b, "docs/sub", e, n);

	ok(!b.oom && b.p != NULL, "listing built");
	ok(strncmp(b.p, "<!DOCTYPE html>\n", 16) == 0, "HTML5 doctype");
	ok(has(&b, "<meta charset=\"utf-8\">"), "charset meta");
	ok(has(&b, "<title>Index of /docs/sub/</title>"), "title with path");
	ok(has(&b, "<th>Name</th><th>Size</th><th>Modified</th><th>Type</th>"),
	    "the four columns");
	ok(has(&b, "<a href=\"../\">../</a>"), "parent link below the root");
	ok(has(&b, "</html>\n"), "document closed");
	ok(count(&b, "<tr>") == count(&b, "</tr>") && count(&b, "<tr>") == 8,
	    "a row per visible entry, the parent and the heading");

	/* directories first, then files, each by name in byte order */
	ok(before(&b, "href=\"alpha/\"", "href=\"zeta/\""), "alpha/ before zeta/");
	ok(before(&b, "href=\"zeta/\"", "href=\"A.txt\""), "dirs before files");
	ok(before(&b, "href=\"A.txt\"", "href=\"b.txt\""), "A.txt before b.txt");
	ok(before(&b, "href=\"../\"", "href=\"alpha/\""), "parent first");
	ok(has(&b, ">zeta/</a>"), "directory names end in /");

	ok(!has(&b, "hidden") && !has(&b, ".git"), "dotfiles hidden");

	/* escaping and href encoding */
	ok(has(&b, "&lt;script&gt;&amp;&quot;x.txt</a>"), "name HTML-escaped");
	ok(!has(&b, "<script>"), "no raw markup from a name");
	ok(has(&b, "href=\"%3Cscript%3E%26%22x.txt\""), "href percent-encoded");
	ok(has(&b, "href=\"a%20b%23c%3Fd%3Ae%25.txt\""),
	    "space, #, ?, : and %% encoded in href");
	ok(has(&b, ">a b#c?d:e%.txt</a>"), "that name shown as is");

	/* sizes, times and types */
	ok(has(&b, "<td title=\"1234 bytes\">1.2 KiB</td>"), "1234 bytes");
	ok(has(&b, "<td title=\"1023 bytes\">1023 B</td>"), "1023 bytes");
	ok(has(&b, "<td title=\"0 bytes\">0 B</td>"), "empty file");
	ok(has(&b, "zeta/</a></td><td>-</td>"), "no size for directories");
	ok(has(&b, "<td>1994-11-06 08:49</td>"), "mtime 784111777");
	ok(has(&b, "<td>2023-11-14 22:13</td>"), "mtime 1700000000");
	ok(has(&b, "<td>1970-01-01 00:00</td>"), "mtime 0");
	ok(has(&b, "<td>text/plain</td>"), "type of .txt, without charset");
	ok(count(&b, "<td>directory</td>") == 3, "type of directories");
	ok(count(&b, "<img") == 0 && count(&b, "<audio") == 0,
	    "no media for text files");

	buf_free(&b);
	freeents(e, n);
}

static void
test_media(void)
{
	struct buf b = { 0 };
	struct dent e[8];
	int n = 0;

	e[n++] = ent("my pic.png", FT_REG, 10, 0);
	e[n++] = ent("x.JPG", FT_REG, 10, 0);
	e[n++] = ent("s.svg", FT_REG, 10, 0);
	e[n++] = ent("song #1.mp3", FT_REG, 10, 0);
	e[n++] = ent("t.opus", FT_REG, 10, 0);
	e[n++] = ent("scan.tiff", FT_REG, 10, 0);
	e[n++] = ent("dir.png", FT_DIR, 10, 0);
	e[n++] = ent("film.mp4", FT_REG, 10, 0);
	listing_html(&b, "", e, n);

	ok(has(&b, "<title>Index of /</title>"), "root title");
	ok(!has(&b, "../"), "no parent link at the root");
	ok(has(&b, "<img src=\"my%20pic.png\" alt=\"\" loading=\"lazy\" "
	    "width=\"48\">"), "png thumbnail, encoded src");
	ok(has(&b, "<img src=\"x.JPG\""), "JPG thumbnail");
	ok(has(&b, "<img src=\"s.svg\""), "svg thumbnail");
	ok(has(&b, "<audio controls preload=\"none\" src=\"song%20%231.mp3\">"
	    "</audio>"), "mp3 player, encoded src");
	ok(has(&b, "src=\"t.opus\""), "opus player");
	ok(count(&b, "<img") == 3 && count(&b, "<audio") == 2,
	    "nothing inline for tiff, mp4 or a directory named .png");

	buf_free(&b);
	freeents(e, n);
}

static void
test_sizes(void)
{
	struct buf b = { 0 };

	single(&b, "f", 1024, 0);
	ok(has(&b, ">1.0 KiB<"), "1024 is 1.0 KiB");
	single(&b, "f", 1536, 0);
	ok(has(&b, ">1.5 KiB<"), "1536 is 1.5 KiB");
	single(&b, "f", 1048575, 0);
	ok(has(&b, ">1023.9 KiB<"), "just under 1 MiB stays in KiB");
	single(&b, "f", UINT64_C(5) << 30, 0);
	ok(has(&b, "title=\"5368709120 bytes\">5.0 GiB<"), "5 GiB");
	single(&b, "f", UINT64_MAX, 0);
	ok(has(&b, "title=\"18446744073709551615 bytes\">15.9 EiB<"),
	    "the largest size");
	single(&b, "f", 0, 253402300799);
	ok(has(&b, "<td>9999-12-31 23:59</td>"), "the last representable time");
	single(&b, "f", 0, 253402300800);
	ok(has(&b, "</td><td>-</td><td>application"), "a time past 9999");
	single(&b, "f", 0, -1);
	ok(has(&b, "<td>1969-12-31 23:59</td>"), "before the epoch");
	buf_free(&b);
}

static void
test_json(void)
{
	struct buf b = { 0 };
	struct dent e[8];
	int n = 0;

	e[n++] = ent("a.txt", FT_REG, 5, 1);
	e[n++] = ent(".env", FT_REG, 5, 1);
	e[n++] = ent("sub", FT_DIR, 4096, 1700000000);
	e[n++] = ent("fifo", FT_OTHER, 0, -5);
	listing_json(&b, "dir", e, n);
	ok(b.p != NULL && strcmp(b.p, "{\"path\":\"/dir/\",\"entries\":["
	    "{\"name\":\"sub\",\"type\":\"directory\",\"size\":4096,"
	    "\"mtime\":1700000000},"
	    "{\"name\":\"a.txt\",\"type\":\"file\",\"size\":5,\"mtime\":1},"
	    "{\"name\":\"fifo\",\"type\":\"other\",\"size\":0,\"mtime\":-5}"
	    "]}") == 0, "JSON listing, dirs first, dotfiles hidden");
	buf_free(&b);
	freeents(e, n);

	listing_json(&b, "", NULL, 0);
	ok(b.p != NULL && strcmp(b.p, "{\"path\":\"/\",\"entries\":[]}") == 0,
	    "empty root");
	buf_free(&b);

	n = 0;
	e[n++] = ent("q\"\t\xc3\xa9<", FT_REG, UINT64_MAX, INT64_MIN);
	listing_json(&b, "a\"b/c", e, n);
	ok(b.p != NULL && strcmp(b.p, "{\"path\":\"/a\\\"b/c/\",\"entries\":["
	    "{\"name\":\"q\\\"\\u0009\xc3\xa9<\",\"type\":\"file\","
	    "\"size\":18446744073709551615,"
	    "\"mtime\":-9223372036854775808}]}") == 0,
	    "names and path JSON-escaped, extreme numbers");
	buf_free(&b);
	freeents(e, n);

	/* names no request can reach are left out, as dotfiles are */
	n = 0;
	e[n++] = ent("bad\xff.txt", FT_REG, 1, 0);
	e[n++] = ent("over\xc0\xaf", FT_REG, 1, 0);
	e[n++] = ent("back\\slash", FT_REG, 1, 0);
	e[n++] = ent("ok.txt", FT_REG, 1, 0);
	listing_json(&b, "", e, n);
	ok(b.p != NULL && strstr(b.p, "ok.txt") && !strstr(b.p, "bad") &&
	    !strstr(b.p, "over") && !strstr(b.p, "back"),
	    "JSON: no invalid UTF-8, no backslash in a name");
	buf_free(&b);
	listing_html(&b, "", e, n);
	ok(b.p != NULL && strstr(b.p, "ok.txt") && !strstr(b.p, "bad\xff") &&
	    !strstr(b.p, "back\\") && !strstr(b.p, "back%5C"),
	    "HTML: the same names left out");
	buf_free(&b);
	freeents(e, n);

	listing_html(&b, "a&b<", NULL, 0);
	ok(has(&b, "<title>Index of /a&amp;b&lt;/</title>"),
	    "HTML path escaped");
	ok(count(&b, "<tr>") == 2, "empty listing: heading and parent");
	buf_free(&b);
}

int
main(void)
{
	test_buf();
	test_out();
	test_html();
	test_media();
	test_sizes();
	test_json();
	return tap_done();
}
