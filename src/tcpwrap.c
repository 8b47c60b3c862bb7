/*
 * tcpwrap.c: listen on one TCP address and run a program for each connection,
 * the socket on its descriptors 0 and 1, the UCSPI variables in its environment.
 * It never reads or writes a connection; it caps children overall and per client
 * address, reaps every one, and stops gracefully on SIGTERM, SIGINT or SIGHUP.
 */
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define PROG		"tcpwrap"
#define MAXCHILD	65536
#define BATCH		64	/* accepts between two looks at the children */
#define PAUSE_MS	100	/* accepting rests this long after EMFILE and kin */
#define TERM_MS		1000	/* on stop: from SIGTERM to SIGKILL */

enum mode { M_FORK, M_VFORK, M_SPAWN };

/* an address as the children see it: IPv4-mapped IPv6 folded to IPv4 */
struct addr {
	int family;
	unsigned char ip[16];
	unsigned port;
};

struct child {
	pid_t pid;
	struct addr a;
	long long t0;
};

static long maxchild = 100, perip, grace = 5;
static int verbose;
static enum mode mode = M_VFORK;	/* the fastest in bench/spawn.sh */
static const char *portfile, *user;
static int user_ids;			/* -u gave uid:gid, in these two */
static unsigned long user_uid, user_gid;
static int port_written;	/* portfile names our port: a failed start removes it */

static struct child *kids;
static long nkids;
static struct addr local;
static int wildcard;

static const char *path;	/* PROGRAM, found on PATH */
static char **cargv, **cenv;
static char e_rip[64] = "TCPREMOTEIP=", e_rport[32] = "TCPREMOTEPORT=";
static char e_lip[64] = "TCPLOCALIP=", e_lport[32] = "TCPLOCALPORT=";
static char execfail[256];
static size_t execfail_len;

static sigset_t blocked, unblocked, caught, inherited_ign, none;
static uint64_t inherited_rt;	/* of signals 32 up to SIGRTMIN, those inherited ignored */
static volatile sig_atomic_t got_chld, got_stop;
static posix_spawnattr_t sattr;

static const char usage_text[] =
    "usage: " PROG " [-v] [-c max] [-C perip] [-g secs] [-m fork|vfork|spawn]\n"
    "               [-P portfile] [-u user|uid:gid] host port program [arg ...]\n"
    "       " PROG " -h | --help\n";

static _Noreturn void
usage(int code)
{
	fputs(usage_text, code == 0 ? stdout : stderr);
	exit(code);
}

static void say(const char *, ...) __attribute__((format(printf, 1, 2)));
static _Noreturn void die(const char *, ...) __attribute__((format(printf, 1, 2)));
static int uid_gid(const char *, unsigned long *, unsigned long *);
static void set_slot(char *, size_t, size_t, const char *, ...)
    __attribute__((format(printf, 4, 5)));

/* one line to stderr in one write, so that lines stay whole */
static void
say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	memcpy(buf, PROG ": ", sizeof(PROG ": ") - 1);
	va_start(ap, fmt);
	n = vsnprintf(buf + sizeof(PROG ": ") - 1, sizeof(buf) - sizeof(PROG ": "),
	    fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	n += (int)sizeof(PROG ": ") - 1;
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(2, buf, (size_t)n) < 0)
		return;
}

/* "s" after a count other than one */
static const char *
plural(long n)
{
	return n == 1 ? "" : "s";
}

static _Noreturn void
die(const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	say("%s", buf);
	if (port_written)
		unlink(portfile);
	exit(1);
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* a decimal number in [lo, hi], or -1 */
static long
number(const char *s, long lo, long hi)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	return v;
}

static long
option_number(const char *s, long lo, long hi, int flag)
{
	long v = number(s, lo, hi);

	if (v < 0) {
		fprintf(stderr, PROG ": -%c wants a number from %ld to %ld, not '%s'\n",
		    flag, lo, hi, s);
		usage(2);
	}
	return v;
}

