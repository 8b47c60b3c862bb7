/*
 * thor.c: an HTTP/1.1 client and load generator.  It fetches one http://
 * URL and writes the body, or sends many requests from several processes
 * and connections and reports counts, throughput and latency.  Libc and
 * plain sockets only, so no TLS.  RFC 9112 (framing, chunked coding),
 * RFC 9110 15.4 (redirection), RFC 3986 5.2 (relative references).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define THOR_VERSION	"0.1"
#define MAX_REDIRECTS	10		/* redirects followed before giving up */
#define MAX_HEAD	65536		/* largest response head, and chunk overhead */
#define MAX_FIELDS	64		/* most -H options */
#define MAX_URL		8192		/* longest URL or Location */
#define MAX_PROCS	1024
#define MAX_CONNS	100000
#define MAX_SECS	86400		/* longest -t and -D */
#define RBUF_SIZE	262144		/* the one read buffer of a process */
#define DEF_SECS	10		/* default -t */
#define DEF_REQS	100		/* default -r in hammer mode without -D */

/* latency histogram in microseconds: exact below 2^SUB, then 2^(SUB-1)
 * buckets per power of two (error under 1.6%), clamped at 2^LAT_BITS */
#define SUB		7
#define LAT_BITS	40
#define LAT_MAX		((UINT64_C(1) << LAT_BITS) - 1)
#define NBUCKET		(((LAT_BITS - SUB) << (SUB - 1)) + (1 << SUB))

/* exit statuses */
enum { X_SUCCESS = 0, X_FAIL = 1, X_USAGE = 2, X_NET = 3, X_4XX = 4, X_5XX = 5 };

/* kinds of failed requests */
enum { E_CONNECT, E_READ, E_TIMEOUT, E_4XX, E_5XX, E_BAD, NERR };
static const char *const errname[NERR] = {
	"connect", "read", "timeout", "http-4xx", "http-5xx", "bad-response"
};
static const char *const errkey[NERR] = {
	"connect", "read", "timeout", "http_4xx", "http_5xx", "bad_response"
};

enum { FMT_TEXT, FMT_CSV, FMT_JSON };

/* connection states; a request is in flight in every state but C_FREE */
enum { C_FREE, C_CONNECT, C_SEND, C_HEAD, C_BODY };
/* body framing, RFC 9112 6.3 */
enum { F_NONE, F_LENGTH, F_CHUNKED, F_CLOSE };
/* chunked decoder states, RFC 9112 7.1 */
enum { K_SIZE, K_EXT, K_SIZE_LF, K_DATA, K_DATA_CR, K_DATA_LF, K_TRAILER,
	K_TRAILER_LINE, K_END_LF };

struct url {
	char host[256];		/* without the brackets of an IPv6 literal */
	char port[6];
	char hosthdr[272];	/* the Host field value */
	char *target;		/* origin-form request target */
};

struct addr {
	struct sockaddr_storage sa;
	socklen_t len;
	int family;
	char name[64];		/* numeric, for messages */
};

/* what a process reports to the parent through its pipe */
struct stats {
	uint64_t requests, ok, err[NERR], bytes;
	uint64_t retried;		/* sent again after a kept-alive close */
	uint64_t nlat, sum, min, max;	/* latencies in microseconds */
	uint64_t hist[NBUCKET];
};

struct conn {
	int state, frame, kstate, kdigits;
	int status, keep;
	int reused;		/* requests already answered on this socket */
	int ai, tries;		/* address being tried, addresses tried */
	size_t sent, hlen;
	uint64_t left;		/* body or chunk bytes still expected */
	uint64_t ksize, kbytes;	/* chunk size being read; chunk overhead seen */
	uint64_t t0, deadline, rx;
	char *head;		/* a head split over reads, MAX_HEAD bytes */
};

static struct {
	const char *method, *data, *out, *field[MAX_FIELDS];
	size_t datalen;
	int nfield, hasdata, showhead, verbose, keep, format, fmtset, hammer;
	uint64_t timeout, duration;	/* microseconds */
	long long procs, conns, reqs;
} opt;

/* the request and where it goes: fixed for a run */
static struct addr *addrs;
static int naddr, goodaddr;
static char curport[sizeof(((struct url *)0)->port)];
static char *req;
static size_t reqlen;
static int headreq;
static int resend;	/* the method is idempotent: a request may go again */

/* one process's run */
static struct conn *conns;
static struct pollfd *pfd;
static int nconn, active;
static long long todo;		/* requests not yet started; -1: no limit */
static uint64_t endtime;	/* end of -D, 0 for none */
static uint64_t soonest = UINT64_MAX;	/* no deadline is earlier than this */
static struct stats st;
static char *rbuf;
static const char *why;		/* why a response is malformed */

/* single fetch: the response of the one request */
static struct {
	int on, outfd, follow, status, kind;
	char reason[64];
	char *location;
	char msg[320];
} f = { 0, -1, 0, 0, -1, "", NULL, "" };

static void
usage(FILE *o)
{
	fprintf(o,
	    "usage: thor [-iv] [-o file] [-X method] [-H 'name: value'] [-d data]\n"
	    "            [-t secs] URL\n"
	    "       thor [-kv] [-r n] [-p n] [-c n] [-D secs] [-f text|csv|json]\n"
	    "            [-X method] [-H 'name: value'] [-d data] [-t secs] URL\n"
	    "Fetch an http:// URL, or with -r, -p, -c or -D send many requests\n"
	    "and report requests/s and latency.\n"
	    "  -i          write the response head before the body\n"
	    "  -o file     write to file instead of standard output\n"
	    "  -X method   request method (default GET, or POST with -d)\n"
	    "  -H field    add a header field, repeatable; 'name:' removes a default\n"
	    "  -d data     request body\n"
	    "  -t secs     timeout for connecting and for each read (default %d)\n"
	    "  -v          debug lines on standard error\n"
	    "  -r n        requests per process (default %d unless -D)\n"
	    "  -p n        processes (default 1)\n"
	    "  -c n        concurrent connections per process (default 1)\n"
	    "  -k          keep connections open between requests\n"
	    "  -D secs     run for secs seconds\n"
	    "  -f format   report as text, csv or json (default text)\n"
	    "  -V          print the version (also --version)\n",
	    DEF_SECS, DEF_REQS);
}

static void
die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

