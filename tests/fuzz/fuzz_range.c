/*
 * fuzz_range.c: Range values, RFC 9110 14.2.  The input is the field value,
 * tried against representations of several lengths: every range returned is
 * non-empty and lies inside the representation, at most HTTP_MAX_RANGES
 * come back, and the answer (ignored, 416, or which ranges) is the one a
 * second reading of the value, ref() below, gives.
 */
#include "common.h"

typedef unsigned __int128 u128;
#define HUGE ((u128)1 << 100)

/* digits d[0..n) as a number, saturating at HUGE */
static u128
val(const char *d, size_t n)
{
	u128 v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		v = v * 10 + (u128)(d[i] - '0');
		if (v > HUGE)
			v = HUGE;
	}
	return v;
}

static size_t
digits(const char *p, const char *e)
{
	size_t i = 0;

	while (p + i < e && p[i] >= '0' && p[i] <= '9')
		i++;
	return i;
}

/* the number x[0..nx) is larger than y[0..ny), at any length */
static int
after(const char *x, size_t nx, const char *y, size_t ny)
{
	for (; nx > 1 && *x == '0'; x++, nx--)
		;
	for (; ny > 1 && *y == '0'; y++, ny--)
		;
	return nx > ny || (nx == ny && memcmp(x, y, nx) > 0);
}

/* range_parse again, written apart from it: RFC 9110 14.1.1 and 14.2 and
 * the policy of range.c (any doubt ignores the field; more than
 * HTTP_MAX_RANGES range-specs, or ranges adding up to more than the
 * whole, ignored; none satisfiable -1), in 128-bit numbers that saturate
 * far above 2^64, first-pos against last-pos compared as digit strings */
static int
ref(const char *s, size_t n, uint64_t len, struct range *rg)
{
	const char *e = s + n, *p, *q, *a, *b;
	size_t i, na, nb;
	int nspec = 0, nrg = 0;
	u128 sum = 0, first, last, suf, L = len;

	if (n < 6)
		return 0;
	for (i = 0; i < 6; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != "bytes="[i] || (s[i] == '=' && i != 5))
			return 0;
	}
	p = s + 6;
	while (p <= e) {
		for (q = p; q < e && *q != ','; q++)
			;
		a = p;
		b = q;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (a < b) {
			if (++nspec > HTTP_MAX_RANGES)
				return 0;
			if (*a == '-') {
				nb = digits(a + 1, b);
				if (nb == 0 || a + 1 + nb != b)
					return 0;
				suf = val(a + 1, nb);
				if (suf != 0 && L != 0) {
					if (nrg < HTTP_MAX_RANGES) {
						u128 l = suf < L ? suf : L;
						rg[nrg].len = (uint64_t)l;
						rg[nrg].off = (uint64_t)(L - l);
					}
					nrg++;
				}
			} else {
				na = digits(a, b);
				if (na == 0 || a + na == b || a[na] != '-')
					return 0;
				first = val(a, na);
				nb = digits(a + na + 1, b);
				if (a + na + 1 + nb != b)
					return 0;
				if (nb > 0 && after(a, na, a + na + 1, nb))
					return 0;
				last = nb ? val(a + na + 1, nb) : HUGE;
				if (first < L) {
					if (last > L - 1)
						last = L - 1;
					rg[nrg].off = (uint64_t)first;
					rg[nrg].len = (uint64_t)(last - first + 1);
					nrg++;
				}
			}
		}
		p = q + 1;
	}
	if (nspec == 0)
		return 0;
	if (nrg == 0)
		return -1;
	for (i = 0; i < (size_t)nrg; i++)
		sum += rg[i].len;
	if (sum > L)
		return 0;
	return nrg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t lens[] = { 0, 1, 10, 1000, (uint64_t)1 << 32,
	    (uint64_t)1 << 40, INT64_MAX, UINT64_MAX - 1, UINT64_MAX };
	struct range rg[HTTP_MAX_RANGES], rr[HTTP_MAX_RANGES];
	char *in = copy(data, size);
	size_t i;
	int k, j;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		k = range_parse(in, size, lens[i], rg);
		if (k < -1 || k > HTTP_MAX_RANGES)
			fail("range_parse count out of bounds");
		for (j = 0; j < k; j++)
			if (rg[j].len == 0 || rg[j].off >= lens[i] ||
			    rg[j].len > lens[i] - rg[j].off)
				fail("range_parse range outside the representation");
		if (ref(in, size, lens[i], rr) != k)
			fail("range_parse answers otherwise than the second reading");
		for (j = 0; j < k; j++)
			if (rg[j].off != rr[j].off || rg[j].len != rr[j].len)
				fail("range_parse gives other ranges than the second reading");
	}
	free(in);
	return 0;
}
