/*
 * main.c: the connection loop.  One connection is stdin and stdout, as
 * inetd, tcpserver and systemd's Accept=yes give it: read a request head
 * within its deadline, let respond() decide, discard any body, send the
 * response, log it, and go on while the connection persists.
 */
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>

#include <grp.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "shell.h"

#define IN_MIN 65536

static struct conf conf;
int64_t shell_now;
static struct fs fs;
char *in;			/* request bytes not yet consumed */
size_t inlen, incap;		/* bytes at in, and room from in to the end */
int in_eof;
static char *inbuf;		/* where in lies */
static size_t inbufcap;
static char instatic[IN_MIN] LARGE;	/* inbuf, unless -H asks for more */
static int in_sock;		/* fd 0 a socket: 1 yes, -1 no, 0 not known yet */
static int rcvtimeo;		/* seconds of SO_RCVTIMEO on fd 0, 0 none */

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: httpd1 [-LVst] [-d dir] [-c dir] [-x suffix] [-i secs] [-w secs]\n"
	    "              [-R limits] [-u user] [-l dest] [-T secs] [-K secs] [-B bytes]\n"
	    "              [-H bytes] [-U bytes] [-F count]\n"
	    "Serve one HTTP/1.1 connection on standard input and output.\n"
	    "  -d dir    document root (default www)\n"
	    "  -c dir    CGI directory, served under /cgi-bin/ (default cgi-bin)\n"
	    "  -x suffix executables so named in the document root run as CGI,\n"
	    "            with or without the suffix in the URL (default .cgi; \"\" none)\n"
	    "  -i secs   kill a CGI program silent this long (default %d)\n"
	    "  -w secs   kill a CGI program running this long (default %d)\n"
	    "  -R limits rlimits of CGI programs: cpu=SECS,nofile=N,as=MIB\n"
	    "            (default cpu=the -w time, nofile=%d, as unlimited)\n"
	    "  -u user   run as user (name or uid:gid) after opening the roots\n"
	    "  -t        chroot to the document root after opening the roots\n"
	    "  -s        the connection is TLS (behind a TLS proxy): CGI gets HTTPS=on,\n"
	    "            the client is the proxy's REMOTE_HOST and REMOTE_PORT\n"
	    "  -L        no directory listings\n"
	    "  -l dest   log to a file, \"-\" for stderr, \"syslog\", or \"none\"\n"
	    "            (default: stderr, syslog when fd 2 is a socket or closed)\n"
	    "  -T secs   deadline for a request head (default %d)\n"
	    "  -K secs   keep-alive idle timeout (default %d)\n"
	    "  -B bytes  largest request body (default %llu)\n"
	    "  -H bytes  largest request head (default %d)\n"
	    "  -U bytes  longest request line (default %d)\n"
	    "  -F count  most header fields (default %d, at most %d)\n"
	    "  -V        print the version\n"
	    "  -h        this text (also --help)\n",
	    HTTP_CGI_IDLE, HTTP_CGI_SECS, HTTP_CGI_NOFILE,
	    HTTP_HEAD_SECS, HTTP_IDLE_SECS, (unsigned long long)HTTP_MAX_BODY,
	    HTTP_MAX_HEAD, HTTP_MAX_LINE, HTTP_MAX_FIELDS, HTTP_FIELDS_CAP);
}

/* after log_err has named the problem: the usage too, unless fd 2 is the
 * client's socket or closed */
static void
bad_usage(void)
{
	if (log_fd2())
		usage(stderr);
}

/* s as a number from lo to hi, else a line naming what and exit 2 */
static unsigned long long
number(const char *s, unsigned long long lo, unsigned long long hi, const char *what)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v < lo || v > hi) {
		log_err("%s: not a number from %llu to %llu: %s", what, lo, hi, s);
		exit(2);
	}
	return v;
}

/* the value of option -opt */
static unsigned long long
optnum(const char *s, unsigned long long lo, unsigned long long hi, int opt)
{
	char what[3] = { '-', (char)opt, '\0' };

	return number(s, lo, hi, what);
}

static char *roots[2];

