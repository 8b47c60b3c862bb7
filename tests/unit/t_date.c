/*
 * t_date.c: HTTP-date formatting and parsing (RFC 9110 5.6.7) and the
 * Common Log Format time, against known dates and the C library's gmtime.
 */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "tap.h"

static int
fmt_is(int64_t t, const char *want)
{
	char out[DATE_LEN + 1];

	return date_fmt(t, out) == 0 && strcmp(out, want) == 0;
}

static int
parses(const char *s, int64_t want)
{
	int64_t t = 12345;

	return date_parse(s, strlen(s), &t) == 0 && t == want;
}

static int
rejects(const char *s)
{
	int64_t t = 12345;

	return date_parse(s, strlen(s), &t) == -1 && t == 12345;
}

/* the same instant through gmtime_r, with the year zero-padded */
static int
agrees(int64_t t)
{
	static const char *const wd[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
	};
	static const char *const mo[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	char want[64], got[DATE_LEN + 1];
	time_t tt = (time_t)t;
	struct tm tm;
	int64_t back;

	if (gmtime_r(&tt, &tm) == NULL)
		return 0;
	snprintf(want, sizeof(want), "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    wd[tm.tm_wday], tm.tm_mday, mo[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
	return date_fmt(t, got) == 0 && strcmp(got, want) == 0 &&
	    date_parse(got, DATE_LEN, &back) == 0 && back == t;
}

int
main(void)
{
	char out[DATE_LEN + 1], clf[CLF_LEN + 1];
	const char *good = "Sun, 06 Nov 1994 08:49:37 GMT";
	char pre[64];
	int64_t t, bad;
	size_t i;
	int all;

	/* RFC 9110 5.6.7: the same instant in all three formats */
	ok(fmt_is(784111777, "Sun, 06 Nov 1994 08:49:37 GMT"),
	    "784111777 formats as the RFC 9110 example");
	ok(parses("Sun, 06 Nov 1994 08:49:37 GMT", 784111777),
	    "IMF-fixdate parses");
	ok(parses("Sunday, 06-Nov-94 08:49:37 GMT", 784111777),
	    "RFC 850 date parses");
	ok(parses("Sun Nov  6 08:49:37 1994", 784111777),
	    "asctime date parses");
	ok(parses("Sun Nov 06 08:49:37 1994", 784111777),
	    "asctime day as two digits parses");

	/* the epoch and around it */
	ok(fmt_is(0, "Thu, 01 Jan 1970 00:00:00 GMT"), "epoch formats");
	ok(parses("Thu, 01 Jan 1970 00:00:00 GMT", 0), "epoch parses");
	ok(fmt_is(-1, "Wed, 31 Dec 1969 23:59:59 GMT"), "one second before");
	ok(parses("Wed, 31 Dec 1969 23:59:59 GMT", -1), "negative parses");
	ok(fmt_is(1700000000, "Tue, 14 Nov 2023 22:13:20 GMT"),
	    "1700000000 formats");

	/* leap years: every 4, not every 100, but every 400 */
	ok(fmt_is(951782400, "Tue, 29 Feb 2000 00:00:00 GMT"),
	    "29 Feb 2000 formats");
	ok(parses("Tue, 29 Feb 2000 00:00:00 GMT", 951782400),
	    "29 Feb 2000 parses");
	ok(parses("Thu, 29 Feb 2024 00:00:00 GMT", 1709164800),
	    "29 Feb 2024 parses");
	ok(fmt_is(-2203891200, "Thu, 01 Mar 1900 00:00:00 GMT"),
	    "1 Mar 1900 follows 28 Feb");
	ok(rejects("Thu, 29 Feb 1900 00:00:00 GMT"), "29 Feb 1900 rejected");
	ok(rejects("Mon, 29 Feb 2100 00:00:00 GMT"), "29 Feb 2100 rejected");
	ok(rejects("Wed, 29 Feb 2023 00:00:00 GMT"), "29 Feb 2023 rejected");
	ok(rejects("Sun, 30 Feb 2000 00:00:00 GMT"), "30 Feb rejected");
	ok(rejects("Sun, 31 Apr 2000 00:00:00 GMT"), "31 Apr rejected");
	ok(parses("Sun, 31 Dec 2000 00:00:00 GMT", 978220800),
	    "31 Dec of a leap year");

	/* the ends of the range: years 1..9999 */
	ok(fmt_is(253402300799, "Fri, 31 Dec 9999 23:59:59 GMT"),
	    "the last second of 9999 formats");
	ok(parses("Fri, 31 Dec 9999 23:59:59 GMT", 253402300799),
	    "the last second of 9999 parses");
	ok(date_fmt(253402300800, out) == -1 && out[0] == '\0',
	    "year 10000 does not format");
	ok(fmt_is(-62135596800, "Mon, 01 Jan 0001 00:00:00 GMT"),
	    "the first second of year 1 formats");
	ok(parses("Mon, 01 Jan 0001 00:00:00 GMT", -62135596800),
	    "year 1 parses");
	ok(date_fmt(-62135596801, out) == -1, "year 0 does not format");
	ok(date_fmt(INT64_MAX, out) == -1 && date_fmt(INT64_MIN, out) == -1,
	    "INT64_MAX and INT64_MIN do not format");
	ok(rejects("Sat, 01 Jan 0000 00:00:00 GMT"), "year 0000 rejected");
	ok(rejects("Sat, 01 Jan 10000 00:00:00 GMT"), "year 10000 rejected");

	/* against the C library, across the whole range */
	all = 1;
	for (t = -62135596800; t <= 253402300799; t += 86400LL * 97 + 3607)
		if (!agrees(t)) {
			all = 0;
			break;
		}
	ok(all, "format and parse agree with gmtime_r over 1..9999");
	ok(agrees(1483228799) && agrees(253402300799) && agrees(-62135596800),
	    "agrees at the edges");

	/* RFC 850: two-digit years, 00..69 are 20xx, 70..99 19xx */
	ok(parses("Thursday, 01-Jan-70 00:00:00 GMT", 0), "RFC 850 year 70");
	ok(parses("Saturday, 01-Jan-00 00:00:00 GMT", 946684800),
	    "RFC 850 year 00 is 2000");
	ok(parses("Tuesday, 31-Dec-69 23:59:59 GMT", 3155759999),
	    "RFC 850 year 69 is 2069");
	ok(parses("Wednesday, 06-Nov-94 08:49:37 GMT", 784111777),
	    "a weekday need not match the date");
	ok(parses("Mon, 06 Nov 1994 08:49:37 GMT", 784111777),
	    "IMF-fixdate weekday need not match the date");

	/* a leap second counts as the next second */
	ok(parses("Sat, 31 Dec 2016 23:59:60 GMT", 1483228800),
	    "second 60 accepted");
	/* found by the date fuzz target: it would be a time in year 10000 */
	ok(rejects("Fri, 31 Dec 9999 23:59:60 GMT"),
	    "second 60 of the last minute of 9999 rejected");

	/* strictness: field widths, names, case, ranges, extra bytes */
	ok(rejects(""), "empty rejected");
	ok(rejects("784111777"), "a number rejected");
	ok(rejects("-1"), "-1 rejected");
	ok(rejects("Sun, 6 Nov 1994 08:49:37 GMT"), "one-digit day rejected");
	ok(rejects("Sun, 06 Nov 94 08:49:37 GMT"), "two-digit fixdate year");
	ok(rejects("Sun, 06 Nov 1994 8:49:37 GMT"), "one-digit hour rejected");
	ok(rejects("Sun, 06 Nov 1994 08:49:37 gmt"), "lowercase gmt rejected");
	ok(rejects("Sun, 06 Nov 1994 08:49:37 UTC"), "UTC rejected");
	ok(rejects("Sun, 06 Nov 1994 08:49:37 +0000"), "offset rejected");
	ok(rejects("sun, 06 Nov 1994 08:49:37 GMT"), "lowercase day rejected");
	ok(rejects("Sun, 06 nov 1994 08:49:37 GMT"), "lowercase month");
	ok(rejects("Sun, 06 November 1994 08:49:37 GMT"), "long month");
	ok(rejects("Xyz, 06 Nov 1994 08:49:37 GMT"), "unknown weekday");
	ok(rejects("Sun, 06 Nox 1994 08:49:37 GMT"), "unknown month");
	ok(rejects("Sunday, 06 Nov 1994 08:49:37 GMT"),
	    "long weekday in IMF-fixdate rejected");
	ok(rejects("Sun, 06-Nov-94 08:49:37 GMT"),
	    "short weekday in RFC 850 rejected");
	ok(rejects("Sun,  06 Nov 1994 08:49:37 GMT"), "double space");
	ok(rejects(" Sun, 06 Nov 1994 08:49:37 GMT"), "leading space");
	ok(rejects("Sun, 06 Nov 1994 08:49:37 GMT "), "trailing space");
	ok(rejects("Sun, 06 Nov 1994 08:49:37 GMTX"), "trailing byte");
	ok(rejects("Sun, 00 Nov 1994 08:49:37 GMT"), "day 0 rejected");
	ok(rejects("Sun, 32 Dec 1994 08:49:37 GMT"), "day 32 rejected");
	ok(rejects("Sun, 06 Nov 1994 24:00:00 GMT"), "hour 24 rejected");
	ok(rejects("Sun, 06 Nov 1994 08:60:00 GMT"), "minute 60 rejected");
	ok(rejects("Sun, 06 Nov 1994 08:49:61 GMT"), "second 61 rejected");
	ok(rejects("Sun, -6 Nov 1994 08:49:37 GMT"), "signed day rejected");
	ok(rejects("Sun, 06 Nov +994 08:49:37 GMT"), "signed year rejected");
	ok(rejects("Sun, 06 Nov 1994 08:49:3a GMT"), "letter in seconds");
	ok(rejects("Sun Nov 6 08:49:37 1994"), "asctime single space day");
	ok(rejects("Sun Nov   6 08:49:37 1994"), "asctime three spaces");
	ok(rejects("Sun Nov  6 08:49:37 94"), "asctime two-digit year");
	ok(rejects("Sun Nov  6 08:49:37 1994 GMT"), "asctime with zone");
	ok(rejects("Sunday, 06-Nov-1994 08:49:37 GMT"),
	    "RFC 850 four-digit year rejected");
	ok(date_parse("Sun, 06 Nov 1994 08:49:37 GMT\0", DATE_LEN + 1, &bad)
	    == -1, "a trailing NUL rejected");

	/* every proper prefix of a valid date is rejected */
	all = 1;
	for (i = 0; i < strlen(good); i++) {
		memcpy(pre, good, i);
		pre[i] = '\0';
		if (date_parse(pre, i, &bad) != -1)
			all = 0;
	}
	ok(all, "every truncated IMF-fixdate rejected");
	all = 1;
	for (i = 0; i < strlen("Sunday, 06-Nov-94 08:49:37 GMT"); i++)
		if (date_parse("Sunday, 06-Nov-94 08:49:37 GMT", i, &bad) != -1)
			all = 0;
	for (i = 0; i < strlen("Sun Nov  6 08:49:37 1994"); i++)
		if (date_parse("Sun Nov  6 08:49:37 1994", i, &bad) != -1)
			all = 0;
	ok(all, "every truncated RFC 850 and asctime date rejected");

	/* Common Log Format time */
	ok(date_clf(971186136, clf) == CLF_LEN &&
	    strcmp(clf, "10/Oct/2000:13:55:36 +0000") == 0,
	    "CLF time of 10 Oct 2000 13:55:36");
	ok(date_clf(0, clf) == CLF_LEN &&
	    strcmp(clf, "01/Jan/1970:00:00:00 +0000") == 0, "CLF epoch");
	ok(date_clf(253402300800, clf) == 0 && clf[0] == '\0',
	    "CLF year 10000 is empty");

	/* the last times are remembered: each answer is still its own time's */
	all = 1;
	for (i = 0; i < 12; i++) {
		static const int64_t ts[] = { 784111777, 1700000000, 784111778, 0 };
		static const char *const want[] = {
			"Sun, 06 Nov 1994 08:49:37 GMT", "Tue, 14 Nov 2023 22:13:20 GMT",
			"Sun, 06 Nov 1994 08:49:38 GMT", "Thu, 01 Jan 1970 00:00:00 GMT",
		};
		/* a, b, a, c, b, a, d...: hits and misses in both places */
		size_t k = (i * i + i / 3) % 4;

		all &= fmt_is(ts[k], want[k]) && fmt_is(ts[(k + 1) % 4], want[(k + 1) % 4]);
	}
	ok(all, "date_fmt of times in turn, repeated and not");
	ok(fmt_is(1700000000, "Tue, 14 Nov 2023 22:13:20 GMT") &&
	    date_fmt(INT64_MIN, out) == -1 && out[0] == '\0' &&
	    date_fmt(253402300800, out) == -1 && date_fmt(253402300800, out) == -1 &&
	    fmt_is(1700000000, "Tue, 14 Nov 2023 22:13:20 GMT"),
	    "a time out of range fails every time, between remembered ones");
	all = 1;
	for (i = 0; i < 8; i++) {
		t = i % 3 == 0 ? 971186136 : 971186136 + (int64_t)i;
		all &= date_clf(t, clf) == CLF_LEN &&
		    date_fmt(t, out) == 0 && date_parse(out, DATE_LEN, &bad) == 0 &&
		    bad == t && memcmp(clf, "10/Oct/2000:13:55:", 18) == 0 &&
		    clf[18] == out[23] && clf[19] == out[24];
	}
	ok(all, "date_clf follows the time as it changes and comes back");
	ok(date_clf(971186136, clf) == CLF_LEN && date_clf(253402300800, clf) == 0 &&
	    clf[0] == '\0' && date_clf(971186136, clf) == CLF_LEN &&
	    strcmp(clf, "10/Oct/2000:13:55:36 +0000") == 0,
	    "CLF out of range between two of the same time");

	return tap_done();
}
