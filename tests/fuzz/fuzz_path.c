/*
 * fuzz_path.c: the path canonicaliser.  The input is a request path.  A
 * clean path is relative, with no empty, dot or hidden segment (save a
 * leading .well-known); encoding it and cleaning it again changes nothing.
 * The last segment also goes to mime_type, as a file name does.
 */
#include "common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[HTTP_MAX_PATH], enc[3 * HTTP_MAX_PATH + 2], again[HTTP_MAX_PATH];
	char *in = copy(data, size);
	const char *slash;
	char *small;
	enum status s;
	size_t k, w;
	int dir, dir2;

	s = path_clean(in, size, out, sizeof(out), &dir);
	if (s != S_OK && s != S_BAD_REQUEST && s != S_NOT_FOUND && s != S_URI_TOO_LONG)
		fail("path_clean gave an unexpected status");
	if (s != S_OK)
		goto out;
	w = strlen(out);
	if (w >= sizeof(out) || dir < 0 || dir > 2)
		fail("path_clean output out of bounds");
	if (w > 0 && (out[0] == '/' || out[w - 1] == '/' || strstr(out, "//") ||
	    strchr(out, '\\') || (out[0] == '.' && strncmp(out, ".well-known", 11) != 0) ||
	    strstr(out, "/.")))
		fail("path_clean let a bad path through");
	if (w > 0 && out[0] == '.' && out[11] != '\0' && out[11] != '/')
		fail("path_clean let a hidden name through");

	/* encoding the clean path and cleaning it again changes nothing */
	enc[0] = '/';
	k = path_encode(out, w, enc + 1, sizeof(enc) - 1);
	if (k == 0 && w > 0)
		fail("path_encode refused a clean path");
	if (k >= sizeof(enc) - 1 || enc[1 + k] != '\0' || strlen(enc + 1) != k)
		fail("path_encode output out of bounds");
	if (strspn(enc, "/-._~%ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") !=
	    k + 1)
		fail("path_encode left a byte unencoded");
	if (path_clean(enc, k + 1, again, sizeof(again), &dir2) != S_OK ||
	    strcmp(out, again) != 0)
		fail("path_encode then path_clean changed the path");
	/* a clean path names no dot segment and ends in '/' only as the root */
	if (dir2 != (w == 0))
		fail("a clean path read back as a directory name or a dot segment");

	slash = strrchr(out, '/');
	slash = slash ? slash + 1 : out;
	if (mime_type(slash, strlen(slash)) == NULL)
		fail("mime_type gave no type");
out:
	/* into an exact-size buffer too small for it: 0, never an overflow */
	k = size % 16;
	small = malloc(k ? k : 1);
	if (small == NULL)
		fail("out of memory");
	w = path_encode(in, size, small, k);
	if (w != 0 && w >= k)
		fail("path_encode wrote past its capacity");
	free(small);
	mime_type(in, size);
	free(in);
	return 0;
}
