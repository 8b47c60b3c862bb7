/*
 * shell.h: what the shells around the pure module share: the real
 * filesystem view, the output stream and the log.  Only shell files
 * (main.c, fs.c, send.c, log.c) include it.
 */
#ifndef SHELL_H
#define SHELL_H

#include "http.h"

#define SEND_SECS 60		/* a client that reads nothing this long is dropped */

/* fs.c */
struct fs {
	int root;		/* the docroot descriptor, -1 when it cannot be opened */
	struct fsview view;
};
void fs_init(struct fs *f, const char *docroot);

/* send.c: buffered output to fd 1; a dead client ends the process */
void send_init(void);
void send_bytes(const void *p, size_t n);
void send_flush(void);
/* len bytes of fd from off; 0, or -1 when the file ended early */
int send_file(int fd, uint64_t off, uint64_t len);
/* end the connection: flush, half-close, drain briefly, exit */
void send_close(void) __attribute__((noreturn));
extern uint64_t send_total;	/* body and header bytes sent, for the log */

/* log.c */
int log_open(const char *dest);
void log_request(const char *line, size_t n, enum status s, uint64_t bytes,
    const struct span *referer, const struct span *agent, int64_t now);
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
