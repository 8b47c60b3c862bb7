/*
 * http.h: the contract of httpd1's pure module.
 * Request bytes, a configuration and a filesystem view go in; a response
 * description comes out.  Nothing declared here performs I/O: the shells
 * (main.c, fs.c, send.c, log.c, cgi.c) do all reading, writing, opening
 * and running.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SERVER_NAME	"httpd1"
#define SERVER_VERSION	"0.1"

/* limits: defaults for the configuration, each overridable by an option */
#define HTTP_MAX_LINE	8192		/* request line, else 414 */
#define HTTP_MAX_HEAD	16384		/* whole request head, else 431 */
#define HTTP_MAX_FIELDS	100		/* header fields, else 431 */
#define HTTP_MAX_BODY	(16ULL << 20)	/* request body, else 413 */
#define HTTP_HEAD_SECS	10		/* deadline for one request head, else 408 */
#define HTTP_IDLE_SECS	5		/* keep-alive idle time before a silent close */
#define HTTP_CGI_IDLE	30		/* a CGI program silent this long is killed */
#define HTTP_CGI_SECS	300		/* a CGI program running this long is killed */
#define HTTP_CGI_NOFILE	256		/* RLIMIT_NOFILE of a CGI program */
#define HTTP_SEND_SECS	60		/* a client that reads nothing this long is dropped */
/* fixed bounds of the implementation */
#define HTTP_FIELDS_CAP	256		/* hard cap on HTTP_MAX_FIELDS */
#define HTTP_MAX_RANGES	16		/* more ranges than this: Range is ignored */
#define HTTP_MAX_PATH	4096		/* decoded path */
#define HTTP_RESP_FIELDS 8192		/* bytes of response fields, a CGI's included */
#define HTTP_CGI_HEAD	16384		/* a CGI program's header block, else 502 */
#define HTTP_HEAD_OUT	(HTTP_RESP_FIELDS + 1024)	/* a serialised response head */
#define HTTP_MAX_TRAILER 4096		/* bytes of chunked trailer fields */
#define HTTP_REASON	64		/* a CGI program's reason phrase, bytes; longer: ours */

/* the status is the error currency: its value is the HTTP code */
enum status {
	S_NONE = 0,		/* parse: head incomplete, read more */
	S_CONTINUE = 100,
	S_OK = 200,
	S_CREATED = 201,
	S_ACCEPTED = 202,
	S_NO_CONTENT = 204,
	S_RESET_CONTENT = 205,
	S_PARTIAL = 206,
	S_MOVED = 301,
	S_FOUND = 302,
	S_SEE_OTHER = 303,
	S_NOT_MODIFIED = 304,
	S_TEMPORARY_REDIRECT = 307,
	S_PERMANENT_REDIRECT = 308,
	S_BAD_REQUEST = 400,
	S_UNAUTHORIZED = 401,
	S_FORBIDDEN = 403,
	S_NOT_FOUND = 404,
	S_METHOD_NOT_ALLOWED = 405,
	S_NOT_ACCEPTABLE = 406,
	S_REQUEST_TIMEOUT = 408,
	S_CONFLICT = 409,
	S_GONE = 410,
	S_LENGTH_REQUIRED = 411,
	S_PRECONDITION_FAILED = 412,
	S_CONTENT_TOO_LARGE = 413,
	S_URI_TOO_LONG = 414,
	S_UNSUPPORTED_MEDIA_TYPE = 415,
	S_RANGE_NOT_SATISFIABLE = 416,
	S_EXPECTATION_FAILED = 417,
	S_UNPROCESSABLE = 422,
	S_TOO_MANY_REQUESTS = 429,
	S_FIELDS_TOO_LARGE = 431,
	S_INTERNAL = 500,
	S_NOT_IMPLEMENTED = 501,
	S_BAD_GATEWAY = 502,
	S_UNAVAILABLE = 503,
	S_GATEWAY_TIMEOUT = 504,
	S_VERSION = 505,
};

const char *status_reason(enum status s);

/* a span points into the caller's request buffer; it is not NUL-terminated */
struct span {
	const char *p;
	size_t n;
};

enum method {
	M_UNKNOWN, M_GET, M_HEAD, M_POST, M_PUT, M_DELETE,
	M_CONNECT, M_OPTIONS, M_TRACE, M_PATCH,
};

struct field {
	struct span name, value;
};