static void
die(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("thor: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die(X_FAIL, "out of memory");
	return p;
}

static uint64_t
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void
arm(struct conn *c, uint64_t t)
{
	c->deadline = t;
	if (t < soonest)
		soonest = t;
}

static void
dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* one debug line, written with one write(2) so processes do not interleave */
static void
dbg(const char *fmt, ...)
{
	char line[512];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n, m;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = snprintf(line, sizeof line, "%02d:%02d:%02d.%06ld thor[%ld]: ",
	    tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000, (long)getpid());
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += (size_t)m < sizeof line - n - 1 ? m : (int)(sizeof line - n - 2);
	line[n++] = '\n';
	if (write(2, line, n) < 0)
		return;
}

static int
isdig(int ch)
{
	return ch >= '0' && ch <= '9';
}

static int
istoken(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || isdig(ch) ||
	    (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

static int
hexval(int ch)
{
	if (isdig(ch))
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static long long
count(const char *s, long long lo, long long hi, int o)
{
	long long v;
	char *end;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (!isdig(*s) || *end || errno || v < lo || v > hi)
		die(X_USAGE, "-%c: not a number from %lld to %lld: %s", o, lo, hi, s);
	return v;
}

/* seconds with an optional fraction, as microseconds */
static uint64_t
seconds(const char *s, int o)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	/* decimal only: strtod would also take 0x10, 1e2, inf */
	if (s[strspn(s, "0123456789.")] != '\0' || *end || errno ||
	    v < 0.001 || v > MAX_SECS)
		die(X_USAGE, "-%c: not a number of seconds from 0.001 to %d: %s",
		    o, MAX_SECS, s);
	return (uint64_t)(v * 1e6 + 0.5);
}

/* RFC 3986 5.2.4: remove "." and ".." segments of a path, in place */
static void
dots(char *path)
{
	char *out = path;
	const char *in = path;
	size_t n;

	while (*in == '/') {
		n = strcspn(in + 1, "/");
		if (n == 1 && in[1] == '.') {
			in += 2;
			if (!*in)
				*out++ = '/';
		} else if (n == 2 && in[1] == '.' && in[2] == '.') {
			while (out > path && *--out != '/')
				;
			in += 3;
			if (!*in)
				*out++ = '/';
		} else {
			memmove(out, in, n + 1);
			out += n + 1;
			in += n + 1;
		}
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

/*
 * parse an absolute http:// URL into u; 0 on success, -2 for https, -1
 * with *err set otherwise.  The target keeps its query, loses its fragment,
 * and gets spaces, control bytes and non-ASCII bytes percent-encoded.
 */
static int
url_parse(const char *s, struct url *u, const char **err)
{
	const char *a, *hp, *rest, *path, *q;
	size_t alen, hlen, plen, i, n;
	unsigned long port = 80;
	char *t;
	int v6 = 0;

	*err = "not an http:// URL";
	if (strncasecmp(s, "https://", 8) == 0)
		return -2;
	if (strncasecmp(s, "http://", 7) != 0)
		return -1;
	if (strlen(s) > MAX_URL) {
		*err = "URL too long";
		return -1;
	}
	a = s + 7;
	alen = strcspn(a, "/?#");
	if (memchr(a, '@', alen)) {
		*err = "user names in URLs are not supported";
		return -1;
	}
	*err = "bad host in URL";
	if (*a == '[') {
		hp = a + 1;
		rest = memchr(a, ']', alen);
		if (!rest)
			return -1;
		hlen = rest - hp;
		rest++;
		for (i = 0; i < hlen; i++)
			if (hexval(hp[i]) < 0 && hp[i] != ':' && hp[i] != '.')
				return -1;
		if (hlen < 2)
			return -1;
		v6 = 1;
	} else {
		hp = a;
		rest = memchr(a, ':', alen);
		if (!rest)
			rest = a + alen;
		hlen = rest - hp;
		for (i = 0; i < hlen; i++)
			if (!(istoken(hp[i]) && !strchr("!#$%&'*+^`|", hp[i])))
				return -1;
		if (hlen == 0)
			return -1;
	}
	if (hlen >= sizeof u->host)
		return -1;
	if (rest < a + alen) {
		*err = "bad port in URL";
		if (*rest++ != ':')
			return -1;
		if (rest < a + alen) {
			port = 0;
			for (; rest < a + alen; rest++) {
				if (!isdig(*rest) || port > 65535)
					return -1;
				port = port * 10 + (*rest - '0');
			}
			if (port < 1 || port > 65535)
				return -1;
		}
	}
	memcpy(u->host, hp, hlen);
	u->host[hlen] = '\0';
	snprintf(u->port, sizeof u->port, "%lu", port);
	n = (size_t)snprintf(u->hosthdr, sizeof u->hosthdr, v6 ? "[%s]" : "%s",
	    u->host);
	if (port != 80)
		snprintf(u->hosthdr + n, sizeof u->hosthdr - n, ":%lu", port);

	path = a + alen;
	plen = strcspn(path, "#");
	t = u->target = xmalloc(plen * 3 + 2);
	if (*path != '/')
		*t++ = '/';
	for (i = 0; i < plen; i++) {
		unsigned char ch = path[i];

		if (ch <= ' ' || ch >= 0x7f) {
			t += sprintf(t, "%%%02X", ch);
			continue;
		}
		*t++ = ch;
	}
	*t = '\0';
	/* dot segments go from the path; the query is left alone */
	q = strchr(u->target, '?');
	if (q) {
		char *query = strdup(q);

		if (!query)
			die(X_FAIL, "out of memory");
		u->target[q - u->target] = '\0';
		dots(u->target);
		strcat(u->target, query);
		free(query);
	} else {
		dots(u->target);
	}
	return 0;
}

/* RFC 3986 5.2: resolve a Location field value against base */
static int
relocate(const struct url *base, const char *loc, struct url *u, const char **err)
{
	size_t n = strcspn(loc, "#"), dir, blen, plen;
	const char *s = loc;
	char *abs;
	int rc;

	while (isdig(*s) || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	    *s == '+' || *s == '-' || *s == '.')
		s++;
	blen = strcspn(base->target, "?");
	abs = xmalloc(n + strlen(base->target) + sizeof base->hosthdr + 16);
	if (*s == ':' && s > loc && !isdig(*loc) && *loc != '+' && *loc != '-' &&
	    *loc != '.') {
		memcpy(abs, loc, n);
		abs[n] = '\0';
	} else if (loc[0] == '/' && loc[1] == '/') {
		sprintf(abs, "http:%.*s", (int)n, loc);
	} else {
		plen = (size_t)sprintf(abs, "http://%s", base->hosthdr);
		if (loc[0] == '/')
			sprintf(abs + plen, "%.*s", (int)n, loc);
		else if (loc[0] == '?')
			sprintf(abs + plen, "%.*s%.*s", (int)blen, base->target,
			    (int)n, loc);
		else if (n == 0)
			sprintf(abs + plen, "%s", base->target);
		else {
			for (dir = blen; dir > 0 && base->target[dir - 1] != '/'; dir--)
				;
			sprintf(abs + plen, "%.*s%.*s", (int)dir, base->target,
			    (int)n, loc);
		}
	}
	rc = url_parse(abs, u, err);
	free(abs);
	return rc;
}

static void
resolve(const struct url *u)
{
	struct addrinfo hints, *res, *ai;
	char host[sizeof u->host], c;
	int rc, i;

	/* RFC 3986 3.2.2: a host name is case-insensitive, but musl's look-up
	 * in /etc/hosts is not: the lower case is the normal form (6.2.2.1) */
	for (i = 0; (c = u->host[i]) != '\0'; i++)
		host[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	host[i] = '\0';
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	rc = getaddrinfo(host, u->port, &hints, &res);
	if (rc != 0)
		die(X_NET, "%s: %s", u->host, rc == EAI_SYSTEM ? strerror(errno) :
		    gai_strerror(rc));
	for (naddr = 0, ai = res; ai; ai = ai->ai_next)
		naddr++;
	free(addrs);
	addrs = xmalloc(naddr * sizeof *addrs);
	for (i = 0, ai = res; ai; ai = ai->ai_next, i++) {
		memcpy(&addrs[i].sa, ai->ai_addr, ai->ai_addrlen);
		addrs[i].len = ai->ai_addrlen;
		addrs[i].family = ai->ai_family;
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, addrs[i].name,
		    sizeof addrs[i].name, NULL, 0, NI_NUMERICHOST) != 0)
			strcpy(addrs[i].name, "?");
	}
	freeaddrinfo(res);
	goodaddr = 0;
}

/* the -H field naming name, or NULL */
static const char *
field(const char *name)
{
	size_t n = strlen(name);
	int i;

	for (i = 0; i < opt.nfield; i++)
		if (strncasecmp(opt.field[i], name, n) == 0 && opt.field[i][n] == ':')
			return opt.field[i];
	return NULL;
}

static void
put(size_t *len, const char *s, size_t n)
{
	memcpy(req + *len, s, n);
	*len += n;
}

#define PUTS(s) put(&len, (s), strlen(s))

/* the request bytes, built once and sent as they are for every request */
static void
build(const struct url *u, const char *method, int body, int close)
{
	char num[32];
	size_t cap, len = 0;
	const char *v;
	int i;

	cap = strlen(method) + strlen(u->target) + sizeof u->hosthdr + 256 +
	    (body ? opt.datalen : 0);
	for (i = 0; i < opt.nfield; i++)
		cap += strlen(opt.field[i]) + 2;
	free(req);
	req = xmalloc(cap);
	PUTS(method);
	PUTS(" ");
	PUTS(u->target);
	PUTS(" HTTP/1.1\r\n");
	if (!field("Host")) {
		PUTS("Host: ");
		PUTS(u->hosthdr);
		PUTS("\r\n");
	}
	if (!field("User-Agent"))
		PUTS("User-Agent: thor/" THOR_VERSION "\r\n");
	if (!field("Accept"))
		PUTS("Accept: */*\r\n");
	if (close && !field("Connection"))
		PUTS("Connection: close\r\n");
	if (body) {
		if (!field("Content-Type"))
			PUTS("Content-Type: application/x-www-form-urlencoded\r\n");
		if (!field("Content-Length")) {
			snprintf(num, sizeof num, "%zu", opt.datalen);
			PUTS("Content-Length: ");
			PUTS(num);
			PUTS("\r\n");
		}
	}
	/* a field with an empty value only removes the default */
	for (i = 0; i < opt.nfield; i++) {
		v = strchr(opt.field[i], ':') + 1;
		if (!v[strspn(v, " \t")])
			continue;
		PUTS(opt.field[i]);
		PUTS("\r\n");
	}
	PUTS("\r\n");
	if (body)
		put(&len, opt.data, opt.datalen);
	reqlen = len;
	headreq = strcmp(method, "HEAD") == 0;
	/* RFC 9110 9.2.2; RFC 9112 9.3.1: only these may be sent again */
	resend = headreq || strcmp(method, "GET") == 0 || strcmp(method, "PUT") == 0 ||
	    strcmp(method, "DELETE") == 0 || strcmp(method, "OPTIONS") == 0 ||
	    strcmp(method, "TRACE") == 0;
}

/* the run for one URL: resolve it and build the request */
static void
setup(const struct url *u, const char *method, int body, int close)
{
	if (opt.verbose) {
		dbg("url http://%s%s", u->hosthdr, u->target);
		dbg("host %s", u->host);
		dbg("port %s", u->port);
		dbg("path %s", u->target);
	}
	resolve(u);
	snprintf(curport, sizeof(curport), "%s", u->port);
	if (opt.verbose)
		dbg("resolved %s to %d address%s, first %s", u->host, naddr,
		    naddr == 1 ? "" : "es", addrs[0].name);
	build(u, method, body, close);
}

static void
out_open(void)
{
	if (f.outfd >= 0)
		return;
	if (!opt.out) {
		f.outfd = 1;
		return;
	}
	f.outfd = open(opt.out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (f.outfd < 0)
		die(X_FAIL, "%s: %s", opt.out, strerror(errno));
}

static void
out_write(const char *p, size_t n)
{
	ssize_t w;

	out_open();
	while (n > 0) {
		w = write(f.outfd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			die(X_FAIL, "%s: %s", opt.out ? opt.out : "standard output",
			    strerror(errno));
		p += w;
		n -= w;
	}
}

/* body bytes: written in a single fetch, only counted otherwise */
static void
body(const char *p, size_t n)
{
	if (f.on && !f.follow && n > 0)
		out_write(p, n);
}

static int
bad(const char *reason)
{
	why = reason;
	return -1;
}

/* does the comma-separated list v[0..n) hold token t? */
static int
hastoken(const char *v, size_t n, const char *t)
{
	size_t tl = strlen(t), i, j;

	for (i = 0; i < n; i = j + 1) {
		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		for (j = i; j < n && v[j] != ','; j++)
			;
		if (j - i >= tl && strncasecmp(v + i, t, tl) == 0 &&
		    strspn(v + i + tl, " \t") >= j - i - tl)
			return 1;
	}
	return 0;
}

/*
 * parse a complete response head h[0..len): status, framing and whether
 * the connection may carry another request.  1 for a final response, 0
 * for an interim (1xx) one, -1 when malformed.
 */
static int
head_parse(struct conn *c, const char *h, size_t len)
{
	const char *p, *e = h + len, *eol, *v, *ve;
	uint64_t cl = 0, x;
	int hascl = 0, te = 0, chunked = 0, close = 0, ka = 0, minor;
	size_t nl, name, i;

	/* RFC 9112 4: HTTP-version SP 3DIGIT SP [ reason-phrase ] */
	if (len < 13 || memcmp(h, "HTTP/1.", 7) != 0 || !isdig(h[7]) ||
	    h[8] != ' ' || !isdig(h[9]) || !isdig(h[10]) || !isdig(h[11]) ||
	    (h[12] != ' ' && h[12] != '\r' && h[12] != '\n'))
		return bad("malformed status line");
	minor = h[7] - '0';
	c->status = (h[9] - '0') * 100 + (h[10] - '0') * 10 + (h[11] - '0');
	if (c->status < 100)
		return bad("status code below 100");
	eol = memchr(h, '\n', len);
	if (f.on) {
		for (i = 0, p = h + 13; p < eol && i < sizeof f.reason - 1; p++)
			if (*p >= ' ' && *p < 0x7f)
				f.reason[i++] = *p;
		f.reason[i] = '\0';
	}
	for (p = eol + 1; p < e; p = eol + 1) {
		eol = memchr(p, '\n', e - p);
		nl = eol - p;
		if (nl > 0 && p[nl - 1] == '\r')
			nl--;
		if (nl == 0)
			break;
		/* RFC 9112 5.2: obsolete line folding; the folded text is ignored */
		if (*p == ' ' || *p == '\t')
			continue;
		v = memchr(p, ':', nl);
		if (!v || v == p)
			return bad("malformed header field");
		name = v - p;
		for (i = 0; i < name; i++)
			if (!istoken(p[i]))
				return bad("malformed header field name");
		v++;
		ve = p + nl;
		while (v < ve && (*v == ' ' || *v == '\t'))
			v++;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		if (name == 14 && strncasecmp(p, "content-length", 14) == 0) {
			/* RFC 9112 6.3: differing lengths are an error */
			if (v == ve)
				return bad("empty Content-Length");
			for (x = 0; v < ve; v++) {
				if (!isdig(*v) || x > (UINT64_C(1) << 58))
					return bad("bad Content-Length");
				x = x * 10 + (*v - '0');
			}
			if (hascl && x != cl)
				return bad("conflicting Content-Length fields");
			cl = x;
			hascl = 1;
		} else if (name == 17 && strncasecmp(p, "transfer-encoding", 17) == 0) {
			/* RFC 9112 6.3: chunked must be the final coding */
			const char *last = ve;

			while (last > v && last[-1] != ',')
				last--;
			while (last < ve && (*last == ' ' || *last == '\t'))
				last++;
			te = 1;
			chunked = ve - last == 7 && strncasecmp(last, "chunked", 7) == 0;
		} else if (name == 10 && strncasecmp(p, "connection", 10) == 0) {
			close |= hastoken(v, ve - v, "close");
			ka |= hastoken(v, ve - v, "keep-alive");
		} else if (name == 8 && f.on && strncasecmp(p, "location", 8) == 0) {
			free(f.location);
			f.location = xmalloc(ve - v + 1);
			memcpy(f.location, v, ve - v);
			f.location[ve - v] = '\0';
		}
	}
	if (f.on && opt.showhead)
		out_write(h, len);
	/* RFC 9110 15.2: interim responses come before the final one */
	if (c->status < 200 && c->status != 101)
		return 0;
	c->keep = !close && (minor >= 1 || ka) && c->status != 101;
	if (headreq || c->status < 200 || c->status == 204 || c->status == 304) {
		c->frame = F_NONE;
	} else if (te) {
		/* RFC 9112 6.3: Transfer-Encoding overrides Content-Length;
		 * 6.1: on HTTP/1.0 it is faulty framing, and the connection
		 * closes after the message */
		c->frame = chunked ? F_CHUNKED : F_CLOSE;
		if (hascl || minor == 0)
			c->keep = 0;
	} else if (hascl) {
		c->frame = F_LENGTH;
		c->left = cl;
	} else {
		c->frame = F_CLOSE;
	}
	if (c->frame == F_CLOSE)
		c->keep = 0;
	if (f.on) {
		f.status = c->status;
		f.follow = f.location && (c->status == 301 || c->status == 302 ||
		    c->status == 303 || c->status == 307 || c->status == 308);
		if (!f.follow)
			out_open();
	}
	return 1;
}

/* RFC 9112 7.1: decode chunked data; 1 at the end, 0 for more, -1 bad */
static int
chunk_feed(struct conn *c, const char *p, size_t n)
{
	const char *e = p + n;
	size_t take;
	int d, ch;

	while (p < e) {
		if (c->kstate == K_DATA) {
			take = (size_t)(e - p) < c->left ? (size_t)(e - p) : c->left;
			body(p, take);
			p += take;
			c->left -= take;
			if (c->left == 0)
				c->kstate = K_DATA_CR;
			continue;
		}
		ch = (unsigned char)*p++;
		if (c->kstate != K_SIZE && c->kstate != K_DATA_CR &&
		    c->kstate != K_DATA_LF && ++c->kbytes > MAX_HEAD)
			return bad("chunk extensions or trailers too long");
		switch (c->kstate) {
		case K_SIZE:
			d = hexval(ch);
			if (d >= 0) {
				if (c->ksize >> 56)
					return bad("chunk size too large");
				c->ksize = c->ksize * 16 + d;
				c->kdigits++;
				break;
			}
			if (!c->kdigits)
				return bad("malformed chunk size");
			if (ch == ';' || ch == ' ' || ch == '\t')
				c->kstate = K_EXT;
			else if (ch == '\r')
				c->kstate = K_SIZE_LF;
			else if (ch == '\n')
				goto sized;
			else
				return bad("malformed chunk size");
			break;
		case K_EXT:
			if (ch == '\n')
				goto sized;
			break;
		case K_SIZE_LF:
			if (ch != '\n')
				return bad("malformed chunk size line");
sized:
			c->left = c->ksize;
			/* the limit is on each chunk's line, and on the trailers */
			if (c->ksize)
				c->kbytes = 0;
			c->kstate = c->ksize ? K_DATA : K_TRAILER;
			c->ksize = 0;
			c->kdigits = 0;
			break;
		case K_DATA_CR:
			if (ch == '\r')
				c->kstate = K_DATA_LF;
			else if (ch == '\n')
				c->kstate = K_SIZE;
			else
				return bad("chunk data longer than its size");
			break;
		case K_DATA_LF:
			if (ch != '\n')
				return bad("chunk data longer than its size");
			c->kstate = K_SIZE;
			break;
		case K_TRAILER:
			if (ch == '\r')
				c->kstate = K_END_LF;
			else if (ch == '\n')
				goto end;
			else
				c->kstate = K_TRAILER_LINE;
			break;
		case K_TRAILER_LINE:
			if (ch == '\n')
				c->kstate = K_TRAILER;
			break;
		case K_END_LF:
			if (ch != '\n')
				return bad("malformed end of chunked body");
end:
			if (p < e)
				c->keep = 0;
			return 1;
		}
	}
	return 0;
}

/* the end of a response head in b[from..len), as an offset past it, or 0:
 * a line end (LF or CRLF) straight after another line's LF */
static size_t
head_end(const char *b, size_t len, size_t from)
{
	const char *p = b + from, *e = b + len, *lf;

	while ((lf = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		if (lf + 1 < e && lf[1] == '\n')
			return (size_t)(lf - b) + 2;
		if (lf + 2 < e && lf[1] == '\r' && lf[2] == '\n')
			return (size_t)(lf - b) + 3;
		p = lf + 1;
	}
	return 0;
}

/* whether the first n bytes of a head already differ from "HTTP/1." */
static int
not_http(const char *h, size_t n)
{
	return memcmp(h, "HTTP/1.", n < 7 ? n : 7) != 0;
}

/* response bytes p[0..n) for c; 1 when the response is complete, 0 for
 * more, -1 when malformed */
static int
feed(struct conn *c, const char *p, size_t n)
{
	const char *h;
	size_t end, old, take, hl;
	int s;

	while (c->state == C_HEAD) {
		if (c->hlen == 0) {
			end = head_end(p, n, 0);
			if (end == 0) {
				if (n > MAX_HEAD)
					return bad("response head too large");
				if (!c->head)
					c->head = xmalloc(MAX_HEAD);
				memcpy(c->head, p, n);
				c->hlen = n;
				/* not HTTP: said now, not when the server closes */
				if (not_http(c->head, n))
					return bad("malformed status line");
				return 0;
			}
			if (end > MAX_HEAD)
				return bad("response head too large");
			h = p;
			hl = end;
			p += end;
			n -= end;
		} else {
			old = c->hlen;
			take = n < MAX_HEAD - old ? n : MAX_HEAD - old;
			memcpy(c->head + old, p, take);
			c->hlen += take;
			end = head_end(c->head, c->hlen, old > 3 ? old - 3 : 0);
			if (end == 0) {
				if (c->hlen == MAX_HEAD)
					return bad("response head too large");
				if (not_http(c->head, c->hlen))
					return bad("malformed status line");
				return 0;
			}
			h = c->head;
			hl = end;
			p += end - old;
			n -= end - old;
			c->hlen = 0;
		}
		s = head_parse(c, h, hl);
		if (s < 0)
			return -1;
		if (s == 0)
			continue;
		c->state = C_BODY;
		c->kstate = K_SIZE;
		c->ksize = c->kbytes = 0;
		c->kdigits = 0;
		if (c->frame == F_NONE || (c->frame == F_LENGTH && c->left == 0)) {
			if (n > 0)
				c->keep = 0;
			return 1;
		}
	}
	switch (c->frame) {
	case F_LENGTH:
		take = n < c->left ? n : c->left;
		body(p, take);
		c->left -= take;
		if (c->left > 0)
			return 0;
		if (n > take)
			c->keep = 0;
		return 1;
	case F_CHUNKED:
		return chunk_feed(c, p, n);
	default:
		body(p, n);
		return 0;
	}
}

/* may another request start?  Counts it when it may. */
static int
take(void)
{
	if (todo == 0)
		return 0;
	if (endtime && mono() >= endtime)
		return 0;
	if (todo > 0)
		todo--;
	return 1;
}

static void
drop(int i)
{
	if (pfd[i].fd >= 0)
		close(pfd[i].fd);
	pfd[i].fd = -1;
	conns[i].state = C_FREE;
	active--;
}

static void
fail(int i, int kind, const char *reason)
{
	struct conn *c = &conns[i];

	st.requests++;
	st.err[kind]++;
	st.bytes += c->rx;
	if (f.on) {
		f.kind = kind;
		snprintf(f.msg, sizeof f.msg, "%s%s port %s: %s%s",
		    kind == E_CONNECT ? "connect to " : "", addrs[c->ai].name, curport,
		    kind == E_BAD ? "bad response: " : "", reason);
	}
	if (opt.verbose)
		dbg("error %s: %s", errname[kind], reason);
	drop(i);
}

static void connect_next(int, uint64_t);
static void conn_open(int, uint64_t);

/*
 * RFC 9112 9.3.1: a reused connection closed before any byte of the
 * response may have been closed as idle: an idempotent request goes again
 * on a new connection, counted as retried; 1 then, else 0 (an error)
 */
static int
sent_again(int i, uint64_t now)
{
	if (!conns[i].reused || conns[i].rx != 0 || !resend)
		return 0;
	st.retried++;
	drop(i);
	conn_open(i, now);
	return 1;
}

static void
sendreq(int i, uint64_t now)
{
	struct conn *c = &conns[i];
	ssize_t n;

	while (c->sent < reqlen) {
		n = send(pfd[i].fd, req + c->sent, reqlen - c->sent, MSG_NOSIGNAL);
		if (n >= 0) {
			c->sent += n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if (c->state != C_CONNECT)
				c->state = C_SEND;
			pfd[i].events = POLLOUT;
			arm(c, now + opt.timeout);
			return;
		}
		if (c->state == C_CONNECT) {
			/* the connection failed: try the next address */
			int e = errno;

			close(pfd[i].fd);
			pfd[i].fd = -1;
			if (++c->tries < naddr) {
				if (opt.verbose)
					dbg("connect %s: %s", addrs[c->ai].name, strerror(e));
				c->ai = (c->ai + 1) % naddr;
				connect_next(i, now);
				return;
			}
			fail(i, E_CONNECT, strerror(e));
			return;
		}
		if (!sent_again(i, now))
			fail(i, E_READ, strerror(errno));
		return;
	}
	if (c->state == C_CONNECT)
		goodaddr = c->ai;
	if (opt.verbose)
		dbg("send %zu bytes", reqlen);
	c->state = C_HEAD;
	pfd[i].events = POLLIN;
	arm(c, now + opt.timeout);
}

/* open a connection to addrs[c->ai] and send the request when it is up */
static void
connect_next(int i, uint64_t now)
{
	struct conn *c = &conns[i];
	struct addr *a;
	int fd, e;

	for (;;) {
		a = &addrs[c->ai];
		c->state = C_CONNECT;
		c->sent = c->hlen = 0;
		c->rx = 0;
		c->reused = 0;
		c->t0 = now;
		arm(c, now + opt.timeout);
		/* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage): resolve() filled addrs */
		fd = socket(a->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			e = errno;
			pfd[i].fd = -1;
			fail(i, E_CONNECT, strerror(e));
			return;
		}
		pfd[i].fd = fd;
		pfd[i].events = POLLOUT;
		if (opt.verbose)
			dbg("connect %s port %s", a->name, curport);
		if (connect(fd, (struct sockaddr *)&a->sa, a->len) == 0) {
			sendreq(i, now);
			return;
		}
		if (errno == EINPROGRESS)
			return;
		e = errno;
		if (++c->tries < naddr) {
			if (opt.verbose)
				dbg("connect %s: %s", a->name, strerror(e));
			close(fd);
			c->ai = (c->ai + 1) % naddr;
			continue;
		}
		fail(i, E_CONNECT, strerror(e));
		return;
	}
}

static void
conn_open(int i, uint64_t now)
{
	active++;
	conns[i].tries = 0;
	conns[i].ai = goodaddr;
	connect_next(i, now);
}

static void
record(uint64_t us)
{
	unsigned b;
	int e;

	if (us > LAT_MAX)
		us = LAT_MAX;
	if (us < (1u << SUB)) {
		b = (unsigned)us;
	} else {
		e = 63 - __builtin_clzll(us);
		b = ((unsigned)(e - SUB + 1) << (SUB - 1)) + (unsigned)(us >> (e - SUB + 1));
	}
	st.hist[b]++;
	st.nlat++;
	st.sum += us;
	if (us < st.min)
		st.min = us;
	if (us > st.max)
		st.max = us;
}

/* the response on conns[i] is complete */
static void
done(int i, uint64_t now)
{
	struct conn *c = &conns[i];

	record(now - c->t0);
	st.requests++;
	st.bytes += c->rx;
	if (c->status >= 500)
		st.err[E_5XX]++;
	else if (c->status >= 400)
		st.err[E_4XX]++;
	else
		st.ok++;
	if (opt.verbose)
		dbg("receive %llu bytes, status %d, %llu us", (unsigned long long)c->rx,
		    c->status, (unsigned long long)(now - c->t0));
	if (opt.keep && c->keep && take()) {
		c->reused++;
		c->sent = 0;
		c->rx = 0;
		c->t0 = now;
		c->state = C_SEND;
		sendreq(i, now);
		return;
	}
	drop(i);
}

/* readable (or failed) connection */
static void
readable(int i, uint64_t now)
{
	struct conn *c = &conns[i];
	ssize_t n;
	int s;

	n = recv(pfd[i].fd, rbuf, RBUF_SIZE, 0);
	if (n > 0) {
		c->rx += n;
		arm(c, now + opt.timeout);
		s = feed(c, rbuf, n);
		if (s < 0)
			fail(i, E_BAD, why);
		else if (s > 0)
			done(i, now);
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n == 0 && c->state == C_BODY && c->frame == F_CLOSE) {
		done(i, now);
		return;
	}
	if (!sent_again(i, now))
		fail(i, E_READ, n == 0 ? "connection closed before the end of the response" :
		    strerror(errno));
}

/* fail what is past its deadline; the time to the next deadline, in ms */
static int
expire(uint64_t now)
{
	uint64_t next;
	struct conn *c;
	int i;

	/* deadlines only move later, so nothing expires before soonest */
	if (now < soonest) {
		next = endtime && endtime < soonest ? endtime : soonest;
		if (next == UINT64_MAX)
			return -1;
		return (int)((next - now + 999) / 1000);
	}
	for (i = 0; i < nconn; i++) {
		c = &conns[i];
		if (c->state == C_FREE)
			continue;
		if (c->deadline <= now) {
			if (c->state == C_CONNECT && ++c->tries < naddr) {
				if (opt.verbose)
					dbg("connect %s: timed out", addrs[c->ai].name);
				close(pfd[i].fd);
				c->ai = (c->ai + 1) % naddr;
				connect_next(i, now);
			} else {
				fail(i, E_TIMEOUT, c->state == C_CONNECT ?
				    "timed out connecting" : "timed out waiting for the response");
			}
			continue;
		}
	}
	soonest = UINT64_MAX;
	for (i = 0; i < nconn; i++)
		if (conns[i].state != C_FREE && conns[i].deadline < soonest)
			soonest = conns[i].deadline;
	next = endtime && endtime < soonest ? endtime : soonest;
	if (next == UINT64_MAX)
		return -1;
	return next <= now ? 0 : (int)((next - now + 999) / 1000);
}

/* the event loop of one process: nconn connections until todo and the
 * time run out */
static void
run(void)
{
	uint64_t now = mono();
	int i, n, ms;

	for (i = 0; i < nconn; i++) {
		conns[i].state = C_FREE;
		pfd[i].fd = -1;
	}
	active = 0;
	for (;;) {
		/* start requests on free slots; a failed connect frees its slot */
		if (active < nconn && todo != 0)
			for (i = 0; i < nconn; i++)
				while (conns[i].state == C_FREE && take())
					conn_open(i, now);
		ms = expire(now);
		/* all that were in flight may have just timed out: more to start */
		if (active == 0 && todo != 0 && (!endtime || mono() < endtime))
			continue;
		if (active == 0)
			break;
		n = poll(pfd, nconn, ms);
		if (n < 0 && errno != EINTR)
			die(X_FAIL, "poll: %s", strerror(errno));
		now = mono();
		if (endtime && now >= endtime) {
			/* the duration is over: requests in flight are not counted */
			for (i = 0; i < nconn; i++)
				if (conns[i].state != C_FREE)
					drop(i);
			break;
		}
		for (i = 0; n > 0 && i < nconn; i++) {
			if (!pfd[i].revents)
				continue;
			n--;
			if (conns[i].state == C_CONNECT || conns[i].state == C_SEND)
				sendreq(i, now);
			else
				readable(i, now);
		}
	}
}

/* free what a run holds, so leak checkers see a clean exit */
static void
release(struct url *u)
{
	int i;

	for (i = 0; i < nconn; i++)
		free(conns[i].head);
	free(conns);
	free(pfd);
	free(rbuf);
	free(addrs);
	free(req);
	free(f.location);
	free(u->target);
	conns = NULL;
	pfd = NULL;
	rbuf = NULL;
	addrs = NULL;
	req = NULL;
	f.location = NULL;
	u->target = NULL;
	nconn = 0;
}

/* allocate one process's connections and counters */
static void
prepare(long long n)
{
	nconn = (int)n;
	conns = calloc(nconn, sizeof *conns);
	pfd = calloc(nconn, sizeof *pfd);
	rbuf = malloc(RBUF_SIZE);
	if (!conns || !pfd || !rbuf)
		die(X_FAIL, "out of memory");
	memset(&st, 0, sizeof st);
	st.min = UINT64_MAX;
}

static int
fetch(const char *arg)
{
	struct url u, next;
	const char *method, *err;
	uint64_t t0;
	int hops, body, rc;

	method = opt.method ? opt.method : opt.hasdata ? "POST" : "GET";
	body = opt.hasdata;
	rc = url_parse(arg, &u, &err);
	if (rc == -2)
		die(X_USAGE, "https is not supported; use a TLS proxy");
	if (rc < 0)
		die(X_USAGE, "%s: %s", err, arg);
	f.on = 1;
	prepare(1);
	t0 = mono();
	for (hops = 0;; hops++) {
		setup(&u, method, body, 1);
		f.follow = 0;
		f.status = 0;
		f.kind = -1;
		free(f.location);
		f.location = NULL;
		todo = 1;
		run();
		if (f.kind >= 0)
			die(X_NET, "%s", f.msg);
		if (!f.follow)
			break;
		if (hops == MAX_REDIRECTS)
			die(X_NET, "too many redirects (more than %d)", MAX_REDIRECTS);
		rc = relocate(&u, f.location, &next, &err);
		if (rc == -2)
			die(X_NET, "redirect to https: https is not supported; use a TLS proxy");
		if (rc < 0)
			die(X_NET, "redirect: %s: %s", err, f.location);
		if (opt.verbose)
			dbg("redirect %d to %s", f.status, f.location);
		/* RFC 9110 15.4.4: 303 becomes GET; 15.4.2-3: so may POST on 301, 302 */
		if ((f.status == 303 && strcmp(method, "HEAD") != 0) ||
		    ((f.status == 301 || f.status == 302) && strcmp(method, "POST") == 0)) {
			method = "GET";
			body = 0;
		}
		free(u.target);
		u = next;
	}
	if (opt.verbose)
		dbg("process elapsed %.6f s, %d request%s, %.6f s per request",
		    (mono() - t0) / 1e6, hops + 1, hops ? "s" : "",
		    (mono() - t0) / 1e6 / (hops + 1));
	if (f.outfd > 1 && close(f.outfd) < 0)
		die(X_FAIL, "%s: %s", opt.out, strerror(errno));
	rc = X_SUCCESS;
	if (f.status >= 400) {
		fprintf(stderr, "thor: http://%s%s: %d%s%s\n", u.hosthdr, u.target,
		    f.status, *f.reason ? " " : "", f.reason);
		rc = f.status >= 500 ? X_5XX : X_4XX;
	}
	release(&u);
	return rc;
}

static uint64_t
percentile(const struct stats *s, unsigned permille)
{
	uint64_t want, seen = 0, lo, width, v;
	unsigned b, shift;

	if (s->nlat == 0)
		return 0;
	want = (s->nlat * permille + 999) / 1000;
	if (want == 0)
		want = 1;
	for (b = 0; b < NBUCKET; b++) {
		seen += s->hist[b];
		if (seen >= want)
			break;
	}
	if (b < (1u << SUB)) {
		v = b;
	} else {
		shift = (b >> (SUB - 1)) - 1;
		lo = (uint64_t)(b - (shift << (SUB - 1))) << shift;
		width = UINT64_C(1) << shift;
		v = lo + (width - 1) / 2;
	}
	return v < s->min ? s->min : v > s->max ? s->max : v;
}

static void
merge(struct stats *to, const struct stats *s)
{
	int k;

	to->requests += s->requests;
	to->ok += s->ok;
	for (k = 0; k < NERR; k++)
		to->err[k] += s->err[k];
	to->bytes += s->bytes;
	to->retried += s->retried;
	to->nlat += s->nlat;
	to->sum += s->sum;
	if (s->min < to->min)
		to->min = s->min;
	if (s->max > to->max)
		to->max = s->max;
	for (k = 0; k < NBUCKET; k++)
		to->hist[k] += s->hist[k];
}

static void
report(const struct stats *s, double secs)
{
	uint64_t errors = 0, lat[6];
	double rps = secs > 0 ? s->requests / secs : 0;
	double mbs = secs > 0 ? s->bytes / secs / 1e6 : 0;
	static const char *const latname[6] = { "min", "mean", "p50", "p90", "p99", "max" };
	int k;

	for (k = 0; k < NERR; k++)
		errors += s->err[k];
	lat[0] = s->nlat ? s->min : 0;
	lat[1] = s->nlat ? (s->sum + s->nlat / 2) / s->nlat : 0;
	lat[2] = percentile(s, 500);
	lat[3] = percentile(s, 900);
	lat[4] = percentile(s, 990);
	lat[5] = s->max;
	switch (opt.format) {
	case FMT_CSV:
		printf("processes,connections,keepalive,requests,ok,errors");
		for (k = 0; k < NERR; k++)
			printf(",%s", errkey[k]);
		printf(",elapsed_s,requests_per_s,mb_per_s,bytes");
		for (k = 0; k < 6; k++)
			printf(",latency_%s_us", latname[k]);
		printf(",retried");
		printf("\n%lld,%lld,%d,%llu,%llu,%llu", opt.procs, opt.conns, opt.keep,
		    (unsigned long long)s->requests, (unsigned long long)s->ok,
		    (unsigned long long)errors);
		for (k = 0; k < NERR; k++)
			printf(",%llu", (unsigned long long)s->err[k]);
		printf(",%.6f,%.2f,%.3f,%llu", secs, rps, mbs, (unsigned long long)s->bytes);
		/* no complete response, no latency: empty fields */
		for (k = 0; k < 6; k++)
			if (s->nlat)
				printf(",%llu", (unsigned long long)lat[k]);
			else
				printf(",");
		printf(",%llu\n", (unsigned long long)s->retried);
		break;
	case FMT_JSON:
		printf("{\"processes\": %lld, \"connections\": %lld, \"keepalive\": %s, "
		    "\"requests\": %llu, \"ok\": %llu, \"errors\": %llu", opt.procs,
		    opt.conns, opt.keep ? "true" : "false",
		    (unsigned long long)s->requests, (unsigned long long)s->ok,
		    (unsigned long long)errors);
		for (k = 0; k < NERR; k++)
			printf(", \"%s\": %llu", errkey[k], (unsigned long long)s->err[k]);
		printf(", \"elapsed_s\": %.6f, \"requests_per_s\": %.2f, \"mb_per_s\": %.3f, "
		    "\"bytes\": %llu", secs, rps, mbs, (unsigned long long)s->bytes);
		for (k = 0; k < 6; k++)
			if (s->nlat)
				printf(", \"latency_%s_us\": %llu", latname[k],
				    (unsigned long long)lat[k]);
			else
				printf(", \"latency_%s_us\": null", latname[k]);
		printf(", \"retried\": %llu}\n", (unsigned long long)s->retried);
		break;
	default:
		printf("run: %lld process%s, %lld connection%s each, keep-alive %s\n",
		    opt.procs, opt.procs == 1 ? "" : "es", opt.conns,
		    opt.conns == 1 ? "" : "s", opt.keep ? "on" : "off");
		printf("requests: %llu\nok: %llu\nerrors: %llu (",
		    (unsigned long long)s->requests, (unsigned long long)s->ok,
		    (unsigned long long)errors);
		for (k = 0; k < NERR; k++)
			printf("%s%s %llu", k ? ", " : "", errname[k],
			    (unsigned long long)s->err[k]);
		printf(")\nelapsed: %.3f s\nrequests/s: %.1f\nMB/s: %.3f\nlatency:", secs,
		    rps, mbs);
		for (k = 0; k < 6 && s->nlat; k++)
			printf("%s %s %.3f ms", k ? "," : "", latname[k], lat[k] / 1e3);
		printf("%s\n", s->nlat ? "" : " none: no complete response");
		if (s->retried)
			printf("retried: %llu (sent again after the server closed a kept-alive "
			    "connection)\n", (unsigned long long)s->retried);
	}
}

static int
hammer(const char *arg)
{
	struct stats all, one;
	struct url u;
	struct rlimit rl;
	const char *method, *err;
	uint64_t t0, t;
	pid_t *pid;
	int *fd, p[2], rc, status, lost = 0;
	long long i, j, per, most;
	size_t got;
	ssize_t n;

	method = opt.method ? opt.method : opt.hasdata ? "POST" : "GET";
	rc = url_parse(arg, &u, &err);
	if (rc == -2)
		die(X_USAGE, "https is not supported; use a TLS proxy");
	if (rc < 0)
		die(X_USAGE, "%s: %s", err, arg);
	if (opt.reqs == 0 && opt.duration == 0)
		opt.reqs = DEF_REQS;
	per = opt.reqs && opt.reqs < opt.conns ? opt.reqs : opt.conns;
	/* every connection needs a descriptor, and so, in this process,
	 * does the report pipe of every process */
	most = per > opt.procs ? per : opt.procs;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)most + 16) {
		rl.rlim_cur = rl.rlim_max < (rlim_t)most + 16 ? rl.rlim_max : (rlim_t)most + 16;
		setrlimit(RLIMIT_NOFILE, &rl);
		if (rl.rlim_cur < (rlim_t)most + 16)
			die(X_USAGE, "-%c %lld: more than the open file limit allows",
			    most == per ? 'c' : 'p', most);
	}
	setup(&u, method, opt.hasdata, !opt.keep);
	pid = xmalloc(opt.procs * sizeof *pid);
	fd = xmalloc(opt.procs * sizeof *fd);
	fflush(stdout);
	t0 = mono();
	for (i = 0; i < opt.procs; i++) {
		if (pipe2(p, O_CLOEXEC) < 0)
			die(X_FAIL, "pipe: %s", strerror(errno));
		pid[i] = fork();
		if (pid[i] < 0)
			die(X_FAIL, "fork: %s", strerror(errno));
		if (pid[i] == 0) {
			/* the read ends of the processes before this one are not
			 * its own: they would take from its open-file limit */
			for (j = 0; j < i; j++)
				close(fd[j]);
			close(p[0]);
			prepare(per);
			todo = opt.reqs ? opt.reqs : -1;
			t = mono();
			endtime = opt.duration ? t + opt.duration : 0;
			run();
			t = mono() - t;
			if (opt.verbose)
				dbg("process elapsed %.6f s, %llu requests, %.1f us per request",
				    t / 1e6, (unsigned long long)st.requests,
				    st.requests ? (double)t / st.requests : 0.0);
			for (got = 0; got < sizeof st; got += n) {
				n = write(p[1], (char *)&st + got, sizeof st - got);
				if (n < 0 && errno == EINTR)
					n = 0;
				else if (n <= 0)
					_exit(X_FAIL);
			}
			_exit(X_SUCCESS);
		}
		close(p[1]);
		fd[i] = p[0];
	}
	memset(&all, 0, sizeof all);
	all.min = UINT64_MAX;
	for (i = 0; i < opt.procs; i++) {
		for (got = 0; got < sizeof one; got += n) {
			n = read(fd[i], (char *)&one + got, sizeof one - got);
			if (n < 0 && errno == EINTR)
				n = 0;
			else if (n <= 0)
				break;
		}
		close(fd[i]);
		waitpid(pid[i], &status, 0);
		if (got < sizeof one) {
			fprintf(stderr, "thor: process %ld died without a report\n", (long)pid[i]);
			lost = 1;
			continue;
		}
		merge(&all, &one);
	}
	t = mono() - t0;
	report(&all, t / 1e6);
	release(&u);
	free(pid);
	free(fd);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "thor: standard output: %s\n", strerror(errno));
		return X_FAIL;
	}
	if (lost)
		return X_FAIL;
	/* -D ran out with every request still in flight: nothing measured */
	if (all.requests == 0) {
		fprintf(stderr, "thor: no request ended\n");
		return X_FAIL;
	}
	if (all.ok != all.requests) {
		fprintf(stderr, "thor: %llu of %llu requests failed\n",
		    (unsigned long long)(all.requests - all.ok),
		    (unsigned long long)all.requests);
		return X_FAIL;
	}
	return X_SUCCESS;
}

/*
 * descriptors 0 to 2 that are closed are opened on /dev/null, so that no
 * socket becomes one of them: standard output read-only, so that writing
 * the body fails (exit 1) rather than going to the server
 */
static void
std_fds(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", fd == 2 ? O_WRONLY : O_RDONLY) != fd)
			_exit(X_FAIL);
}

int
main(int argc, char **argv)
{
	const char *v;
	int ch;

	std_fds();
	opt.timeout = (uint64_t)DEF_SECS * 1000000;
	opt.procs = opt.conns = 1;
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return X_SUCCESS;
	}
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("thor " THOR_VERSION "\n");
		return X_SUCCESS;
	}
	/* the bad option is named in this program's words, not getopt's */
	opterr = 0;
	while ((ch = getopt(argc, argv, ":hVikvo:X:H:d:t:r:p:c:D:f:")) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return X_SUCCESS;
		case 'V':
			printf("thor " THOR_VERSION "\n");
			return X_SUCCESS;
		case 'i':
			opt.showhead = 1;
			break;
		case 'k':
			opt.keep = 1;
			break;
		case 'v':
			opt.verbose = 1;
			break;
		case 'o':
			opt.out = optarg;
			break;
		case 'X':
			for (v = optarg; istoken(*v); v++)
				;
			if (!*optarg || *v)
				die(X_USAGE, "-X: not a method name: %s", optarg);
			opt.method = optarg;
			break;
		case 'H':
			if (opt.nfield == MAX_FIELDS)
				die(X_USAGE, "-H: at most %d fields", MAX_FIELDS);
			for (v = optarg; istoken(*v); v++)
				;
			if (v == optarg || *v != ':' || strpbrk(v, "\r\n"))
				die(X_USAGE, "-H: not a 'name: value' field: %s", optarg);
			opt.field[opt.nfield++] = optarg;
			break;
		case 'd':
			opt.data = optarg;
			opt.datalen = strlen(optarg);
			opt.hasdata = 1;
			break;
		case 't':
			opt.timeout = seconds(optarg, ch);
			break;
		case 'r':
			opt.reqs = count(optarg, 1, INT64_C(1000000000000), ch);
			opt.hammer = 1;
			break;
		case 'p':
			opt.procs = count(optarg, 1, MAX_PROCS, ch);
			opt.hammer = 1;
			break;
		case 'c':
			opt.conns = count(optarg, 1, MAX_CONNS, ch);
			opt.hammer = 1;
			break;
		case 'D':
			opt.duration = seconds(optarg, ch);
			opt.hammer = 1;
			break;
		case 'f':
			opt.fmtset = 1;
			if (strcmp(optarg, "text") == 0)
				opt.format = FMT_TEXT;
			else if (strcmp(optarg, "csv") == 0)
				opt.format = FMT_CSV;
			else if (strcmp(optarg, "json") == 0)
				opt.format = FMT_JSON;
			else
				die(X_USAGE, "-f: not text, csv or json: %s", optarg);
			break;
		case ':':
			fprintf(stderr, "thor: -%c: wants a value\n", optopt);
			usage(stderr);
			return X_USAGE;
		default:
			/* "--name": getopt stops at its second '-', still in it */
			if (optopt == '-' && optind < argc)
				fprintf(stderr, "thor: %.100s: unknown option\n", argv[optind]);
			else
				fprintf(stderr, "thor: -%c: unknown option\n", optopt);
			usage(stderr);
			return X_USAGE;
		}
	}
	if (argc - optind != 1) {
		if (argc == optind)
			fprintf(stderr, "thor: a URL is wanted\n");
		else
			fprintf(stderr, "thor: %s: an argument too many\n", argv[optind + 1]);
		usage(stderr);
		return X_USAGE;
	}
	if (opt.hammer && (opt.showhead || opt.out))
		die(X_USAGE, "-i and -o apply to a single fetch, not with -r, -p, -c or -D");
	if (!opt.hammer && (opt.keep || opt.fmtset))
		die(X_USAGE, "-k and -f apply only with -r, -p, -c or -D");
	return opt.hammer ? hammer(argv[optind]) : fetch(argv[optind]);
}