/* absolute paths, found once: before a chroot, or when a CGI first needs them */
const char *
root_path(int cgi)
{
	const char *dir = cgi ? conf.cgidir : conf.docroot;

	if (roots[cgi] == NULL && dir && (roots[cgi] = realpath(dir, NULL)) == NULL)
		return dir;
	return roots[cgi] ? roots[cgi] : "";
}

/* -R cpu=SECS,nofile=N,as=MIB: the rlimits of CGI programs */
static void
rlimits(char *spec)
{
	char *item, *eq;

	while ((item = strsep(&spec, ",")) != NULL) {
		if ((eq = strchr(item, '=')) == NULL)
			goto bad;
		*eq++ = '\0';
		if (strcmp(item, "cpu") == 0)
			conf.cgi_cpu = number(eq, 1, 86400, "-R cpu");
		else if (strcmp(item, "nofile") == 0)
			conf.cgi_nofile = number(eq, 3, 1 << 20, "-R nofile");
		else if (strcmp(item, "as") == 0)
			conf.cgi_as_mb = number(eq, 0, 1 << 24, "-R as");
		else
			goto bad;
	}
	return;
bad:
	log_err("-R: expected cpu=SECS,nofile=N,as=MIB");
	exit(2);
}

/* a decimal number ending at s's end or at c: the character after it, else NULL */
static const char *
num(const char *s, int c, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return NULL;
	errno = 0;
	*v = strtoul(s, &end, 10);
	/* an id is 32 bits, and all ones is no id (setuid's "unchanged") */
	if (errno != 0 || *v >= (unsigned long)UINT_MAX)
		return NULL;
	return *end == c ? end + (c != '\0') : NULL;
}

/* "N:M" as two numbers, else 0 */
static int
uidgid(const char *s, unsigned long *uid, unsigned long *gid)
{
	return (s = num(s, ':', uid)) != NULL && num(s, '\0', gid) != NULL;
}

/* the uid and gid of a name in /etc/passwd: "name:pw:uid:gid:..." lines,
 * read in blocks with no stdio (this runs once per connection) */
