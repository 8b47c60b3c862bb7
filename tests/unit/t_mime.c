/*
 * t_mime.c: Content-Type by file extension: every known extension, case,
 * the last dot of the last segment, charset on text, the unknown default.
 */
#include <string.h>

#include "http.h"
#include "tap.h"

#define OCTET	"application/octet-stream"

static int
is(const char *name, const char *want)
{
	return strcmp(mime_type(name, strlen(name)), want) == 0;
}

int
main(void)
{
	/* every extension in the table, so an unsorted entry is found */
	static const char *const known[][2] = {
		{ "a.7z",	"application/x-7z-compressed" },
		{ "a.aac",	"audio/aac" },
		{ "a.apng",	"image/apng" },
		{ "a.atom",	"application/atom+xml" },
		{ "a.avif",	"image/avif" },
		{ "a.bmp",	"image/bmp" },
		{ "a.bz2",	"application/x-bzip2" },
		{ "a.c",	"text/plain; charset=utf-8" },
		{ "a.css",	"text/css; charset=utf-8" },
		{ "a.csv",	"text/csv; charset=utf-8" },
		{ "a.eot",	"application/vnd.ms-fontobject" },
		{ "a.epub",	"application/epub+zip" },
		{ "a.flac",	"audio/flac" },
		{ "a.gif",	"image/gif" },
		{ "a.gz",	"application/gzip" },
		{ "a.h",	"text/plain; charset=utf-8" },
		{ "a.htm",	"text/html; charset=utf-8" },
		{ "a.html",	"text/html; charset=utf-8" },
		{ "a.ico",	"image/vnd.microsoft.icon" },
		{ "a.ics",	"text/calendar; charset=utf-8" },
		{ "a.jpeg",	"image/jpeg" },
		{ "a.jpg",	"image/jpeg" },
		{ "a.js",	"text/javascript; charset=utf-8" },
		{ "a.json",	"application/json" },
		{ "a.jsonld",	"application/ld+json" },
		{ "a.jxl",	"image/jxl" },
		{ "a.log",	"text/plain; charset=utf-8" },
		{ "a.m4a",	"audio/mp4" },
		{ "a.m4v",	"video/mp4" },
		{ "a.map",	"application/json" },
		{ "a.md",	"text/markdown; charset=utf-8" },
		{ "a.mjs",	"text/javascript; charset=utf-8" },
		{ "a.mov",	"video/quicktime" },
		{ "a.mp3",	"audio/mpeg" },
		{ "a.mp4",	"video/mp4" },
		{ "a.oga",	"audio/ogg" },
		{ "a.ogg",	"audio/ogg" },
		{ "a.ogv",	"video/ogg" },
		{ "a.opus",	"audio/ogg" },
		{ "a.otf",	"font/otf" },
		{ "a.pdf",	"application/pdf" },
		{ "a.png",	"image/png" },
		{ "a.rss",	"application/rss+xml" },
		{ "a.sh",	"text/plain; charset=utf-8" },
		{ "a.svg",	"image/svg+xml" },
		{ "a.tar",	"application/x-tar" },
		{ "a.tgz",	"application/gzip" },
		{ "a.tif",	"image/tiff" },
		{ "a.tiff",	"image/tiff" },
		{ "a.ttf",	"font/ttf" },
		{ "a.txt",	"text/plain; charset=utf-8" },
		{ "a.wasm",	"application/wasm" },
		{ "a.wav",	"audio/wav" },
		{ "a.webm",	"video/webm" },
		{ "a.webmanifest", "application/manifest+json" },
		{ "a.webp",	"image/webp" },
		{ "a.woff",	"font/woff" },
		{ "a.woff2",	"font/woff2" },
		{ "a.xhtml",	"application/xhtml+xml" },
		{ "a.xml",	"text/xml; charset=utf-8" },
		{ "a.xz",	"application/x-xz" },
		{ "a.yaml",	"application/yaml" },
		{ "a.yml",	"application/yaml" },
		{ "a.zip",	"application/zip" },
		{ "a.zst",	"application/zstd" },
	};
	size_t i;
	int all;

	all = 1;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!is(known[i][0], known[i][1])) {
			all = 0;
			printf("# %s -> %s\n", known[i][0],
			    mime_type(known[i][0], strlen(known[i][0])));
		}
	ok(all, "all %zu known extensions map to their types",
	    sizeof(known) / sizeof(known[0]));

	ok(is("index.html", "text/html; charset=utf-8"), "index.html");
	ok(is("app.js", "text/javascript; charset=utf-8"),
	    "JavaScript is text/javascript (RFC 9239)");
	ok(is("data.json", "application/json"), "JSON has no charset");
	ok(is("logo.svg", "image/svg+xml"), "SVG");

	/* case-insensitive */
	ok(is("INDEX.HTML", "text/html; charset=utf-8"), "upper case");
	ok(is("photo.JpG", "image/jpeg"), "mixed case");
	ok(is("font.WOFF2", "font/woff2"), "digit in extension");

	/* the last dot of the last segment */
	ok(is("archive.tar.gz", "application/gzip"), "last dot wins");
	ok(is("page.html.bak", OCTET), "unknown after a known one");
	ok(is("docs/a.css", "text/css; charset=utf-8"), "after a directory");
	ok(is("v1.2/README", OCTET), "a dot in a directory only");
	ok(is("v1.2/notes.txt", "text/plain; charset=utf-8"),
	    "dots in directory and file");
	ok(is("a.png/", OCTET), "trailing slash: no extension");
	ok(strcmp(mime_type("x.html.gz", 6), "text/html; charset=utf-8") == 0,
	    "only n bytes are looked at");

	/* unknown, missing or odd extensions */
	ok(is("README", OCTET), "no extension");
	ok(is("file.", OCTET), "empty extension");
	ok(is("", OCTET), "empty name");
	ok(is("x.exe", OCTET), "unknown extension");
	ok(is("x.htmlx", OCTET), "extension with a suffix");
	ok(is("x.ht", OCTET), "extension prefix");
	ok(is("x.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", OCTET), "long extension");
	ok(is("x.0000000000000000html", OCTET), "long, ending like html");
	ok(strcmp(mime_type("x.png\0", 6), OCTET) == 0,
	    "a NUL in the extension");
	ok(strcmp(mime_type("x.png", 0), OCTET) == 0, "length 0");

	return tap_done();
}
