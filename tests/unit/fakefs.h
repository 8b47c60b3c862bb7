/*
 * fakefs.h: an in-memory filesystem view for the unit tests and the
 * fuzz target.  A fixed tree; handles are indexes into it, and the number
 * of handles still open is counted so that tests can catch a leak.
 */
#ifndef FAKEFS_H
#define FAKEFS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

struct fakefile {
	const char *path;
	enum ftype type;
	const char *data;
	int64_t mtime;
	int denied;		/* open gives 403 */
};

static const struct fakefile fake_tree[] = {
	{ "", FT_DIR, NULL, 1700000000, 0 },
	{ "index.html", FT_REG, "<!DOCTYPE html><title>home</title>\n", 1700000000, 0 },
	{ "hello.txt", FT_REG, "hello\n", 1700000000, 0 },
	{ "digits.txt", FT_REG, "0123456789", 1700000000, 0 },
	{ "style.css", FT_REG, "body{}\n", 1700000000, 0 },
	{ "page.html", FT_REG, "<p>page</p>\n", 1700000000, 0 },
	{ "page.html.gz", FT_REG, "GZ", 1700000000, 0 },
	{ "page.html.br", FT_REG, "BR", 1700000000, 0 },
	{ "secret.txt", FT_REG, "no", 1700000000, 1 },
	{ "fifo", FT_OTHER, NULL, 1700000000, 0 },
	{ "dir", FT_DIR, NULL, 1700000000, 0 },
	{ "dir/a.txt", FT_REG, "a", 1700000000, 0 },
	{ "dir/<b>.txt", FT_REG, "b", 1700000000, 0 },
	{ "dir/sub", FT_DIR, NULL, 1700000000, 0 },
	{ "dir/.hidden", FT_REG, "h", 1700000000, 0 },
	{ "withindex", FT_DIR, NULL, 1700000000, 0 },
	{ "withindex/index.html", FT_REG, "<p>index</p>\n", 1700000000, 0 },
	{ ".well-known", FT_DIR, NULL, 1700000000, 0 },
	{ ".well-known/security.txt", FT_REG, "Contact: x\n", 1700000000, 0 },
	{ ".git", FT_DIR, NULL, 1700000000, 0 },
	{ ".git/config", FT_REG, "[core]\n", 1700000000, 0 },
	{ "product.cgi", FT_REG, "#!/bin/sh\n", 1700000000, 0 },
	{ "plain.cgi", FT_REG, "not executable\n", 1700000000, 0 },
	/* the CGI directory */
	{ "@cgi/echo", FT_REG, "#!/bin/sh\n", 1700000000, 0 },
	{ "@cgi/nph-raw", FT_REG, "#!/bin/sh\n", 1700000000, 0 },
	{ "@cgi/readme.txt", FT_REG, "text\n", 1700000000, 0 },
	{ "@cgi/sub", FT_DIR, NULL, 1700000000, 0 },
	/* last, so that no other inode changes: modified on a Wednesday, an
	 * HTTP-date that starts with 'W' */
	{ "wed.txt", FT_REG, "0123456789", 1700086400, 0 },
};
#define FAKE_N ((int)(sizeof(fake_tree) / sizeof(fake_tree[0])))

static int fake_open_handles;

static enum status
fake_open(void *ctx, const char *path, struct finfo *fi)
{
	const struct fakefile *f;
	int i;

	(void)ctx;
	fi->handle = -1;
	for (i = 0; i < FAKE_N; i++) {
		f = &fake_tree[i];
		if (strcmp(f->path, path) != 0)
			continue;
		if (f->denied)
			return S_FORBIDDEN;
		fi->type = f->type;
		fi->size = f->data ? strlen(f->data) : (f->type == FT_DIR ? 4096 : 0);
		fi->mtime = f->mtime;
		fi->mtime_ns = 0;
		fi->ino = (uint64_t)i + 100;
		fi->exec = strstr(f->path, "cgi") != NULL &&
		    strcmp(f->path, "plain.cgi") != 0 && strstr(f->path, ".txt") == NULL;
		fi->handle = i;
		fake_open_handles++;
		return S_OK;
	}
	return S_NOT_FOUND;
}

static enum status
fake_cgi_open(void *ctx, const char *name, struct finfo *fi)
{
	char path[HTTP_MAX_PATH + 8];

	snprintf(path, sizeof(path), "@cgi/%s", name);
	return fake_open(ctx, path, fi);
}

static void
fake_close(void *ctx, int handle)
{
	(void)ctx;
	if (handle >= 0)
		fake_open_handles--;
}

static int
fake_list(void *ctx, int handle, const char *path, struct dent **ents)
{
	const char *dir = fake_tree[handle].path, *rest;
	size_t dn = strlen(dir);
	struct dent *e;
	int i, n = 0;

	(void)ctx;
	e = calloc((size_t)FAKE_N, sizeof(*e));
	if (e == NULL)
		return -1;
	for (i = 0; i < FAKE_N; i++) {
		const struct fakefile *f = &fake_tree[i];

		if (i == handle || strncmp(f->path, dir, dn) != 0)
			continue;
		rest = f->path + dn;
		if (dn > 0) {
			if (*rest != '/')
				continue;
			rest++;
		}
		if (*rest == '\0' || strchr(rest, '/') != NULL)
			continue;
		e[n].name = strdup(rest);
		e[n].type = f->type;
		e[n].size = f->data ? strlen(f->data) : 4096;
		e[n].mtime = f->mtime;
		n++;
	}
	*ents = e;
	return n;
}

static void
fake_freelist(void *ctx, struct dent *e, int n)
{
	int i;

	(void)ctx;
	for (i = 0; i < n; i++)
		free(e[i].name);
	free(e);
}

static const struct fsview fakefs = {
	NULL, fake_open, fake_close, fake_list, fake_freelist, fake_cgi_open,
};

/* the bytes of a fake file, for checking bodies */
static inline const char *
fake_data(int handle)
{
	return fake_tree[handle].data;
}

#endif
