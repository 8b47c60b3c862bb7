/*
 * fuzz_chunk.c: the chunked decoder, RFC 9112 7.1.  The input is a body;
 * its first byte chooses a cut.  Decoded whole, cut in two and fed one byte
 * at a time, it must give the same data, the same bytes consumed and the
 * same end (done or error): the shell reads bodies in pieces of any size.
 */
#include "common.h"

struct run {
	struct chunk c;
	char out[4096];
	size_t nout, used;
};

/* feed p[0..n) to r in pieces of at most step bytes, each piece in a
 * buffer of its exact size; stop at the end or an error, as the shell does */
static void
feed(struct run *r, const char *p, size_t n, size_t step)
{
	size_t off = 0, k, u, len;
	char *b;

	chunk_init(&r->c);
	r->nout = r->used = 0;
	while (off < n && !r->c.done && r->c.err == S_NONE) {
		len = n - off < step ? n - off : step;
		b = copy(p + off, len);
		k = chunk_decode(&r->c, b, len, &u);
		if (k > u || u > len || (u != len && !r->c.done && r->c.err == S_NONE))
			fail("chunk_decode broke its contract");
		if (r->c.err != S_NONE && r->c.err != S_BAD_REQUEST)
			fail("chunk_decode error not a 400");
		if (r->nout + k > sizeof(r->out))
			fail("chunk_decode gave more data than it read");
		memcpy(r->out + r->nout, b, k);
		r->nout += k;
		r->used += u;
		off += u;
		free(b);
		if (u == 0 && !r->c.done && r->c.err == S_NONE)
			fail("chunk_decode consumed nothing");
	}
	if (r->c.total != r->nout)
		fail("chunk total differs from the data");
}

static int
same(const struct run *a, const struct run *b)
{
	return a->nout == b->nout && a->used == b->used && a->c.done == b->c.done &&
	    a->c.err == b->c.err && memcmp(a->out, b->out, a->nout) == 0;
}

/* p[0..n) in two reads: the first cut bytes, then the rest */
static void
split(struct run *r, const char *p, size_t n, size_t cut)
{
	size_t u = 0, k = 0;
	char *b;

	feed(r, p, cut, cut ? cut : 1);
	if (r->used < cut || r->c.done || r->c.err != S_NONE || n == cut)
		return;
	b = copy(p + cut, n - cut);
	k = chunk_decode(&r->c, b, n - cut, &u);
	if (k > u || u > n - cut || (u != n - cut && !r->c.done && r->c.err == S_NONE))
		fail("chunk_decode broke its contract");
	memcpy(r->out + r->nout, b, k);
	r->nout += k;
	r->used += u;
	free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct run whole, two, equal, bytes;
	const char *p = (const char *)data + 1;
	size_t n, cut;

	if (size < 1 || size - 1 > sizeof(whole.out))
		return 0;
	n = size - 1;
	cut = n ? data[0] % (n + 1) : 0;

	feed(&whole, p, n, n ? n : 1);
	split(&two, p, n, cut);
	if (!same(&whole, &two))
		fail("chunk_decode differs when split in two");
	feed(&equal, p, n, cut ? cut : 1);
	if (!same(&whole, &equal))
		fail("chunk_decode differs when fed in equal pieces");
	feed(&bytes, p, n, 1);
	if (!same(&whole, &bytes))
		fail("chunk_decode differs when fed byte by byte");
	return 0;
}
