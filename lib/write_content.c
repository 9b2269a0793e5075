// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading what goes into the image. Files are read with read(), never
 * mmap(): a file that shrinks under mmap raises SIGBUS. A file that is
 * replaced, grows or shrinks between the scan and the read is an error,
 * never a silently corrupt image.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "write.h"

static int read_exact(int fd, uint8_t *buf, size_t len, size_t *got)
{
	*got = 0;
	while (*got < len) {
		ssize_t n = read(fd, buf + *got, len - *got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	return 0;
}

/*
 * Read `len` bytes at `from`, asking the file system where the data is
 * (SEEK_DATA/SEEK_HOLE) so that the holes of a sparse file are zero-filled,
 * not read page by page. *got < len: the file ended early.
 */
static int read_sparse(int fd, uint8_t *buf, uint64_t from, size_t len,
		       size_t *got)
{
	uint64_t end = from + len;
	size_t pos = 0, n;
	int err;

	while (pos < len) {
		off_t data = lseek(fd, (off_t)(from + pos), SEEK_DATA);
		off_t hole;

		if (data < 0 && errno != ENXIO)
			break; /* no SEEK_DATA here: read the rest */
		if (data < 0 || (uint64_t)data > end)
			data = (off_t)end; /* a hole up to the end */
		memset(buf + pos, 0, (size_t)((uint64_t)data - from) - pos);
		pos = (size_t)((uint64_t)data - from);
		if (pos == len)
			break;
		hole = lseek(fd, data, SEEK_HOLE);
		if (hole < 0 || (uint64_t)hole > end)
			hole = (off_t)end;
		if (lseek(fd, data, SEEK_SET) < 0)
			return -errno;
		err = read_exact(fd, buf + pos, (size_t)(hole - data), &n);
		if (err)
			return err;
		pos += n;
		if (n < (size_t)(hole - data)) {
			*got = pos;
			return 0;
		}
	}
	if (lseek(fd, (off_t)(from + pos), SEEK_SET) < 0)
		return -errno;
	err = read_exact(fd, buf + pos, len - pos, &n);
	*got = pos + n;
	return err;
}

static int changed(struct cramfs_writer *w, const char *why)
{
	return cramfs_msg_set(&w->tree->msg, -ESTALE,
			      "%s: file changed during the build (%s)",
			      w->src.path, why);
}

int cramfs_source_open(struct cramfs_writer *w, uint32_t id)
{
	const struct cramfs_node *n = &w->tree->nodes[id];
	struct cramfs_reader *s = &w->src;
	struct stat st;

	s->id = id;
	s->fd = -1;
	s->done = 0;
	s->sparse = false;
	s->crc = 0;
	if (cramfs_tree_path(w->tree, id, s->path, sizeof(s->path)))
		return cramfs_msg_set(&w->tree->msg, -ENAMETOOLONG,
				      "%s: path too long", n->name);
	s->active = true;
	if (n->src != CRAMFS_SRC_FILE)
		return 0;
	/* O_NONBLOCK: a FIFO put in the file's place must not block open(). */
	s->fd = openat(w->tree->rootfd, s->path,
		       O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (s->fd < 0)
		return cramfs_msg_set(&w->tree->msg, -errno,
				      "%s: cannot open: %s", s->path,
				      strerror(errno));
	if (fstat(s->fd, &st) < 0)
		return cramfs_msg_set(&w->tree->msg, -errno, "%s: %s", s->path,
				      strerror(errno));
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_dev != n->dev ||
	    (uint64_t)st.st_ino != n->ino)
		return changed(w, "replaced by another file");
	if ((uint64_t)st.st_size != n->size)
		return changed(w, "size differs from the scan");
	/* Few blocks on disk for the size: ask where the data is. */
	s->sparse = (uint64_t)st.st_blocks * 512u < n->size;
	return 0;
}

int cramfs_source_read(struct cramfs_writer *w, uint8_t *buf, size_t len,
		       const uint8_t **data)
{
	const struct cramfs_node *n = &w->tree->nodes[w->src.id];
	struct cramfs_reader *s = &w->src;
	size_t got = 0;
	int err;

	if (n->src == CRAMFS_SRC_MEMORY) {
		*data = n->data + s->done;
	} else if (n->src == CRAMFS_SRC_SPOOL) {
		err = cramfs_pread_all(w->tree->spoolfd, buf, len,
				       n->spool_off + s->done);
		if (err)
			return cramfs_msg_set(&w->tree->msg, err,
					      "%s: cannot read the spooled archive data: %s",
					      s->path, strerror(-err));
		*data = buf;
	} else {
		err = s->sparse ? read_sparse(s->fd, buf, s->done, len, &got) :
				  read_exact(s->fd, buf, len, &got);
		if (err)
			return cramfs_msg_set(&w->tree->msg, err,
					      "%s: cannot read: %s", s->path,
					      strerror(-err));
		if (got < len)
			return changed(w, "shorter than at the scan");
		*data = buf;
	}
	s->crc = cramfs_crc32(s->crc, *data, len);
	s->done += len;
	return 0;
}

int cramfs_source_close(struct cramfs_writer *w)
{
	struct cramfs_reader *s = &w->src;
	struct stat st;
	uint8_t extra;
	size_t got = 0;
	int err = 0;

	s->active = false;
	if (s->fd < 0)
		return 0;
	if (lseek(s->fd, (off_t)s->done, SEEK_SET) < 0)
		err = -errno;
	if (!err)
		err = read_exact(s->fd, &extra, 1, &got);
	/* A file cut short inside a hole reads as zeros: ask again. */
	if (!err && !got && (fstat(s->fd, &st) < 0 ||
			     (uint64_t)st.st_size != s->done))
		got = SIZE_MAX;
	close(s->fd);
	s->fd = -1;
	if (err)
		return cramfs_msg_set(&w->tree->msg, err, "%s: cannot read: %s",
				      s->path, strerror(-err));
	if (got == SIZE_MAX)
		return changed(w, "shorter than at the scan");
	return got ? changed(w, "longer than at the scan") : 0;
}

int cramfs_insert_open(struct cramfs_writer *w, uint32_t *len)
{
	const char *path = w->opts->insert_file;
	struct stat st;

	*len = 0;
	if (!path)
		return 0;
	w->insert_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (w->insert_fd < 0 || fstat(w->insert_fd, &st) < 0)
		return cramfs_msg_set(&w->tree->msg, -errno,
				      "file to insert (-i) %s: %s", path,
				      strerror(errno));
	if (!S_ISREG(st.st_mode))
		return cramfs_msg_set(&w->tree->msg, -EINVAL,
				      "%s: not a regular file", path);
	if (st.st_size >= CRAMFS_OFFSET_LIMIT)
		return cramfs_msg_set(&w->tree->msg, -EFBIG,
				      "%s: %ju bytes; cramfs limit for an inserted file is %u",
				      path, (uintmax_t)st.st_size,
				      CRAMFS_OFFSET_LIMIT - 1u);
	w->insert_size = (uint32_t)st.st_size;
	*len = w->insert_size;
	return 0;
}

int cramfs_insert_copy(struct cramfs_writer *w, uint32_t *crc)
{
	uint64_t pos = w->layout->insert_offset;
	uint32_t left = w->insert_size;
	uint8_t buf[65536];
	size_t got;
	int err;

	while (left) {
		size_t want = left < sizeof(buf) ? left : sizeof(buf);

		err = read_exact(w->insert_fd, buf, want, &got);
		if (!err && got != want)
			err = -ESTALE;
		if (err)
			return cramfs_msg_set(&w->tree->msg, err,
					      "%s: cannot read: %s",
					      w->opts->insert_file,
					      err == -ESTALE ? "file shrank" :
					      strerror(-err));
		err = cramfs_pwrite_all(w, buf, got, pos);
		if (err)
			return err;
		*crc = cramfs_crc32(*crc, buf, got);
		pos += got;
		left -= (uint32_t)got;
	}
	/* Pad to 4 bytes so the directory entries stay aligned. */
	memset(buf, 0, 4);
	got = w->layout->insert_len - w->insert_size;
	*crc = cramfs_crc32(*crc, buf, got);
	return cramfs_pwrite_all(w, buf, got, pos);
}
