/*
 * t_range.c: Range field values (RFC 9110 14.1, 14.2) against a length:
 * satisfiable ranges, 416 (-1), ignored fields (0), limits and overflow.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "tap.h"

/* an exactly sized heap array, so writing past it is caught */
static struct range *rg;

static int
parse(const char *s, uint64_t len)
{
	return range_parse(s, strlen(s), len, rg);
}

static int
one(const char *s, uint64_t len, uint64_t off, uint64_t n)
{
	return parse(s, len) == 1 && rg[0].off == off && rg[0].len == n;
}

/* "bytes=0-0,2-2,..." with k ranges */
static char *
many(int k)
{
	static char s[512];
	size_t n;
	int i;

	n = (size_t)snprintf(s, sizeof(s), "bytes=");
	for (i = 0; i < k; i++)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "%s%d-%d",
		    i ? "," : "", 2 * i, 2 * i);
	return s;
}

int
main(void)
{
	uint64_t big = UINT64_C(5) << 30;
	int i, all;

	rg = malloc(HTTP_MAX_RANGES * sizeof(*rg));
	if (rg == NULL)
		return 1;

	/* RFC 9110 14.1.2 examples on a 10000-byte representation */
	ok(one("bytes=0-499", 10000, 0, 500), "first 500 bytes");
	ok(one("bytes=500-999", 10000, 500, 500), "second 500 bytes");
	ok(one("bytes=-500", 10000, 9500, 500), "final 500 bytes (suffix)");
	ok(one("bytes=9500-", 10000, 9500, 500), "final 500 bytes (open)");
	ok(parse("bytes=0-0,-1", 10000) == 2 && rg[0].off == 0 &&
	    rg[0].len == 1 && rg[1].off == 9999 && rg[1].len == 1,
	    "first and last byte");
	ok(parse("bytes=500-600,601-999", 10000) == 2 && rg[0].off == 500 &&
	    rg[0].len == 101 && rg[1].off == 601 && rg[1].len == 399,
	    "two adjacent ranges, not merged");
	ok(parse("bytes=500-700,601-999", 10000) == 2 && rg[0].off == 500 &&
	    rg[1].off == 601, "overlapping ranges kept as given");
	ok(parse("bytes=9000-,0-9", 10000) == 2 && rg[0].off == 9000 &&
	    rg[1].off == 0, "order kept");
	ok(parse("bytes=0-,0-", 10000) == 0, "twice the whole: ignored, the whole once");
	ok(parse("bytes=0-5999,4000-9999", 10000) == 0,
	    "overlaps adding up to more than the whole: ignored");
	ok(parse("bytes=0-4999,5000-", 10000) == 2, "exactly the whole in two parts: kept");

	/* the unit is case-insensitive, nothing else is */
	ok(one("BYTES=0-1", 100, 0, 2), "BYTES accepted");
	ok(one("Bytes=0-1", 100, 0, 2), "Bytes accepted");
	ok(parse("items=0-1", 100) == 0, "other unit ignored");
	ok(parse("byte=0-1", 100) == 0, "byte ignored");
	ok(parse("bytesx=0-1", 100) == 0, "bytesx ignored");
	ok(parse("bytes 0-1", 100) == 0, "missing = ignored");
	ok(parse("bytes =0-1", 100) == 0, "space before = ignored");
	ok(parse("bytes\x1d" "0-1", 100) == 0, "control byte for = ignored");

	/* clamping: RFC 9110 14.1.1 */
	ok(one("bytes=0-99999", 10000, 0, 10000), "last-pos past the end");
	ok(one("bytes=9999-20000", 10000, 9999, 1), "last byte, clamped");
	ok(one("bytes=-20000", 10000, 0, 10000), "suffix longer than len");
	ok(one("bytes=-10000", 10000, 0, 10000), "suffix equal to len");

	/* unsatisfiable: -1 means 416 */
	ok(parse("bytes=10000-", 10000) == -1, "first-pos at len: 416");
	ok(parse("bytes=10000-20000", 10000) == -1, "range past the end: 416");
	ok(parse("bytes=-0", 10000) == -1, "suffix -0: 416");
	ok(parse("bytes=20000-,-0", 10000) == -1, "all unsatisfiable: 416");
	ok(one("bytes=10000-,0-1", 10000, 0, 2),
	    "unsatisfiable range dropped, the other kept");
	ok(one("bytes=-0,5-", 10, 5, 5), "suffix -0 dropped");

	/* an empty representation satisfies nothing */
	ok(parse("bytes=0-", 0) == -1, "0- on empty: 416");
	ok(parse("bytes=0-0", 0) == -1, "0-0 on empty: 416");
	ok(parse("bytes=-5", 0) == -1, "-5 on empty: 416");
	ok(parse("bytes=0-1,", 0) == -1, "list on empty: 416");
	ok(parse("bytes=x", 0) == 0, "bad syntax on empty still ignored");

	/* one byte */
	ok(one("bytes=0-0", 1, 0, 1), "the only byte");
	ok(one("bytes=-1", 1, 0, 1), "the only byte as a suffix");
	ok(parse("bytes=1-", 1) == -1, "past the only byte: 416");

	/* list syntax: RFC 9110 5.6.1, OWS and empty elements */
	ok(parse("bytes=0-1,,2-3", 100) == 2, "empty element tolerated");
	ok(parse("bytes=0-1 , 2-3", 100) == 2, "spaces around comma");
	ok(parse("bytes=0-1\t,\t2-3", 100) == 2, "tabs around comma");
	ok(parse("bytes=,0-1,", 100) == 1, "leading and trailing commas");
	ok(parse("bytes= 0-1", 100) == 1, "leading OWS");
	ok(parse("bytes=0-1 ", 100) == 1, "trailing OWS");
	ok(parse("bytes=", 100) == 0, "empty set ignored");
	ok(parse("bytes=,", 100) == 0, "only commas ignored");
	ok(parse("bytes= , ", 100) == 0, "only OWS and commas ignored");
	ok(parse("bytes=0-1 2-3", 100) == 0, "missing comma ignored");
	ok(parse("bytes=0-1;2-3", 100) == 0, "semicolon ignored");

	/* bad syntax ignores the whole field */
	ok(parse("bytes=1-0", 100) == 0, "first after last ignored");
	ok(parse("bytes=0-1,5-3", 100) == 0,
	    "one inverted range spoils the field");
	ok(parse("bytes=500-3", 100) == 0,
	    "inverted past the end is still bad syntax");
	ok(parse("bytes=a-b", 100) == 0, "letters ignored");
	ok(parse("bytes=0x1-2", 100) == 0, "hex ignored");
	ok(parse("bytes=+1-2", 100) == 0, "plus sign ignored");
	ok(parse("bytes=1 -2", 100) == 0, "space before dash ignored");
	ok(parse("bytes=1- 2", 100) == 0, "space after dash ignored");
	ok(parse("bytes=1-2-3", 100) == 0, "two dashes ignored");
	ok(parse("bytes=--1", 100) == 0, "double dash ignored");
	ok(parse("bytes=-", 100) == 0, "lone dash ignored");
	ok(parse("bytes=1", 100) == 0, "no dash ignored");
	ok(parse("bytes=-1-", 100) == 0, "suffix with dash ignored");
	ok(parse("bytes=1.5-2", 100) == 0, "decimal ignored");
	ok(parse("", 100) == 0, "empty value ignored");
	ok(range_parse("bytes=0-1", 9, 100, rg) == 1 &&
	    range_parse("bytes=0-1\0", 10, 100, rg) == 0,
	    "a NUL after the range ignored");

	/* numbers: strict digits, of any size (RFC 9110 14.1.1 sets no bound) */
	ok(one("bytes=0000000000000000000000000001-2", 100, 1, 2),
	    "leading zeros accepted");
	ok(parse("bytes=9223372036854775807-", 100) == -1,
	    "INT64_MAX first-pos: 416");
	ok(parse("bytes=9223372036854775808-", 100) == -1,
	    "2^63 first-pos: 416");
	ok(parse("bytes=99999999999999999999999999-", 100) == -1,
	    "a huge first-pos: past the end, 416");
	ok(one("bytes=0-18446744073709551616", 100, 0, 100),
	    "2^64 last-pos: the end");
	ok(one("bytes=10-99999999999999999999999999", 100, 10, 90),
	    "a huge last-pos: the end");
	ok(one("bytes=-9223372036854775807", 100, 0, 100),
	    "INT64_MAX suffix is the whole");
	ok(one("bytes=-99999999999999999999999999", 100, 0, 100),
	    "a huge suffix is the whole");
	ok(one("bytes=0-9223372036854775807", 100, 0, 100),
	    "INT64_MAX last-pos clamped");
	ok(parse("bytes=99999999999999999999999999-99999999999999999999999998", 100) == 0,
	    "first-pos after last-pos, both huge: invalid, ignored");
	ok(parse("bytes=18446744073709551616-18446744073709551615", 100) == 0,
	    "2^64 after 2^64 - 1: invalid, ignored");
	ok(parse("bytes=0099999999999999999999999999-99999999999999999999999999", 100) == -1,
	    "equal huge numbers, one with leading zeros: valid, past the end");
	ok(parse("bytes=10-009", 100) == 0, "10-009: invalid, leading zeros or not");

	ok(parse("bytes=0-,0-", UINT64_MAX) == 0 && parse("bytes=0-,0-", UINT64_MAX - 1) == 0,
	    "two whole ranges of a length near 2^64: more than the whole, ignored");
	ok(one("bytes=0-", UINT64_MAX, 0, UINT64_MAX), "one whole range of 2^64 - 1 bytes");

	/* beyond 4 GiB */
	ok(one("bytes=4294967296-", big, UINT64_C(4) << 30, UINT64_C(1) << 30),
	    "offset past 4 GiB");
	ok(one("bytes=-1", big, big - 1, 1), "last byte of 5 GiB");
	ok(one("bytes=0-", big, 0, big), "all of 5 GiB");

	/* at most HTTP_MAX_RANGES range-specs */
	ok(parse(many(HTTP_MAX_RANGES), 1000) == HTTP_MAX_RANGES,
	    "16 ranges accepted");
	all = 1;
	for (i = 0; i < HTTP_MAX_RANGES; i++)
		if (rg[i].off != (uint64_t)(2 * i) || rg[i].len != 1)
			all = 0;
	ok(all, "16 ranges in order");
	ok(parse(many(HTTP_MAX_RANGES + 1), 1000) == 0, "17 ranges ignored");
	ok(parse(many(HTTP_MAX_RANGES + 1), 10) == 0,
	    "17 ranges ignored even when most are unsatisfiable");
	ok(parse(many(HTTP_MAX_RANGES), 10) == 5,
	    "16 ranges, 5 satisfiable");
	ok(parse("bytes=0-0,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,1-1", 10) == 2,
	    "many empty elements do not count");
	ok(parse("bytes=-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1",
	    10) == 0, "17 suffix ranges ignored");

	free(rg);
	return tap_done();
}
