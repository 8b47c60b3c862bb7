/*
 * replay.c: the main of every fuzz target outside libFuzzer.  It runs the
 * target once on each file named on the command line, so that each corpus
 * is a regression suite under any compiler and its sanitizers.  A broken
 * promise aborts; an unreadable file fails.  The last line is
 * "replay: N inputs, M unreadable" for the Makefile to add up.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the whole of file name, in a buffer of exactly its size */
static uint8_t *
slurp(const char *name, size_t *n)
{
	FILE *f;
	uint8_t *p = NULL, *q;
	size_t cap = 0, k;
	int err = 0;

	if ((f = fopen(name, "rb")) == NULL)
		return NULL;
	*n = 0;
	do {
		if (*n == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((q = realloc(p, cap)) == NULL) {
				err = 1;
				break;
			}
			p = q;
		}
		k = fread(p + *n, 1, cap - *n, f);
		*n += k;
	} while (k > 0);
	err |= ferror(f);
	fclose(f);
	/* shrink to the size, so that an over-read is out of bounds */
	q = err ? NULL : malloc(*n ? *n : 1);
	if (q != NULL && *n > 0)
		memcpy(q, p, *n);
	free(p);
	return q;
}

int
main(int argc, char *argv[])
{
	uint8_t *p;
	size_t n;
	int i, bad = 0;

	for (i = 1; i < argc; i++) {
		if ((p = slurp(argv[i], &n)) == NULL) {
			fprintf(stderr, "replay: %s: cannot read\n", argv[i]);
			bad++;
			continue;
		}
		LLVMFuzzerTestOneInput(p, n);
		free(p);
	}
	printf("replay: %d inputs, %d unreadable\n", argc - 1, bad);
	return bad != 0;
}
