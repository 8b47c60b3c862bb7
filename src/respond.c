/*
 * respond.c: the decision.  A parsed request, the configuration and a
 * filesystem view go in; a response description comes out: status, fields
 * and a body source.  RFC 9110 sections 9, 13, 14 and 15.  It reads the
 * filesystem only through the view and never performs I/O itself.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "http.h"

#define ETAG_LEN 64

/* pre-compressed variants in order of preference, RFC 9110 8.4.1 */
static const struct {
	const char *coding, *suffix;
} variants[] = {
	{ "br", ".br" }, { "zstd", ".zst" }, { "gzip", ".gz" },
};

void
conf_default(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	c->docroot = "www";
	c->cgidir = "cgi-bin";
	c->listings = 1;
	c->max_line = HTTP_MAX_LINE;
	c->max_head = HTTP_MAX_HEAD;
	c->max_fields = HTTP_MAX_FIELDS;
	c->max_body = HTTP_MAX_BODY;
	c->head_secs = HTTP_HEAD_SECS;
	c->idle_secs = HTTP_IDLE_SECS;
	c->cgisuffix = ".cgi";
	c->cgi_idle_secs = HTTP_CGI_IDLE;
	c->cgi_total_secs = HTTP_CGI_SECS;
	c->cgi_nofile = HTTP_CGI_NOFILE;
}

/* add a field; returns -1, adding nothing, when it does not fit */
__attribute__((format(printf, 2, 3)))
static int
addf(struct resp *rs, const char *fmt, ...)
{
	va_list ap;
	size_t room = sizeof(rs->fields) - rs->nfields;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(rs->fields + rs->nfields, room, fmt, ap);
	va_end(ap);
	if (k > 0 && (size_t)k < room) {
		rs->nfields += (size_t)k;
		return 0;
	}
	rs->fields[rs->nfields] = '\0';
	return -1;
}

/* a field built by hand, as addf would add it: begun in the free part of
 * rs->fields, kept by field_end when all of it fit */
static struct out
field_begin(struct resp *rs, const char *name)
{
	struct out o = { rs->fields + rs->nfields,
	    0, sizeof(rs->fields) - rs->nfields, 0 };

	out_str(&o, name);
	out_str(&o, ": ");
	return o;
}

static int
field_end(struct resp *rs, struct out *o)
{
	out_str(o, "\r\n");
	if (!o->full) {
		rs->nfields += o->n;
		return 0;
	}
	rs->fields[rs->nfields] = '\0';
	return -1;
}

/* add "name: value\r\n"; returns -1, adding nothing, when it does not fit */
static int
add(struct resp *rs, const char *name, const char *value)
{
	struct out o = field_begin(rs, name);

	out_str(&o, value);
	return field_end(rs, &o);
}

/* Content-Range: bytes first-last/size, RFC 9110 14.4 */
static void
add_range(struct resp *rs, const struct range *rg)
{
	struct out o = field_begin(rs, "Content-Range");

	out_str(&o, "bytes ");
	out_u64(&o, rg->off);
	out_str(&o, "-");
	out_u64(&o, rg->off + rg->len - 1);
	out_str(&o, "/");
	out_u64(&o, rs->fsize);
	field_end(rs, &o);
}

/* "ino-size-mtime_in_ns" in hexadecimal, then the coding, quoted */
static void
etag_of(const struct finfo *fi, const char *coding, char *etag, size_t cap)
{
	struct out o = { etag, 0, cap, 0 };

	out_str(&o, "\"");
	out_x64(&o, fi->ino);
	out_str(&o, "-");
	out_x64(&o, fi->size);
	out_str(&o, "-");
	out_x64(&o, (uint64_t)fi->mtime * 1000000000ULL + (uint64_t)fi->mtime_ns);
	if (coding)
		out_str(&o, coding);
	out_str(&o, "\"");
}