/* a parsed request head: every span points into the buffer given to http_parse */
struct req {
	size_t headlen;			/* bytes of the head, blank line included */
	enum method m;
	struct span method, target, path, query, version;
	int minor;			/* 0 or 1 (1.2..1.9 are served as 1.1) */
	struct span host;		/* from absolute-form, else Host */
	int nhost;			/* Host fields seen */
	/* framing: RFC 9112 6 */
	int64_t clen;			/* Content-Length, -1 when absent */
	int chunked;			/* Transfer-Encoding: chunked */
	int keepalive;			/* persistent after this exchange */
	int expect100;			/* Expect: 100-continue */
	/* fields the decision reads, empty when absent */
	struct span if_match, if_none_match, if_mod, if_unmod, if_range;
	struct span range, accept_enc, accept;
	int nf;
	struct field f[HTTP_FIELDS_CAP];	/* last: not cleared per request */
};

struct conf {
	const char *docroot;		/* shown in nothing; for the shells */
	const char *cgidir;
	int listings;			/* directory listings on */
	size_t max_line, max_head;
	int max_fields;
	uint64_t max_body;
	int head_secs, idle_secs;
	const char *cgisuffix;		/* executables in the docroot named so are CGI; "" none */
	int cgi_idle_secs;		/* a CGI silent this long is killed */
	int cgi_total_secs;		/* a CGI running this long is killed */
	int https;			/* the connection is TLS (behind a TLS proxy) */
	/* rlimits of a CGI program; 0: none set */
	unsigned long cgi_cpu;		/* RLIMIT_CPU seconds (default: cgi_total_secs) */
	unsigned long cgi_nofile;	/* RLIMIT_NOFILE */
	unsigned long cgi_as_mb;	/* RLIMIT_AS in MiB */
};

void conf_default(struct conf *c);

/* parse.c: one request head from buf[0..n).  S_NONE: incomplete, read more.
 * S_OK: complete, r->headlen bytes used.  Anything else: answer it and close. */
enum status http_parse(const char *buf, size_t n, const struct conf *c, struct req *r);
/* case-insensitive field lookup; NULL when absent */
const struct span *http_field(const struct req *r, const char *name);
/* RFC 9110 5.6.2: c may be in a token */
int http_tchar(unsigned char c);
/* the value of a hex digit, or -1 */
int http_hex(unsigned char c);
/* p[0..n) equals s, ignoring ASCII case */
static inline int
http_ieq(const char *p, size_t n, const char *s)
{
	size_t i;
	int a, b;

	/* inline: strlen of a literal name is a constant */
	if (n != strlen(s))
		return 0;
	for (i = 0; i < n; i++) {
		a = (unsigned char)p[i];
		b = (unsigned char)s[i];
		if ((a >= 'A' && a <= 'Z' ? a + 32 : a) != (b >= 'A' && b <= 'Z' ? b + 32 : b))
			return 0;
	}
	return 1;
}
/* the next element of a comma-separated list, RFC 9110 5.6.1, trimmed;
 * *pp advances through [*pp, end); returns 0 after the last element */
int http_list(const char **pp, const char *end, struct span *el);

/* chunk.c: incremental chunked decoder, RFC 9112 7.1 */
struct chunk {
	int st;				/* decoder state */
	uint64_t left;			/* data bytes left in this chunk */
	uint64_t total;			/* data bytes so far */
	size_t linelen;			/* bytes of the current size/trailer line */
	size_t trailer;			/* trailer bytes so far */
	int ndigits;
	int done;			/* the last chunk and trailers are consumed */
	enum status err;		/* S_NONE, else S_BAD_REQUEST */
};
void chunk_init(struct chunk *c);
/* decode buf[0..n) in place: returns the data bytes now at buf[0..ret);
 * *used is the input consumed (all of it unless done or err) */
size_t chunk_decode(struct chunk *c, char *buf, size_t n, size_t *used);

/* path.c: percent-decode the path once and canonicalise it into out
 * (no leading '/', "" for the root, '/' between segments).
 * *dir is 1 when the target ends in '/', 2 when it ends in a dot segment
 * ("/a/.." names the directory "", but a client resolving links against
 * it would not: the answer is a redirect), else 0.
 * Returns S_OK, S_BAD_REQUEST (NUL, encoded '/', backslash, bad escape,
 * invalid UTF-8, '..' above the root) or S_NOT_FOUND (a dot segment other
 * than the leading ".well-known"), or S_URI_TOO_LONG. */
enum status path_clean(const char *p, size_t n, char *out, size_t cap, int *dir);
/* s[0..n) is strict UTF-8 (RFC 3629), as every clean path is */
int path_utf8(const unsigned char *s, size_t n);
/* percent-encode a path for an href or Location: unreserved, '/' kept */
size_t path_encode(const char *p, size_t n, char *out, size_t cap);
/* percent-encode a query for a Location: what RFC 3986 allows in a query
 * (sub-delims, ':', '@', '/', '?', and '%' of escapes) kept; 0 if no room */
