/*
 * date.c: HTTP-date formatting and parsing, RFC 9110 5.6.7, and the
 * Common Log Format timestamp.  Pure calendar arithmetic on seconds since
 * the epoch (proleptic Gregorian, UTC, years 1..9999): it never asks the
 * system for the clock or a time zone.  The last times formatted are kept:
 * request after request a response shows the same now and file times.
 */
#include <stdint.h>
#include <string.h>

#include "http.h"

#define DAY	86400
/* days from 0001-01-01 to 1970-01-01 */
#define EPOCH	719162
/* days from 0001-01-01 to 10000-01-01 */
#define DAYS	3652059
/* 0001-01-01 00:00:00 and 9999-12-31 23:59:59 */
#define TMIN	(-(int64_t)EPOCH * DAY)
#define TMAX	((int64_t)(DAYS - EPOCH) * DAY - 1)

struct civil {
	int year, mon, day;		/* mon 1..12, day 1..31 */
	int hour, min, sec;
	int wday;			/* 0 is Sunday */
};

static const char *const wdays[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};
static const char *const wdaysl[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday",
};
static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};
/* days before the first of each month in a common year */
static const int before[] = {
	0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365,
};

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* day of the year, from 0, on which month m (1..13) starts */
static int
mstart(int y, int m)
{
	return before[m - 1] + (m > 2 && leap(y));
}

static int
split(int64_t t, struct civil *c)
{
	int64_t secs;
	int n, q;

	if (t < TMIN || t > TMAX)
		return -1;
	/* n days since 0001-01-01, a Monday, and secs into the last one */
	n = (int)((t - TMIN) / DAY);
	secs = (t - TMIN) % DAY;
	c->wday = (n + 1) % 7;
	c->hour = (int)(secs / 3600);
	c->min = (int)(secs / 60 % 60);
	c->sec = (int)(secs % 60);

	/* whole cycles of 400, 100, 4 and 1 years; the last day of a
	 * 400-year cycle and of a leap year would overflow to q == 4 */
	c->year = 1 + n / 146097 * 400;
	n %= 146097;
	q = n / 36524 < 3 ? n / 36524 : 3;
	c->year += q * 100;
	n -= q * 36524;
	c->year += n / 1461 * 4;
	n %= 1461;
	q = n / 365 < 3 ? n / 365 : 3;
	c->year += q;
	n -= q * 365;

	/* n is the day of the year, from 0 */
	for (c->mon = 1; c->mon < 12 && n >= mstart(c->year, c->mon + 1);
	    c->mon++)
		;
	c->day = n - mstart(c->year, c->mon) + 1;
	return 0;
}

static int64_t
join(const struct civil *c)
{
	int64_t days;
	int y = c->year - 1;

	days = (int64_t)y * 365 + y / 4 - y / 100 + y / 400 +
	    mstart(c->year, c->mon) + c->day - 1;
	return (days - EPOCH) * DAY + c->hour * 3600 + c->min * 60 + c->sec;
}

/* a time and its text */
struct memo {
	int64_t t;
	char s[DATE_LEN + 1];
};
/* two for date_fmt, the Date of a response and a Last-Modified, and one
 * for date_clf; fmt_n and clf_n count those filled, fmt_next is the older */
static struct memo fmt_memo[2], clf_memo;
static int fmt_n, fmt_next, clf_n;

/* w decimal digits of v, zero-padded */
static void
put(char *p, int v, int w)
{
	while (w-- > 0) {
		p[w] = (char)('0' + v % 10);
		v /= 10;
	}
}

int
date_fmt(int64_t t, char out[DATE_LEN + 1])
{
	struct civil c;
	struct memo *m;
	int i;

	for (i = 0; i < fmt_n; i++)
		if (fmt_memo[i].t == t) {
			memcpy(out, fmt_memo[i].s, DATE_LEN + 1);
			return 0;
		}
	if (split(t, &c) < 0) {
		out[0] = '\0';
		return -1;
	}
	/* RFC 9110 5.6.7: IMF-fixdate */
	memcpy(out, "Www, DD Mmm YYYY hh:mm:ss GMT", DATE_LEN + 1);
	memcpy(out, wdays[c.wday], 3);
	put(out + 5, c.day, 2);
	memcpy(out + 8, months[c.mon - 1], 3);
	put(out + 12, c.year, 4);
	put(out + 17, c.hour, 2);
	put(out + 20, c.min, 2);
	put(out + 23, c.sec, 2);
	/* the older one gives way */
	m = &fmt_memo[fmt_next];
	fmt_next = !fmt_next;
	if (fmt_n < 2)
		fmt_n++;
	m->t = t;
	memcpy(m->s, out, DATE_LEN + 1);
	return 0;
}