static int
passwd(const char *user, unsigned long *uid, unsigned long *gid)
{
	char buf[8192], *line, *nl, *f[4], *p;
	size_t have = 0, ulen = strlen(user);
	ssize_t k;
	int fd, i, found = 0, skip = 0, eof = 0;

	if ((fd = openat(AT_FDCWD, "/etc/passwd", O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	while (!found && !eof) {
		if ((k = read(fd, buf + have, sizeof(buf) - 1 - have)) < 0)
			break;
		if (k == 0) {
			/* a last line without its newline */
			if (have == 0 || skip)
				break;
			buf[have++] = '\n';
			eof = 1;
		}
		have += (size_t)k;
		buf[have] = '\0';
		for (line = buf; !found &&
		    (nl = memchr(line, '\n', have - (size_t)(line - buf))) != NULL;
		    line = nl + 1) {
			*nl = '\0';
			if (skip) {	/* the rest of a line too long to hold */
				skip = 0;
				continue;
			}
			if (strncmp(line, user, ulen) != 0 || line[ulen] != ':')
				continue;
			for (i = 0, p = line; i < 4 && p; i++)
				f[i] = strsep(&p, ":");
			found = i == 4 && p != NULL && num(f[2], '\0', uid) != NULL &&
			    num(f[3], '\0', gid) != NULL;
		}
		/* keep the unfinished line; one that fills the buffer is skipped */
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
		if (have == sizeof(buf) - 1) {
			have = 0;
			skip = 1;
		}
	}
	close(fd);
	return found;
}

/* USER: a name in /etc/passwd, or UID:GID */
static int
lookup(const char *user, unsigned long *uidp, unsigned long *gidp)
{
	if (uidgid(user, uidp, gidp) || passwd(user, uidp, gidp))
		return 0;
	log_err("-u %s: no such user", user);
	return -1;
}

/*
 * become uid:gid for good.  The process has one thread, so the system calls
 * themselves suffice: a C library's wrappers would also stop every other
 * thread (musl blocks all signals around each, three calls more apiece).
 */
static int
drop(const char *user, unsigned long uid, unsigned long gid)
{
	gid_t g = (gid_t)gid;

	/* already that user: nothing to drop */
	if (getuid() == uid && geteuid() == uid && getgid() == gid && getegid() == gid)
		return 0;
	if (syscall(SYS_setgroups, 1, &g) < 0 || syscall(SYS_setgid, g) < 0 ||
	    syscall(SYS_setuid, (uid_t)uid) < 0 ||
	    (uid != 0 && syscall(SYS_setuid, 0) == 0)) {
		log_err("-u %s: cannot drop privileges: %s", user, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * the time of day: the first reading by system call, later ones through the
 * vDSO, whose first use costs a symbol lookup and two page faults that a
 * process answering a single request would pay for that one reading
 */
static time_t
wall(void)
{
	static int warm;
	struct timespec ts;

	if (warm++ == 0 && syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts) == 0)
		return ts.tv_sec;
	return time(NULL);
}

int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* read what is there, waiting until the deadline: >0 bytes, 0 EOF, -1 timeout */
ssize_t
in_fill(int64_t deadline)
{
	struct pollfd p = { 0, POLLIN, 0 };
	int64_t left;
	ssize_t k;

	for (;;) {
		left = deadline - mono_ms();
		if (left <= 0)
			return -1;
		if (poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left) == 0)
			return -1;
		k = read(0, in + inlen, incap - inlen);
		if (k >= 0) {
			inlen += (size_t)k;
			in_eof = k == 0;
			return k;
		}
		if (errno != EINTR && errno != EAGAIN)
			return 0;
	}
}

/* the first bytes of a connection have mostly come with it: no poll first */
static ssize_t
in_first(int64_t *deadline, int secs)
{
	ssize_t k;

	k = recv(0, in + inlen, incap - inlen, MSG_DONTWAIT);
	if (k >= 0) {
		in_sock = 1;
		inlen += (size_t)k;
		in_eof = k == 0;
		return k;
	}
	if (errno == ENOTSOCK)
		in_sock = -1;
	*deadline = mono_ms() + (int64_t)secs * 1000;
	return in_fill(*deadline);
}

/*
 * between requests: one blocking recv(2) that the socket's receive timeout
 * ends, rather than a poll(2) and a read(2) for each request
 */
static ssize_t
in_idle(int secs)
{
	struct timeval tv = { secs, 0 };
	ssize_t k;

	if (in_sock >= 0 && secs > 0 && rcvtimeo != secs) {
		if (setsockopt(0, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0)
			rcvtimeo = secs;
		else
			in_sock = -1;
	}
	if (in_sock >= 0 && secs > 0) {
		k = recv(0, in + inlen, incap - inlen, 0);
		if (k >= 0) {
			inlen += (size_t)k;
			in_eof = k == 0;
			return k;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return -1;
		if (errno != EINTR)
			return 0;
	}
	/* a pipe, no idle time, or a signal: poll and read */
	return in_fill(mono_ms() + (int64_t)secs * 1000);
}

/* drop n bytes at off; the request head before off stays in place */
void
in_consume(size_t off, size_t n)
{
	/* a finished request: step over it rather than move what follows */
	if (off == 0) {
		in += n;
		inlen -= n;
		incap -= n;
		if (inlen == 0) {
			in = inbuf;
			incap = inbufcap;
		}
		return;
	}
	memmove(in + off, in + off + n, inlen - off - n);
	inlen -= n;
}

/* what the buffer holds to its front when less than half its room is
 * left; returns whether it moved (any span into it is then stale) */
static int
in_front(void)
{
	if (in == inbuf || incap - inlen >= inbufcap / 2)
		return 0;
	memmove(inbuf, in, inlen);
	in = inbuf;
	incap = inbufcap;
	return 1;
}

/* only line ends from off on: nothing of a request has come, for empty
 * lines before a request line are ignored (RFC 9112 2.2) */
int
in_blank_from(size_t off)
{
	size_t i;

	for (i = off; i < inlen; i++)
		if (in[i] != '\r' && in[i] != '\n')
			return 0;
	return 1;
}

static int
blank(void)
{
	return in_blank_from(0);
}

/* the first line of what came, for the log */
static size_t
first_line(const char **p)
{
	const char *s = in, *e;

	while (s < in + inlen && (*s == '\r' || *s == '\n'))
		s++;
	e = s;
	while (e < in + inlen && *e != '\r' && *e != '\n')
		e++;
	*p = s;
	return (size_t)(e - s);
}

/* the request being answered, for its log line: written once the
 * response has gone, or by conn_gone() when the client goes first */
static struct {
	const char *line;
	size_t n;
	const enum status *s;	/* read when the line is written (CGI sets it late) */
	const struct span *referer, *agent;
	int64_t now;
} cur;

static void
answering(const char *line, size_t n, const enum status *s,
    const struct span *referer, const struct span *agent, int64_t now)
{
	cur.line = line;
	cur.n = n;
	cur.s = s;
	cur.referer = referer;
	cur.agent = agent;
	cur.now = now;
}

static void
answered(uint64_t bytes)
{
	if (cur.s != NULL)
		log_request(cur.line, cur.n, *cur.s, bytes, cur.referer, cur.agent, cur.now);
	cur.s = NULL;
}

void
conn_gone(uint64_t bytes)
{
	answered(bytes);
}

void
body_gone(int began, uint64_t bytes)
{
	static const enum status incomplete = S_BAD_REQUEST;

	if (!began && cur.s != NULL)
		cur.s = &incomplete;
	answered(bytes);
	send_close();
}

/* an error response, then close; head: the request was HEAD, so no body */
static void
fail(enum status s, int minor, int head, int64_t now)
{
	struct resp rs;
	char out[1024];
	const char *line;
	size_t n, len;

	respond_error(&rs, s, minor, head);
	len = first_line(&line);
	answering(line, len, &s, NULL, NULL, now);
	n = emit_head(&rs, now, out, sizeof(out));
	send_bytes(out, n);
	send_total = 0;
	if (!rs.head)
		send_bytes(rs.bytes, rs.clen);
	answered(send_total);
	resp_free(&rs, &fs.view);
	send_close();
}

enum status
in_chunked(size_t off, struct chunk *c, int fd, int64_t deadline)
{
	size_t used, d, k;
	ssize_t w;
	int64_t t;

	for (;;) {
		d = chunk_decode(c, in + off, inlen - off, &used);
		if (c->err != S_NONE)
			return c->err;
		if (c->total > conf.max_body)
			return S_CONTENT_TOO_LARGE;
		for (k = 0; fd >= 0 && k < d; k += (size_t)w)
			if ((w = write(fd, in + off + k, d - k)) <= 0)
				return S_INTERNAL;
		in_consume(off, used);
		if (c->done)
			return S_OK;
		/* RFC 9112 9.5: a body that stops arriving times out */
		t = mono_ms() + (int64_t)conf.head_secs * 1000;
		switch (in_fill(deadline > 0 && deadline < t ? deadline : t)) {
		case -1:
			return S_REQUEST_TIMEOUT;
		case 0:
			return S_NONE;
		}
	}
}

/* read and drop a request body, so that the next request starts in sync */
static enum status
discard(const struct req *r)
{
	struct chunk c;
	uint64_t left = r->clen > 0 ? (uint64_t)r->clen : 0;
	size_t off = r->headlen, k;
	enum status s;

	if (r->chunked) {
		chunk_init(&c);
		if ((s = in_chunked(off, &c, -1, 0)) == S_NONE)
			body_gone(0, 0);
		return s;
	}
	for (;;) {
		k = inlen - off < left ? inlen - off : (size_t)left;
		in_consume(off, k);
		left -= k;
		if (left == 0)
			return S_OK;
		/* RFC 9112 9.5: a body that stops arriving times out */
		switch (in_fill(mono_ms() + (int64_t)conf.head_secs * 1000)) {
		case -1:
			return S_REQUEST_TIMEOUT;
		case 0:
			body_gone(0, 0);
		}
	}
}

/* RFC 3875 6.2.2: programs that answer with a local Location, followed
 * this many times at most before a 500 */
#define LOCAL_HOPS 5

/*
 * the request r would have been had it asked for local (a path and query):
 * GET, or HEAD for HEAD, in the same version and with the same fields but
 * those of the body, which the program has taken; S_OK and *q, or a status
 */
static __attribute__((noinline)) enum status
redirected(const struct req *r, const char *local, struct req *q)
{
	static char *buf;
	static size_t cap;
	struct conf c = conf;
	struct out o;
	const struct field *f;
	int i;

	if (buf == NULL) {
		cap = conf.max_head + HTTP_CGI_HEAD + 64;
		if ((buf = malloc(cap)) == NULL)
			return S_INTERNAL;
	}
	o = (struct out){ buf, 0, cap, 0 };
	out_str(&o, r->m == M_HEAD ? "HEAD " : "GET ");
	out_str(&o, local);
	out_str(&o, r->minor ? " HTTP/1.1\r\n" : " HTTP/1.0\r\n");
	for (i = 0; i < r->nf; i++) {
		f = &r->f[i];
		if (http_ieq(f->name.p, f->name.n, "content-length") ||
		    http_ieq(f->name.p, f->name.n, "transfer-encoding") ||
		    http_ieq(f->name.p, f->name.n, "content-type") ||
		    http_ieq(f->name.p, f->name.n, "expect"))
			continue;
		out_add(&o, f->name.p, f->name.n);
		out_str(&o, ": ");
		out_add(&o, f->value.p, f->value.n);
		out_str(&o, "\r\n");
	}
	out_str(&o, "\r\n");
	if (o.full)
		return S_INTERNAL;
	/* the limits were the original's to keep; this head is the server's */
	c.max_head = c.max_line = cap;
	return http_parse(buf, o.n, &c, q);
}

/*
 * run the program of rs, and those of the local redirects it asks for;
 * returns 0 when a program answered, 1 when rs is left to be sent
 */
static int
run_cgi(const struct req *r, struct resp *rs, int64_t now)
{
	/* allocated, not static: their 24 KiB would sit among the hot
	 * variables and spread them over more pages */
	static struct redir {
		struct req q;
		char local[HTTP_CGI_HEAD];
	} *lr;
	const struct req *at = r;
	enum status s;
	int hops, close;

	if (lr == NULL && (lr = malloc(sizeof(*lr))) == NULL) {
		log_err("out of memory");
		respond_error(rs, S_INTERNAL, r->minor, r->m == M_HEAD);
		return 1;
	}
	for (hops = 0; cgi_run(at, rs, &conf, &fs, now, lr->local, sizeof(lr->local)); hops++) {
		close = rs->close;
		resp_free(rs, &fs.view);
		if (hops == LOCAL_HOPS) {
			log_err("%s: more than %d local redirects", lr->local, LOCAL_HOPS);
			s = S_INTERNAL;
		} else if (redirected(r, lr->local, &lr->q) != S_OK) {
			s = S_BAD_GATEWAY;
		} else {
			respond(&lr->q, &conf, &fs.view, now, rs);
			/* the original request was good: a path that cannot
			 * be served (%00, "..", too long) is the program's error */
			s = rs->s == S_BAD_REQUEST || rs->s == S_URI_TOO_LONG ?
			    S_BAD_GATEWAY : S_OK;
			if (s != S_OK)
				resp_free(rs, &fs.view);
		}
		if (s == S_BAD_GATEWAY)
			log_err("%s: a local redirect to no valid request", lr->local);
		if (s != S_OK)
			respond_error(rs, s, r->minor, r->m == M_HEAD);
		rs->close |= close;
		if (rs->b != B_CGI)
			return 1;
		at = &lr->q;
	}
	return 0;
}

/* the file shrank or failed mid-response: the client cannot be told, but
 * the request still gets its log line, with the bytes that went */
static void
changed(const struct resp *rs)
{
	log_err("%s: file changed while being sent", rs->path);
	answered(send_total);
	send_close();
}

static void
send_body(const struct resp *rs)
{
	char part[512];
	size_t n;
	int i;

	if (rs->head)
		return;
	switch (rs->b) {
	case B_NONE:
	case B_CGI:
		break;
	case B_BYTES:
		send_bytes(rs->bytes, rs->clen);
		break;
	case B_FILE:
		if (send_file(rs->handle, rs->rg[0].off, rs->rg[0].len) < 0) {
			changed(rs);
		}
		break;
	case B_MULTI:
		for (i = 0; i <= rs->nrg; i++) {
			n = emit_part(rs, i, part, sizeof(part));
			send_bytes(part, n);
			if (i < rs->nrg &&
			    send_file(rs->handle, rs->rg[i].off, rs->rg[i].len) < 0) {
				changed(rs);
			}
		}
		break;
	}
}

/* one request and its response; returns when the connection persists */
static void
exchange(int first)
{
	/* static: of their kilobytes only the bytes used are ever touched */
	static struct req r LARGE;
	static struct resp rs LARGE;
	/* the first request has the head deadline, and so has one already
	 * begun (pipelined); later ones may idle first; the clock is read
	 * only when a wait needs it */
	int secs = first || !blank() ? conf.head_secs : conf.idle_secs;
	int64_t deadline = 0, now;
	enum status s;
	size_t n, cap;
	char *head;
	ssize_t k;
	int was_blank;

	while ((s = inlen ? http_parse(in, inlen, &conf, &r) : S_NONE) == S_NONE) {
		was_blank = blank();
		send_flush();
		/* a head still incomplete: no span points into the buffer yet,
		 * so what there is may move to the front to make room */
		in_front();
		if (inlen > 0) {
			if (deadline == 0)
				deadline = mono_ms() + (int64_t)secs * 1000;
			k = in_fill(deadline);
		} else if (first) {
			k = in_first(&deadline, secs);
		} else {
			k = in_idle(conf.idle_secs);
		}
		if (k == 0 && blank())
			send_close();
		if (k == 0)
			fail(S_BAD_REQUEST, 1, 0, wall());
		if (k < 0 && !first && blank())
			send_close();
		if (k < 0)
			fail(S_REQUEST_TIMEOUT, 1, 0, wall());
		/* a head begun after an idle wait has -T from its first byte */
		if (!first && was_blank && !blank())
			deadline = mono_ms() + (int64_t)conf.head_secs * 1000;
	}
	/* a body is read into the room after its head: a head that came whole
	 * near the end of the buffer moves to the front first, and is parsed
	 * again there so that its spans point to where it now lies */
	if (s == S_OK && (r.clen > 0 || r.chunked) && in_front())
		s = http_parse(in, inlen, &conf, &r);
	now = shell_now = wall();
	if (s != S_OK)
		fail(s, r.minor, r.m == M_HEAD, now);

	respond(&r, &conf, &fs.view, now, &rs);
	answering(r.method.p, (size_t)(r.version.p + r.version.n - r.method.p), &rs.s,
	    http_field(&r, "referer"), http_field(&r, "user-agent"), now);
	if (rs.b == B_CGI) {
		/* -K 0, as below, but decided before the program's head leaves:
		 * on what is here beyond the request's body; after a chunked
		 * one, which is read whole first, cgi_run decides */
		if (conf.idle_secs == 0 && !r.chunked &&
		    in_blank_from(r.headlen + (size_t)(r.clen > 0 ? r.clen : 0)))
			rs.close = 1;
		if (!run_cgi(&r, &rs, now))
			goto done;
	} else if ((r.clen > 0 || r.chunked) && !r.expect100) {
		s = discard(&r);
		if (s != S_OK) {
			resp_free(&rs, &fs.view);
			fail(s, r.minor, r.m == M_HEAD, now);
		}
	}
	/* -K 0 closes unless the next request is here already: say so
	 * (RFC 9112 9.6) */
	if (conf.idle_secs == 0 && in_blank_from(r.headlen))
		rs.close = 1;
	/* the head is written straight into the output buffer */
	head = send_room(HTTP_HEAD_OUT, &cap);
	if ((n = emit_head(&rs, now, head, cap)) == 0) {
		/* XXX: cannot happen with the fields respond() writes; fail closed */
		resp_free(&rs, &fs.view);
		fail(S_INTERNAL, r.minor, r.m == M_HEAD, now);
	}
	send_commit(n);
	send_total = 0;
	send_body(&rs);
	/* the response leaves before its log line when nothing follows it */
	if (rs.close || in_blank_from(r.headlen))
		send_flush();
done:
	answered(send_total);
	resp_free(&rs, &fs.view);
	in_consume(0, r.headlen);
	if (rs.close)
		send_close();
}

int
main(int argc, char *argv[])
{
	const char *logdest = NULL, *user = NULL;
	unsigned long uid = 0, gid = 0;
	int ch, first, jail = 0;

	conf_default(&conf);
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	/* getopt's complaints would go to fd 2 even when it is a socket */
	opterr = 0;
	while ((ch = getopt(argc, argv, ":d:c:l:LT:K:B:H:U:F:x:i:w:R:u:tsVh")) != -1) {
		switch (ch) {
		case 'x': conf.cgisuffix = optarg; break;
		case 'i': conf.cgi_idle_secs = (int)optnum(optarg, 1, 86400, ch); break;
		case 'w': conf.cgi_total_secs = (int)optnum(optarg, 1, 86400, ch); break;
		case 'u': user = optarg; break;
		case 't': jail = 1; break;
		case 's': conf.https = 1; break;
		case 'R': rlimits(optarg); break;
		case 'd': conf.docroot = optarg; break;
		case 'c': conf.cgidir = optarg; break;
		case 'l': logdest = optarg; break;
		case 'L': conf.listings = 0; break;
		case 'T': conf.head_secs = (int)optnum(optarg, 1, 86400, ch); break;
		case 'K': conf.idle_secs = (int)optnum(optarg, 0, 86400, ch); break;
		case 'B': conf.max_body = optnum(optarg, 0, 1ULL << 60, ch); break;
		case 'H': conf.max_head = optnum(optarg, 256, 1 << 20, ch); break;
		case 'U': conf.max_line = optnum(optarg, 16, 1 << 20, ch); break;
		case 'F': conf.max_fields = (int)optnum(optarg, 1, HTTP_FIELDS_CAP, ch); break;
		case 'V': printf(SERVER_NAME " " SERVER_VERSION "\n"); return 0;
		case 'h': usage(stdout); return 0;
		case ':':
			log_err("-%c: wants a value", optopt);
			bad_usage();
			return 2;
		default:
			/* "--name": getopt stops at its second '-', still in it */
			if (optopt == '-' && optind < argc)
				log_err("%.100s: unknown option", argv[optind]);
			else
				log_err("-%c: unknown option", optopt);
			bad_usage();
			return 2;
		}
	}
	if (optind != argc) {
		log_err("%s: an argument too many", argv[optind]);
		bad_usage();
		return 2;
	}
	/* no user name holds ':': uid:gid, or bad usage, as in tcpwrap */
	if (user != NULL && strchr(user, ':') != NULL && !uidgid(user, &uid, &gid)) {
		log_err("-u %s: want a user name or uid:gid", user);
		bad_usage();
		return 2;
	}
	if (conf.https)
		conn_proxied();
	/* a log file, like the roots, never takes the place of a closed 0, 1 or 2 */
	if (log_open(logdest) < 0) {
		log_err("cannot open log %s", logdest);
		return 1;
	}
	/* the CGI directory is opened before privileges go, else when first used */
	fs_init(&fs, conf.docroot, conf.cgidir, jail || user != NULL);
	/* the first descriptor opened tells whether 0, 1 and 2 were all open:
	 * any that was not is /dev/null from here on, so that nothing opened
	 * later can become the connection */
	if (fs.root < 0 || fs_holes) {
		log_decide();
		fd_fill_std();
	}
	if (fs.root < 0)
		log_err("cannot open document root %s", conf.docroot);
	/* after the log and the roots are open: they stay usable */
	if (user && lookup(user, &uid, &gid) < 0)
		return 1;
	/* served all the same, but the admin is told, connection by connection */
	if (user && uid == 0)
		log_err("-u %s: is root: nothing is dropped, and no CGI program runs", user);
	if (jail) {
		log_decide();
		root_path(0);
		root_path(1);
		if (chroot(conf.docroot) < 0 || chdir("/") < 0) {
			log_err("-t: cannot chroot to %s: %s", conf.docroot, strerror(errno));
			return 1;
		}
	}
	if (user && drop(user, uid, gid) < 0)
		return 1;

	inbufcap = 2 * (conf.max_head + 1) > IN_MIN ? 2 * (conf.max_head + 1) : IN_MIN;
	incap = inbufcap;
	inbuf = inbufcap > IN_MIN ? malloc(inbufcap) : instatic;
	if ((in = inbuf) == NULL) {
		log_err("out of memory");
		return 1;
	}
	for (first = 1;; first = 0)
		exchange(first);
}
