/*
 * fs.c: the real filesystem view, confined below the document root.
 * Every path is opened relative to a docroot descriptor with openat2 and
 * RESOLVE_BENEATH, so neither '..' nor a symlink can leave the root; where
 * the kernel lacks openat2, each component is opened with O_NOFOLLOW.
 */
#include <sys/stat.h>
#include <sys/syscall.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "shell.h"

/* openat2(2)'s argument and flags, as the kernel defines them (not every
 * C library ships <linux/openat2.h>) */
struct how {
	uint64_t flags, mode, resolve;
};
#define BENEATH 0x08		/* RESOLVE_BENEATH */
#define NO_MAGICLINKS 0x02	/* RESOLVE_NO_MAGICLINKS */
#ifndef SYS_openat2
#define SYS_openat2 437
#endif

static int noopenat2;
int fs_holes;

/*
 * The file last served stays open, so that asking for it again on the same
 * connection costs at most one fstatat(2) instead of openat2, fstat and
 * close.  It is used only while the path still names the same inode,
 * unchanged: same device, inode, size, mode, mtime and ctime (which no one
 * can set back).  That is checked at most once a second, as the stat caches
 * of other servers do: a change shows on an open connection within a
 * second.  A small file asked for again also keeps its bytes, if its ctime
 * is over a second old when they are read: a write in the same clock tick
 * as the read could otherwise leave the times unchanged.
 */
static struct {
	int held;		/* fd is open */
	int fd;
	int root;		/* the root descriptor path is below */
	int lent;		/* handed out and not yet closed */
	int again;		/* asked for again since it was opened */
	int64_t checked;	/* the second it was last found unchanged */
	size_t nbytes;		/* bytes kept: the whole file, or 0 */
	struct stat st;
	char path[256];		/* longer paths are not kept: the state stays small */
} last;
static char *bytes;		/* SMALL_FILE, allocated when first needed */

/*
 * names "<last.path>.EXT" found missing in the second absent.at, so that a
 * client asking again for the file it was just sent (a browser's
 * Accept-Encoding makes that three lookups of .br, .zst and .gz) does not
 * look for them again until the clock turns: like the file itself, a new
 * variant shows within a second
 */
#define ABSENT_N 4
static struct {
	int64_t at;
	int n;
	char ext[ABSENT_N][8];	/* ".br", ".zst"... */
} absent;

/* path as last.path with a short ".EXT" after it: the ".EXT", else NULL */
static const char *
ext_of_last(const struct fs *f, const char *path)
{
	size_t n = strlen(last.path), k;

	if (!last.held || last.root != f->root || strncmp(path, last.path, n) != 0 ||
	    path[n] != '.')
		return NULL;
	k = strlen(path + n);
	return k < sizeof(absent.ext[0]) && strchr(path + n, '/') == NULL ? path + n : NULL;
}

static int
known_absent(const struct fs *f, const char *path)
{
	const char *ext;
	int i;

	if (absent.n == 0 || absent.at != shell_now || (ext = ext_of_last(f, path)) == NULL)
		return 0;
	for (i = 0; i < absent.n; i++)
		if (strcmp(absent.ext[i], ext) == 0)
			return 1;
	return 0;
}

static void
note_absent(const struct fs *f, const char *path)
{
	const char *ext = ext_of_last(f, path);

	if (ext == NULL)
		return;
	if (absent.at != shell_now)
		absent.n = 0;
	absent.at = shell_now;
	if (absent.n < ABSENT_N)
		strcpy(absent.ext[absent.n++], ext);
}