static void
set_mode(const char *s)
{
	if (strcmp(s, "fork") == 0)
		mode = M_FORK;
	else if (strcmp(s, "vfork") == 0)
		mode = M_VFORK;
	else if (strcmp(s, "spawn") == 0)
		mode = M_SPAWN;
	else {
		fprintf(stderr, PROG ": -m wants fork, vfork or spawn, not '%s'\n", s);
		usage(2);
	}
}

static int
options(int argc, char **argv)
{
	int c;

	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		usage(0);
	/* '+': the first operand ends the options; PROGRAM's own follow it;
	 * ':' and opterr: the bad option is named here, in this program's words */
	opterr = 0;
	while ((c = getopt(argc, argv, "+:c:C:g:hm:P:u:v")) != -1) {
		switch (c) {
		case 'c': maxchild = option_number(optarg, 1, MAXCHILD, c); break;
		case 'C': perip = option_number(optarg, 0, MAXCHILD, c); break;
		case 'g': grace = option_number(optarg, 0, 86400, c); break;
		case 'h': usage(0);
		case 'm': set_mode(optarg); break;
		case 'P': portfile = optarg; break;
		case 'u': user = optarg; break;
		case 'v': verbose = 1; break;
		case ':':
			fprintf(stderr, PROG ": -%c: wants a value\n", optopt);
			usage(2);
		default:
			/* "--name": getopt stops at its second '-', still in it */
			if (optopt == '-' && optind < argc)
				fprintf(stderr, PROG ": %.100s: unknown option\n", argv[optind]);
			else
				fprintf(stderr, PROG ": -%c: unknown option\n", optopt);
			usage(2);
		}
	}
	if (argc - optind < 3) {
		fprintf(stderr, PROG ": a host, a port and a program are wanted\n");
		usage(2);
	}
	/* no user name holds ':': uid:gid, or bad usage */
	if (user != NULL && strchr(user, ':') != NULL &&
	    !(user_ids = uid_gid(user, &user_uid, &user_gid))) {
		fprintf(stderr, PROG ": -u %s: want a user name or uid:gid\n", user);
		usage(2);
	}
	return optind;
}

/* descriptors 0, 1 and 2 are open, so no socket ever lands on them */
static void
std_fds(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			exit(1);
}

/* descriptors inherited above 2 stay open here but are not passed on */
static void
cloexec_inherited(void)
{
	struct dirent *e;
	DIR *d;
	int fd;

	/* close_range(2) with CLOSE_RANGE_CLOEXEC (1 << 2), by number: not
	 * every C library declares it */
	if (syscall(SYS_close_range, 3U, ~0U, 1U << 2) == 0)
		return;
	/* kernels before 5.11 */
	if ((d = opendir("/proc/self/fd")) == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if ((fd = atoi(e->d_name)) > 2 && fd != dirfd(d))
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	closedir(d);
}

/* ---- addresses ---- */

static void
from_sockaddr(const struct sockaddr_storage *ss, struct addr *a)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

	memset(a, 0, sizeof(*a));
	/* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult): accept4 or getsockname filled *ss */
	if (ss->ss_family == AF_INET6 && !IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		a->family = AF_INET6;
		memcpy(a->ip, &s6->sin6_addr, 16);
		a->port = ntohs(s6->sin6_port);
	} else if (ss->ss_family == AF_INET6) {
		a->family = AF_INET;
		memcpy(a->ip, (const unsigned char *)&s6->sin6_addr + 12, 4);
		a->port = ntohs(s6->sin6_port);
	} else {
		a->family = AF_INET;
		memcpy(a->ip, &s4->sin_addr, 4);
		a->port = ntohs(s4->sin_port);
	}
}

static const char *
ip_text(const struct addr *a, char *buf, size_t cap)
{
	if (inet_ntop(a->family, a->ip, buf, (socklen_t)cap) == NULL)
		snprintf(buf, cap, "?");
	return buf;
}

/* "1.2.3.4:80" or "[::1]:80", for log lines */
static const char *
addr_text(const struct addr *a, char *buf, size_t cap)
{
	char ip[INET6_ADDRSTRLEN];

	ip_text(a, ip, sizeof(ip));
	snprintf(buf, cap, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip, a->port);
	return buf;
}