static void
init(struct resp *rs, int minor)
{
	/* clearing all 20 KiB of it cost more than the rest of a small request,
	 * and touching each array a page of memory: script_name and path_info
	 * are written where a program is chosen */
	memset(rs, 0, offsetof(struct resp, path));
	rs->fields[0] = rs->path[0] = '\0';
	rs->handle = -1;
	rs->minor = minor;
}

static const char *
explain(enum status s)
{
	switch (s) {
	case S_MOVED:
		return "The resource has moved.";
	case S_BAD_REQUEST:
		return "The request could not be understood.";
	case S_FORBIDDEN:
		return "Access to this resource is not allowed.";
	case S_NOT_FOUND:
		return "The requested resource was not found.";
	case S_METHOD_NOT_ALLOWED:
		return "This method is not allowed here.";
	case S_REQUEST_TIMEOUT:
		return "The request took too long to arrive.";
	case S_PRECONDITION_FAILED:
		return "A precondition of the request did not hold.";
	case S_CONTENT_TOO_LARGE:
		return "The request body is larger than this server accepts.";
	case S_URI_TOO_LONG:
		return "The request target is longer than this server accepts.";
	case S_RANGE_NOT_SATISFIABLE:
		return "None of the requested ranges is within the resource.";
	case S_EXPECTATION_FAILED:
		return "The expectation given in the request cannot be met.";
	case S_FIELDS_TOO_LARGE:
		return "The request header fields are too large.";
	case S_NOT_IMPLEMENTED:
		return "This method or coding is not implemented.";
	case S_VERSION:
		return "This HTTP version is not supported.";
	default:
		return "The server could not answer this request.";
	}
}

/* a small HTML page for status s; nothing from the request is in it */
static void
error_page(struct resp *rs, enum status s)
{
	buf_free(&rs->gen);
	rs->s = s;
	rs->b = B_BYTES;
	buf_fmt(&rs->gen, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	    "<title>%d %s</title></head>\n<body><h1>%d %s</h1>\n<p>%s</p>\n"
	    "<hr><address>" SERVER_NAME "</address></body></html>\n",
	    s, status_reason(s), s, status_reason(s), explain(s));
	rs->bytes = rs->gen.p;
	rs->clen = rs->gen.oom ? 0 : rs->gen.n;
	rs->ctype = "text/html; charset=utf-8";
	if (s == S_METHOD_NOT_ALLOWED)
		add(rs, "Allow", "GET, HEAD");
}

void
respond_error(struct resp *rs, enum status s, int minor, int head)
{
	init(rs, minor);
	rs->close = 1;
	rs->head = head;
	error_page(rs, s);
}

/* RFC 9110 12.4.2: a qvalue as thousandths; 1000 when there is none */
static int
qvalue(const char *p, size_t n)
{
	size_t i;
	int q, scale;

	for (i = 0; i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == ';'); i++)
		;
	if (n - i < 3 || (p[i] != 'q' && p[i] != 'Q') || p[i + 1] != '=')
		return 1000;
	p += i + 2;
	n -= i + 2;
	if (p[0] != '0' && p[0] != '1')
		return 0;
	q = (p[0] - '0') * 1000;
	if (n > 1 && p[1] == '.')
		for (i = 2, scale = 100; i < n && i < 5 && p[i] >= '0' && p[i] <= '9';
		    i++, scale /= 10)
			q += (p[i] - '0') * scale;
	return q > 1000 ? 1000 : q;
}

/* RFC 9110 5.3: the next line of a field sent on several, from f[*i] */
static const struct span *
line_of(const struct req *r, const char *name, int *i)
{
	for (; *i < r->nf; (*i)++)
		if (http_ieq(r->f[*i].name.p, r->f[*i].name.n, name))
			return &r->f[(*i)++].value;
	return NULL;
}

/* the weight one Accept-Encoding line gives a coding, -1 when it names
 * none; *star takes the weight of a first "*" */