size_t query_encode(const char *p, size_t n, char *out, size_t cap);

/* growable byte buffer for generated bodies; on allocation failure
 * it sets oom and ignores further appends */
struct buf {
	char *p;
	size_t n, cap;
	int oom;
};
void buf_add(struct buf *b, const char *s, size_t n);
void buf_str(struct buf *b, const char *s);
void buf_fmt(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_html(struct buf *b, const char *s, size_t n);	/* HTML-escaped */
void buf_json(struct buf *b, const char *s, size_t n);	/* JSON string body, escaped */
void buf_free(struct buf *b);

/* a fixed buffer for header lines and log lines: an append either fits
 * whole with room for a NUL after it (the contents stay a string), or adds
 * nothing and sets full, after which every append is ignored */
struct out {
	char *p;
	size_t n, cap;
	int full;
};
/* inline: the lengths of literals fold to constants and their copies to moves */
static inline void
out_add(struct out *o, const char *s, size_t n)
{
	/* as snprintf would: it fits only with room for the NUL */
	if (o->full || n >= o->cap - o->n) {
		o->full = 1;
		return;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = '\0';
}

static inline void
out_str(struct out *o, const char *s)
{
	out_add(o, s, strlen(s));
}

void out_u64(struct out *o, uint64_t v);	/* decimal */
void out_x64(struct out *o, uint64_t v);	/* lowercase hexadecimal */

/* date.c: IMF-fixdate and the two obsolete formats, RFC 9110 5.6.7 */
#define DATE_LEN 29
/* writes DATE_LEN chars and a NUL; returns 0, or -1 for a year outside 1..9999 */
int date_fmt(int64_t t, char out[DATE_LEN + 1]);
/* parses IMF-fixdate, RFC 850 and asctime; returns 0 and *t, or -1 */
int date_parse(const char *s, size_t n, int64_t *t);
/* Common Log Format time, "10/Oct/2000:13:55:36 +0000" (UTC); returns length */
#define CLF_LEN 26
size_t date_clf(int64_t t, char out[CLF_LEN + 1]);

/* mime.c: Content-Type for a file name, charset=utf-8 on text types */
const char *mime_type(const char *name, size_t n);

/* the filesystem view the decision reads; paths are clean (path_clean) */
enum ftype { FT_NONE, FT_REG, FT_DIR, FT_OTHER };
struct finfo {
	enum ftype type;
	uint64_t size;
	int64_t mtime;			/* seconds */
	long mtime_ns;
	uint64_t ino;
	int exec;			/* executable by the server */
	int handle;			/* the shell's open handle; -1 none */
};
struct dent {
	char *name;
	enum ftype type;
	uint64_t size;
	int64_t mtime;
};
struct fsview {
	void *ctx;
	/* open path beneath the root: S_OK, S_NOT_FOUND or S_FORBIDDEN */
	enum status (*open)(void *ctx, const char *path, struct finfo *fi);
	void (*close)(void *ctx, int handle);
	/* entries of an open directory, dotfiles too, dir its path beneath
	 * the root ("" for the root itself); count, or -1 */
	int (*list)(void *ctx, int handle, const char *dir, struct dent **ents);
	void (*freelist)(void *ctx, struct dent *ents, int n);
	/* open name beneath the CGI directory, as open does */
	enum status (*cgi_open)(void *ctx, const char *name, struct finfo *fi);
};

/* listing.c: a directory listing, directories first then by name;
 * path is the clean directory path ("" for the root) */
void listing_html(struct buf *b, const char *path, struct dent *e, int n);
void listing_json(struct buf *b, const char *path, struct dent *e, int n);

/* range.c: a Range value against a representation of len bytes, RFC 9110 14.2 */
struct range {
	uint64_t off, len;
};
/* returns the number of ranges (1..HTTP_MAX_RANGES), 0 to ignore the field
 * (bad syntax, other unit, too many ranges), -1 when none is satisfiable */
int range_parse(const char *s, size_t n, uint64_t len, struct range *rg);

/* the response description */
enum body {
	B_NONE,		/* no body (HEAD, 304, 1xx) */
	B_BYTES,	/* bytes[0..clen) */
	B_FILE,		/* the file handle, rg[0] */
	B_MULTI,	/* the file handle, rg[0..nrg) as multipart/byteranges */
	B_CGI,		/* run the program path (in the CGI directory or the docroot) */
};

struct resp {
	enum status s;
	int close;			/* close the connection afterwards */
	int head;			/* HEAD: the header only */
	int minor;			/* the request's HTTP minor version */
	enum body b;
	uint64_t clen;			/* Content-Length (the whole body) */
	int noclen;			/* no Content-Length field (304) */
	const char *ctype;		/* Content-Type, or NULL */
	size_t nfields;			/* bytes in fields */
	/* B_BYTES */
	const char *bytes;
	struct buf gen;			/* generated body, freed by resp_free */
	/* B_FILE, B_MULTI */
	int handle;
	uint64_t fsize;
	struct range rg[HTTP_MAX_RANGES];
	int nrg;
	char boundary[40];
	int chunked;			/* Transfer-Encoding: chunked */
	/* B_CGI: path is the program below its root */
	int cgi_docroot;		/* the root is the docroot, not the CGI directory */
	int nph;			/* nph- program: its output is the response */
	char reason[HTTP_REASON];	/* the reason phrase, "" for status_reason()'s */
	/* the large parts last: of path and fields only the first byte is
	 * cleared per request, and their used beginnings lie close together
	 * (few pages touched); script_name and path_info are set for B_CGI */
	char path[HTTP_MAX_PATH];	/* the clean path; for the log and B_CGI */
	char fields[HTTP_RESP_FIELDS];	/* further fields, "Name: value\r\n"... */
	char script_name[HTTP_MAX_PATH + 16];
	char path_info[HTTP_MAX_PATH + 16];
};

/* respond.c: decide the response to a parsed request; now is the time */
void respond(const struct req *r, const struct conf *c, const struct fsview *fs,
    int64_t now, struct resp *rs);
/* an error response for status s (bad request heads, timeouts...); head:
 * the request was HEAD, so the page is not sent (RFC 9110 9.3.2) */
void respond_error(struct resp *rs, enum status s, int minor, int head);
void resp_free(struct resp *rs, const struct fsview *fs);

/* cgienv.c: the environment of a CGI program, RFC 3875 4.1 */
struct cgivars {
	const char *remote_addr, *remote_port;
	const char *server_addr, *server_port;
	const char *docroot;		/* absolute */
	const char *script_filename;	/* absolute */
	int https;
	int proxied;	/* -s: server_port is the proxy's own; Host's port, or 443 */
	int gathered;	/* a chunked body was decoded whole before the start */
	uint64_t body_len;	/* and this is its length */
};
/* "NAME=value" strings, each NUL-terminated, one after another in b;
 * returns how many */
int cgi_env(const struct req *r, const struct resp *rs, const struct cgivars *v,
    struct buf *b);

/* cgihead.c: a CGI program's header block, RFC 3875 6 */
struct cgihead {
	size_t headlen;			/* bytes of the block, blank line included */
	enum status s;			/* from Status, or 302 for Location, or 200 */
	int64_t clen;			/* Content-Length, -1 when absent */
	int ctype;			/* Content-Type given */
	/* RFC 3875 6.3.1: no Content-Type where a body would need one, and
	 * none of the body in buf: the response stands if the program's
	 * output ends here, and is a 502 if a body byte comes */
	int untyped;
	int notype;			/* the 502 is for a body without Content-Type */
	/* RFC 3875 6.3.3: the reason phrase of Status, "" when none or too long */
	char reason[HTTP_REASON];
	char fields[HTTP_RESP_FIELDS];	/* the fields to pass on, CRLF-terminated */
	size_t nfields;
	/* RFC 3875 6.2.2: a local redirect, Location with an absolute path and
	 * no Status: the path and query, in the buffer given; else NULL */
	const char *local;
	size_t nlocal;
};
/* S_NONE: incomplete; S_OK: parsed; S_BAD_GATEWAY: malformed or too large */
enum status cgi_head(const char *buf, size_t n, struct cgihead *h);
/* the status in the response line an nph- program writes, RFC 9112 4:
 * S_NONE while buf holds less of it than it takes to tell, S_BAD_GATEWAY
 * when the output does not begin as a response line */
enum status cgi_nph_status(const char *buf, size_t n);

/* emit.c: the status line and header fields into out; length, or 0 when
 * it does not fit.  now is the time for the Date field. */
size_t emit_head(const struct resp *rs, int64_t now, char *out, size_t cap);
/* the header of part i of a multipart body (and of the closing boundary
 * when i == nrg); returns its length, or 0 when it does not fit */
size_t emit_part(const struct resp *rs, int i, char *out, size_t cap);

#endif
