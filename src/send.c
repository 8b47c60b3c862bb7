/*
 * send.c: the byte sender.  Header fields and small bodies are gathered in
 * one buffer and leave in as few writes as possible; file bodies go with
 * sendfile(2), falling back to pread/write where the output refuses it.
 * Any failure to write means the client is gone: the process ends quietly.
 */
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"

#define OUT_CAP 65536
#define SMALL_FILE 16384	/* files this small are copied into the buffer */

static char out[OUT_CAP];
static size_t outn;
static int is_sock;
uint64_t send_total;

void
send_init(void)
{
	struct timeval tv = { HTTP_SEND_SECS, 0 };
	struct stat st;

	if (fstat(1, &st) == 0 && S_ISSOCK(st.st_mode)) {
		is_sock = 1;
		/* a client that stops reading cannot hold the process forever */
		setsockopt(1, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
}

static void
gone(void)
{
	if (cgi_pgid > 0)
		kill(-cgi_pgid, SIGKILL);
	_exit(0);
}

static void
writeall(const char *p, size_t n, int more)
{
	ssize_t k;

	while (n > 0) {
		if (is_sock)
			k = send(1, p, n, MSG_NOSIGNAL | (more ? MSG_MORE : 0));
		else
			k = write(1, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			gone();
		p += k;
		n -= (size_t)k;
	}
}

static void
flush(int more)
{
	if (outn > 0)
		writeall(out, outn, more);
	outn = 0;
}

void
send_flush(void)
{
	flush(0);
}

void
send_bytes(const void *p, size_t n)
{
	send_total += n;
	if (n > OUT_CAP - outn) {
		flush(1);
		if (n > OUT_CAP) {
			writeall(p, n, 1);
			return;
		}
	}
	memcpy(out + outn, p, n);
	outn += n;
}

/* pread into the buffer, then write: for small files and for outputs sendfile refuses */
static int
copy(int fd, uint64_t off, uint64_t len)
{
	ssize_t k;
	size_t want;

	while (len > 0) {
		if (outn == OUT_CAP)
			flush(1);
		want = OUT_CAP - outn;
		if (want > len)
			want = (size_t)len;
		k = pread(fd, out + outn, want, (off_t)off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		outn += (size_t)k;
		off += (uint64_t)k;
		len -= (uint64_t)k;
		send_total += (uint64_t)k;
	}
	return 0;
}

int
send_file(int fd, uint64_t off, uint64_t len)
{
	off_t o = (off_t)off;
	ssize_t k;
	size_t want;

	if (len <= SMALL_FILE)
		return copy(fd, off, len);
	flush(1);
	while (len > 0) {
		want = len > (1U << 30) ? (1U << 30) : (size_t)len;
		k = sendfile(1, fd, &o, want);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && (errno == EINVAL || errno == ENOSYS))
			return copy(fd, (uint64_t)o, len);
		if (k < 0 && (errno == EAGAIN || errno == EPIPE ||
		    errno == ECONNRESET))
			gone();
		/* the file shrank under us, or cannot be read */
		if (k <= 0)
			return -1;
		len -= (uint64_t)k;
		send_total += (uint64_t)k;
	}
	return 0;
}

void
send_close(void)
{
	char sink[4096];
	struct pollfd p = { 0, POLLIN, 0 };
	int i;

	flush(0);
	/*
	 * RFC 9112 9.6: close in stages, so that unread request bytes do not
	 * turn into a reset that destroys the response in flight; with none
	 * unread, a plain close is as safe and spares the wait for the FIN
	 */
	if (is_sock && (inlen > 0 || poll(&p, 1, 0) > 0) && shutdown(1, SHUT_WR) == 0)
		for (i = 0; i < 16 && poll(&p, 1, 1000) > 0; i++)
			if (read(0, sink, sizeof(sink)) <= 0)
				break;
	_exit(0);
}
