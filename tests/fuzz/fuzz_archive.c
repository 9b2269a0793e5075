// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for archive input: the bytes are an archive (any format
 * and compression mkcramfs accepts) read with cramfs_tree_scan_archive();
 * a tree that reads is written as an image into a memfd. Nothing is left
 * behind: the spool file is unlinked, the memfds are closed.
 *
 * Besides the sanitizers, the target aborts when a failure leaves no
 * message on the tree (out of memory aside).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cramfs/cramfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int memfd_with(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-archive", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		abort();
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0)
			abort();
		done += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fd;
}

static void check_message(const struct cramfs_tree *tree, int err)
{
	if (err && err != -ENOMEM && !*cramfs_tree_errmsg(tree))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cramfs_write_opts opts;
	struct cramfs_tree *tree;
	int in = memfd_with(data, size), out, err;

	if (cramfs_tree_new(&tree))
		abort();
	err = cramfs_tree_scan_archive(tree, in, "fuzz");
	check_message(tree, err);
	if (!err) {
		out = memfd_create("fuzz-image", MFD_CLOEXEC);
		if (out < 0)
			abort();
		cramfs_write_opts_init(&opts);
		opts.holes = true;
		err = cramfs_write_fd(tree, &opts, out, NULL);
		check_message(tree, err);
		close(out);
	}
	cramfs_tree_free(tree);
	close(in);
	return 0;
}