static int
same_ip(const struct addr *a, const struct addr *b)
{
	return a->family == b->family &&
	    memcmp(a->ip, b->ip, a->family == AF_INET ? 4 : 16) == 0;
}

/* a numeric address into a, or 0 */
static int
numeric(const char *s, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->ip) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, a->ip) == 1)
		a->family = AF_INET6;
	return a->family != 0;
}

/*
 * a name through /etc/hosts, first entry wins.  The binary is static and
 * carries no resolver: names that only DNS knows must be given as addresses.
 */
static int
hosts_lookup(const char *name, struct addr *a)
{
	char *line = NULL, *tok, *save, *ip;
	size_t cap = 0;
	int found = 0;
	FILE *f;

	if ((f = fopen("/etc/hosts", "re")) == NULL)
		return 0;
	while (!found && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "#\n")] = '\0';
		if ((ip = strtok_r(line, " \t", &save)) == NULL)
			continue;
		while ((tok = strtok_r(NULL, " \t", &save)) != NULL)
			if (strcasecmp(tok, name) == 0) {
				found = numeric(ip, a);
				break;
			}
	}
	free(line);
	fclose(f);
	return found;
}

static void
parse_host(const char *host, struct addr *a)
{
	char buf[INET6_ADDRSTRLEN + 2];
	size_t n = strlen(host);

	/* "[::1]" is accepted for "::1" */
	if (n > 2 && n < sizeof(buf) && host[0] == '[' && host[n - 1] == ']') {
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = '\0';
		host = buf;
	}
	if (!numeric(host, a) && !hosts_lookup(host, a))
		die("%s: not an IPv4 or IPv6 address, nor a name in /etc/hosts", host);
}

static socklen_t
to_sockaddr(const struct addr *a, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)a->port);
		memcpy(&s4->sin_addr, a->ip, 4);
		return sizeof(*s4);
	}
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons((unsigned short)a->port);
	memcpy(&s6->sin6_addr, a->ip, 16);
	return sizeof(*s6);
}

static int
is_wildcard(const struct addr *a)
{
	static const unsigned char zero[16];

	return memcmp(a->ip, zero, a->family == AF_INET ? 4 : 16) == 0;
}

/* ---- the listener ---- */

static int
listener(const char *host, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	long p;
	int fd, one = 1, zero = 0;
	char text[INET6_ADDRSTRLEN + 8];

	parse_host(host, &local);
	if ((p = number(port, 0, 65535)) < 0)
		die("%s: not a port number (0 to 65535)", port);
	local.port = (unsigned)p;
	len = to_sockaddr(&local, &ss);
	fd = socket(local.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* "::" takes IPv4 connections too, whatever the system default */
	if (local.family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		die("bind %s: %s", addr_text(&local, text, sizeof(text)), strerror(errno));
	/* the kernel's own limit (net.core.somaxconn), not the C library's
	 * SOMAXCONN, which is 128 with musl: a burst waits in the queue */
	if (listen(fd, INT_MAX) < 0)
		die("listen: %s", strerror(errno));
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		die("getsockname: %s", strerror(errno));
	from_sockaddr(&ss, &local);
	wildcard = is_wildcard(&local);
	return fd;
}

/*
 * the bound port, written whole: to a temporary name, then renamed.  The
 * temporary file is created afresh (O_EXCL), never through a planted link.
 */
static void
write_portfile(void)
{
	char tmp[PATH_MAX];
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", portfile) >= (int)sizeof(tmp))
		die("%s: name too long", portfile);
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		die("%s: %s", tmp, strerror(errno));
	if (dprintf(fd, "%u\n", local.port) < 0 || close(fd) < 0 ||
	    rename(tmp, portfile) < 0)
		die("%s: %s", portfile, strerror(errno));
	port_written = 1;
}

/* ---- privileges ---- */

/* field i (from 0) of a colon-separated line, cut in place */
static char *
field(char *line, int i)
{
	char *p = line, *e;

	while (i-- > 0)
		if ((p = strchr(p, ':')) == NULL)
			return NULL;
		else
			p++;
	if ((e = strchr(p, ':')) != NULL)
		*e = '\0';
	return p;
}

static int
id_number(const char *s, unsigned long *v)
{
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno == 0 && *end == '\0' && *v < (unsigned long)UINT_MAX;
}

/* "uid:gid", both numbers */
static int
uid_gid(const char *s, unsigned long *u, unsigned long *g)
{
	const char *colon = strchr(s, ':');
	char num[32];

	if (colon == NULL || (size_t)(colon - s) >= sizeof(num))
		return 0;
	memcpy(num, s, (size_t)(colon - s));
	num[colon - s] = '\0';
	return id_number(num, u) && id_number(colon + 1, g);
}

/* user's uid and gid from /etc/passwd */
static int
passwd_lookup(const char *name, uid_t *uid, gid_t *gid)
{
	char *line = NULL, *l2 = NULL;
	size_t cap = 0, n = strlen(name);
	unsigned long u, g;
	int found = 0;
	FILE *f;

	if ((f = fopen("/etc/passwd", "re")) == NULL)
		return 0;
	while (!found && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, name, n) != 0 || line[n] != ':')
			continue;
		if ((l2 = strdup(line)) == NULL)
			break;
		if (id_number(field(line, 2), &u) && id_number(field(l2, 3), &g)) {
			*uid = (uid_t)u;
			*gid = (gid_t)g;
			found = 1;
		}
		free(l2);
	}
	free(line);
	fclose(f);
	return found;
}

