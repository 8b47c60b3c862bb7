/*
 * conn.c: one-shot connections against an acceptor on 127.0.0.1 or ::1.
 * Each connection sends one HTTP/1.0 request and reads to end of file; C
 * client processes share N connections.  Prints connections/s and latencies.
 * Usage: conn ADDRESS PORT [N] [C] [PATH]; bounded by N, loopback only.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_storage addr;
static socklen_t addrlen;

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

/* one connection, start to end of file; its time in seconds */
static double
one(const char *req)
{
	char buf[1 << 16];
	double t0 = now();
	ssize_t k;
	int fd;

	if ((fd = socket(addr.ss_family, SOCK_STREAM, 0)) < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&addr, addrlen) < 0)
		die("connect");
	if (write(fd, req, strlen(req)) < 0)
		die("write");
	while ((k = read(fd, buf, sizeof(buf))) > 0)
		;
	if (k < 0)
		die("read");
	close(fd);
	return now() - t0;
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
	struct sockaddr_in *s4 = (struct sockaddr_in *)&addr;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&addr;
	char req[256];
	double t0, t, *lat;
	int n, c, i, j, per, status;

	if (argc < 3)
		return fprintf(stderr, "usage: conn ADDRESS PORT [N] [C] [PATH]\n"), 2;
	n = argc > 3 ? atoi(argv[3]) : 2000;
	c = argc > 4 ? atoi(argv[4]) : 1;
	snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\n\r\n", argc > 5 ? argv[5] : "/");
	if (n < 1 || c < 1 || c > 256 || n > 1000000)
		return fprintf(stderr, "conn: N from 1 to 1000000, C from 1 to 256\n"), 2;
	if (inet_pton(AF_INET, argv[1], &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)atoi(argv[2]));
		addrlen = sizeof(*s4);
	} else if (inet_pton(AF_INET6, argv[1], &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)atoi(argv[2]));
		addrlen = sizeof(*s6);
	} else {
		return fprintf(stderr, "conn: %s: not an address\n", argv[1]), 2;
	}
	/* latencies from every client process land in one shared array */
	lat = mmap(NULL, (size_t)n * sizeof(*lat), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (lat == MAP_FAILED)
		die("mmap");
	per = n / c;
	t0 = now();
	for (j = 0; j < c; j++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			int lo = j * per, hi = j == c - 1 ? n : lo + per;

			for (i = lo; i < hi; i++)
				lat[i] = one(req);
			_exit(0);
		}
	}
	for (j = 0; j < c; j++)
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			return fprintf(stderr, "conn: a client failed\n"), 1;
	t = now() - t0;
	qsort(lat, (size_t)n, sizeof(*lat), cmp);
	printf("%d connections, %d at a time, in %.3f s: %.0f connections/s; "
	    "latency median %.0f us, p99 %.0f us\n", n, c, t, n / t,
	    lat[n / 2] * 1e6, lat[n * 99 / 100] * 1e6);
	return 0;
}
