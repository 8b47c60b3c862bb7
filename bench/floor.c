/*
 * floor.c: the fork+exec floor for one connection per request.  Reads a
 * request head from standard input, writes one fixed 200 response with a
 * 1 KB body to standard output and exits.  No file, no parsing, no log:
 * whatever httpd1 costs beyond this is request handling.
 * Usage: floor (under an acceptor such as tcpwrap); bench/run builds it.
 */
#include <string.h>
#include <unistd.h>

#define HEAD "HTTP/1.1 200 OK\r\nServer: floor\r\nContent-Type: text/plain\r\n" \
    "Content-Length: 1024\r\nConnection: close\r\n\r\n"

int
main(void)
{
	static char in[16384], out[sizeof(HEAD) - 1 + 1024];
	size_t have = 0;
	ssize_t k;

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
	memset(out + sizeof(HEAD) - 1, 'x', 1024);
	for (size_t off = 0; off < sizeof(out); off += (size_t)k)
		if ((k = write(1, out + off, sizeof(out) - off)) <= 0)
			return 1;
	return 0;
}