/* the primary group and every /etc/group entry that lists name */
static gid_t *
group_list(const char *name, gid_t primary, size_t *n)
{
	char *line = NULL, *l2, *mem, *tok, *save;
	size_t cap = 0, have = 1;
	unsigned long g;
	gid_t *list, *bigger;
	FILE *f;

	if ((list = malloc(sizeof(*list))) == NULL)
		die("out of memory");
	list[0] = primary;
	if ((f = fopen("/etc/group", "re")) != NULL) {
		while (getline(&line, &cap, f) > 0) {
			line[strcspn(line, "\n")] = '\0';
			if ((l2 = strdup(line)) == NULL)
				die("out of memory");
			mem = field(line, 3);
			for (tok = mem ? strtok_r(mem, ",", &save) : NULL; tok;
			    tok = strtok_r(NULL, ",", &save)) {
				if (strcmp(tok, name) != 0 || !id_number(field(l2, 2), &g) ||
				    (gid_t)g == primary)
					continue;
				if ((bigger = realloc(list, (have + 1) * sizeof(*list))) == NULL)
					die("out of memory");
				list = bigger;
				list[have++] = (gid_t)g;
				break;
			}
			free(l2);
		}
		free(line);
		fclose(f);
	}
	*n = have;
	return list;
}

/* become user ("name" from /etc/passwd, or "uid:gid"), or die */
static void
drop_privileges(void)
{
	uid_t uid;
	gid_t gid, *groups;
	size_t ngroups = 1;

	if (user_ids) {
		uid = (uid_t)user_uid;
		gid = (gid_t)user_gid;
		if ((groups = malloc(sizeof(*groups))) == NULL)
			die("out of memory");
		groups[0] = gid;
	} else {
		if (!passwd_lookup(user, &uid, &gid))
			die("-u %s: no such user in /etc/passwd", user);
		groups = group_list(user, gid, &ngroups);
	}
	if (setgroups(ngroups, groups) < 0 || setgid(gid) < 0 || setuid(uid) < 0)
		die("-u %s: cannot drop privileges: %s", user, strerror(errno));
	free(groups);
	if (getuid() != uid || geteuid() != uid || getgid() != gid || getegid() != gid)
		die("-u %s: ids did not change", user);
	if (uid != 0 && setuid(0) == 0)
		die("-u %s: root could be regained", user);
}

/* ---- the program and its environment ---- */

