/*
 * fuzz_range.c: Range values, RFC 9110 14.2.  The input is the field value,
 * tried against representations of several lengths: every range returned is
 * non-empty and lies inside the representation, and at most HTTP_MAX_RANGES
 * come back.
 */
#include "common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t lens[] = { 0, 1, 10, 1000, (uint64_t)1 << 32,
	    (uint64_t)1 << 40, INT64_MAX, UINT64_MAX };
	struct range rg[HTTP_MAX_RANGES];
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
	}
	free(in);
	return 0;
}
