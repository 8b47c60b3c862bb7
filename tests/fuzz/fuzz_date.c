/*
 * fuzz_date.c: HTTP dates, RFC 9110 5.6.7.  The input is tried as a date
 * in any of the three formats: a date that parses formats as IMF-fixdate
 * and parses back to the same time.  Its first 8 bytes are also taken as
 * a time: a time that formats parses back to itself, and the log's format
 * agrees about which times exist.
 */
#include "common.h"

/* IMF-fixdate's shape: "Www, DD Mmm YYYY hh:mm:ss GMT" */
static int
imf(const char *s)
{
	size_t i;

	for (i = 0; i < DATE_LEN; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i < 3 || (i >= 8 && i < 11)) {
			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
				return 0;
		} else if ((i >= 5 && i < 7) || (i >= 12 && i < 16) || (i >= 17 && i < 19) ||
		    (i >= 20 && i < 22) || (i >= 23 && i < 25)) {
			if (c < '0' || c > '9')
				return 0;
		}
	}
	return s[DATE_LEN] == '\0' && memcmp(s + 3, ", ", 2) == 0 && s[7] == ' ' &&
	    s[11] == ' ' && s[16] == ' ' && s[19] == ':' && s[22] == ':' &&
	    memcmp(s + 25, " GMT", 4) == 0;
}

static void
roundtrip(int64_t t, const char *what)
{
	char out[DATE_LEN + 1], clf[CLF_LEN + 1];
	int64_t t2;
	int f;
	size_t c;

	f = date_fmt(t, out);
	c = date_clf(t, clf);
	if ((f == 0) != (c == CLF_LEN))
		fail("date_fmt and date_clf disagree on a time");
	if (f != 0) {
		if (out[0] != '\0' || clf[0] != '\0')
			fail("a refused time left output");
		return;
	}
	if (!imf(out))
		fail("date_fmt output is not an IMF-fixdate");
	if (strlen(clf) != CLF_LEN)
		fail("date_clf length differs from what it returned");
	if (date_parse(out, DATE_LEN, &t2) != 0)
		fail(what);
	if (t2 != t)
		fail("date_fmt then date_parse changed the time");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = copy(data, size);
	int64_t t;
	uint64_t u = 0;
	size_t i;

	if (date_parse(in, size, &t) == 0) {
		char out[DATE_LEN + 1];

		if (date_fmt(t, out) != 0)
			fail("date_parse gave a time date_fmt refuses");
		roundtrip(t, "date_parse refused what date_fmt made of a parsed date");
	}
	for (i = 0; i < 8 && i < size; i++)
		u = u << 8 | data[i];
	roundtrip((int64_t)u, "date_parse refused what date_fmt made");
	/* and near the edges of the calendar, where the fuzzer rarely lands */
	roundtrip((int64_t)(u % 1000003) + 253402300799 - 500000, "edge: year 9999");
	roundtrip(-62135596800 + (int64_t)(u % 1000003) - 500000, "edge: year 1");
	free(in);
	return 0;
}
