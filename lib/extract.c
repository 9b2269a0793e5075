// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Recreate an image's tree on disk without ever writing outside it.
 *
 * Every entry is created relative to its parent directory's descriptor,
 * and nothing the image names is ever followed: files are opened with
 * O_EXCL | O_NOFOLLOW, directories with O_NOFOLLOW, owners are changed with
 * AT_SYMLINK_NOFOLLOW. Modes are applied last: a file is filled while only
 * we can write it, a directory keeps 0700 until its contents are done.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "image_internal.h"

/* Longest symlink target Linux creates (PATH_MAX minus the NUL). */
#define LINK_TARGET_MAX 4095u

struct open_dir {
	int fd;
	char *path;              /* for messages; NULL for the root */
	struct cramfs_inode inode;
};

struct extract {
	struct cramfs_image *img;
	const struct cramfs_extract_opts *opts;
	const char *dir;
	struct open_dir *dirs;   /* index = depth */
	unsigned int ndirs;
	int fd;                  /* file being written */
	const struct cramfs_entry *entry;
	char link[LINK_TARGET_MAX + 1];
	size_t link_len;
};

static int sys_fail(struct extract *x, const char *path, const char *what)
{
	int err = errno ? -errno : -EIO;

	return cramfs_msg_set(&x->img->msg, err, "%s%s%s: %s: %s", x->dir,
			      *path ? "/" : "", path, what, strerror(-err));
}

static void skip(struct extract *x, const char *path, const char *why)
{
	if (x->opts->on_skip)
		x->opts->on_skip(x->opts->arg, path, why);
}

/*
 * Permission bits to apply. Set-id bits only go with the recorded owner:
 * on a file owned by whoever extracts, they would hand that user's rights
 * (root's, typically) to whoever wrote the image.
 */
static mode_t final_mode(struct extract *x, const struct cramfs_entry *e)
{
	mode_t mode = e->inode.mode & 07777;

	if (!x->opts->restore_owner && !S_ISDIR(e->inode.mode) &&
	    (mode & (S_ISUID | S_ISGID))) {
		skip(x, e->path, "setuid/setgid bits dropped (owner not restored)");
		mode &= ~(mode_t)(S_ISUID | S_ISGID);
	}
	return mode;
}

/* ------------------------------------------------------------------ */
/* Directories.                                                         */
/* ------------------------------------------------------------------ */

static int finish_dir(struct extract *x, struct open_dir *d, const char *path)
{
	int ret = 0;

	if (x->opts->restore_owner &&
	    fchown(d->fd, d->inode.uid, d->inode.gid))
		ret = sys_fail(x, path, "cannot change owner");
	/* After fchown(), which may clear set-id bits. */
	if (!ret && fchmod(d->fd, d->inode.mode & 07777))
		ret = sys_fail(x, path, "cannot change mode");
	if (close(d->fd) && !ret)
		ret = sys_fail(x, path, "cannot close");
	d->fd = -1;
	return ret;
}

/* Directories at `depth` and deeper are complete: give them their modes. */
static int close_dirs(struct extract *x, unsigned int depth)
{
	int ret = 0;

	while (x->ndirs > depth) {
		struct open_dir *d = &x->dirs[--x->ndirs];
		int r = finish_dir(x, d, d->path ? d->path : "");

		free(d->path);
		d->path = NULL;
		if (r && !ret)
			ret = r;
	}
	return ret;
}

static void drop_dirs(struct extract *x)
{
	while (x->ndirs) {
		struct open_dir *d = &x->dirs[--x->ndirs];

		if (d->fd >= 0)
			close(d->fd);
		free(d->path);
		d->path = NULL;
	}
}