static int
accepts_line(const struct span *ae, const char *coding, int *star)
{
	const char *p = ae->p, *end = ae->p + ae->n, *semi;
	struct span el;
	size_t nlen;

	while (http_list(&p, end, &el)) {
		semi = memchr(el.p, ';', el.n);
		nlen = semi ? (size_t)(semi - el.p) : el.n;
		while (nlen > 0 && (el.p[nlen - 1] == ' ' || el.p[nlen - 1] == '\t'))
			nlen--;
		if (http_ieq(el.p, nlen, coding) ||
		    (strcmp(coding, "gzip") == 0 && http_ieq(el.p, nlen, "x-gzip")))
			return qvalue(el.p + nlen, el.n - nlen);
		if (nlen == 1 && el.p[0] == '*' && *star < 0)
			*star = qvalue(el.p + nlen, el.n - nlen);
	}
	return -1;
}

/*
 * RFC 9110 12.5.3: the weight Accept-Encoding gives a coding (0: refused).
 * RFC 9110 5.3: a list field sent on several lines is one list, so every
 * line is read, here and for the entity-tags of If-Match and If-None-Match
 */
static int
accepts(const struct req *r, const char *coding)
{
	const struct span *v;
	int i = 0, w, star = -1;

	while ((v = line_of(r, "accept-encoding", &i)) != NULL)
		if ((w = accepts_line(v, coding, &star)) >= 0)
			return w;
	return star < 0 ? 0 : star;
}

/* RFC 9110 8.8.3.2: does a list of entity-tags match ours? */
static int
etag_match(const struct span *v, const char *etag, int weak)
{
	const char *p = v->p, *end = v->p + v->n;
	struct span el;

	if (v->n == 1 && v->p[0] == '*')
		return 1;
	while (http_list(&p, end, &el)) {
		if (el.n >= 2 && el.p[0] == 'W' && el.p[1] == '/') {
			if (!weak)
				continue;
			el.p += 2;
			el.n -= 2;
		}
		if (el.n == strlen(etag) && memcmp(el.p, etag, el.n) == 0)
			return 1;
	}
	return 0;
}

/* the same over every line of the field name */
static int
etag_in(const struct req *r, const char *name, const char *etag, int weak)
{
	const struct span *v;
	int i = 0;

	while ((v = line_of(r, name, &i)) != NULL)
		if (etag_match(v, etag, weak))
			return 1;
	return 0;
}

static int
has_param(const struct span *q, const char *param)
{
	const char *p, *end, *amp;
	size_t n = strlen(param);

	if (q->p == NULL)
		return 0;
	p = q->p;
	end = q->p + q->n;
	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			amp = end;
		if ((size_t)(amp - p) == n && memcmp(p, param, n) == 0)
			return 1;
		p = amp + 1;
	}
	return 0;
}

