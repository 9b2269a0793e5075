// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Write an image's tree as a pax tar archive (libarchive).
 *
 * Entries go out in walk order (parents first), named "./" and
 * "./<path>", with the stored mode, owner and a zero mtime. File data is
 * streamed block by block from cramfs_image_read_data() straight into the
 * archive: no file is ever held in memory whole. Sockets, which tar cannot
 * represent, are reported through on_skip and left out.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "image_internal.h"

/* Longest symlink target Linux creates (PATH_MAX minus the NUL). */
#define TAR_LINK_MAX 4095u

struct tar_out {
	struct cramfs_image *img;
	const struct cramfs_extract_opts *opts;
	struct archive *ar;
	struct archive_entry *ae;
	const struct cramfs_entry *entry;
	char *name;              /* "./" + path */
	size_t name_cap;
	uint64_t written;        /* data bytes of the current file */
	char link[TAR_LINK_MAX + 1];
	size_t link_len;
};

static int ar_fail(struct tar_out *t, const char *path, const char *what)
{
	const char *why = archive_error_string(t->ar);
	int err = archive_errno(t->ar);

	if (err <= 0)
		err = EIO;
	return cramfs_msg_set(&t->img->msg, -err, "%s%s%s: %s", path,
			      *path ? ": " : "", what,
			      why ? why : strerror(err));
}

static void tar_skip(struct tar_out *t, const char *path, const char *why)
{
	if (t->opts->on_skip)
		t->opts->on_skip(t->opts->arg, path, why);
}

static int set_name(struct tar_out *t, const char *path)
{
	size_t need = strlen(path) + 3;

	if (need > t->name_cap) {
		char *n = realloc(t->name, need);

		if (!n)
			return cramfs_msg_set(&t->img->msg, -ENOMEM,
					      "out of memory");
		t->name = n;
		t->name_cap = need;
	}
	memcpy(t->name, "./", 2);
	memcpy(t->name + 2, path, need - 2);
	return 0;
}

static int data_sink(void *arg, const void *buf, size_t len)
{
	struct tar_out *t = arg;
	const char *p = buf;

	while (len) {
		la_ssize_t n = archive_write_data(t->ar, p, len);

		if (n <= 0)
			return ar_fail(t, t->entry->path, "cannot write data");
		p += n;
		len -= (size_t)n;
		t->written += (uint64_t)n;
	}
	return 0;
}

static int link_sink(void *arg, const void *buf, size_t len)
{
	struct tar_out *t = arg;

	if (len > TAR_LINK_MAX - t->link_len)
		return -ENAMETOOLONG;
	memcpy(t->link + t->link_len, buf, len);
	t->link_len += len;
	return 0;
}

static bool safe_name(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") &&
	       strcmp(name, "..");
}

/* Header fields; 1 when the entry is to be left out. */
static int fill_header(struct tar_out *t, const struct cramfs_entry *e)
{
	const struct cramfs_inode *in = &e->inode;
	struct archive_entry *ae = t->ae;
	int ret;

	archive_entry_clear(ae);
	archive_entry_set_pathname(ae, t->name);
	archive_entry_set_mode(ae, in->mode);
	archive_entry_set_uid(ae, in->uid);
	archive_entry_set_gid(ae, in->gid);
	archive_entry_set_mtime(ae, 0, 0);
	archive_entry_set_size(ae, 0);
	switch (in->mode & S_IFMT) {
	case S_IFDIR:
	case S_IFIFO:
		break;
	case S_IFREG:
		archive_entry_set_size(ae, in->size);
		break;
	case S_IFCHR:
	case S_IFBLK:
		/* What the kernel decodes: major << 8 | minor, 8 bits each. */
		archive_entry_set_rdevmajor(ae, (in->size >> 8) & 0xff);
		archive_entry_set_rdevminor(ae, in->size & 0xff);
		break;
	case S_IFLNK:
		if (in->size == 0 || in->size > TAR_LINK_MAX) {
			tar_skip(t, e->path, in->size ?
				 "symlink target longer than 4095 bytes not archived" :
				 "symlink with an empty target not archived");
			return 1;
		}
		t->link_len = 0;
		ret = cramfs_image_read_data(t->img, e, link_sink, t);
		if (ret)
			return ret;
		t->link[t->link_len] = '\0';
		if (strlen(t->link) != t->link_len) {
			tar_skip(t, e->path, "symlink target with a NUL byte not archived");
			return 1;
		}
		archive_entry_set_symlink(ae, t->link);
		break;
	case S_IFSOCK:
		tar_skip(t, e->path, "socket not archived (tar cannot hold sockets)");
		return 1;
	default:
		return cramfs_msg_set(&t->img->msg, -CRAMFS_ECORRUPT,
				      "%s: unknown file type in mode 0%o",
				      e->path, in->mode);
	}
	return 0;
}