size_t
date_clf(int64_t t, char out[CLF_LEN + 1])
{
	struct civil c;

	if (clf_n && clf_memo.t == t) {
		memcpy(out, clf_memo.s, CLF_LEN + 1);
		return CLF_LEN;
	}
	if (split(t, &c) < 0) {
		out[0] = '\0';
		return 0;
	}
	memcpy(out, "DD/Mmm/YYYY:hh:mm:ss +0000", CLF_LEN + 1);
	put(out, c.day, 2);
	memcpy(out + 3, months[c.mon - 1], 3);
	put(out + 7, c.year, 4);
	put(out + 12, c.hour, 2);
	put(out + 15, c.min, 2);
	put(out + 18, c.sec, 2);
	clf_n = 1;
	clf_memo.t = t;
	memcpy(clf_memo.s, out, CLF_LEN + 1);
	return CLF_LEN;
}

/* exactly w digits */
static int
num(const char **s, const char *e, int w, int *v)
{
	for (*v = 0; w > 0; w--, (*s)++) {
		if (*s == e || **s < '0' || **s > '9')
			return -1;
		*v = *v * 10 + (**s - '0');
	}
	return 0;
}

/* one of the names, case-sensitively (RFC 9110 5.6.7); its index */
static int
name(const char **s, const char *e, const char *const *names, int nn)
{
	size_t len;
	int i;

	for (i = 0; i < nn; i++) {
		len = strlen(names[i]);
		if ((size_t)(e - *s) >= len && memcmp(*s, names[i], len) == 0) {
			*s += len;
			return i;
		}
	}
	return -1;
}

/*
 * match s against a template: %a %A weekday, short and long; %b month;
 * %d two-digit day; %e day as two digits or SP and one digit; %y two-digit
 * and %Y four-digit year; %H %M %S two digits; anything else literally
 */
static int
scan(const char *s, size_t n, const char *fmt, struct civil *c)
{
	const char *e = s + n;
	int r, v;

	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%') {
			if (s == e || *s++ != *fmt)
				return -1;
			continue;
		}
		switch (*++fmt) {
		case 'a':
			r = c->wday = name(&s, e, wdays, 7);
			break;
		case 'A':
			r = c->wday = name(&s, e, wdaysl, 7);
			break;
		case 'b':
			r = name(&s, e, months, 12);
			c->mon = r + 1;
			break;
		case 'd':
			r = num(&s, e, 2, &c->day);
			break;
		case 'e':
			if (s != e && *s == ' ') {
				s++;
				r = num(&s, e, 1, &c->day);
			} else
				r = num(&s, e, 2, &c->day);
			break;
		case 'y':
			/* XXX: RFC 9110 5.6.7 wants the year within 50 years
			 * of now; lacking a clock, 00..69 are 20xx, 70..99 19xx */
			r = num(&s, e, 2, &v);
			c->year = v < 70 ? 2000 + v : 1900 + v;
			break;
		case 'Y':
			r = num(&s, e, 4, &c->year);
			break;
		case 'H':
			r = num(&s, e, 2, &c->hour);
			break;
		case 'M':
			r = num(&s, e, 2, &c->min);
			break;
		default:	/* %S */
			r = num(&s, e, 2, &c->sec);
			break;
		}
		if (r < 0)
			return -1;
	}
	return s == e ? 0 : -1;
}

/* a real calendar day and time of day; 60 is a leap second */
static int
valid(const struct civil *c)
{
	return c->year >= 1 && c->year <= 9999 && c->mon >= 1 &&
	    c->mon <= 12 && c->day >= 1 &&
	    c->day <= mstart(c->year, c->mon + 1) - mstart(c->year, c->mon) &&
	    c->hour <= 23 && c->min <= 59 && c->sec <= 60;
}

int
date_parse(const char *s, size_t n, int64_t *t)
{
	/* RFC 9110 5.6.7: IMF-fixdate, then the obsolete RFC 850 and asctime */
	static const char *const fmts[] = {
		"%a, %d %b %Y %H:%M:%S GMT",
		"%A, %d-%b-%y %H:%M:%S GMT",
		"%a %b %e %H:%M:%S %Y",
	};
	struct civil c;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		memset(&c, 0, sizeof(c));
		/* a leap second at the very end of 9999 is past what date_fmt can show */
		if (scan(s, n, fmts[i], &c) == 0 && valid(&c) && join(&c) <= TMAX) {
			*t = join(&c);
			return 0;
		}
	}
	return -1;
}
