/*
 * tap.h: a minimal Test Anything Protocol writer for the unit tests.
 * ok() records one assertion; tap_done() prints the plan and the
 * closing "N passed, N failed" line and returns the exit status.
 */
#ifndef TAP_H
#define TAP_H

#include <stdio.h>
#include <stdarg.h>
#include <string.h>

static int tap_n, tap_fail;

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

__attribute__((format(printf, 4, 5)))
static inline int
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!pass)
		tap_fail++;
	printf("%sok %d - ", pass ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass)
		printf("#   failed at %s:%d\n", file, line);
	return pass;
}

/* span equals string */
#define is_span(sp, str) ((sp).n == strlen(str) && memcmp((sp).p, (str), (sp).n) == 0)

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	printf("# %d passed, %d failed\n", tap_n - tap_fail, tap_fail);
	return tap_fail != 0;
}

#endif
