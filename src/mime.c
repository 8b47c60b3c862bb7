/*
 * mime.c: the Content-Type of a file, from the extension after the last dot
 * of its last path segment, case-insensitively; RFC 9110 8.3.
 * Pure: a sorted static table and a binary search, no allocation.
 * Text types carry charset=utf-8; anything unknown is application/octet-stream.
 */
#include <string.h>

#include "http.h"

#define UTF8	"; charset=utf-8"

/* sorted by extension (strcmp order) for the binary search */
static const struct {
	const char *ext, *type;
} types[] = {
	{ "7z",		"application/x-7z-compressed" },
	{ "aac",	"audio/aac" },
	{ "apng",	"image/apng" },
	{ "atom",	"application/atom+xml" },
	{ "avif",	"image/avif" },
	{ "bmp",	"image/bmp" },
	{ "bz2",	"application/x-bzip2" },
	{ "c",		"text/plain" UTF8 },
	{ "css",	"text/css" UTF8 },
	{ "csv",	"text/csv" UTF8 },
	{ "eot",	"application/vnd.ms-fontobject" },
	{ "epub",	"application/epub+zip" },
	{ "flac",	"audio/flac" },
	{ "gif",	"image/gif" },
	{ "gz",		"application/gzip" },
	{ "h",		"text/plain" UTF8 },
	{ "htm",	"text/html" UTF8 },
	{ "html",	"text/html" UTF8 },
	{ "ico",	"image/vnd.microsoft.icon" },
	{ "ics",	"text/calendar" UTF8 },
	{ "jpeg",	"image/jpeg" },
	{ "jpg",	"image/jpeg" },
	{ "js",		"text/javascript" UTF8 },	/* RFC 9239 */
	{ "json",	"application/json" },		/* RFC 8259 11 */
	{ "jsonld",	"application/ld+json" },
	{ "jxl",	"image/jxl" },
	{ "log",	"text/plain" UTF8 },
	{ "m4a",	"audio/mp4" },
	{ "m4v",	"video/mp4" },
	{ "map",	"application/json" },
	{ "md",		"text/markdown" UTF8 },
	{ "mjs",	"text/javascript" UTF8 },
	{ "mov",	"video/quicktime" },
	{ "mp3",	"audio/mpeg" },
	{ "mp4",	"video/mp4" },
	{ "oga",	"audio/ogg" },
	{ "ogg",	"audio/ogg" },
	{ "ogv",	"video/ogg" },
	{ "opus",	"audio/ogg" },			/* RFC 7845 9 */
	{ "otf",	"font/otf" },
	{ "pdf",	"application/pdf" },
	{ "png",	"image/png" },
	{ "rss",	"application/rss+xml" },
	{ "sh",		"text/plain" UTF8 },
	{ "svg",	"image/svg+xml" },
	{ "tar",	"application/x-tar" },
	{ "tgz",	"application/gzip" },
	{ "tif",	"image/tiff" },
	{ "tiff",	"image/tiff" },
	{ "ttf",	"font/ttf" },
	{ "txt",	"text/plain" UTF8 },
	{ "wasm",	"application/wasm" },
	{ "wav",	"audio/wav" },
	{ "webm",	"video/webm" },
	{ "webmanifest", "application/manifest+json" },
	{ "webp",	"image/webp" },
	{ "woff",	"font/woff" },
	{ "woff2",	"font/woff2" },
	{ "xhtml",	"application/xhtml+xml" },
	{ "xml",	"text/xml" UTF8 },
	{ "xz",		"application/x-xz" },
	{ "yaml",	"application/yaml" },		/* RFC 9512 */
	{ "yml",	"application/yaml" },
	{ "zip",	"application/zip" },
	{ "zst",	"application/zstd" },
};

const char *
mime_type(const char *name, size_t n)
{
	char ext[16];
	size_t i, dot, lo, hi, mid;
	int cmp;

	/* the last dot after the last slash */
	for (i = dot = n; i > 0 && name[i - 1] != '/'; i--)
		if (name[i - 1] == '.' && dot == n)
			dot = i - 1;
	if (dot == n || n - dot - 1 >= sizeof(ext))
		return "application/octet-stream";
	for (i = 0; dot + 1 + i < n; i++) {
		ext[i] = name[dot + 1 + i];
		if (ext[i] == '\0')
			return "application/octet-stream";
		if (ext[i] >= 'A' && ext[i] <= 'Z')
			ext[i] = (char)(ext[i] - 'A' + 'a');
	}
	ext[i] = '\0';

	lo = 0;
	hi = sizeof(types) / sizeof(types[0]);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((cmp = strcmp(ext, types[mid].ext)) == 0)
			return types[mid].type;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return "application/octet-stream";
}