static int
same(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size && a->st_mode == b->st_mode &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	    a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

int
fd_above2(int fd)
{
	int nfd;

	if (fd < 0 || fd > 2)
		return fd;
	fs_holes = 1;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return nfd;
}

void
fd_fill_std(void)
{
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
}

static enum ftype
ftype(mode_t m)
{
	if (S_ISREG(m))
		return FT_REG;
	if (S_ISDIR(m))
		return FT_DIR;
	return FT_OTHER;
}

/* without openat2: walk the components, refusing every symlink */
static int
walk(int root, const char *path, int flags)
{
	char comp[HTTP_MAX_PATH];
	const char *p = path, *slash;
	int fd = root, next;
	size_t n;

	if (*p == '\0')
		return openat(root, ".", flags);
	for (;;) {
		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		if (n >= sizeof(comp)) {
			errno = ENAMETOOLONG;
			next = -1;
		} else {
			memcpy(comp, p, n);
			comp[n] = '\0';
			next = openat(fd, comp, slash ? O_RDONLY | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC : flags | O_NOFOLLOW);
		}
		if (fd != root)
			close(fd);
		if (next < 0 || slash == NULL)
			return next;
		fd = next;
		p = slash + 1;
	}
}

static int
beneath(int root, const char *path, int flags)
{
	struct how how;
	int fd;

	if (!noopenat2) {
		memset(&how, 0, sizeof(how));
		how.flags = (uint64_t)flags;
		how.resolve = BENEATH | NO_MAGICLINKS;
		fd = (int)syscall(SYS_openat2, root, *path ? path : ".", &how,
		    sizeof(how));
		if (fd >= 0 || errno != ENOSYS)
			return fd;
		noopenat2 = 1;
	}
	return walk(root, path, flags);
}

static void
fill(struct finfo *fi, const struct stat *st, int fd)
{
	fi->type = ftype(st->st_mode);
	fi->size = (uint64_t)st->st_size;
	fi->mtime = (int64_t)st->st_mtim.tv_sec;
	fi->mtime_ns = st->st_mtim.tv_nsec;
	fi->ino = (uint64_t)st->st_ino;
	fi->exec = (st->st_mode & 0111) != 0;
	fi->handle = fd;
}

static enum status
fs_open(void *ctx, const char *path, struct finfo *fi)
{
	struct fs *f = ctx;
	struct stat st;
	int fd;

	fi->handle = -1;
	if (f->root < 0)
		return S_INTERNAL;
	if (known_absent(f, path))
		return S_NOT_FOUND;
	if (last.held && !last.lent && last.root == f->root &&
	    strcmp(last.path, path) == 0) {
		if (shell_now == last.checked ||
		    (fstatat(f->root, path, &st, 0) == 0 && same(&st, &last.st))) {
			last.checked = shell_now;
			last.lent = 1;
			last.again = 1;
			fill(fi, &last.st, last.fd);
			return S_OK;
		}
		close(last.fd);
		last.held = 0;
		last.nbytes = 0;
		absent.n = 0;
	}
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	fd = beneath(f->root, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM)
			return S_FORBIDDEN;
		if (errno == EMFILE || errno == ENFILE || errno == ENOMEM)
			return S_INTERNAL;
		/* ENOENT, ENOTDIR, EXDEV (a way out of the root), ELOOP... */
		if (errno == ENOENT)
			note_absent(f, path);
		return S_NOT_FOUND;
	}
	if (fstat(fd, &st) < 0) {
		close(fd);
		return S_INTERNAL;
	}
	fill(fi, &st, fd);
	/* a regular file of the document root becomes the one kept open */
	if (S_ISREG(st.st_mode) && !last.lent && f->root == f->docroot &&
	    strlen(path) < sizeof(last.path)) {
		if (last.held)
			close(last.fd);
		last.held = 1;
		absent.n = 0;
		last.fd = fd;
		last.root = f->root;
		last.lent = 1;
		last.again = 0;
		last.checked = shell_now;
		last.nbytes = 0;
		last.st = st;
		strcpy(last.path, path);
	}
	return S_OK;
}

const char *
fs_bytes(int fd, uint64_t off, uint64_t len)
{
	if (!last.held || fd != last.fd || last.nbytes == 0 ||
	    off > last.nbytes || len > last.nbytes - off)
		return NULL;
	return bytes + off;
}

