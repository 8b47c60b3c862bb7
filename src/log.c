/*
 * log.c: one Combined Log Format line per request, and diagnostics.
 * Under inetd fd 2 is the client's socket, so it is used only when it is
 * not a socket: otherwise the lines go to syslog, or to a file by option.
 * Every byte that came from the client is escaped before it is logged.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "shell.h"

#define LOG_LINE 4096
#define LOG_FIELD 1024		/* most bytes logged of one client string */
/* musl's syslog() cuts a message at 1024 bytes, its header included:
 * a line for syslog is kept to this, so that it keeps its last fields */
#define SYSLOG_LINE 900

static int logfd;		/* -1: syslog; 0: fd 2 or syslog, not decided yet */
static int noaccess;		/* -l none: no request lines */
static int peer_known;
static char peer[INET6_ADDRSTRLEN + 1], peer_port[8];	/* "": unknown */
static char local[INET6_ADDRSTRLEN + 1], local_port[8];

/*
 * behind a TLS proxy (-s) that runs httpd1 as stunnel's exec does: the
 * socket's far end is the proxy, the client is in REMOTE_HOST and REMOTE_PORT
 */
static int behind_proxy;

void
conn_proxied(void)
{
	behind_proxy = 1;
}

/* the proxy's word on the client, as a socket address, when it gave one */
static int
proxy_client(struct sockaddr_storage *ss)
{
	const char *host = getenv("REMOTE_HOST"), *port = getenv("REMOTE_PORT");
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	unsigned long n;
	char *end;

	if (!behind_proxy || host == NULL || port == NULL || *port < '0' || *port > '9')
		return 0;
	n = strtoul(port, &end, 10);
	if (*end != '\0' || n > 65535)
		return 0;
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)n);
		return 1;
	}
	if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)n);
		return 1;
	}
	return 0;
}

/* an address of the socket, else what a tcpserver-style acceptor said */
static void
address(int remote, char *addr, size_t acap, char *port, size_t pcap)
{
	struct sockaddr_storage ss = { .ss_family = AF_UNSPEC };
	socklen_t len = sizeof(ss);
	const char *env, *penv;
	int r;

	if (remote && proxy_client(&ss))
		r = 0;
	else
		r = remote ? getpeername(0, (struct sockaddr *)&ss, &len) :
		    getsockname(0, (struct sockaddr *)&ss, &len);
	if (r == 0 && ss.ss_family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &a->sin_addr, addr, (socklen_t)acap);
		snprintf(port, pcap, "%u", ntohs(a->sin_port));
		return;
	}
	if (r == 0 && ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr))
			inet_ntop(AF_INET, &a->sin6_addr.s6_addr[12], addr, (socklen_t)acap);
		else
			inet_ntop(AF_INET6, &a->sin6_addr, addr, (socklen_t)acap);
		snprintf(port, pcap, "%u", ntohs(a->sin6_port));
		return;
	}
	env = getenv(remote ? "TCPREMOTEIP" : "TCPLOCALIP");
	penv = getenv(remote ? "TCPREMOTEPORT" : "TCPLOCALPORT");
	if (env && *env && strlen(env) < acap &&
	    strspn(env, "0123456789abcdefABCDEF.:") == strlen(env))
		snprintf(addr, acap, "%s", env);
	if (penv && *penv && strlen(penv) < pcap &&
	    strspn(penv, "0123456789") == strlen(penv))
		snprintf(port, pcap, "%s", penv);
}

/* the peer is looked up once, when a line or a program first needs it */
static void
find_peer(void)
{
	if (peer_known++)
		return;
	address(1, peer, sizeof(peer), peer_port, sizeof(peer_port));
}

void
conn_addrs(const char **raddr, const char **rport, const char **laddr,
    const char **lport)
{
	find_peer();
	if (local[0] == '\0')
		address(0, local, sizeof(local), local_port, sizeof(local_port));
	*raddr = peer;
	*rport = peer_port;
	*laddr = local;
	*lport = local_port[0] ? local_port : "80";
}

/* dest: NULL for the default, "-" for stderr, "syslog", "none", or a file */
int
log_open(const char *dest)
{
	if (dest && strcmp(dest, "none") == 0) {
		/* diagnostics still go where they would by default */
		noaccess = 1;
		dest = NULL;
	}
	if (dest == NULL)
		logfd = 0;
	else if (strcmp(dest, "-") == 0)
		logfd = 2;
	else if (strcmp(dest, "syslog") == 0)
		logfd = -1;
	/* openat, not open: musl's open follows O_CLOEXEC with an fcntl, one
	 * system call more in every process */
	else if ((logfd = fd_above2(openat(AT_FDCWD, dest, O_WRONLY | O_APPEND |
	    O_CREAT | O_CLOEXEC, 0640))) < 0) {
		logfd = 0;	/* undecided: the error goes where errors go */
		return -1;
	}
	return 0;
}