static uint64_t
fnv(const char *s, uint64_t h)
{
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* RFC 9110 13.2.2 steps 1 to 4; S_OK to go on */
static enum status
preconditions(const struct req *r, const char *etag, int64_t lm)
{
	int64_t t;

	if (r->if_match.p) {
		if (!etag_in(r, "if-match", etag, 0))
			return S_PRECONDITION_FAILED;
	} else if (r->if_unmod.p && date_parse(r->if_unmod.p, r->if_unmod.n, &t) == 0) {
		if (lm > t)
			return S_PRECONDITION_FAILED;
	}
	if (r->if_none_match.p) {
		if (etag_in(r, "if-none-match", etag, 1))
			return S_NOT_MODIFIED;
	} else if (r->if_mod.p && date_parse(r->if_mod.p, r->if_mod.n, &t) == 0) {
		if (lm <= t)
			return S_NOT_MODIFIED;
	}
	return S_OK;
}

/* RFC 9110 13.1.5: If-Range holds for a strong equal tag or the exact date,
 * when that date is strong */
static int
if_range(const struct req *r, const char *etag, int64_t lm, int64_t now)
{
	int64_t t;

	if (r->if_range.p == NULL)
		return 1;
	/* an entity-tag starts with DQUOTE or "W/"; an HTTP-date may start with 'W' */
	if ((r->if_range.n > 0 && r->if_range.p[0] == '"') ||
	    (r->if_range.n > 1 && r->if_range.p[0] == 'W' && r->if_range.p[1] == '/'))
		return r->if_range.n == strlen(etag) &&
		    memcmp(r->if_range.p, etag, r->if_range.n) == 0;
	/* a date is a strong validator only once its second is over: until
	 * then the file may change again under the same Last-Modified (RFC 9110
	 * 8.8.2.2), and a weak date makes the condition false (13.1.5) */
	return date_parse(r->if_range.p, r->if_range.n, &t) == 0 && t == lm &&
	    lm < now;
}

/* the ranges of the body, RFC 9110 14 */
static void
ranges(const struct req *r, struct resp *rs, const char *etag, int64_t lm, int64_t now)
{
	char part[512];
	struct out o;
	uint64_t total;
	int i, k;

	rs->rg[0].off = 0;
	rs->rg[0].len = rs->fsize;
	rs->nrg = 1;
	rs->s = S_OK;
	rs->b = B_FILE;
	rs->clen = rs->fsize;
	if (r->range.p == NULL || r->m != M_GET || !if_range(r, etag, lm, now))
		return;
	k = range_parse(r->range.p, r->range.n, rs->fsize, rs->rg);
	if (k == 0) {
		rs->rg[0].off = 0;
		rs->rg[0].len = rs->fsize;
		return;
	}
	if (k < 0) {
		error_page(rs, S_RANGE_NOT_SATISFIABLE);
		o = field_begin(rs, "Content-Range");
		out_str(&o, "bytes */");
		out_u64(&o, rs->fsize);
		field_end(rs, &o);
		return;
	}
	rs->s = S_PARTIAL;
	rs->nrg = k;
	if (k == 1) {
		add_range(rs, &rs->rg[0]);
		rs->clen = rs->rg[0].len;
		return;
	}
	/* RFC 9110 14.6: multipart/byteranges */
	rs->b = B_MULTI;
	snprintf(rs->boundary, sizeof(rs->boundary), "httpd1-%016llx",
	    (unsigned long long)fnv(etag, 14695981039346656037ULL ^ (uint64_t)now));
	total = 0;
	for (i = 0; i <= k; i++) {
		total += emit_part(rs, i, part, sizeof(part));
		if (i < k)
			total += rs->rg[i].len;
	}
	rs->clen = total;
}

/*
 * the best pre-compressed variant of the file that the client accepts, in
 * place of fi; only codings the client accepts are looked for: a request
 * without Accept-Encoding gets the identity, which suits every client and
 * every cache, at no cost.  *vary: a response that may differ by coding.
 * Not inlined: its path buffer is on the stack only when it is called.
 */
static __attribute__((noinline)) const char *
variant(const struct req *r, const struct fsview *fs, struct resp *rs,
    struct finfo *fi, int *vary)
{
	char vpath[HTTP_MAX_PATH + 8];
	const char *coding = NULL;
	struct finfo vf;
	size_t i, slen, plen = strlen(rs->path);
	int w, best = 0;

	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		w = accepts(r, variants[i].coding);
		slen = strlen(variants[i].suffix);
		if (w == 0 || plen + slen >= HTTP_MAX_PATH)
			continue;
		memcpy(vpath, rs->path, plen);
		memcpy(vpath + plen, variants[i].suffix, slen + 1);
		if (fs->open(fs->ctx, vpath, &vf) != S_OK)
			continue;
		if (vf.type != FT_REG) {
			fs->close(fs->ctx, vf.handle);
			continue;
		}
		*vary = 1;
		if (w > best) {
			best = w;
			coding = variants[i].coding;
			fs->close(fs->ctx, fi->handle);
			*fi = vf;
		} else {
			fs->close(fs->ctx, vf.handle);
		}
	}
	return coding;
}

/* a regular file, or the best pre-compressed variant of it */
static void
serve_file(const struct req *r, const struct fsview *fs, int64_t now,
    struct resp *rs, struct finfo *fi)
{
	char etag[ETAG_LEN], date[DATE_LEN + 1];
	const char *coding = NULL;
	int64_t lm;
	int vary = 0;
	enum status s;

