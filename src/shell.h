/*
 * shell.h: what the shells around the pure module share: the input,
 * the real filesystem view, the output stream, the CGI runner and the log.
 * Only shell files (main.c, fs.c, send.c, log.c, cgi.c) include it.
 */
#ifndef SHELL_H
#define SHELL_H

#include <sys/types.h>

#include "http.h"

/* the large buffers go to a section of their own after .bss, so that the
 * small variables, ours and the C library's, share the few pages that
 * every process touches: each page touched is a page fault */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define LARGE __attribute__((section(".lbss")))
#else
#define LARGE		/* elsewhere .lbss would not be NOBITS, or not known */
#endif


/* main.c: the connection's input */
extern char *in;		/* bytes read and not yet consumed */
extern size_t inlen, incap;
extern int in_eof;		/* the client's end of input has been read */
/* read what comes by the deadline: >0 bytes, 0 at EOF, -1 at the deadline */
ssize_t in_fill(int64_t deadline);
void in_consume(size_t off, size_t n);
/* only line ends from off on: nothing of a next request has come */
int in_blank_from(size_t off);
/* a chunked body at in[off..] read to its end, decoded and taken out of
 * the buffer, its data written to fd (-1: dropped), within -T of each
 * wait and by the deadline (0: none).  S_OK at its end; else a bad chunk,
 * over -B, silent (408), a write that failed (S_INTERNAL, errno), or
 * S_NONE when the input ended first */
enum status in_chunked(size_t off, struct chunk *c, int fd, int64_t deadline);
int64_t mono_ms(void);
extern int64_t shell_now;	/* the time of the request being answered */
/* the client went away mid-response: the log line of the request being
 * answered, with the bytes of it that were written */
void conn_gone(uint64_t bytes);
/* the client went away in the middle of the request's body: its log line,
 * as 400 when nothing of a response had gone yet, then the close */
_Noreturn void body_gone(int began, uint64_t bytes);

/* fs.c */
struct fs {
	int root;		/* the docroot descriptor, -1 when it cannot be opened */
	int docroot;		/* the same (root differs in copies for the CGI directory) */
	int cgiroot;		/* the CGI directory's, -1 when there is none,
				 * -2 until a program is first asked for */
	const char *cgidir;
	struct fsview view;
};
/* eager: open the CGI directory now (before a chroot), not when first needed */
void fs_init(struct fs *f, const char *docroot, const char *cgidir, int eager);
/* the kept bytes of the file last served, len of them from off, or NULL */
const char *fs_bytes(int fd, uint64_t off, uint64_t len);
/* p holds len bytes of fd from off, just read: kept if they are the whole
 * of the file last served, asked for again, and not changed of late */
void fs_keep(int fd, const char *p, uint64_t off, uint64_t len);
/* fd itself, or a copy above 2 when it took the place of a closed 0, 1 or
 * 2 (fs_holes is set then, and fd closed) */
int fd_above2(int fd);
extern int fs_holes;
/* any of 0, 1 and 2 that is closed opened on /dev/null */
void fd_fill_std(void);

/* cgi.c: the process group of the running program, 0 when none; a
 * client gone mid-response takes it down with the server */
extern pid_t cgi_pgid;
/* cgi.c: run the program of rs, its body from in[r->headlen]; the response
 * is sent when it returns, rs->close set when the connection must end.
 * Returns 1, with nothing sent, when the program asks for a local redirect
 * (RFC 3875 6.2.2): its path and query are in local[0..localcap) */
int cgi_run(const struct req *r, struct resp *rs, const struct conf *c,
    const struct fs *fs, int64_t now, char *local, size_t localcap);
/* main.c: the absolute path of the docroot (0) or of the CGI directory (1) */
const char *root_path(int cgi);

/* send.c: buffered output to fd 1; a dead client ends the process.
 * Files this small are copied through the buffer rather than sent with
 * sendfile, and fs.c may keep their bytes */
#define SMALL_FILE 16384
/* before a write that may block or raise SIGPIPE (sendfile, CGI pipes):
 * the send timeout, and SIGPIPE ignored */
void send_arm(void);
/* a client that reads nothing is dropped after secs, HTTP_SEND_SECS at most */
void send_limit(int secs);
void send_bytes(const void *p, size_t n);
void send_flush(void);
/* room for at least need bytes (need <= 64 KiB) at the end of the output,
 * cap of them; send_commit(n) appends the first n written there */
char *send_room(size_t need, size_t *cap);
void send_commit(size_t n);
/* len bytes of fd from off; 0, or -1 when the file ended early */
int send_file(int fd, uint64_t off, uint64_t len);
/* end the connection: flush, half-close, drain briefly, exit */
void send_close(void) __attribute__((noreturn));
extern uint64_t send_total;	/* body and header bytes sent, for the log */

/* log.c */
int log_open(const char *dest);
/* where the default log goes, decided now rather than at the first line:
 * before fd 2 could be filled or the root changed */
void log_decide(void);
/* whether fd 2 may take diagnostics: open, and not a socket (inetd's client) */
int log_fd2(void);
void log_request(const char *line, size_t n, enum status s, uint64_t bytes,
    const struct span *referer, const struct span *agent, int64_t now);
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* -s: the client's address comes from the proxy's REMOTE_HOST and REMOTE_PORT */
void conn_proxied(void);
/* the connection's addresses and ports, as strings ("" when unknown) */
void conn_addrs(const char **raddr, const char **rport, const char **laddr,
    const char **lport);

#endif
