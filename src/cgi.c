/*
 * cgi.c: run a CGI program (RFC 3875) for one request.  The program runs
 * in its own process group, in its own directory, with the request body on
 * its stdin: a Content-Length body streamed, a chunked one decoded whole
 * first, so that it has a CONTENT_LENGTH; its output is streamed to the
 * client as it comes and its stderr goes to the log.  A silent or overlong
 * program is killed.
 */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

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

#define READ_CHUNK 65536

pid_t cgi_pgid;
#define STDERR_LINE 1024

/* M_UNTYPED: a header block without Content-Type is held until the
 * output ends (the response stands, with no body) or a body byte comes */
enum mode { M_HEAD_WAIT, M_UNTYPED, M_LENGTH, M_CHUNKED, M_CLOSE, M_DROP, M_RAW };

struct run {
	const struct req *r;
	struct resp *rs;
	const struct conf *c;
	const struct fs *fs;
	pid_t pid;
	int cin, cout, cerr;		/* the program's stdin, stdout, stderr; -1 closed */
	int pidfd;			/* readable once the program exits; -1 none */
	/* the request body */
	size_t off, pend;		/* body bytes ready at in[off..off+pend) */
	uint64_t left;			/* Content-Length bytes not yet taken */
	struct chunk ch;
	int body_done;
	int body_fd;			/* a chunked body decoded whole; -1 none */
	/* the program's output */
	char head[HTTP_CGI_HEAD];
	size_t nhead;
	enum mode mode;
	uint64_t remain;		/* M_LENGTH: body bytes still to pass */
	char err[STDERR_LINE];
	size_t nerr;
	int progress;			/* the body moved: the program is not idle */
	int64_t now;
	/* RFC 3875 6.2.2: the local redirect asked for, nothing sent */
	char *local;
	size_t localcap;
	int redirect;
	int answered;			/* fail() sent an error response */
};

/* close every descriptor from fd up: close_range(2), else one by one */
static void
closeall(int fd)
{
	struct rlimit rl;
	int i, max = 1024;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)fd, ~0U, 0) == 0)
		return;
#endif
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < 65536)
		max = (int)rl.rlim_cur;
	for (i = fd; i < max; i++)
		close(i);
}

/* httpd1 ended by a signal takes its program's group with it: the group
 * is a session of its own, which no signal to httpd1's group reaches */