	rs->ctype = mime_type(rs->path, strlen(rs->path));
	if (r->accept_enc.p)
		coding = variant(r, fs, rs, fi, &vary);
	rs->handle = fi->handle;
	rs->fsize = fi->size;
	fi->handle = -1;

	lm = fi->mtime < now ? fi->mtime : now;
	etag_of(fi, coding, etag, sizeof(etag));
	s = preconditions(r, etag, lm);
	if (s == S_PRECONDITION_FAILED) {
		error_page(rs, s);
		return;
	}
	if (s == S_NOT_MODIFIED) {
		rs->s = s;
		rs->b = B_NONE;
		rs->noclen = 1;
		rs->ctype = NULL;
	} else {
		ranges(r, rs, etag, lm, now);
		if (rs->s == S_RANGE_NOT_SATISFIABLE)
			return;
		add(rs, "Accept-Ranges", "bytes");
		if (coding)
			add(rs, "Content-Encoding", coding);
	}
	add(rs, "ETag", etag);
	if (date_fmt(lm, date) == 0)
		add(rs, "Last-Modified", date);
	if (vary)
		add(rs, "Vary", "Accept-Encoding");
}

/* some line of the field is "*" */
static int
star_in(const struct req *r, const char *name)
{
	const struct span *v;
	int i = 0;

	while ((v = line_of(r, name, &i)) != NULL)
		if (v->n == 1 && v->p[0] == '*')
			return 1;
	return 0;
}

static void
serve_listing(const struct req *r, const struct fsview *fs, struct resp *rs,
    const struct finfo *fi)
{
	struct dent *e;
	int n;

	/* RFC 9110 13.1.1, 13.1.2: a listing has no entity-tag, so only "*"
	 * matches; and no modification date, so the date conditions are void */
	if (r->if_match.p && !star_in(r, "if-match")) {
		error_page(rs, S_PRECONDITION_FAILED);
		return;
	}
	if (r->if_none_match.p && star_in(r, "if-none-match")) {
		rs->s = S_NOT_MODIFIED;
		rs->b = B_NONE;
		rs->noclen = 1;
		return;
	}
	n = fs->list(fs->ctx, fi->handle, rs->path, &e);
	if (n < 0) {
		error_page(rs, S_FORBIDDEN);
		return;
	}
	if (has_param(&r->query, "format=json")) {
		listing_json(&rs->gen, rs->path, e, n);
		rs->ctype = "application/json";
	} else {
		listing_html(&rs->gen, rs->path, e, n);
		rs->ctype = "text/html; charset=utf-8";
	}
	fs->freelist(fs->ctx, e, n);
	if (rs->gen.oom) {
		error_page(rs, S_INTERNAL);
		return;
	}
	rs->s = S_OK;
	rs->b = B_BYTES;
	rs->bytes = rs->gen.p;
	rs->clen = rs->gen.n;
}

/* RFC 9110 15.4.2: a directory named without its '/', or by a last dot
 * segment ("/a/b/.."), moves to its own name with the '/' */
static __attribute__((noinline)) void
redirect_dir(const struct req *r, struct resp *rs)
{
	char enc[3 * HTTP_MAX_PATH + 1], q[HTTP_RESP_FIELDS];

	/* a query holding bytes a URI may not (raw '<', '"', '{') goes out
	 * encoded: Location is a URI-reference (RFC 9110 10.2.2, RFC 9112 3) */
	enc[0] = '\0';
	if ((rs->path[0] && path_encode(rs->path, strlen(rs->path), enc, sizeof(enc)) == 0) ||
	    (r->query.p && query_encode(r->query.p, r->query.n, q, sizeof(q)) == 0)) {
		error_page(rs, S_URI_TOO_LONG);
		return;
	}
	error_page(rs, S_MOVED);
	if (addf(rs, "Location: /%s%s%s%s\r\n", enc, enc[0] ? "/" : "",
	    r->query.p ? "?" : "", r->query.p ? q : "") < 0)
		error_page(rs, S_URI_TOO_LONG);
}