static const char *
find_program(const char *name)
{
	const char *dirs = getenv("PATH");
	char buf[PATH_MAX], *dup;
	struct stat st;
	size_t n;

	if (strchr(name, '/') != NULL) {
		if (access(name, X_OK) < 0 || stat(name, &st) < 0 || !S_ISREG(st.st_mode))
			die("%s: not an executable file", name);
		return name;
	}
	if (dirs == NULL)
		dirs = "/usr/bin:/bin";
	while (*dirs) {
		n = strcspn(dirs, ":");
		if (snprintf(buf, sizeof(buf), "%.*s%s%s", (int)n, dirs,
		    n ? "/" : "", name) < (int)sizeof(buf) &&
		    access(buf, X_OK) == 0 && stat(buf, &st) == 0 && S_ISREG(st.st_mode)) {
			if ((dup = strdup(buf)) == NULL)
				die("out of memory");
			return dup;
		}
		dirs += n + (dirs[n] == ':');
	}
	die("%s: not found on PATH", name);
}

/*
 * PROGRAM as -u's user finds it, looked for by a child that becomes that
 * user: a failure of -u or of the search then comes before the port file
 * is written, which tcpwrap could no longer remove once it is the user
 */
static const char *
find_as_user(const char *name)
{
	static char found[PATH_MAX];
	const char *f;
	size_t got = 0;
	ssize_t n;
	int p[2], status;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0)
		die("cannot look for %s: %s", name, strerror(errno));
	if (pid == 0) {
		close(p[0]);
		drop_privileges();
		f = find_program(name);
		_exit(write(p[1], f, strlen(f)) == (ssize_t)strlen(f) ? 0 : 1);
	}
	close(p[1]);
	while (got < sizeof(found) - 1 &&
	    (n = read(p[0], found + got, sizeof(found) - 1 - got)) > 0)
		got += (size_t)n;
	close(p[0]);
	/* the child has said what went wrong */
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 || got == 0)
		exit(1);
	found[got] = '\0';
	return found;
}

static int
ucspi_name(const char *e)
{
	static const char *const names[] = { "PROTO=", "TCPREMOTEIP=",
		"TCPREMOTEPORT=", "TCPLOCALIP=", "TCPLOCALPORT=", "TCPREMOTEHOST=",
		"TCPLOCALHOST=", "TCPREMOTEINFO=" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(e, names[i], strlen(names[i])) == 0)
			return 1;
	return 0;
}

/* tcpwrap's environment less any UCSPI variables, then five slots of ours */
static void
make_env(void)
{
	extern char **environ;
	size_t n = 0, k = 0;

	while (environ[n])
		n++;
	if ((cenv = calloc(n + 6, sizeof(*cenv))) == NULL)
		die("out of memory");
	for (n = 0; environ[n]; n++)
		if (!ucspi_name(environ[n]))
			cenv[k++] = environ[n];
	cenv[k++] = (char *)"PROTO=TCP";
	cenv[k++] = e_rip;
	cenv[k++] = e_rport;
	cenv[k++] = e_lip;
	cenv[k++] = e_lport;
}

static void
set_slot(char *slot, size_t cap, size_t at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(slot + at, cap - at, fmt, ap);
	va_end(ap);
}

static void
env_local(const struct addr *a)
{
	char ip[INET6_ADDRSTRLEN];

	set_slot(e_lip, sizeof(e_lip), 11, "%s", ip_text(a, ip, sizeof(ip)));
	set_slot(e_lport, sizeof(e_lport), 13, "%u", a->port);
}

static void
env_remote(const struct addr *a)
{
	char ip[INET6_ADDRSTRLEN];

	set_slot(e_rip, sizeof(e_rip), 12, "%s", ip_text(a, ip, sizeof(ip)));
	set_slot(e_rport, sizeof(e_rport), 14, "%u", a->port);
}

/* ---- signals ---- */

static void
on_signal(int sig)
{
	if (sig == SIGCHLD)
		got_chld = 1;
	else
		got_stop = 1;
}

