/*
 * floor.c: the fork+exec floor for one connection per request.  Reads a
 * request head from standard input, writes one fixed 200 response with a
 * 1 KB body to standard output and exits.  No file, no parsing, no log:
 * whatever httpd1 costs beyond this is request handling.
 * With DIR FILE, the body is read from FILE below DIR the way httpd1 reads
 * a file (the directory opened, then openat2 beneath it, fstat, pread):
 * what serving a real file adds to the floor, and nothing else.
 * Usage: floor [DIR FILE] (under an acceptor such as tcpwrap); bench/run builds it.
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/syscall.h>

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#define HEAD "HTTP/1.1 200 OK\r\nServer: floor\r\nContent-Type: text/plain\r\n" \
    "Content-Length: 1024\r\nConnection: close\r\n\r\n"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* openat2(2)'s argument; RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS */
struct how {
	uint64_t flags, mode, resolve;
};

int
main(int argc, char *argv[])
{
	static char in[16384], out[sizeof(HEAD) - 1 + 1024];
	struct how how = { O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0, 0x08 | 0x02 };
	struct stat st;
	size_t have = 0;
	ssize_t k;
	int dir = -1, fd;

	if (argc == 3 && (dir = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 1;
	/* the whole head, so that closing does not reset unread request bytes */
	while (have < sizeof(in) - 1) {
		k = read(0, in + have, sizeof(in) - 1 - have);
		if (k <= 0)
			break;
		have += (size_t)k;
		in[have] = '\0';
		if (strstr(in, "\r\n\r\n") != NULL)
			break;
	}
	memcpy(out, HEAD, sizeof(HEAD) - 1);
	if (dir >= 0) {
		fd = (int)syscall(SYS_openat2, dir, argv[2], &how, sizeof(how));
		if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < 1024 ||
		    pread(fd, out + sizeof(HEAD) - 1, 1024, 0) != 1024)
			return 1;
	} else {
		memset(out + sizeof(HEAD) - 1, 'x', 1024);
	}
	for (size_t off = 0; off < sizeof(out); off += (size_t)k)
		if ((k = write(1, out + off, sizeof(out) - off)) <= 0)
			return 1;
	return 0;
}