static int make_dir(struct extract *x, int parent, const struct cramfs_entry *e)
{
	struct open_dir *d;
	char *path;
	int fd;

	if (mkdirat(parent, e->name, 0700))
		return sys_fail(x, e->path, "cannot create directory");
	fd = openat(parent, e->name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return sys_fail(x, e->path, "cannot open directory");
	/* The walk reuses its path buffer; keep a copy for late messages. */
	path = strdup(e->path);
	if (!path) {
		close(fd);
		return cramfs_msg_set(&x->img->msg, -ENOMEM, "out of memory");
	}
	d = &x->dirs[x->ndirs++];
	d->fd = fd;
	d->path = path;
	d->inode = e->inode;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Files, symlinks and nodes.                                           */
/* ------------------------------------------------------------------ */

static int write_sink(void *arg, const void *buf, size_t len)
{
	struct extract *x = arg;
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(x->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = EIO;
		if (n <= 0)
			return sys_fail(x, x->entry->path, "cannot write");
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int make_file(struct extract *x, int parent, const struct cramfs_entry *e)
{
	mode_t mode = final_mode(x, e);
	int ret = 0;

	x->fd = openat(parent, e->name,
		       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		       0600);
	if (x->fd < 0)
		return sys_fail(x, e->path, "cannot create file");
	x->entry = e;
	if (e->inode.size)
		ret = cramfs_image_read_data(x->img, e, write_sink, x);
	if (!ret && x->opts->restore_owner &&
	    fchown(x->fd, e->inode.uid, e->inode.gid))
		ret = sys_fail(x, e->path, "cannot change owner");
	if (!ret && fchmod(x->fd, mode))
		ret = sys_fail(x, e->path, "cannot change mode");
	if (close(x->fd) && !ret)
		ret = sys_fail(x, e->path, "cannot close");
	x->fd = -1;
	return ret;
}

static int link_sink(void *arg, const void *buf, size_t len)
{
	struct extract *x = arg;

	/* The size was checked; the blocks decode to exactly that many bytes. */
	if (len > LINK_TARGET_MAX - x->link_len)
		return -ENAMETOOLONG;
	memcpy(x->link + x->link_len, buf, len);
	x->link_len += len;
	return 0;
}

static int make_link(struct extract *x, int parent, const struct cramfs_entry *e)
{
	int ret;

	if (e->inode.size == 0) {
		skip(x, e->path, "symlink with an empty target not created");
		return 0;
	}
	if (e->inode.size > LINK_TARGET_MAX) {
		skip(x, e->path, "symlink target longer than 4095 bytes not created");
		return 0;
	}
	x->link_len = 0;
	ret = cramfs_image_read_data(x->img, e, link_sink, x);
	if (ret)
		return ret;
	x->link[x->link_len] = '\0';
	if (strlen(x->link) != x->link_len) {
		skip(x, e->path, "symlink target with a NUL byte not created");
		return 0;
	}
	if (symlinkat(x->link, parent, e->name))
		return sys_fail(x, e->path, "cannot create symlink");
	if (x->opts->restore_owner &&
	    fchownat(parent, e->name, e->inode.uid, e->inode.gid,
		     AT_SYMLINK_NOFOLLOW))
		return sys_fail(x, e->path, "cannot change owner");
	return 0;
}

/* Devices, fifos and sockets: no data, made with mknodat(). */
static int make_node(struct extract *x, int parent, const struct cramfs_entry *e)
{
	uint32_t type = e->inode.mode & S_IFMT;
	dev_t dev = 0;
	mode_t mode;

	if (type == S_IFCHR || type == S_IFBLK) {
		if (!x->opts->create_devices) {
			skip(x, e->path, "device node not created");
			return 0;
		}
		/* What the kernel decodes: a 16-bit old-style number. */
		dev = makedev((e->inode.size >> 8) & 0xff, e->inode.size & 0xff);
	}
	mode = final_mode(x, e);
	if (mknodat(parent, e->name, type | 0600, dev))
		return sys_fail(x, e->path, "cannot create node");
	if (x->opts->restore_owner &&
	    fchownat(parent, e->name, e->inode.uid, e->inode.gid,
		     AT_SYMLINK_NOFOLLOW))
		return sys_fail(x, e->path, "cannot change owner");
	/* Just created by us in a directory only we can write: no swap. */
	if (fchmodat(parent, e->name, mode, 0))
		return sys_fail(x, e->path, "cannot change mode");
	return 0;
}

/* ------------------------------------------------------------------ */
/* The walk.                                                            */
/* ------------------------------------------------------------------ */

static bool safe_name(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") &&
	       strcmp(name, "..");
}

static int extract_entry(void *arg, const struct cramfs_entry *e)
{
	struct extract *x = arg;
	int ret, parent;

	if (e->depth == 0) {
		x->dirs[0].inode = e->inode;
		return 0;
	}
	ret = close_dirs(x, e->depth);
	if (ret)
		return ret;
	if (x->ndirs != e->depth)
		return cramfs_msg_set(&x->img->msg, -EINVAL,
				      "%s: parent directory not open", e->path);
	if (!safe_name(e->name))
		return cramfs_msg_set(&x->img->msg, -CRAMFS_ECORRUPT,
				      "%s: refusing unsafe name", e->path);
	parent = x->dirs[e->depth - 1].fd;
	switch (e->inode.mode & S_IFMT) {
	case S_IFDIR:
		return make_dir(x, parent, e);
	case S_IFREG:
		return make_file(x, parent, e);
	case S_IFLNK:
		return make_link(x, parent, e);
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return make_node(x, parent, e);
	default:
		return cramfs_msg_set(&x->img->msg, -CRAMFS_ECORRUPT,
				      "%s: unknown file type in mode 0%o",
				      e->path, e->inode.mode);
	}
}

static int dir_is_empty(struct extract *x, int fd)
{
	struct dirent *de;
	int dup_fd = dup(fd);
	DIR *d;

	if (dup_fd < 0 || !(d = fdopendir(dup_fd))) {
		if (dup_fd >= 0)
			close(dup_fd);
		return sys_fail(x, "", "cannot read directory");
	}
	errno = 0;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			closedir(d);
			return cramfs_msg_set(&x->img->msg, -ENOTEMPTY,
					      "%s: directory is not empty",
					      x->dir);
		}
	}
	closedir(d);
	return 0;
}

static int open_target(struct extract *x)
{
	bool created = mkdir(x->dir, 0700) == 0;
	int fd;

	if (!created && errno != EEXIST)
		return sys_fail(x, "", "cannot create directory");
	fd = open(x->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return sys_fail(x, "", "cannot open directory");
	if (!created) {
		int ret = dir_is_empty(x, fd);

		if (ret) {
			close(fd);
			return ret;
		}
	}
	x->dirs[0].fd = fd;
	x->ndirs = 1;
	return 0;
}

int cramfs_extract(struct cramfs_image *img, const char *dir,
		   const struct cramfs_extract_opts *opts)
{
	static const struct cramfs_extract_opts defaults;
	struct extract *x;
	int ret;

	if (!img || !dir || !*dir)
		return -EINVAL;
	if (!img->open)
		return cramfs_msg_set(&img->msg, -EINVAL, "no image open");
	x = calloc(1, sizeof(*x));
	if (x)
		x->dirs = calloc(CRAMFS_WALK_MAX_DEPTH + 1, sizeof(*x->dirs));
	if (!x || !x->dirs) {
		free(x);
		return cramfs_msg_set(&img->msg, -ENOMEM, "out of memory");
	}
	x->img = img;
	x->opts = opts ? opts : &defaults;
	x->dir = dir;
	x->fd = -1;
	ret = open_target(x);
	if (!ret)
		ret = cramfs_image_walk(img, extract_entry, x);
	if (!ret)
		ret = close_dirs(x, 0);
	drop_dirs(x);
	free(x->dirs);
	free(x);
	return ret;
}