static __attribute__((noinline)) void
serve_dir(const struct req *r, const struct conf *c, const struct fsview *fs,
    int64_t now, struct resp *rs, struct finfo *fi)
{
	char index[HTTP_MAX_PATH + 16];
	struct finfo xf;
	enum status s = S_NOT_FOUND;
	size_t n;

	/* rs->path is shorter than HTTP_MAX_PATH: "/index.html" fits after it */
	n = strlen(rs->path);
	memcpy(index, rs->path, n);
	if (n > 0)
		index[n++] = '/';
	memcpy(index + n, "index.html", sizeof("index.html"));
	n += sizeof("index.html") - 1;
	if (n < sizeof(rs->path) && (s = fs->open(fs->ctx, index, &xf)) == S_OK) {
		if (xf.type == FT_REG) {
			fs->close(fs->ctx, fi->handle);
			*fi = xf;
			memcpy(rs->path, index, n + 1);
			serve_file(r, fs, now, rs, fi);
			return;
		}
		fs->close(fs->ctx, xf.handle);
	}
	/* an index that is there but may not be read hides the directory too */
	if (!c->listings || s == S_FORBIDDEN)
		error_page(rs, S_FORBIDDEN);
	else
		serve_listing(r, fs, rs, fi);
}

/* an executable regular file runs as CGI; anything else there is refused */
static int
cgi_ok(struct resp *rs, const struct finfo *fi)
{
	if (fi->type != FT_REG || !fi->exec) {
		error_page(rs, S_FORBIDDEN);
		return 0;
	}
	rs->b = B_CGI;
	rs->s = S_OK;
	return 1;
}

/* RFC 3875 3.3: /cgi-bin/NAME/extra is NAME in the CGI directory, PATH_INFO /extra */
static void
cgi_bin(const struct fsview *fs, struct resp *rs, int dir)
{
	char *name = rs->path + 8, *slash;
	struct finfo fi;
	enum status s;

	if (*name == '\0') {
		error_page(rs, S_NOT_FOUND);
		return;
	}
	slash = strchr(name, '/');
	snprintf(rs->path_info, sizeof(rs->path_info), "%s%s",
	    slash ? slash : "", slash && dir ? "/" : "");
	if (slash)
		*slash = '\0';
	else if (dir)
		snprintf(rs->path_info, sizeof(rs->path_info), "/");
	snprintf(rs->script_name, sizeof(rs->script_name), "/cgi-bin/%s", name);
	memmove(rs->path, name, strlen(name) + 1);
	rs->nph = strncmp(rs->path, "nph-", 4) == 0;
	if ((s = fs->cgi_open(fs->ctx, rs->path, &fi)) != S_OK) {
		error_page(rs, s);
		return;
	}
	cgi_ok(rs, &fi);
	fs->close(fs->ctx, fi.handle);
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return k > 0 && n > k && strcmp(s + n - k, suffix) == 0;
}

/*
 * an executable named with the CGI suffix in the docroot runs as CGI,
 * requested with or without the suffix; returns 1 when it does
 */
/* path with the suffix added names an executable: it becomes rs->path */
static __attribute__((noinline)) int
suffixed(const struct conf *c, const struct fsview *fs, struct resp *rs,
    struct finfo *fi)
{
	char alt[HTTP_MAX_PATH];
	struct finfo af;
	size_t n;

	n = (size_t)snprintf(alt, sizeof(alt), "%s%s", rs->path, c->cgisuffix);
	if (n >= sizeof(alt) || fs->open(fs->ctx, alt, &af) != S_OK)
		return 0;
	if (af.type != FT_REG || !af.exec) {
		fs->close(fs->ctx, af.handle);
		return 0;
	}
	snprintf(rs->script_name, sizeof(rs->script_name), "/%s", rs->path);
	memcpy(rs->path, alt, n + 1);
	*fi = af;
	return 1;
}

/* small frame: the large buffer is suffixed()'s, whose stack pages a
 * request for an existing file never touches */