/* the kernel's struct sigaction for rt_sigaction(2) on x86-64 and most others */
struct ksig {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

/*
 * Signals are blocked except inside ppoll, so handlers only set flags and no
 * other call is interrupted.  Children get an empty mask, and every
 * disposition tcpwrap inherited as ignored, or ignores itself, back at default.
 */
static void
signals(void)
{
	static const int handled[] = { SIGTERM, SIGINT, SIGHUP, SIGCHLD };
	struct sigaction sa;
	int sig;
	size_t i;

	sigemptyset(&none);
	sigemptyset(&inherited_ign);
	for (sig = 1; sig < NSIG; sig++)
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
			sigaddset(&inherited_ign, sig);
	/* the C library keeps the first real-time signals to itself and
	 * hides them from sigaction(); the kernel tells */
	for (sig = 32; sig < SIGRTMIN; sig++) {
		struct ksig old;

		if (syscall(SYS_rt_sigaction, sig, NULL, &old, (size_t)8) == 0 &&
		    old.handler == SIG_IGN)
			inherited_rt |= (uint64_t)1 << (sig - 32);
	}
	sigaddset(&inherited_ign, SIGPIPE);
	signal(SIGPIPE, SIG_IGN);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_NOCLDSTOP;
	sigfillset(&sa.sa_mask);
	sigemptyset(&blocked);
	sigemptyset(&caught);
	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++) {
		sigaction(handled[i], &sa, NULL);
		sigaddset(&blocked, handled[i]);
		sigaddset(&caught, handled[i]);
		sigdelset(&inherited_ign, handled[i]);
	}
	/* unblocked: the mask inside ppoll, as inherited less the handled four */
	sigprocmask(SIG_BLOCK, &blocked, &unblocked);
	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		sigdelset(&unblocked, handled[i]);
}

/* ---- starting a child ---- */

static _Noreturn void
child_exec(int fd, int shared)
{
	struct iovec iov[3];
	const char *why;
	int sig;

	if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0)
		_exit(111);
	/* a group of its own, which stop() signals whole */
	setpgid(0, 0);
	/* a vfork child shares our memory: no handler of ours may run in it */
	for (sig = 1; sig < NSIG; sig++)
		if (sigismember(&inherited_ign, sig) == 1 ||
		    (shared && sigismember(&caught, sig) == 1))
			signal(sig, SIG_DFL);
	/* and those the C library hides, through the kernel */
	for (sig = 32; sig < SIGRTMIN; sig++)
		if (inherited_rt & (uint64_t)1 << (sig - 32))
			syscall(SYS_rt_sigaction, sig,
			    &(struct ksig){ SIG_DFL, 0, NULL, 0 }, NULL, (size_t)8);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(path, cargv, cenv);
	why = strerror(errno);
	iov[0] = (struct iovec){ execfail, execfail_len };
	iov[1] = (struct iovec){ (void *)why, strlen(why) };
	iov[2] = (struct iovec){ (void *)"\n", 1 };
	if (writev(2, iov, 3) < 0)
		_exit(127);
	_exit(127);
}

static pid_t
start_fork(int fd)
{
	pid_t pid = fork();

	if (pid == 0)
		child_exec(fd, 0);
	if (pid > 0)
		setpgid(pid, pid);	/* as the child does: whichever runs first */
	return pid;
}

static pid_t
start_vfork(int fd)
{
	pid_t pid = vfork();

	if (pid == 0)
		child_exec(fd, 1);
	return pid;
}

static void
spawn_setup(void)
{
	if (posix_spawnattr_init(&sattr) != 0 ||
	    posix_spawnattr_setflags(&sattr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP) != 0 ||
	    posix_spawnattr_setpgroup(&sattr, 0) != 0 ||
	    posix_spawnattr_setsigmask(&sattr, &none) != 0 ||
	    posix_spawnattr_setsigdefault(&sattr, &inherited_ign) != 0)
		die("posix_spawnattr: out of memory");
}

