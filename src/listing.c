/*
 * listing.c: a directory listing as an HTML5 page or as JSON.
 * Pure: it formats the entries the shell has read and never looks at the
 * filesystem itself.  Dotfiles are hidden; names are escaped for HTML or
 * JSON, and percent-encoded in hrefs (RFC 3986 2.1).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

static const char style[] =
    "body{font-family:system-ui,sans-serif;margin:1.5em}\n"
    "table{border-collapse:collapse}\n"
    "th,td{padding:.25em .8em;text-align:left;vertical-align:top}\n"
    "tbody tr:nth-child(odd){background:rgba(128,128,128,.1)}\n"
    "td:nth-child(2){text-align:right;white-space:nowrap}\n"
    "td img,td audio{display:block;margin-top:.3em}\n";

/* types shown inline: the images and audio browsers commonly play */
static const char *const images[] = {
	"image/png", "image/jpeg", "image/gif", "image/webp", "image/avif",
	"image/svg+xml", "image/vnd.microsoft.icon",
};
static const char *const sounds[] = {
	"audio/mpeg", "audio/ogg", "audio/wav", "audio/flac", "audio/mp4",
};

/* directories first, then by name in byte order */
static int
order(const void *a, const void *b)
{
	const struct dent *x = a, *y = b;
	int dx = x->type == FT_DIR, dy = y->type == FT_DIR;

	if (dx != dy)
		return dy - dx;
	return strcmp(x->name, y->name);
}

static void
sort(struct dent *e, int n)
{
	if (n > 1)
		qsort(e, (size_t)n, sizeof(*e), order);
}

/* dotfiles, and names no request can reach: path_clean() refuses a
 * backslash and invalid UTF-8 (which would also make the JSON invalid) */
static int
hidden(const char *name)
{
	return name[0] == '.' || name[0] == '\0' || strchr(name, '\\') != NULL ||
	    !path_utf8((const unsigned char *)name, strlen(name));
}

static int
oneof(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/* RFC 3986 2.3: everything but the unreserved characters is encoded, so
 * no name can end the attribute or read as a scheme, query or fragment */
static void
href(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char pct[3];
	unsigned char c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			buf_add(b, s, 1);
			continue;
		}
		pct[0] = '%';
		pct[1] = hex[c >> 4];
		pct[2] = hex[c & 15];
		buf_add(b, pct, 3);
	}
}

/* the directory as a URL path, "/" at the root, else "/path/" */
static void
dirpath(struct buf *b, const char *path,
    void (*esc)(struct buf *, const char *, size_t))
{
	buf_str(b, "/");
	if (path[0] != '\0') {
		esc(b, path, strlen(path));
		buf_str(b, "/");
	}
}

/* "1.2 KiB": binary units, truncated to one decimal */
static void
human(struct buf *b, uint64_t n)
{
	static const char units[] = "KMGTPE";
	uint64_t frac;
	int k;

	if (n < 1024) {
		buf_fmt(b, "%" PRIu64 " B", n);
		return;
	}
	for (k = 1; k < 6 && n >> (10 * (k + 1)) != 0; k++)
		;
	frac = ((n & ((UINT64_C(1) << (10 * k)) - 1)) * 10) >> (10 * k);
	buf_fmt(b, "%" PRIu64 ".%" PRIu64 " %ciB", n >> (10 * k), frac,
	    units[k - 1]);
}

/* "2026-11-22 03:01" (UTC), rearranged from the IMF-fixdate */
static void
modified(struct buf *b, int64_t t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char d[DATE_LEN + 1];
	int m;

	if (date_fmt(t, d) < 0) {
		buf_str(b, "-");
		return;
	}
	for (m = 0; m < 11 && memcmp(months + 3 * m, d + 8, 3) != 0; m++)
		;
	buf_fmt(b, "%.4s-%02d-%.2s %.5s", d + 12, m + 1, d + 5, d + 17);
}

static void
row(struct buf *b, const struct dent *d)
{
	const char *type;
	int dir = d->type == FT_DIR;

	type = dir ? "directory" : d->type == FT_REG ?
	    mime_type(d->name, strlen(d->name)) : "other";
	buf_str(b, "<tr><td><a href=\"");
	href(b, d->name);
	buf_str(b, dir ? "/\">" : "\">");
	buf_html(b, d->name, strlen(d->name));
	buf_str(b, dir ? "/</a>" : "</a>");
	if (d->type == FT_REG && oneof(type, images, sizeof(images) /
	    sizeof(images[0]))) {
		buf_str(b, "<img src=\"");
		href(b, d->name);
		buf_str(b, "\" alt=\"\" loading=\"lazy\" width=\"48\">");
	} else if (d->type == FT_REG && oneof(type, sounds, sizeof(sounds) /
	    sizeof(sounds[0]))) {
		buf_str(b, "<audio controls preload=\"none\" src=\"");
		href(b, d->name);
		buf_str(b, "\"></audio>");
	}
	if (dir)
		buf_str(b, "</td><td>-");
	else {
		buf_fmt(b, "</td><td title=\"%" PRIu64 " bytes\">", d->size);
		human(b, d->size);
	}
	buf_str(b, "</td><td>");
	modified(b, d->mtime);
	/* the media type without its parameters */
	buf_str(b, "</td><td>");
	buf_html(b, type, strcspn(type, ";"));
	buf_str(b, "</td></tr>\n");
}

void
listing_html(struct buf *b, const char *path, struct dent *e, int n)
{
	int i;

	sort(e, n);
	buf_str(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n"
	    "<title>Index of ");
	dirpath(b, path, buf_html);
	buf_str(b, "</title>\n<style>\n");
	buf_str(b, style);
	buf_str(b, "</style>\n</head>\n<body>\n<h1>Index of ");
	dirpath(b, path, buf_html);
	buf_str(b, "</h1>\n<table>\n<thead><tr><th>Name</th><th>Size</th>"
	    "<th>Modified</th><th>Type</th></tr></thead>\n<tbody>\n");
	if (path[0] != '\0')
		buf_str(b, "<tr><td><a href=\"../\">../</a></td><td>-</td>"
		    "<td>-</td><td>directory</td></tr>\n");
	for (i = 0; i < n; i++)
		if (!hidden(e[i].name))
			row(b, &e[i]);
	buf_str(b, "</tbody>\n</table>\n</body>\n</html>\n");
}

void
listing_json(struct buf *b, const char *path, struct dent *e, int n)
{
	const char *sep = "";
	const char *type;
	int i;

	sort(e, n);
	buf_str(b, "{\"path\":\"");
	dirpath(b, path, buf_json);
	buf_str(b, "\",\"entries\":[");
	for (i = 0; i < n; i++) {
		if (hidden(e[i].name))
			continue;
		type = e[i].type == FT_DIR ? "directory" :
		    e[i].type == FT_REG ? "file" : "other";
		buf_fmt(b, "%s{\"name\":\"", sep);
		buf_json(b, e[i].name, strlen(e[i].name));
		buf_fmt(b, "\",\"type\":\"%s\",\"size\":%" PRIu64
		    ",\"mtime\":%" PRId64 "}", type, e[i].size, e[i].mtime);
		sep = ",";
	}
	buf_str(b, "]}");
}