static int
cgi_docroot(const struct conf *c, const struct fsview *fs, struct resp *rs,
    struct finfo *fi, enum status *s, int dir)
{
	/* a trailing '/' names a directory, never a program (nor a file) */
	if (c->cgisuffix == NULL || c->cgisuffix[0] == '\0' || dir)
		return 0;
	if (*s == S_OK && fi->type == FT_REG && has_suffix(rs->path, c->cgisuffix)) {
		/* named as a program that cannot run: its source is never sent */
		if (!fi->exec) {
			error_page(rs, S_FORBIDDEN);
			return 1;
		}
		snprintf(rs->script_name, sizeof(rs->script_name), "/%s", rs->path);
	} else if (*s == S_NOT_FOUND && rs->path[0] != '\0') {
		if (!suffixed(c, fs, rs, fi))
			return 0;
		*s = S_OK;
	} else {
		return 0;
	}
	rs->path_info[0] = '\0';
	rs->cgi_docroot = 1;
	rs->b = B_CGI;
	rs->s = S_OK;
	return 1;
}

static void
decide(const struct req *r, const struct conf *c, const struct fsview *fs,
    int64_t now, struct resp *rs)
{
	struct finfo fi;
	enum status s;
	int dir;

	if (r->path.n == 0) {
		/* OPTIONS * and CONNECT's authority-form name no file */
		error_page(rs, r->m == M_UNKNOWN ? S_NOT_IMPLEMENTED : S_METHOD_NOT_ALLOWED);
		return;
	}
	s = path_clean(r->path.p, r->path.n, rs->path, sizeof(rs->path), &dir);
	if (s != S_OK) {
		error_page(rs, s);
		return;
	}
	/* any method goes to a CGI program: the program decides */
	if (c->cgidir && (strcmp(rs->path, "cgi-bin") == 0 ||
	    strncmp(rs->path, "cgi-bin/", 8) == 0)) {
		if (rs->path[7] == '\0')
			error_page(rs, S_NOT_FOUND);
		else
			cgi_bin(fs, rs, dir);
		return;
	}
	s = fs->open(fs->ctx, rs->path, &fi);
	if (cgi_docroot(c, fs, rs, &fi, &s, dir)) {
		fs->close(fs->ctx, fi.handle);
		return;
	}
	if (r->m != M_GET && r->m != M_HEAD)
		error_page(rs, r->m == M_UNKNOWN ? S_NOT_IMPLEMENTED :
		    S_METHOD_NOT_ALLOWED);
	else if (s != S_OK)
		error_page(rs, s);
	else if (fi.type == FT_DIR && dir != 1)
		redirect_dir(r, rs);
	else if (fi.type == FT_DIR)
		serve_dir(r, c, fs, now, rs, &fi);
	else if (fi.type == FT_REG && dir)
		error_page(rs, S_NOT_FOUND);
	else if (fi.type == FT_REG)
		serve_file(r, fs, now, rs, &fi);
	else
		error_page(rs, S_FORBIDDEN);
	if (s == S_OK && fi.handle != -1 && fi.handle != rs->handle)
		fs->close(fs->ctx, fi.handle);
}

void
respond(const struct req *r, const struct conf *c, const struct fsview *fs,
    int64_t now, struct resp *rs)
{
	init(rs, r->minor);
	rs->close = !r->keepalive;
	rs->head = r->m == M_HEAD;
	decide(r, c, fs, now, rs);
	/* RFC 9110 10.1.1: a body announced with 100-continue and not asked
	 * for stays unread (only a program asks for it): answer and close,
	 * whatever the answer, or the body would be read as the next request */
	if (r->expect100 && (r->clen > 0 || r->chunked) && rs->b != B_CGI)
		rs->close = 1;
}

void
resp_free(struct resp *rs, const struct fsview *fs)
{
	if (rs->handle != -1)
		fs->close(fs->ctx, rs->handle);
	rs->handle = -1;
	buf_free(&rs->gen);
}