static pid_t
start_spawn(int fd)
{
	static posix_spawn_file_actions_t fa;
	static int fa_fd = -1;
	pid_t pid;
	int e;

	/* the accepted socket is nearly always the same number: reuse the actions */
	if (fd != fa_fd) {
		if (fa_fd >= 0)
			posix_spawn_file_actions_destroy(&fa);
		fa_fd = -1;
		if ((e = posix_spawn_file_actions_init(&fa)) != 0)
			goto fail;
		if ((e = posix_spawn_file_actions_adddup2(&fa, fd, 0)) != 0 ||
		    (e = posix_spawn_file_actions_adddup2(&fa, fd, 1)) != 0) {
			posix_spawn_file_actions_destroy(&fa);
			goto fail;
		}
		fa_fd = fd;
	}
	if ((e = posix_spawn(&pid, path, &fa, &sattr, cargv, cenv)) == 0)
		return pid;
fail:
	errno = e;
	return -1;
}

/* ---- children ---- */

static long
count_from(const struct addr *a)
{
	long i, n = 0;

	for (i = 0; i < maxchild; i++)
		if (kids[i].pid > 0 && same_ip(&kids[i].a, a))
			n++;
	return n;
}

static void
record(pid_t pid, const struct addr *a, long long t0)
{
	long i;

	for (i = 0; i < maxchild; i++)
		if (kids[i].pid == 0) {
			kids[i].pid = pid;
			kids[i].a = *a;
			kids[i].t0 = t0;
			nkids++;
			return;
		}
}

static void
ended(pid_t pid, int status)
{
	char text[INET6_ADDRSTRLEN + 8];
	long i;

	for (i = 0; i < maxchild && kids[i].pid != pid; i++)
		;
	if (i == maxchild)
		return;
	if (verbose)
		say("%s pid %ld %s %d %lld ms", addr_text(&kids[i].a, text, sizeof(text)),
		    (long)pid, WIFSIGNALED(status) ? "signal" : "exit",
		    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
		    now_ms() - kids[i].t0);
	kids[i].pid = 0;
	nkids--;
}

static void
reap(int block)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, block ? 0 : WNOHANG)) > 0 ||
	    (pid < 0 && errno == EINTR))
		if (pid > 0)
			ended(pid, status);
}

/* one accepted connection: refuse it, or start PROGRAM on it */
static int
take(int fd, const struct sockaddr_storage *ss, long long t0)
{
	char text[INET6_ADDRSTRLEN + 8];
	struct sockaddr_storage ls;
	socklen_t len = sizeof(ls);
	struct addr a, la;
	pid_t pid;

	from_sockaddr(ss, &a);
	if (perip > 0 && count_from(&a) >= perip) {
		if (verbose)
			say("%s refused: %ld connection%s from this address",
			    addr_text(&a, text, sizeof(text)), perip, plural(perip));
		return 0;
	}
	env_remote(&a);
	if (wildcard && getsockname(fd, (struct sockaddr *)&ls, &len) == 0) {
		from_sockaddr(&ls, &la);
		env_local(&la);
	}
	pid = mode == M_SPAWN ? start_spawn(fd) :
	    mode == M_VFORK ? start_vfork(fd) : start_fork(fd);
	if (pid < 0) {
		say("%s: cannot start %s: %s", addr_text(&a, text, sizeof(text)),
		    cargv[0], strerror(errno));
		return -1;
	}
	record(pid, &a, t0);
	return 0;
}

/* accept what is waiting, up to a batch; the time to resume, or 0 */
static long long
accept_some(int lfd)
{
	static int told;
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, i, bad;

	for (i = 0; i < BATCH && nkids < maxchild; i++) {
		len = sizeof(ss);
		if ((fd = accept4(lfd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC)) >= 0) {
			told = 0;
			bad = take(fd, &ss, now_ms());
			close(fd);
			if (bad)
				return now_ms() + PAUSE_MS;
			continue;
		}
		switch (errno) {
		case EAGAIN:
			return 0;
		/* the connection died in the queue, or a network error was passed on */
		case EINTR: case ECONNABORTED: case EPROTO: case ENETDOWN:
		case ENOPROTOOPT: case EHOSTDOWN: case ENONET: case EHOSTUNREACH:
		case EOPNOTSUPP: case ENETUNREACH: case ETIMEDOUT: case EPERM:
			continue;
		default:
			/* EMFILE, ENFILE, ENOBUFS, ENOMEM: rest, said once per spell */
			if (!told)
				say("accept: %s; pausing", strerror(errno));
			told = 1;
			return now_ms() + PAUSE_MS;
		}
	}
	return 0;
}

