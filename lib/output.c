// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The output file: built under a temporary name in the target directory,
 * synced, and renamed over the target only once complete. A failed build
 * leaves neither a partial image nor a damaged previous one. Block and
 * character devices (flash, mtdblock) are written in place instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "write.h"

static int write_device(struct cramfs_tree *tree,
			const struct cramfs_write_opts *opts, const char *path,
			struct cramfs_write_stats *stats)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	int err;

	if (fd < 0)
		return cramfs_msg_set(&tree->msg, -errno, "%s: %s", path,
				      strerror(errno));
	err = cramfs_write_named(tree, opts, fd, path, stats);
	/* Devices that cannot sync (/dev/null: EINVAL) have nothing to lose. */
	if (!err && fsync(fd) < 0 && errno != EINVAL)
		err = cramfs_msg_set(&tree->msg, -errno, "%s: cannot sync: %s",
				     path, strerror(errno));
	close(fd);
	return err;
}

/*
 * Create ".NAME.XXXXXXXX" beside `path` with mode 0666, so that the umask
 * applies as for any new file (mkstemp would force 0600).
 */
static int create_temp(const char *path, char **tmp)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	int dirlen = (int)(base - path);

	for (int tries = 0; tries < 100; tries++) {
		uint32_t r;
		int fd;

		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			r = (uint32_t)getpid() * 2654435761u + (uint32_t)tries;
		/* Keep the name within NAME_MAX however long the target's is. */
		if (asprintf(tmp, "%.*s.%.200s.%08x", dirlen, path, base, r) < 0)
			return -ENOMEM;
		fd = open(*tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			return fd >= 0 ? fd : -errno;
		free(*tmp);
		*tmp = NULL;
	}
	return -EEXIST;
}

static int finish(struct cramfs_tree *tree, int fd, const char *tmp,
		  const char *path)
{
	if (fsync(fd) < 0)
		return cramfs_msg_set(&tree->msg, -errno, "%s: %s", tmp,
				      strerror(errno));
	if (rename(tmp, path) < 0)
		return cramfs_msg_set(&tree->msg, -errno,
				      "cannot rename %s to %s: %s", tmp, path,
				      strerror(errno));
	return 0;
}

int cramfs_write_file(struct cramfs_tree *tree,
		      const struct cramfs_write_opts *opts, const char *path,
		      struct cramfs_write_stats *stats)
{
	struct stat st;
	char *tmp = NULL;
	int fd, err;

	if (stat(path, &st) == 0 && (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode)))
		return write_device(tree, opts, path, stats);
	fd = create_temp(path, &tmp);
	if (fd < 0) {
		free(tmp);
		return cramfs_msg_set(&tree->msg, fd,
				      "%s: cannot create a temporary file beside it: %s",
				      path, strerror(-fd));
	}
	err = cramfs_write_named(tree, opts, fd, path, stats);
	if (!err)
		err = finish(tree, fd, tmp, path);
	close(fd);
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}