/*
 * the syslog socket, opened now (a later chroot would hide /dev/log), and
 * never as descriptor 0, 1 or 2: a closed one is /dev/null first, else the
 * socket would become the connection and take the responses
 */
static void
syslog_connect(void)
{
	static int done;

	if (done++)
		return;
	fd_fill_std();
	openlog(SERVER_NAME, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

int
log_fd2(void)
{
	struct stat st;

	return fstat(2, &st) == 0 && !S_ISSOCK(st.st_mode);
}

/* the default: fd 2 unless it is a socket (inetd's client) or closed */
void
log_decide(void)
{
	if (logfd == 0)
		logfd = log_fd2() ? 2 : -1;
	if (logfd == -1)
		syslog_connect();
}

static void
emit(int prio, const char *line, size_t n)
{
	log_decide();
	if (logfd == -1) {
		/* syslog ends the line itself */
		syslog(prio, "%.*s", (int)(n > 0 && line[n - 1] == '\n' ? n - 1 : n), line);
		return;
	}
	/* one write per line: O_APPEND keeps concurrent lines whole */
	if (write(logfd, line, n) < 0)
		return;
}

/* c as \xHH at o: 4 bytes */
static size_t
hexbyte(char *o, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	o[0] = '\\';
	o[1] = 'x';
	o[2] = hex[c >> 4];
	o[3] = hex[c & 15];
	return 4;
}

/* client bytes: printable ASCII, anything else as \xHH; '"' and '\' too */
static size_t
escape(char *o, size_t cap, const char *s, size_t n)
{
	size_t i, k = 0;
	unsigned char c;

	if (n > LOG_FIELD)
		n = LOG_FIELD;
	for (i = 0; i < n && k + 4 < cap; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			o[k++] = (char)c;
		else
			k += hexbyte(o + k, c);
	}
	return k;
}

static size_t
quoted(char *o, size_t cap, const struct span *sp)
{
	size_t k = 0;

	if (cap < 4)
		return 0;
	o[k++] = '"';
	if (sp && sp->p)
		k += escape(o + k, cap - k - 1, sp->p, sp->n);
	else
		o[k++] = '-';
	o[k++] = '"';
	return k;
}

void
log_request(const char *line, size_t n, enum status s, uint64_t bytes,
    const struct span *referer, const struct span *agent, int64_t now)
{
	char t[CLF_LEN + 1], *buf;
	struct out o;
	struct span l = { line, n };
	size_t k, cap, lim;

	if (noaccess)
		return;
	log_decide();
	lim = logfd == -1 ? SYSLOG_LINE : LOG_LINE;
	/* the line is made in the free end of the output buffer, whose pages
	 * the responses use anyway, and written from there; it is not sent */
	buf = send_room(LOG_LINE, &cap);
	o = (struct out){ buf, 0, LOG_LINE, 0 };
	find_peer();
	/* the address and the time are short: these fit in the line */
	k = date_clf(now, t);
	out_str(&o, *peer ? peer : "-");
	out_str(&o, " - - [");
	out_add(&o, t, k);
	out_str(&o, "] ");
	o.n += quoted(buf + o.n, lim - o.n - 80, &l);
	out_str(&o, " ");
	out_u64(&o, (uint64_t)s);
	out_str(&o, " ");
	out_u64(&o, bytes);
	out_str(&o, " ");
	k = o.n;
	k += quoted(buf + k, (lim - k - 2) / 2, referer);
	buf[k++] = ' ';
	k += quoted(buf + k, lim - k - 2, agent);
	buf[k++] = '\n';
	emit(LOG_INFO, buf, k);
}

/* a diagnostic: one line, whatever the names in it hold (a path from the
 * request may have a decoded newline): control bytes as \xHH */
void
log_err(const char *fmt, ...)
{
	char msg[LOG_LINE], buf[LOG_LINE];
	va_list ap;
	size_t i, k, n;
	int m;
	unsigned char c;

	va_start(ap, fmt);
	m = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = m < 0 ? 0 : (size_t)m < sizeof(msg) ? (size_t)m : sizeof(msg) - 1;
	k = sizeof(SERVER_NAME ": ") - 1;
	memcpy(buf, SERVER_NAME ": ", k);
	for (i = 0; i < n && k + 5 < sizeof(buf); i++) {
		c = (unsigned char)msg[i];
		if (c >= 0x20 && c != 0x7f)
			buf[k++] = (char)c;
		else
			k += hexbyte(buf + k, c);
	}
	buf[k++] = '\n';
	emit(LOG_ERR, buf, k);
}
