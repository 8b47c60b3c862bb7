/*
 * common.h: what the fuzz targets share: a failure that aborts with a
 * message, an exact-size copy of the input (so that any over-read is out
 * of bounds under ASan), and the check that a response head fits the
 * shell's buffer and is well formed.  Each target includes it once.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"

#define NOW 1700003600

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a broken promise of the pure module: stop with a message */
__attribute__((unused)) static void
fail(const char *what)
{
	fprintf(stderr, "fuzz: %s\n", what);
	abort();
}

/* a copy of exactly n bytes, so that any over-read is out of bounds */
__attribute__((unused)) static char *
copy(const void *p, size_t n)
{
	char *b = malloc(n ? n : 1);

	if (b == NULL)
		fail("out of memory");
	if (n > 0)
		memcpy(b, p, n);
	else
		b[0] = '\0';
	return b;
}

/* "HTTP/1.1 DDD reason\r\n": the code of rs, the response's own reason or
 * the standard one, and no control byte but a tab */
static void
status_line(const struct resp *rs, const char *head)
{
	const char *want = rs->reason[0] ? rs->reason : status_reason(rs->s);
	size_t wl = strlen(want), j;
	int s = (int)rs->s;

	if (s < 100 || s > 599 || head[9] != '0' + s / 100 || head[10] != '0' + s / 10 % 10 ||
	    head[11] != '0' + s % 10 || head[12] != ' ' || memcmp(head + 13, want, wl) != 0 ||
	    memcmp(head + 13 + wl, "\r\n", 2) != 0)
		fail("status line malformed");
	for (j = 0; j < 13 + wl; j++)
		if (((unsigned char)head[j] < 0x20 && head[j] != '\t') || head[j] == 0x7f)
			fail("status line holds a control byte");
}

/* the head buffer sizes of the shell: a response head must fit them */
__attribute__((unused)) static void
emit(const struct resp *rs, size_t cap)
{
	char head[HTTP_HEAD_OUT], part[512];
	uint64_t total = 0;
	size_t n;
	int i;

	if (cap > sizeof(head))
		fail("emit: capacity above the shell's buffer");
	n = emit_head(rs, NOW, head, cap);
	if (n == 0 || n >= cap)
		fail("response head does not fit");
	if (memcmp(head, "HTTP/1.1 ", 9) != 0 || memcmp(head + n - 4, "\r\n\r\n", 4) != 0)
		fail("response head malformed");
	status_line(rs, head);
	if (rs->b != B_MULTI)
		return;
	if (rs->nrg < 2 || rs->nrg > HTTP_MAX_RANGES)
		fail("multipart with a bad range count");
	for (i = 0; i <= rs->nrg; i++) {
		n = emit_part(rs, i, part, sizeof(part));
		if (n == 0)
			fail("part header does not fit");
		total += n;
		if (i < rs->nrg)
			total += rs->rg[i].len;
	}
	if (total != rs->clen)
		fail("multipart length differs from Content-Length");
}

#endif
