/*
 * range.c: a Range field value against a representation of len bytes,
 * RFC 9110 14.1 and 14.2.  Pure and strict: any doubt about the syntax
 * ignores the whole field (a full 200), never guesses a range.
 * Ranges are kept in the order given, neither merged nor reordered.
 */
#include <stdint.h>

#include "http.h"

/* 1*DIGIT, its value saturating at UINT64_MAX: no file is that large, so
 * a larger first-pos is past the end and a larger last-pos or suffix
 * means the end (RFC 9110 14.1.1 sets no bound on the digits) */
static int
num(const char **s, const char *e, uint64_t *v)
{
	const char *p;
	uint64_t d;

	for (p = *s, *v = 0; p != e && *p >= '0' && *p <= '9'; p++) {
		d = (uint64_t)(*p - '0');
		*v = *v > (UINT64_MAX - d) / 10 ? UINT64_MAX : *v * 10 + d;
	}
	if (p == *s)
		return -1;
	*s = p;
	return 0;
}

/* the digits a[0..an) against b[0..bn) as numbers of any size: <0, 0, >0 */
static int
digits_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;

	for (; an > 1 && *a == '0'; a++, an--)
		;
	for (; bn > 1 && *b == '0'; b++, bn--)
		;
	if (an != bn)
		return an < bn ? -1 : 1;
	for (i = 0; i < an; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/*
 * one range-spec at *s: -1 bad syntax, 0 unsatisfiable, 1 satisfiable
 * with *rg set.  RFC 9110 14.1.1: last-pos past the end means the end,
 * a suffix longer than the representation means all of it.
 */
static int
spec(const char **s, const char *e, uint64_t len, struct range *rg)
{
	uint64_t first, last, suffix;
	const char *f, *l;

	if (*s != e && **s == '-') {
		(*s)++;
		if (num(s, e, &suffix) < 0)
			return -1;
		if (suffix == 0 || len == 0)
			return 0;
		rg->len = suffix < len ? suffix : len;
		rg->off = len - rg->len;
		return 1;
	}
	f = *s;
	if (num(s, e, &first) < 0 || *s == e || **s != '-')
		return -1;
	(*s)++;
	last = UINT64_MAX;
	if (*s != e && **s >= '0' && **s <= '9') {
		l = *s;
		if (num(s, e, &last) < 0)
			return -1;
		/* RFC 9110 14.1.1: first-pos after last-pos is invalid */
		if (digits_cmp(f, (size_t)(l - 1 - f), l, (size_t)(*s - l)) > 0)
			return -1;
	}
	if (first >= len)
		return 0;
	if (last > len - 1)
		last = len - 1;
	rg->off = first;
	rg->len = last - first + 1;
	return 1;
}

static int
ows(char c)
{
	return c == ' ' || c == '\t';
}

int
range_parse(const char *s, size_t n, uint64_t len, struct range *rg)
{
	static const char unit[] = "bytes=";
	const char *e;
	size_t i;
	int nspec, nrg, r;
	uint64_t sum;

	/* RFC 9110 14.1: the unit is case-insensitive; only bytes is known */
	if (n < sizeof(unit) - 1)
		return 0;
	for (i = 0; i < sizeof(unit) - 1; i++)
		if (s[i] != unit[i] && !(s[i] >= 'A' && s[i] <= 'Z' &&
		    s[i] - 'A' + 'a' == unit[i]))
			return 0;

	/* RFC 9110 5.6.1: 1#range-spec, empty elements and OWS allowed */
	e = s + n;
	s += sizeof(unit) - 1;
	nspec = nrg = 0;
	for (;;) {
		while (s != e && ows(*s))
			s++;
		if (s == e)
			break;
		if (*s == ',') {
			s++;
			continue;
		}
		/* RFC 9110 14.2: a Range asking for many ranges may be ignored */
		if (nspec++ == HTTP_MAX_RANGES)
			return 0;
		if ((r = spec(&s, e, len, &rg[nrg])) < 0)
			return 0;
		nrg += r;
		while (s != e && ows(*s))
			s++;
		if (s != e && *s != ',')
			return 0;
	}
	if (nspec == 0)
		return 0;
	/* RFC 9110 15.5.17: none satisfiable is a 416 */
	if (nrg == 0)
		return -1;
	/* RFC 9110 14.2, 17.15: ranges that overlap into more bytes than the
	 * whole would only multiply the response: the whole it is */
	for (i = 0, sum = 0; i < (size_t)nrg; i++) {
		/* compared before adding: for len near 2^64 a sum would wrap */
		if (rg[i].len > len - sum)
			return 0;
		sum += rg[i].len;
	}
	return nrg;
}