void
fs_keep(int fd, const char *p, uint64_t off, uint64_t len)
{
	/* not for a file asked for once: a process serving one request
	 * would only touch more memory */
	if (!last.held || fd != last.fd || !last.again || off != 0 ||
	    len != (uint64_t)last.st.st_size || len == 0 ||
	    len > SMALL_FILE ||
	    (int64_t)last.st.st_ctim.tv_sec >= shell_now - 1)
		return;
	if (bytes == NULL && (bytes = malloc(SMALL_FILE)) == NULL)
		return;
	memcpy(bytes, p, (size_t)len);
	last.nbytes = (size_t)len;
}

static enum status
fs_cgi_open(void *ctx, const char *name, struct finfo *fi)
{
	struct fs *f = ctx;
	struct fs g = *f;

	if (f->cgiroot == -2)
		f->cgiroot = openat(AT_FDCWD, f->cgidir, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC);
	if (f->cgiroot < 0)
		return S_NOT_FOUND;
	g.root = f->cgiroot;
	return fs_open(&g, name, fi);
}

static void
fs_close(void *ctx, int handle)
{
	if (handle >= 0 && last.held && handle == last.fd)
		last.lent = 0;
	else if (handle >= 0)
		close(handle);
}

/*
 * the type, size and time of one entry of the directory dfd, whose path
 * beneath the root is dir; a symlink only if a request could follow it,
 * that is if it resolves beneath the root (not only beneath dfd: a link
 * to ../x may stay inside)
 */
static int
entry(const struct fs *f, int dfd, const char *dir, const struct dirent *d,
    struct dent *e)
{
	/* static: a frame this large would touch a stack page more in every
	 * listing; this is touched only when an entry is a link */
	static char path[HTTP_MAX_PATH + 256 + 2] LARGE;
	struct stat st;
	size_t n = strlen(dir), k;
	int fd;

	if (d->d_type == DT_LNK || d->d_type == DT_UNKNOWN) {
		k = strlen(d->d_name);
		if (n + k + 2 > sizeof(path))
			return -1;
		memcpy(path, dir, n + 1);
		if (n > 0 && dir[n - 1] != '/')
			path[n++] = '/';
		memcpy(path + n, d->d_name, k + 1);
		fd = beneath(f->root, path, O_PATH | O_CLOEXEC);
		if (fd < 0)
			return -1;
		if (fstat(fd, &st) < 0) {
			close(fd);
			return -1;
		}
		close(fd);
	} else if (fstatat(dfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		return -1;
	}
	e->type = ftype(st.st_mode);
	e->size = (uint64_t)st.st_size;
	e->mtime = (int64_t)st.st_mtim.tv_sec;
	return 0;
}

static void
fs_freelist(void *ctx, struct dent *e, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(e[i].name);
	free(e);
}

static int
fs_list(void *ctx, int handle, const char *path, struct dent **ents)
{
	const struct fs *f = ctx;
	struct dent *e = NULL, *ne;
	struct dirent *d;
	DIR *dir;
	int dfd, n = 0, cap = 0;

	if ((dfd = fcntl(handle, F_DUPFD_CLOEXEC, 0)) < 0)
		return -1;
	if ((dir = fdopendir(dfd)) == NULL) {
		close(dfd);
		return -1;
	}
	while ((d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((ne = realloc(e, (size_t)cap * sizeof(*e))) == NULL)
				break;
			e = ne;
		}
		if (entry(f, dirfd(dir), path, d, &e[n]) < 0)
			continue;
		if ((e[n].name = strdup(d->d_name)) == NULL)
			break;
		n++;
	}
	closedir(dir);
	*ents = e;
	return n;
}

void
fs_init(struct fs *f, const char *docroot, const char *cgidir, int eager)
{
	f->root = f->docroot = fd_above2(openat(AT_FDCWD, docroot,
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	f->cgidir = cgidir;
	f->cgiroot = cgidir == NULL ? -1 : !eager ? -2 :
	    fd_above2(openat(AT_FDCWD, cgidir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	f->view.ctx = f;
	f->view.open = fs_open;
	f->view.close = fs_close;
	f->view.list = fs_list;
	f->view.freelist = fs_freelist;
	f->view.cgi_open = fs_cgi_open;
}