static int tar_entry(void *arg, const struct cramfs_entry *e)
{
	struct tar_out *t = arg;
	int ret;

	if (e->depth && !safe_name(e->name))
		return cramfs_msg_set(&t->img->msg, -CRAMFS_ECORRUPT,
				      "%s: refusing unsafe name", e->path);
	ret = set_name(t, e->path);
	if (ret)
		return ret;
	ret = fill_header(t, e);
	if (ret)
		return ret > 0 ? 0 : ret;
	/* ARCHIVE_WARN: a name libarchive could not convert; stored as is. */
	if (archive_write_header(t->ar, t->ae) < ARCHIVE_WARN)
		return ar_fail(t, e->path, "cannot write header");
	if (S_ISREG(e->inode.mode) && e->inode.size) {
		t->entry = e;
		t->written = 0;
		ret = cramfs_image_read_data(t->img, e, data_sink, t);
		if (ret)
			return ret;
		if (t->written != e->inode.size)
			return cramfs_msg_set(&t->img->msg, -CRAMFS_ECORRUPT,
					      "%s: data is %llu bytes, not %u",
					      e->path,
					      (unsigned long long)t->written,
					      e->inode.size);
	}
	if (archive_write_finish_entry(t->ar) < ARCHIVE_WARN)
		return ar_fail(t, e->path, "cannot finish entry");
	return 0;
}

int cramfs_extract_tar(struct cramfs_image *img, int fd,
		       const struct cramfs_extract_opts *opts)
{
	static const struct cramfs_extract_opts defaults;
	struct tar_out *t;
	int ret = 0;

	if (!img || fd < 0)
		return -EINVAL;
	if (!img->open)
		return cramfs_msg_set(&img->msg, -EINVAL, "no image open");
	t = calloc(1, sizeof(*t));
	if (!t)
		return cramfs_msg_set(&img->msg, -ENOMEM, "out of memory");
	t->img = img;
	t->opts = opts ? opts : &defaults;
	t->ar = archive_write_new();
	t->ae = archive_entry_new();
	if (!t->ar || !t->ae) {
		ret = cramfs_msg_set(&img->msg, -ENOMEM, "out of memory");
		goto out;
	}
	if (archive_write_set_format_pax_restricted(t->ar) != ARCHIVE_OK ||
	    archive_write_add_filter_none(t->ar) != ARCHIVE_OK ||
	    /* The same bytes to a file, a pipe or stdout: no record padding. */
	    archive_write_set_bytes_in_last_block(t->ar, 1) != ARCHIVE_OK ||
	    archive_write_open_fd(t->ar, fd) != ARCHIVE_OK) {
		ret = ar_fail(t, "", "cannot start the archive");
		goto out;
	}
	ret = cramfs_image_walk(img, tar_entry, t);
	if (archive_write_close(t->ar) != ARCHIVE_OK && !ret)
		ret = ar_fail(t, "", "cannot finish the archive");
out:
	if (t->ar)
		archive_write_free(t->ar);
	if (t->ae)
		archive_entry_free(t->ae);
	free(t->name);
	free(t);
	return ret;
}