static struct timespec *
until(long long deadline, struct timespec *ts)
{
	long long left = deadline - now_ms();

	if (left < 0)
		left = 0;
	ts->tv_sec = left / 1000;
	ts->tv_nsec = (left % 1000) * 1000000;
	return ts;
}

static void
serve(int lfd)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	struct timespec ts, *tp;
	long long resume = 0;
	int listen_now;

	for (;;) {
		if (got_chld) {
			got_chld = 0;
			reap(0);
		}
		if (got_stop)
			return;
		if (resume && now_ms() >= resume)
			resume = 0;
		listen_now = nkids < maxchild && resume == 0;
		tp = resume && nkids < maxchild ? until(resume, &ts) : NULL;
		/* full: wait for a child to end; resting: for the rest to end */
		if (ppoll(listen_now ? &p : NULL, (nfds_t)listen_now, tp, &unblocked) > 0 &&
		    (p.revents & POLLIN))
			resume = accept_some(lfd);
		p.revents = 0;
	}
}

/* every child's group gets sig */
static void
signal_kids(int sig)
{
	long i;

	for (i = 0; i < maxchild; i++)
		if (kids[i].pid > 0 && kill(-kids[i].pid, sig) < 0)
			kill(kids[i].pid, sig);
}

/* reap until no child is left, the deadline passes or a stop signal comes */
static void
wait_kids(long long deadline)
{
	struct timespec ts;

	got_stop = 0;
	while (nkids > 0 && !got_stop && now_ms() < deadline) {
		ppoll(NULL, 0, until(deadline, &ts), &unblocked);
		got_chld = 0;
		reap(0);
	}
}

/*
 * stop accepting; let connections finish for the grace period, then end
 * each child's process group: SIGTERM, and SIGKILL TERM_MS later
 */
static void
stop(int lfd)
{
	close(lfd);
	if (verbose)
		say("stopping: %ld connection%s open, %ld s grace", nkids,
		    plural(nkids), grace);
	wait_kids(now_ms() + grace * 1000);
	if (nkids > 0) {
		say("stopping: ending %ld connection%s", nkids, plural(nkids));
		signal_kids(SIGTERM);
		wait_kids(now_ms() + TERM_MS);
	}
	if (nkids > 0) {
		say("stopping: killing %ld connection%s", nkids, plural(nkids));
		signal_kids(SIGKILL);
		reap(1);
	}
	if (verbose)
		say("stopped");
}

int
main(int argc, char **argv)
{
	char text[INET6_ADDRSTRLEN + 8];
	int lfd, i;

	i = options(argc, argv);
	std_fds();
	cloexec_inherited();
	signals();
	lfd = listener(argv[i], argv[i + 1]);
	env_local(&local);
	cargv = argv + i + 2;
	path = user ? find_as_user(cargv[0]) : find_program(cargv[0]);
	if (portfile)
		write_portfile();
	if (user) {
		drop_privileges();
		if (getuid() == 0)
			say("-u %s: is root: nothing is dropped", user);
	}
	execfail_len = (size_t)snprintf(execfail, sizeof(execfail),
	    PROG ": cannot run %.200s: ", path);
	if (execfail_len >= sizeof(execfail))
		execfail_len = sizeof(execfail) - 1;
	make_env();
	spawn_setup();
	if ((kids = calloc((size_t)maxchild, sizeof(*kids))) == NULL)
		die("out of memory");
	if (verbose && perip)
		say("listening on %s, at most %ld connection%s, %ld from one address",
		    addr_text(&local, text, sizeof(text)), maxchild, plural(maxchild), perip);
	else if (verbose)
		say("listening on %s, at most %ld connection%s",
		    addr_text(&local, text, sizeof(text)), maxchild, plural(maxchild));
	serve(lfd);
	stop(lfd);
	return 0;
}