static void
die_with_group(int sig)
{
	if (cgi_pgid > 0)
		kill(-cgi_pgid, SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
child(const struct run *u, pid_t parent, int dfd, const char *name, char **envp,
    int in_p[2], int out_p[2], int err_p[2])
{
	struct rlimit rl;
	sigset_t none;
	char *argv[2];
	int sig;

	setsid();
	/* and killed outright (SIGKILL, an acceptor's grace run out), it still
	 * takes the program: before its group is known, this is all there is */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	dup2(in_p[0], 0);
	dup2(out_p[1], 1);
	dup2(err_p[1], 2);
	if (fchdir(dfd) < 0) {
		fprintf(stderr, "cannot enter the program's directory: %s\n",
		    strerror(errno));
		_exit(127);
	}
	/* only 0, 1 and 2 reach the program */
	closeall(3);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	rl.rlim_cur = rl.rlim_max = (rlim_t)(u->c->cgi_cpu ? u->c->cgi_cpu :
	    (unsigned long)u->c->cgi_total_secs);
	setrlimit(RLIMIT_CPU, &rl);
	if (u->c->cgi_nofile) {
		rl.rlim_cur = rl.rlim_max = (rlim_t)u->c->cgi_nofile;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (u->c->cgi_as_mb) {
		rl.rlim_cur = rl.rlim_max = (rlim_t)u->c->cgi_as_mb << 20;
		setrlimit(RLIMIT_AS, &rl);
	}
	argv[0] = (char *)name;
	argv[1] = NULL;
	/* relative to the directory: this works in a chroot too */
	execve(name, argv, envp);
	fprintf(stderr, "cannot run %s: %s\n", name, strerror(errno));
	_exit(127);
}

/* the program's directory (a descriptor) and its name in it */
static int
locate(const struct run *u, const char **name)
{
	const struct fs *f = u->fs;
	struct finfo fi;
	char dir[HTTP_MAX_PATH];
	const char *slash;

	slash = strrchr(u->rs->path, '/');
	*name = slash ? slash + 1 : u->rs->path;
	if (!u->rs->cgi_docroot)
		return fcntl(f->cgiroot, F_DUPFD_CLOEXEC, 0);
	if (slash == NULL)
		return fcntl(f->root, F_DUPFD_CLOEXEC, 0);
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - u->rs->path), u->rs->path);
	if (f->view.open(f->view.ctx, dir, &fi) != S_OK)
		return -1;
	return fi.handle;
}

/* the kernel's bound on one string of an environment (MAX_ARG_STRLEN) */
#define ENV_STRING_MAX (32 * 4096)

static pid_t
start(struct run *u)
{
	static char file[PATH_MAX + HTTP_MAX_PATH] LARGE;
	const char *name;
	struct cgivars v;
	struct buf env = { NULL, 0, 0, 0 };
	char **envp = NULL, *p;
	static pid_t self;	/* set with the handlers, when a first program starts */
	int in_p[2], out_p[2], err_p[2], n, i, dfd, big;
	size_t k;
	long max;
	pid_t pid;

	if ((dfd = locate(u, &name)) < 0)
		return -1;
	memset(&v, 0, sizeof(v));
	conn_addrs(&v.remote_addr, &v.remote_port, &v.server_addr, &v.server_port);
	v.docroot = root_path(0);
	snprintf(file, sizeof(file), "%s/%s", root_path(!u->rs->cgi_docroot),
	    u->rs->path);
	v.script_filename = file;
	v.https = u->c->https || ((p = getenv("HTTPS")) != NULL && strcmp(p, "on") == 0);
	v.proxied = u->c->https;
	v.gathered = u->body_fd >= 0;
	v.body_len = u->ch.total;
	n = cgi_env(u->r, u->rs, &v, &env);
	if (env.oom || (envp = calloc((size_t)n + 1, sizeof(*envp))) == NULL)
		goto fail;
	/* an environment execve(2) would refuse (E2BIG), one string too long
	 * or all over ARG_MAX, is told before the start: the client gets 431 */
	for (i = 0, p = env.p, big = 0; i < n; i++, p += k) {
		envp[i] = p;
		k = strlen(p) + 1;
		big |= k > ENV_STRING_MAX;
	}
	max = sysconf(_SC_ARG_MAX);
	if (big || (max > 0 && env.n + strlen(file) + 1 + (size_t)(n + 3) * sizeof(char *) >
	    (size_t)max)) {
		errno = E2BIG;
		goto fail;
	}
	/* the program reads a gathered body from its memory file */
	in_p[0] = u->body_fd;
	in_p[1] = -1;
	if (u->body_fd < 0 && pipe2(in_p, O_CLOEXEC) < 0)
		goto fail;
	u->body_fd = -1;
	if (pipe2(out_p, O_CLOEXEC) < 0)
		goto fail_in;
	if (pipe2(err_p, O_CLOEXEC) < 0)
		goto fail_out;
	if (self == 0) {
		signal(SIGTERM, die_with_group);
		signal(SIGHUP, die_with_group);
		signal(SIGINT, die_with_group);
		self = getpid();
	}
	if ((pid = fork()) < 0)
		goto fail_err;
	if (pid == 0)
		child(u, self, dfd, name, envp, in_p, out_p, err_p);
	cgi_pgid = pid;
	close(dfd);
	close(in_p[0]);
	close(out_p[1]);
	close(err_p[1]);
	u->cin = in_p[1];
	u->cout = out_p[0];
	u->cerr = err_p[0];
	if (u->cin >= 0)
		fcntl(u->cin, F_SETFL, O_NONBLOCK);
	free(envp);
	buf_free(&env);
	return pid;
fail_err:
	close(err_p[0]);
	close(err_p[1]);
fail_out:
	close(out_p[0]);
	close(out_p[1]);
fail_in:
	close(in_p[0]);
	if (in_p[1] >= 0)
		close(in_p[1]);
fail:
	close(dfd);
	free(envp);
	buf_free(&env);
	return -1;
}

/* end the program's whole process group: TERM, a moment, then KILL */
static void
stop(struct run *u)
{
	int i, st;

	if (u->pid <= 0)
		return;
	kill(-u->pid, SIGTERM);
	for (i = 0; i < 100; i++) {
		if (waitpid(u->pid, &st, WNOHANG) == u->pid) {
			kill(-u->pid, SIGKILL);
			u->pid = 0;
			cgi_pgid = 0;
			return;
		}
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	}
	kill(-u->pid, SIGKILL);
	waitpid(u->pid, &st, 0);
	u->pid = 0;
	cgi_pgid = 0;
}

static int drain(struct run *u, int *fd, int out);

/* returns 0, or -1 when the program died by a signal */
static int
reap(struct run *u)
{
	struct pollfd p = { -1, POLLIN, 0 };
	int64_t until = mono_ms() + 2000;
	int i, st = 0;
	pid_t w = 0;

	/* the program closed its output; give it two seconds to exit,
	 * reading its stderr meanwhile, for a write to it could hold the
	 * exit up */
	while ((w = waitpid(u->pid, &st, WNOHANG)) == 0 && mono_ms() < until) {
		p.fd = u->cerr;
		if (u->cerr < 0)
			nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
		else if (poll(&p, 1, 10) > 0)
			drain(u, &u->cerr, 0);
	}
	if (w == 0) {
		log_err("%s: did not exit after closing its output, killed", u->rs->path);
		stop(u);
		return -1;
	}
	/* jobs left behind in its group go first, then what is left of its
	 * stderr: a pipe's worth, so no writer that escaped can hold us */
	kill(-u->pid, SIGKILL);
	u->pid = 0;
	cgi_pgid = 0;
	if (u->cerr >= 0) {
		fcntl(u->cerr, F_SETFL, O_NONBLOCK);
		for (i = 0; i < 16 && drain(u, &u->cerr, 0) == 1; i++)
			;
	}
	if (WIFSIGNALED(st)) {
		log_err("%s: killed by signal %d", u->rs->path, WTERMSIG(st));
		return -1;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
		log_err("%s: exit status %d", u->rs->path, WEXITSTATUS(st));
	return 0;
}

static void
closefd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* some of the program's response has gone to the client: its head, or
 * the first bytes of an nph- program's; not so for a local redirect */
static int
began(const struct run *u)
{
	return u->mode != M_HEAD_WAIT && u->mode != M_UNTYPED && !u->redirect &&
	    !(u->mode == M_RAW && u->nhead == 0);
}

/* an error in place of the program's response, if none was sent yet */
static void
fail(struct run *u, enum status s)
{
	char head[1024];
	size_t n;

	stop(u);
	/* an nph- program that wrote nothing yet, or a header block held:
	 * nothing was sent either */
	if ((u->mode == M_RAW && u->nhead == 0) || u->mode == M_UNTYPED)
		u->mode = M_HEAD_WAIT;
	if (u->mode != M_HEAD_WAIT) {
		/* the body is cut short: no closing chunk may pretend otherwise */
		u->mode = M_DROP;
		u->rs->close = 1;
		return;
	}
	respond_error(u->rs, s, u->r->minor, u->r->m == M_HEAD);
	n = emit_head(u->rs, u->now, head, sizeof(head));
	send_bytes(head, n);
	send_total = 0;
	if (!u->rs->head)
		send_bytes(u->rs->bytes, u->rs->clen);
	u->mode = M_DROP;
	u->answered = 1;
}

/* take request body bytes from the input buffer, decoding chunks */
static enum status
body_take(struct run *u)
{
	size_t avail = inlen - u->off - u->pend, used, d;

	if (u->body_done || avail == 0)
		return S_OK;
	if (!u->r->chunked) {
		d = avail < u->left ? avail : (size_t)u->left;
		u->left -= d;
		u->pend += d;
		u->body_done = u->left == 0;
		return S_OK;
	}
	d = chunk_decode(&u->ch, in + u->off + u->pend, avail, &used);
	in_consume(u->off + u->pend + d, used - d);
	u->pend += d;
	if (u->ch.err != S_NONE)
		return u->ch.err;
	if (u->ch.total > u->c->max_body)
		return S_CONTENT_TOO_LARGE;
	u->body_done = u->ch.done;
	return S_OK;
}

/*
 * RFC 3875 4.1.2: a body comes with its CONTENT_LENGTH, so a chunked one
 * is decoded whole before the program starts, into a memory file that
 * becomes its stdin.  S_OK (streamed instead if there can be no such
 * file), or the status that ends the request: a bad chunk, a body over
 * -B, one that stops coming for -T seconds, takes over -w in all or is
 * cut short
 */
static enum status
gather(struct run *u)
{
	/* the whole body within -w, as when it went to a running program */
	int64_t total = mono_ms() + (int64_t)u->c->cgi_total_secs * 1000;
	enum status s;
	int fd;

	if ((fd = memfd_create("body", MFD_CLOEXEC)) < 0)
		return S_OK;
	/* past a file size limit (ulimit -f), a write fails rather than kill */
	signal(SIGXFSZ, SIG_IGN);
	if ((s = in_chunked(u->off, &u->ch, fd, total)) == S_OK) {
		lseek(fd, 0, SEEK_SET);
		u->body_fd = fd;
		u->body_done = 1;
		return S_OK;
	}
	if (s == S_INTERNAL)
		log_err("%s: cannot keep the request body: %s", u->rs->path, strerror(errno));
	if (s == S_REQUEST_TIMEOUT && mono_ms() >= total)
		log_err("%s: the request body took longer than -w", u->rs->path);
	close(fd);
	return s == S_NONE ? S_BAD_REQUEST : s;
}

/* give pending body bytes to the program, or drop them if it stopped reading */
static void
body_give(struct run *u)
{
	ssize_t k;

	if (u->pend == 0)
		return;
	if (u->cin < 0) {
		in_consume(u->off, u->pend);
		u->pend = 0;
		return;
	}
	k = write(u->cin, in + u->off, u->pend);
	if (k < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (k < 0) {
		closefd(&u->cin);
		return;
	}
	in_consume(u->off, (size_t)k);
	u->pend -= (size_t)k;
	u->progress = 1;
}

static void
body_out(struct run *u, const char *p, size_t n)
{
	char size[24];
	int k;

	if (n == 0)
		return;
	switch (u->mode) {
	case M_LENGTH:
		if (n > u->remain)
			n = (size_t)u->remain;
		u->remain -= n;
		send_bytes(p, n);
		break;
	case M_CHUNKED:
		/* RFC 9112 7.1 */
		k = snprintf(size, sizeof(size), "%zx\r\n", n);
		send_bytes(size, (size_t)k);
		send_bytes(p, n);
		send_bytes("\r\n", 2);
		break;
	case M_CLOSE:
	case M_RAW:
		send_bytes(p, n);
		break;
	default:
		break;
	}
}

/* the header block is complete: send the response head */
static void
head_out(struct run *u, const struct cgihead *h)
{
	struct resp *rs = u->rs;
	char head[HTTP_HEAD_OUT];
	size_t n;

	/* a local redirect: the server answers for that path instead, and
	 * whatever else the program writes is dropped */
	if (h->local != NULL) {
		if (h->nlocal >= u->localcap) {
			log_err("%s: local redirect too long", rs->path);
			fail(u, S_BAD_GATEWAY);
			return;
		}
		memcpy(u->local, h->local, h->nlocal);
		u->local[h->nlocal] = '\0';
		u->redirect = 1;
		u->mode = M_DROP;
		return;
	}
	rs->s = h->s;
	memcpy(rs->reason, h->reason, sizeof(rs->reason));
	rs->ctype = NULL;
	memcpy(rs->fields, h->fields, h->nfields + 1);
	rs->nfields = h->nfields;
	rs->b = B_CGI;
	if (h->s == S_RESET_CONTENT) {
		/* RFC 9110 15.3.6: no content, whatever the program writes */
		u->mode = M_DROP;
		rs->clen = 0;
		rs->noclen = 0;
	} else if (rs->head || h->s == S_NO_CONTENT || h->s == S_NOT_MODIFIED) {
		u->mode = M_DROP;
		rs->clen = h->clen > 0 ? (uint64_t)h->clen : 0;
		rs->noclen = h->clen < 0;
	} else if (h->clen >= 0) {
		u->mode = M_LENGTH;
		rs->clen = u->remain = (uint64_t)h->clen;
	} else if (rs->minor == 1) {
		u->mode = M_CHUNKED;
		rs->chunked = 1;
	} else {
		/* RFC 9112 6.3: HTTP/1.0 learns the end from the close */
		u->mode = M_CLOSE;
		rs->noclen = 1;
		rs->close = 1;
	}
	n = emit_head(rs, u->now, head, sizeof(head));
	if (n == 0) {
		u->mode = M_HEAD_WAIT;
		fail(u, S_BAD_GATEWAY);
		return;
	}
	send_bytes(head, n);
	send_total = 0;
}

/* enough of an nph- program's output to tell its status, for the log */
#define NPH_LINE 13

static void
nph_line(struct run *u, const char *p, size_t n)
{
	enum status s;
	size_t take = NPH_LINE - u->nhead;

	if (take > n)
		take = n;
	memcpy(u->head + u->nhead, p, take);
	u->nhead += take;
	if ((s = cgi_nph_status(u->head, u->nhead)) == S_NONE)
		return;
	if (s == S_BAD_GATEWAY)
		log_err("%s: nph- output does not begin with a status line", u->rs->path);
	u->rs->s = s;
	u->nhead = NPH_LINE;
}

static void
output(struct run *u, const char *p, size_t n)
{
	struct cgihead h;
	enum status s;
	size_t take;

	if (u->mode == M_RAW && u->nhead < NPH_LINE)
		nph_line(u, p, n);
	if (u->mode == M_UNTYPED) {
		if (n > 0) {
			log_err("%s: a body without Content-Type", u->rs->path);
			fail(u, S_BAD_GATEWAY);
		}
		return;
	}
	if (u->mode != M_HEAD_WAIT) {
		body_out(u, p, n);
		return;
	}
	take = sizeof(u->head) - u->nhead;
	if (take > n)
		take = n;
	memcpy(u->head + u->nhead, p, take);
	u->nhead += take;
	s = cgi_head(u->head, u->nhead, &h);
	if (s == S_NONE)
		return;
	if (s != S_OK) {
		log_err("%s: %s", u->rs->path, h.notype ? "a body without Content-Type" :
		    "malformed header block");
		fail(u, S_BAD_GATEWAY);
		return;
	}
	if (h.untyped) {
		u->mode = M_UNTYPED;
		/* the rest of what came is held with the header block */
		output(u, p + take, n - take);
		return;
	}
	head_out(u, &h);
	body_out(u, u->head + h.headlen, u->nhead - h.headlen);
	body_out(u, p + take, n - take);
}

/* the program's stderr, a log line per line; control bytes (a CR, an
 * escape sequence) are written as \xHH, as in request lines */
static void
errors(struct run *u, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c;
	size_t i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		/* a CRLF line end is a line end */
		if (c == '\n' && u->nerr >= 4 && memcmp(u->err + u->nerr - 4, "\\x0d", 4) == 0)
			u->nerr -= 4;
		if (c == '\n' || u->nerr > sizeof(u->err) - 4) {
			log_err("%s: %.*s", u->rs->path, (int)u->nerr, u->err);
			u->nerr = 0;
			if (c == '\n')
				continue;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			u->err[u->nerr++] = '\\';
			u->err[u->nerr++] = 'x';
			u->err[u->nerr++] = hex[c >> 4];
			u->err[u->nerr++] = hex[c & 15];
		} else {
			u->err[u->nerr++] = (char)c;
		}
	}
}

/* read one of the program's outputs: 1 after bytes, 2 when there are
 * none yet, 0 at its end */
static int
drain(struct run *u, int *fd, int out)
{
	static char buf[READ_CHUNK] LARGE;
	ssize_t k;

	k = read(*fd, buf, sizeof(buf));
	if (k < 0 && errno == EINTR)
		return 1;
	if (k < 0 && errno == EAGAIN)
		return 2;
	if (k <= 0) {
		closefd(fd);
		if (!out && u->nerr > 0)
			errors(u, "\n", 1);
		return 0;
	}
	if (out)
		output(u, buf, (size_t)k);
	else
		errors(u, buf, (size_t)k);
	return 1;
}

/*
 * read and drop the rest of a body the program did not read, once its
 * response has gone, so that the connection can go on; a body that stops
 * arriving times out as a static one does (RFC 9112 9.5): -1 then
 */
static int
skip(struct run *u)
{
	closefd(&u->cin);
	send_flush();
	for (;;) {
		if (body_take(u) != S_OK)
			return -1;
		body_give(u);
		if (u->body_done && u->pend == 0)
			return 0;
		if (in_fill(mono_ms() + (int64_t)u->c->head_secs * 1000) <= 0)
			return -1;
	}
}

static void
pump(struct run *u)
{
	struct pollfd p[5];
	int64_t idle, total, t, wait;
	int n, k, ic, io, ie, ix;
	enum status s;

	total = mono_ms() + (int64_t)u->c->cgi_total_secs * 1000;
	idle = mono_ms() + (int64_t)u->c->cgi_idle_secs * 1000;
	for (;;) {
		if ((s = body_take(u)) != S_OK) {
			fail(u, s);
			u->rs->close = 1;
			return;
		}
		body_give(u);
		if (u->body_done && u->pend == 0)
			closefd(&u->cin);
		/* stdout is done: a job left holding stderr does not hold us,
		 * and what is left of the body is skipped after the response */
		if (u->cout < 0)
			return;
		n = 0;
		ic = io = ie = ix = -1;
		if (!u->body_done && u->pend == 0 && inlen < incap) {
			p[n] = (struct pollfd){ 0, POLLIN, 0 };
			ic = n++;
		}
		if (u->pend > 0 && u->cin >= 0) {
			p[n++] = (struct pollfd){ u->cin, POLLOUT, 0 };
		}
		if (u->cout >= 0) {
			p[n] = (struct pollfd){ u->cout, POLLIN, 0 };
			io = n++;
		}
		if (u->cerr >= 0) {
			p[n] = (struct pollfd){ u->cerr, POLLIN, 0 };
			ie = n++;
		}
		/* stopped already (u->pid 0): its exit is no news */
		if (u->pidfd >= 0 && u->pid <= 0)
			closefd(&u->pidfd);
		if (u->pidfd >= 0) {
			p[n] = (struct pollfd){ u->pidfd, POLLIN, 0 };
			ix = n++;
		}
		t = mono_ms();
		wait = (idle < total ? idle : total) - t;
		/* the output leaves as it is written: what was gathered goes
		 * before a wait, while more that is ready already joins it */
		k = wait > 0 ? poll(p, (nfds_t)n, 0) : 0;
		if (wait > 0 && k == 0) {
			send_flush();
			k = poll(p, (nfds_t)n, wait > INT_MAX ? INT_MAX : (int)wait);
		}
		if (k == 0) {
			log_err("%s: %s, killed", u->rs->path, mono_ms() >= total ?
			    "ran too long" : "silent too long");
			fail(u, S_GATEWAY_TIMEOUT);
			u->rs->close = 1;
			return;
		}
		if (ic >= 0 && p[ic].revents) {
			if (in_fill(mono_ms() + 1000) <= 0) {
				/* the client is gone */
				stop(u);
				body_gone(began(u), send_total);
			}
		}
		if (io >= 0 && p[io].revents) {
			drain(u, &u->cout, 1);
			idle = mono_ms() + (int64_t)u->c->cgi_idle_secs * 1000;
		}
		if (ie >= 0 && p[ie].revents)
			drain(u, &u->cerr, 0);
		/* the program has exited: jobs it left behind in its group
		 * would hold its output open; what it wrote is still read */
		if (ix >= 0 && p[ix].revents) {
			if (u->pid > 0)
				kill(-u->pid, SIGKILL);
			closefd(&u->pidfd);
			/* all it wrote is in the pipe by now: that much, and its
			 * output has ended, whoever else holds the pipe open
			 * (a job that left the group); a bounded read, for such
			 * a job may write for ever */
			if (u->cout >= 0) {
				fcntl(u->cout, F_SETFL, O_NONBLOCK);
				for (k = 0; k < 64 && u->cout >= 0 &&
				    drain(u, &u->cout, 1) == 1; k++)
					;
				closefd(&u->cout);
			}
		}
		/* an upload in progress keeps the program from being idle */
		if (u->progress) {
			u->progress = 0;
			idle = mono_ms() + (int64_t)u->c->cgi_idle_secs * 1000;
		}
	}
}

int
cgi_run(const struct req *r, struct resp *rs, const struct conf *c,
    const struct fs *fs, int64_t now, char *local, size_t localcap)
{
	struct run u;
	struct cgihead h;
	enum status s;
	int died, big;

	/* the program's pipes may close under a write */
	send_arm();
	memset(&u, 0, sizeof(u));
	u.fs = fs;
	u.r = r;
	u.rs = rs;
	u.c = c;
	u.now = now;
	u.local = local;
	u.localcap = localcap;
	u.cin = u.cout = u.cerr = u.pidfd = u.body_fd = -1;
	u.off = r->headlen;
	u.left = r->clen > 0 ? (uint64_t)r->clen : 0;
	u.body_done = !r->chunked && u.left == 0;
	chunk_init(&u.ch);
	u.mode = rs->nph ? M_RAW : M_HEAD_WAIT;
	if (rs->nph)
		rs->close = 1;

	/* a program never runs with the server's root privileges */
	if (geteuid() == 0) {
		log_err("%s: refusing to run a CGI program as root (see -u)", rs->path);
		fail(&u, S_INTERNAL);
		return 0;
	}
	/* RFC 9110 10.1.1: ask for the body only when the program will run */
	if (r->expect100 && r->minor == 1 && !u.body_done) {
		send_bytes("HTTP/1.1 100 Continue\r\n\r\n", 25);
		send_flush();
	}
	send_total = 0;
	/* an error response closes the connection: where the body ends
	 * is not known */
	if (r->chunked && (s = gather(&u)) != S_OK) {
		fail(&u, s);
		return 0;
	}
	/* -K 0: the body read, the next request is here already or not;
	 * a body still to stream leaves that unknown, and closes */
	if (r->chunked && c->idle_secs == 0 &&
	    (u.body_fd < 0 || in_blank_from(r->headlen)))
		rs->close = 1;
	if ((u.pid = start(&u)) < 0) {
		big = errno == E2BIG;
		if (big)
			log_err("%s: the request's header fields are too large for "
			    "a program's environment", rs->path);
		else
			log_err("%s: cannot start: %s", rs->path, strerror(errno));
		if (u.body_fd >= 0)
			close(u.body_fd);
		fail(&u, big ? S_FIELDS_TOO_LARGE : S_INTERNAL);
		return 0;
	}
	/* a client that stops reading holds the program no longer than -w */
	send_limit(c->cgi_total_secs);
#ifdef SYS_pidfd_open
	/* Linux 5.3 and later; without it, the end of the output is the end */
	u.pidfd = (int)syscall(SYS_pidfd_open, u.pid, 0);
#endif
	pump(&u);
	closefd(&u.pidfd);
	closefd(&u.cin);
	closefd(&u.cout);
	/* what came leaves before the wait for the exit; a last chunk
	 * waits for it, so that a program that died never looks finished */
	send_flush();
	died = u.pid > 0 && reap(&u) < 0;
	if (died && began(&u)) {
		/* a program that died may have been cut short */
		u.mode = M_DROP;
		rs->close = 1;
	}
	closefd(&u.cerr);
	if (rs->nph && u.nhead < NPH_LINE && !u.answered) {
		log_err("%s: nph- output does not begin with a status line", rs->path);
		rs->s = S_BAD_GATEWAY;
		/* nothing was sent: an error response can still be */
		if (u.nhead == 0) {
			u.mode = M_HEAD_WAIT;
			fail(&u, S_BAD_GATEWAY);
		}
	}
	/* a header block without Content-Type and no body after it: it
	 * stands, with an empty body, unless the program died */
	if (u.mode == M_UNTYPED && died)
		fail(&u, S_BAD_GATEWAY);
	if (u.mode == M_UNTYPED && cgi_head(u.head, u.nhead, &h) == S_OK) {
		h.clen = 0;
		head_out(&u, &h);
	}
	if (u.mode == M_HEAD_WAIT) {
		log_err("%s: no header block", rs->path);
		fail(&u, S_BAD_GATEWAY);
	} else if (u.mode == M_CHUNKED) {
		send_bytes("0\r\n\r\n", 5);
	} else if (u.mode == M_LENGTH && u.remain > 0) {
		/* the program wrote less than it announced */
		rs->close = 1;
	}
	/* a body the program did not read must still be skipped: or close */
	if ((!u.body_done || u.pend > 0) && (rs->close || skip(&u) < 0))
		rs->close = 1;
	send_limit(HTTP_SEND_SECS);
	return u.redirect;
}
