/*
 * core.c: the core benchmark of httpd1, over TCP on 127.0.0.1.
 * 1. keep-alive: one httpd1 process answers N sequential requests for a
 *    1 KB file on one connection, then N more pipelined 16 deep;
 * 2. one request per process: M connections, each served by a freshly
 *    started httpd1, timed from connect to the end of its response.
 * Usage: core HTTPD1 DOCROOT [N] [M]; bounded by N and M, loopback only.
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *prog, *root;
static int lfd;
static struct sockaddr_in addr;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
die(const char *what)
{
	perror(what);
	exit(1);
}

/* a connected pair: our end, with httpd1 started on the accepted end */
static int
start(pid_t *pid)
{
	int c, s, one = 1;

	if ((c = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		die("socket");
	if (connect(c, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		die("connect");
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if ((s = accept(lfd, NULL, NULL)) < 0)
		die("accept");
	if ((*pid = fork()) < 0)
		die("fork");
	if (*pid == 0) {
		dup2(s, 0);
		dup2(s, 1);
		close(s);
		close(c);
		close(lfd);
		execl(prog, prog, "-d", root, "-l", "/dev/null", (char *)NULL);
		_exit(127);
	}
	close(s);
	return c;
}

/* read n complete responses (Content-Length framed); bytes read */
static long
responses(int fd, int n)
{
	static char buf[1 << 16];
	static size_t have;
	char *p, *e, *cl;
	long total = 0;
	size_t need;
	ssize_t k;

	while (n > 0) {
		p = memmem(buf, have, "\r\n\r\n", 4);
		if (p && (cl = memmem(buf, (size_t)(p - buf), "Content-Length: ", 16))) {
			need = (size_t)(p + 4 - buf) + strtoul(cl + 16, &e, 10);
			if (have >= need) {
				memmove(buf, buf + need, have - need);
				have -= need;
				total += (long)need;
				n--;
				continue;
			}
		}
		if ((k = read(fd, buf + have, sizeof(buf) - have)) <= 0)
			die("read");
		have += (size_t)k;
	}
	return total;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char *argv[])
{
	const char *ka = "GET /1k.txt HTTP/1.1\r\nHost: bench\r\n\r\n";
	const char *one = "GET /1k.txt HTTP/1.0\r\n\r\n";
	char pipe16[16 * 64], sink[4096];
	int n, m, i, c, status;
	double t0, t, *lat;
	socklen_t len = sizeof(addr);
	pid_t pid;

	if (argc < 3)
		return fprintf(stderr, "usage: core HTTPD1 DOCROOT [N] [M]\n"), 2;
	prog = argv[1];
	root = argv[2];
	n = argc > 3 ? atoi(argv[3]) : 20000;
	m = argc > 4 ? atoi(argv[4]) : 2000;
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		die("socket");
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(lfd, 16) < 0 || getsockname(lfd, (struct sockaddr *)&addr, &len) < 0)
		die("listen");

	c = start(&pid);
	t0 = now();
	for (i = 0; i < n; i++) {
		if (write(c, ka, strlen(ka)) < 0)
			die("write");
		responses(c, 1);
	}
	t = now() - t0;
	printf("keep-alive sequential: %d requests in %.3f s: %.0f requests/s, %.1f us each\n",
	    n, t, n / t, t / n * 1e6);
	for (i = 0, pipe16[0] = '\0'; i < 16; i++)
		strcat(pipe16, ka);
	t0 = now();
	for (i = 0; i < n / 16; i++) {
		if (write(c, pipe16, strlen(pipe16)) < 0)
			die("write");
		responses(c, 16);
	}
	t = now() - t0;
	printf("keep-alive pipelined x16: %d requests in %.3f s: %.0f requests/s\n",
	    n / 16 * 16, t, n / 16 * 16 / t);
	close(c);
	waitpid(pid, &status, 0);

	if ((lat = calloc((size_t)m, sizeof(*lat))) == NULL)
		die("calloc");
	t0 = now();
	for (i = 0; i < m; i++) {
		t = now();
		c = start(&pid);
		if (write(c, one, strlen(one)) < 0)
			die("write");
		while (read(c, sink, sizeof(sink)) > 0)
			;
		close(c);
		waitpid(pid, &status, 0);
		lat[i] = now() - t;
	}
	t = now() - t0;
	qsort(lat, (size_t)m, sizeof(*lat), cmp);
	printf("one request per process: %d in %.3f s: %.0f connections/s; "
	    "start-to-exit p50 %.0f us, p90 %.0f us, p99 %.0f us\n", m, t, m / t,
	    lat[m / 2] * 1e6, lat[m * 9 / 10] * 1e6, lat[m * 99 / 100] * 1e6);
	free(lat);
	return 0;
}
