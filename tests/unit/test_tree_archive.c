// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/tree_archive.c and lib/tree_path.c: archives written with libarchive
 * into a memfd become trees by the documented rules; their data comes back
 * from the spool file when the image is written.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "helper_fixture.h"
#include "tree.h"

/* One member: type from the mode; `hardlink` makes it a link to that path. */
struct member {
	const char *path;
	uint32_t mode;
	const char *data;     /* files: content; symlinks: target */
	const char *hardlink;
	uint32_t uid, gid;
	uint32_t ino, nlink;  /* cpio: hard links share an inode */
	uint32_t major, minor;
};

/* Write `n` members as `format` into a memfd, rewound. */
static int archive_fd(int format, const struct member *m, size_t n)
{
	int fd = memfd_create("archive", MFD_CLOEXEC);
	struct archive *a = archive_write_new();

	assert_true(fd >= 0);
	assert_int_equal(archive_write_set_format(a, format), ARCHIVE_OK);
	assert_int_equal(archive_write_open_fd(a, fd), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		size_t len = m[i].data && S_ISREG(m[i].mode) ? strlen(m[i].data) : 0;

		archive_entry_set_pathname(e, m[i].path);
		archive_entry_set_mode(e, m[i].mode);
		archive_entry_set_uid(e, m[i].uid);
		archive_entry_set_gid(e, m[i].gid);
		archive_entry_set_size(e, (la_int64_t)len);
		archive_entry_set_rdevmajor(e, m[i].major);
		archive_entry_set_rdevminor(e, m[i].minor);
		if (m[i].ino) {
			archive_entry_set_ino(e, m[i].ino);
			archive_entry_set_nlink(e, m[i].nlink);
		}
		if (S_ISLNK(m[i].mode))
			archive_entry_set_symlink(e, m[i].data);
		if (m[i].hardlink)
			archive_entry_set_hardlink(e, m[i].hardlink);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (len)
			assert_int_equal(archive_write_data(a, m[i].data, len),
					 (la_ssize_t)len);
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static int scan(struct cramfs_tree **tree, int format, const struct member *m,
		size_t n)
{
	int fd = archive_fd(format, m, n);
	int err;

	assert_int_equal(cramfs_tree_new(tree), 0);
	err = cramfs_tree_scan_archive(*tree, fd, "test.tar");
	close(fd);
	return err;
}

static const struct cramfs_node *at(struct cramfs_tree *tree, const char *path)
{
	int64_t id = fx_tree_find(tree, path);

	if (id < 0)
		fail_msg("%s: not in the tree", path);
	return &tree->nodes[id];
}

/* The bytes the writer reads for `path`, through a written image. */
static void assert_content(struct cramfs_tree *tree, const char *path,
			   const char *want)
{
	struct cramfs_write_opts opts;
	struct cramfs_inode inode;
	struct fx_image img;
	uint8_t *buf, *data;
	size_t len, dlen;

	cramfs_write_opts_init(&opts);
	assert_int_equal(fx_write_image(tree, &opts, &buf, &len, NULL), 0);
	assert_int_equal(fx_image_open(&img, buf, len, CRAMFS_ENDIAN_HOST, 0, 4096), 0);
	assert_int_equal(fx_image_lookup(&img, path, &inode, NULL), 0);
	assert_int_equal(fx_image_read(&img, &inode, &data, &dlen), 0);
	assert_int_equal(dlen, strlen(want));
	assert_memory_equal(data, want, dlen);
	free(data);
	free(buf);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void members_keep_owner_mode_devices_and_links(void **state)
{
	const struct member m[] = {
		{ .path = "bin", .mode = S_IFDIR | 0755 },
		{ .path = "bin/busybox", .mode = S_IFREG | 04755, .data = "multi-call", .uid = 0, .gid = 0 },
		{ .path = "bin/sh", .mode = S_IFREG | 04755, .hardlink = "bin/busybox" },
		{ .path = "bin/ls", .mode = S_IFLNK | 0777, .data = "busybox" },
		{ .path = "dev/ttyS0", .mode = S_IFCHR | 0660, .gid = 5, .major = 4, .minor = 64 },
		{ .path = "home/user/notes", .mode = S_IFREG | 0600, .data = "hi", .uid = 1000, .gid = 100 },
	};
	struct cramfs_tree *tree;

	(void)state;
	assert_int_equal(scan(&tree, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, m, N(m)), 0);
	assert_int_equal(at(tree, "bin/busybox")->mode, S_IFREG | 04755);
	assert_int_equal(at(tree, "bin/sh")->size, 10);
	assert_int_equal(at(tree, "bin/sh")->nlink, 2);
	assert_int_equal(at(tree, "dev/ttyS0")->rdev, 4u << 8 | 64);
	assert_int_equal(at(tree, "dev/ttyS0")->gid, 5);
	assert_int_equal(at(tree, "home/user/notes")->uid, 1000);
	/* Parents missing from the archive: 0755 root. */
	assert_int_equal(at(tree, "home/user")->mode, S_IFDIR | 0755);
	assert_int_equal(at(tree, "dev")->uid, 0);
	assert_content(tree, "bin/sh", "multi-call");
	assert_content(tree, "bin/ls", "busybox");
	assert_content(tree, "home/user/notes", "hi");
	cramfs_tree_free(tree);
}

static void leading_slash_dot_and_duplicates_follow_the_rules(void **state)
{
	const struct member m[] = {
		{ .path = "/etc/hosts", .mode = S_IFREG | 0644, .data = "first" },
		{ .path = "./etc/./hosts", .mode = S_IFREG | 0600, .data = "second wins" },
		{ .path = "etc", .mode = S_IFDIR | 0700, .uid = 3 },
		{ .path = "./", .mode = S_IFDIR | 0751 },
	};
	struct cramfs_tree *tree;

	(void)state;
	assert_int_equal(scan(&tree, ARCHIVE_FORMAT_TAR_GNUTAR, m, N(m)), 0);
	assert_int_equal(cramfs_tree_count(tree), 3);
	assert_int_equal(at(tree, "etc/hosts")->mode, S_IFREG | 0600);
	assert_int_equal(at(tree, "etc")->mode, S_IFDIR | 0700);
	assert_int_equal(at(tree, "etc")->uid, 3);
	assert_int_equal(at(tree, "")->mode, S_IFDIR | 0751);
	assert_content(tree, "etc/hosts", "second wins");
	cramfs_tree_free(tree);
}

static void cpio_data_on_the_last_link_reaches_every_link(void **state)
{
	/* GNU cpio newc: earlier links are empty, the last one has the data. */
	const struct member m[] = {
		{ .path = "bin", .mode = S_IFDIR | 0755 },
		{ .path = "bin/busybox", .mode = S_IFREG | 0755, .data = "", .ino = 7, .nlink = 2 },
		{ .path = "bin/sh", .mode = S_IFREG | 0755, .data = "shared data", .ino = 7, .nlink = 2 },
	};
	struct cramfs_tree *tree;

	(void)state;
	assert_int_equal(scan(&tree, ARCHIVE_FORMAT_CPIO_SVR4_NOCRC, m, N(m)), 0);
	assert_int_equal(at(tree, "bin/busybox")->size, 11);
	assert_content(tree, "bin/busybox", "shared data");
	assert_content(tree, "bin/sh", "shared data");
	cramfs_tree_free(tree);
}

static void bad_members_fail_naming_the_archive_and_path(void **state)
{
	const struct member dotdot[] = { { .path = "a/../../x", .mode = S_IFREG | 0644, .data = "x" } };
	const struct member link[] = { { .path = "sh", .mode = S_IFREG | 0755, .hardlink = "busybox" } };
	const struct member dirfile[] = {
		{ .path = "d/x", .mode = S_IFREG | 0644, .data = "x" }, { .path = "d", .mode = S_IFREG | 0644, .data = "y" },
	};
	const struct member uid[] = { { .path = "f", .mode = S_IFREG | 0644, .data = "x", .uid = 65536 } };
	struct cramfs_tree *tree;

	(void)state;
	assert_int_equal(scan(&tree, ARCHIVE_FORMAT_TAR_USTAR, dotdot, 1), -EINVAL);
	assert_string_equal(cramfs_tree_errmsg(tree), "test.tar: \"..\" in path a/../../x");
	cramfs_tree_free(tree);
	assert_int_equal(scan(&tree, ARCHIVE_FORMAT_TAR_USTAR, link, 1), -ENOENT);
	assert_string_equal(cramfs_tree_errmsg(tree),
			    "test.tar: sh: hard link to busybox, which is not a file earlier in the archive");
	cramfs_tree_free(tree);
	assert_int_equal(scan(&tree, ARCHIVE_FORMAT_TAR_USTAR, dirfile, 2), -ENOTEMPTY);
	assert_string_equal(cramfs_tree_errmsg(tree),
			    "test.tar: d: cannot replace a directory that has entries");
	cramfs_tree_free(tree);
	assert_int_equal(scan(&tree, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, uid, 1), -ERANGE);
	assert_string_equal(cramfs_tree_errmsg(tree),
			    "test.tar: f: uid 65536 does not fit; cramfs limit is 65535");
	cramfs_tree_free(tree);
}

static void a_second_scan_or_a_non_archive_is_refused(void **state)
{
	const struct member m[] = { { .path = "f", .mode = S_IFREG | 0644, .data = "x" } };
	struct cramfs_tree *tree;
	int fd;

	(void)state;
	assert_int_equal(scan(&tree, ARCHIVE_FORMAT_TAR_USTAR, m, 1), 0);
	fd = archive_fd(ARCHIVE_FORMAT_TAR_USTAR, m, 1);
	assert_int_equal(cramfs_tree_scan_archive(tree, fd, "again.tar"), -EBUSY);
	close(fd);
	cramfs_tree_free(tree);

	fd = memfd_create("text", MFD_CLOEXEC);
	assert_int_equal(write(fd, "hello\n", 6), 6);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(cramfs_tree_new(&tree), 0);
	assert_int_equal(cramfs_tree_scan_archive(tree, fd, "text"), -EINVAL);
	assert_string_equal(cramfs_tree_errmsg(tree),
			    "text: not a directory or an archive (Unrecognized archive format)");
	close(fd);
	cramfs_tree_free(tree);
}

static void forced_owner_applies_to_members_and_created_parents(void **state)
{
	const struct member m[] = {
		{ .path = "a/b/f", .mode = S_IFREG | 0644, .data = "x", .uid = 1000, .gid = 1000 },
	};
	int fd = archive_fd(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, m, N(m));
	struct cramfs_tree *tree;

	(void)state;
	assert_int_equal(cramfs_tree_new(&tree), 0);
	assert_int_equal(cramfs_tree_force_owner(tree, 7, 9), 0);
	assert_int_equal(cramfs_tree_scan_archive(tree, fd, "o.tar"), 0);
	close(fd);
	for (size_t i = 0; i < tree->count; i++) {
		assert_int_equal(tree->nodes[i].uid, 7);
		assert_int_equal(tree->nodes[i].gid, 9);
	}
	/* gid 1000 would not fit: forced away, so no warning. */
	assert_int_equal(cramfs_tree_warning_count(tree), 0);
	cramfs_tree_free(tree);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(members_keep_owner_mode_devices_and_links),
		cmocka_unit_test(leading_slash_dot_and_duplicates_follow_the_rules),
		cmocka_unit_test(cpio_data_on_the_last_link_reaches_every_link),
		cmocka_unit_test(bad_members_fail_naming_the_archive_and_path),
		cmocka_unit_test(a_second_scan_or_a_non_archive_is_refused),
		cmocka_unit_test(forced_owner_applies_to_members_and_created_parents),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
