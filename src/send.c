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

static char out[OUT_CAP] LARGE;
static size_t outn;
/* zero-initialised state shares pages already touched (no .data page) */
static int is_sock;		/* fd 1 a socket: 1 yes, -1 no, 0 not known yet */
static int armed;		/* send_arm() done */
static int sndtimeo;		/* seconds of SO_SNDTIMEO on fd 1, 0 none */
uint64_t send_total;

/*
 * Nothing is asked of the kernel before the first byte leaves: whether fd 1
 * is a socket shows in the first send (ENOTSOCK), and the send timeout and
 * the SIGPIPE disposition are set only when a write could block or signal.
 */
void
send_arm(void)
{
	struct timeval tv = { HTTP_SEND_SECS, 0 };

	if (armed)
		return;
	armed = 1;
	/* writes to a closed pipe, and sendfile(2) to a reset socket, raise SIGPIPE */
	signal(SIGPIPE, SIG_IGN);
	/* a client that stops reading cannot hold the process forever */
	if (is_sock >= 0) {
		if (setsockopt(1, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == 0) {
			is_sock = 1;
			sndtimeo = HTTP_SEND_SECS;
		} else if (errno == ENOTSOCK) {
			is_sock = -1;
		}
	}
}

/* while a CGI program runs, a send blocked on a client that reads nothing
 * must not outlast -w either: the program waits on it */
void
send_limit(int secs)
{
	struct timeval tv = { secs < HTTP_SEND_SECS ? secs : HTTP_SEND_SECS, 0 };

	send_arm();
	if (is_sock == 1 && tv.tv_sec != sndtimeo &&
	    setsockopt(1, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == 0)
		sndtimeo = (int)tv.tv_sec;
}

/* the client is gone with unsent of the bytes counted in send_total unwritten */
static void
gone(uint64_t unsent)
{
	static int once;

	if (cgi_pgid > 0)
		kill(-cgi_pgid, SIGKILL);
	/* what never left is dropped, and the buffer makes the log line */
	outn = 0;
	if (once++ == 0)
		conn_gone(send_total > unsent ? send_total - unsent : 0);
	_exit(0);
}

static void
writeall(const char *p, size_t n, int more)
{
	ssize_t k;

	while (n > 0) {
		if (is_sock >= 0) {
			/* not blocking until the timeout is set */
			k = send(1, p, n, MSG_NOSIGNAL | (more ? MSG_MORE : 0) |
			    (armed ? 0 : MSG_DONTWAIT));
			if (k < 0 && errno == ENOTSOCK) {
				is_sock = -1;
				send_arm();
				continue;
			}
			is_sock = 1;
			if (k < 0 && errno == EAGAIN && !armed) {
				send_arm();
				continue;
			}
		} else {
			k = write(1, p, n);
		}
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			gone(n);
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
	/* counted once the buffer ahead of them is out: a client gone then
	 * has taken none of them */
	if (n > OUT_CAP - outn) {
		flush(1);
		if (n > OUT_CAP) {
			send_total += n;
			writeall(p, n, 1);
			return;
		}
	}
	send_total += n;
	memcpy(out + outn, p, n);
	outn += n;
}

char *
send_room(size_t need, size_t *cap)
{
	if (need > OUT_CAP - outn)
		flush(1);
	*cap = OUT_CAP - outn;
	return out + outn;
}

void
send_commit(size_t n)
{
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
	const char *kept;
	char *start;
	ssize_t k;
	size_t want, room;

	if (len <= SMALL_FILE) {
		if ((kept = fs_bytes(fd, off, len)) != NULL) {
			send_bytes(kept, (size_t)len);
			return 0;
		}
		/* room for all of it, so that it lands in one piece */
		start = send_room((size_t)len, &room);
		if (copy(fd, off, len) < 0)
			return -1;
		fs_keep(fd, start, off, len);
		return 0;
	}
	flush(1);
	send_arm();
	while (len > 0) {
		want = len > (1U << 30) ? (1U << 30) : (size_t)len;
		k = sendfile(1, fd, &o, want);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && (errno == EINVAL || errno == ENOSYS))
			return copy(fd, (uint64_t)o, len);
		if (k < 0 && (errno == EAGAIN || errno == EPIPE ||
		    errno == ECONNRESET))
			gone(0);
		/* the file shrank under us, or cannot be read */
		if (k <= 0)
			return -1;
		len -= (uint64_t)k;
		send_total += (uint64_t)k;
	}
	return 0;
}

/* read and drop what the client still sends, briefly, after a half-close;
 * not inlined: its buffer is on the stack only when it is needed */
static __attribute__((noinline)) void
drain(void)
{
	char sink[4096];
	struct pollfd p = { 0, POLLIN, 0 };
	int i;

	for (i = 0; i < 16 && poll(&p, 1, 1000) > 0; i++)
		if (read(0, sink, sizeof(sink)) <= 0)
			break;
}

void
send_close(void)
{
	struct pollfd p = { 0, POLLIN, 0 };

	flush(0);
	/*
	 * RFC 9112 9.6: close in stages, so that unread request bytes do not
	 * turn into a reset that destroys the response in flight; with none
	 * unread, or after the client's FIN (nothing can follow it), a plain
	 * close is as safe and spares the wait
	 */
	if (is_sock == 1 && !in_eof && (inlen > 0 || poll(&p, 1, 0) > 0) &&
	    shutdown(1, SHUT_WR) == 0)
		drain();
	_exit(0);
}
