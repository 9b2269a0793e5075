// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/tree.c and lib/tree_dir.c: the node model, its limits, the scanner. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cmocka.h>

#include "helper_fixture.h"
#include "tree.h"

static int tree_setup(void **state)
{
	struct cramfs_tree *tree;

	if (cramfs_tree_new(&tree))
		return -1;
	*state = tree;
	return 0;
}

static int tree_teardown(void **state)
{
	cramfs_tree_free(*state);
	return 0;
}

static struct cramfs_attr attr_of(uint32_t mode)
{
	struct cramfs_attr a;

	memset(&a, 0, sizeof(a));
	a.mode = mode;
	return a;
}

static uint32_t add_dir(struct cramfs_tree *tree, uint32_t parent,
			const char *name)
{
	struct cramfs_attr a = attr_of(S_IFDIR | 0755);
	uint32_t id = 0;

	assert_int_equal(cramfs_tree_add(tree, parent, name, &a, &id), 0);
	return id;
}

static void assert_contains(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("\"%s\" does not contain \"%s\"", text, needle);
}

static void new_tree_holds_only_a_root_directory(void **state)
{
	struct cramfs_tree *tree = *state;

	assert_int_equal(cramfs_tree_count(tree), 1);
	assert_true(S_ISDIR(tree->nodes[CRAMFS_ROOT_ID].mode));
	assert_string_equal(tree->nodes[CRAMFS_ROOT_ID].name, "");
	assert_int_equal(cramfs_tree_warning_count(tree), 0);
	assert_null(cramfs_tree_warning(tree, 0));
}

static void name_of_252_bytes_is_accepted(void **state)
{
	struct cramfs_tree *tree = *state;
	struct cramfs_attr a = attr_of(S_IFREG | 0644);
	char name[253];
	uint32_t id;

	memset(name, 'n', 252);
	name[252] = '\0';
	assert_int_equal(cramfs_tree_add(tree, CRAMFS_ROOT_ID, name, &a, &id), 0);
	assert_int_equal(tree->nodes[id].namelen, 252);
	assert_string_equal(tree->nodes[id].name, name);
}

static void name_of_253_bytes_fails_naming_the_path_and_limit(void **state)
{
	struct cramfs_tree *tree = *state;
	struct cramfs_attr a = attr_of(S_IFREG | 0644);
	uint32_t dir = add_dir(tree, CRAMFS_ROOT_ID, "sub");
	char name[254], path[300];

	memset(name, 'n', 253);
	name[253] = '\0';
	assert_int_equal(cramfs_tree_add(tree, dir, name, &a, NULL),
			 -ENAMETOOLONG);
	snprintf(path, sizeof(path), "sub/%s", name);
	assert_contains(cramfs_tree_errmsg(tree), path);
	assert_contains(cramfs_tree_errmsg(tree), "253");
	assert_contains(cramfs_tree_errmsg(tree), "252");
	assert_int_equal(cramfs_tree_count(tree), 2);
}

static void file_of_16777215_bytes_is_accepted(void **state)
{
	struct cramfs_tree *tree = *state;
	struct cramfs_attr a = attr_of(S_IFREG | 0644);
	uint32_t id;

	a.size = 16777215;
	assert_int_equal(cramfs_tree_add(tree, CRAMFS_ROOT_ID, "big", &a, &id), 0);
	/* The size comes with the content, never from the attributes alone. */
	assert_int_equal(tree->nodes[id].size, 0);
	assert_int_equal(tree->nodes[id].src, CRAMFS_SRC_NONE);
}

static void file_of_16777216_bytes_fails_with_efbig_naming_path_and_limit(void **state)
{
	struct cramfs_tree *tree = *state;
	struct cramfs_attr a = attr_of(S_IFREG | 0644);
	uint32_t dir = add_dir(tree, CRAMFS_ROOT_ID, "usr");

	a.size = 16777216;
	assert_int_equal(cramfs_tree_add(tree, dir, "huge", &a, NULL), -EFBIG);
	assert_contains(cramfs_tree_errmsg(tree), "usr/huge");
	assert_contains(cramfs_tree_errmsg(tree), "16777216");
	assert_contains(cramfs_tree_errmsg(tree), "16777215");
	assert_int_equal(cramfs_tree_count(tree), 2);
}

static void data_of_16777216_bytes_fails_with_efbig_naming_path_and_limit(void **state)
{
	struct cramfs_tree *tree = *state;
	struct cramfs_attr a = attr_of(S_IFREG | 0644);
	uint32_t dir = add_dir(tree, CRAMFS_ROOT_ID, "usr");
	uint8_t *big = calloc(1, 16777216);
	uint32_t id;

	assert_non_null(big);
	assert_int_equal(cramfs_tree_add(tree, dir, "f", &a, &id), 0);
	assert_int_equal(cramfs_tree_set_data(tree, id, big, 16777216), -EFBIG);
	assert_contains(cramfs_tree_errmsg(tree), "usr/f");
	assert_contains(cramfs_tree_errmsg(tree), "16777215");
	assert_int_equal(tree->nodes[id].size, 0);
	assert_int_equal(cramfs_tree_set_data(tree, id, big, 16777215), 0);
	assert_int_equal(tree->nodes[id].size, 16777215);
	free(big);
}

static void uid_65535_is_accepted_and_65536_fails_with_erange(void **state)
{
	struct cramfs_tree *tree = *state;
	struct cramfs_attr a = attr_of(S_IFREG | 0644);
	uint32_t id;

	a.uid = 65535;
	assert_int_equal(cramfs_tree_add(tree, CRAMFS_ROOT_ID, "ok", &a, &id), 0);
	assert_int_equal(tree->nodes[id].uid, 65535);
	a.uid = 65536;
	assert_int_equal(cramfs_tree_add(tree, CRAMFS_ROOT_ID, "bad", &a, NULL),
			 -ERANGE);
	assert_contains(cramfs_tree_errmsg(tree), "bad");
	assert_contains(cramfs_tree_errmsg(tree), "uid 65536");
	assert_contains(cramfs_tree_errmsg(tree), "65535");
	assert_int_equal(cramfs_tree_count(tree), 2);
}

static void gid_255_is_stored_without_a_warning(void **state)
{
	struct cramfs_tree *tree = *state;
	struct cramfs_attr a = attr_of(S_IFREG | 0644);

	a.gid = 255;
	assert_int_equal(cramfs_tree_add(tree, CRAMFS_ROOT_ID, "f", &a, NULL), 0);
	assert_int_equal(cramfs_tree_warning_count(tree), 0);
}

static void gid_256_succeeds_with_one_warning_naming_the_stored_gid(void **state)
{
	struct cramfs_tree *tree = *state;
	struct cramfs_attr a = attr_of(S_IFREG | 0644);
	uint32_t dir = add_dir(tree, CRAMFS_ROOT_ID, "etc");
	const char *w;
	uint32_t id;

	a.gid = 256;
	assert_int_equal(cramfs_tree_add(tree, dir, "shadow", &a, &id), 0);
	assert_int_equal(tree->nodes[id].gid, 256);
	assert_int_equal(cramfs_tree_warning_count(tree), 1);
	w = cramfs_tree_warning(tree, 0);
	assert_non_null(w);
	assert_contains(w, "etc/shadow");
	assert_contains(w, "gid 256");
	assert_contains(w, "stored as gid 0");
	assert_null(cramfs_tree_warning(tree, 1));

	a.gid = 300;
	assert_int_equal(cramfs_tree_add(tree, dir, "group", &a, NULL), 0);
	assert_int_equal(cramfs_tree_warning_count(tree), 2);
	assert_contains(cramfs_tree_warning(tree, 1), "stored as gid 44");
}

static void root_gid_over_255_warns_and_bad_root_fails(void **state)
{
	struct cramfs_tree *tree = *state;
	struct cramfs_attr a = attr_of(S_IFDIR | 0700);

	a.uid = 12;
	a.gid = 1000;
	assert_int_equal(cramfs_tree_set_root(tree, &a), 0);
	assert_int_equal(tree->nodes[0].mode, S_IFDIR | 0700);
	assert_int_equal(tree->nodes[0].uid, 12);
	assert_int_equal(cramfs_tree_warning_count(tree), 1);
	assert_contains(cramfs_tree_warning(tree, 0), "stored as gid 232");

	a = attr_of(S_IFREG | 0755);
	assert_int_equal(cramfs_tree_set_root(tree, &a), -EINVAL);
	assert_contains(cramfs_tree_errmsg(tree), "directory");
	a = attr_of(S_IFDIR | 0755);
	a.uid = 65536;
	assert_int_equal(cramfs_tree_set_root(tree, &a), -ERANGE);
	assert_contains(cramfs_tree_errmsg(tree), "65535");
	assert_int_equal(tree->nodes[0].mode, S_IFDIR | 0700);
}

static void device_255_255_is_accepted(void **state)
{
	struct cramfs_tree *tree = *state;
	struct cramfs_attr a = attr_of(S_IFCHR | 0600);
	uint32_t id;

	a.rdev_major = 255;
	a.rdev_minor = 255;
	assert_int_equal(cramfs_tree_add(tree, CRAMFS_ROOT_ID, "c", &a, &id), 0);
	assert_int_equal(tree->nodes[id].rdev, 0xffff);
	a = attr_of(S_IFBLK | 0600);
	a.rdev_major = 31;
	a.rdev_minor = 2;
	assert_int_equal(cramfs_tree_add(tree, CRAMFS_ROOT_ID, "b", &a, &id), 0);
	assert_int_equal(tree->nodes[id].rdev, 31u << 8 | 2u);
}

static void device_256_0_or_0_256_fails_with_erange(void **state)
{
	struct cramfs_tree *tree = *state;
	struct cramfs_attr a = attr_of(S_IFBLK | 0600);
	uint32_t dir = add_dir(tree, CRAMFS_ROOT_ID, "dev");

	a.rdev_major = 256;
	assert_int_equal(cramfs_tree_add(tree, dir, "sda", &a, NULL), -ERANGE);
	assert_contains(cramfs_tree_errmsg(tree), "dev/sda");
	assert_contains(cramfs_tree_errmsg(tree), "256:0");
	assert_contains(cramfs_tree_errmsg(tree), "255:255");
	a = attr_of(S_IFCHR | 0600);
	a.rdev_minor = 256;
	assert_int_equal(cramfs_tree_add(tree, dir, "tty", &a, NULL), -ERANGE);
	assert_contains(cramfs_tree_errmsg(tree), "0:256");
	assert_int_equal(cramfs_tree_count(tree), 2);
}

static void device_numbers_of_other_types_are_ignored(void **state)
{
	struct cramfs_tree *tree = *state;
	struct cramfs_attr a = attr_of(S_IFIFO | 0600);
	uint32_t id;

	a.rdev_major = 1000;
	assert_int_equal(cramfs_tree_add(tree, CRAMFS_ROOT_ID, "p", &a, &id), 0);
	assert_int_equal(tree->nodes[id].rdev, 0);
}

static void duplicate_name_fails_with_eexist(void **state)
{
	struct cramfs_tree *tree = *state;
	struct cramfs_attr f = attr_of(S_IFREG | 0644);
	struct cramfs_attr d = attr_of(S_IFDIR | 0755);
	uint32_t dir = add_dir(tree, CRAMFS_ROOT_ID, "a");

	assert_int_equal(cramfs_tree_add(tree, dir, "x", &f, NULL), 0);
	assert_int_equal(cramfs_tree_add(tree, dir, "x", &d, NULL), -EEXIST);
	assert_contains(cramfs_tree_errmsg(tree), "a/x");
	assert_contains(cramfs_tree_errmsg(tree), "duplicate");
	/* The same name in another directory is fine. */
	assert_int_equal(cramfs_tree_add(tree, CRAMFS_ROOT_ID, "x", &f, NULL), 0);
	assert_int_equal(cramfs_tree_count(tree), 4);
}

static void empty_dot_dotdot_and_slashed_names_fail_with_einval(void **state)
{
	static const char *const bad[] = { "", ".", "..", "a/b", "/", "x/" };
	struct cramfs_tree *tree = *state;
	struct cramfs_attr a = attr_of(S_IFREG | 0644);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char quoted[16];

		assert_int_equal(cramfs_tree_add(tree, CRAMFS_ROOT_ID, bad[i], &a,
						 NULL), -EINVAL);
		snprintf(quoted, sizeof(quoted), "\"%s\"", bad[i]);
		assert_contains(cramfs_tree_errmsg(tree), quoted);
	}
	/* Names that merely contain dots are ordinary. */
	assert_int_equal(cramfs_tree_add(tree, CRAMFS_ROOT_ID, "...", &a, NULL), 0);
	assert_int_equal(cramfs_tree_add(tree, CRAMFS_ROOT_ID, ".a", &a, NULL), 0);
	assert_int_equal(cramfs_tree_count(tree), 3);
}

static void unknown_file_type_or_wide_mode_fails_with_einval(void **state)
{
	struct cramfs_tree *tree = *state;
	struct cramfs_attr a = attr_of(0644);

	assert_int_equal(cramfs_tree_add(tree, CRAMFS_ROOT_ID, "t", &a, NULL),
			 -EINVAL);
	assert_contains(cramfs_tree_errmsg(tree), "unsupported file type");
	a = attr_of(0x10000 | S_IFREG | 0644);
	assert_int_equal(cramfs_tree_add(tree, CRAMFS_ROOT_ID, "t", &a, NULL),
			 -EINVAL);
	assert_int_equal(cramfs_tree_count(tree), 1);
}

static void adding_under_a_non_directory_fails(void **state)
{
	struct cramfs_tree *tree = *state;
	struct cramfs_attr a = attr_of(S_IFREG | 0644);
	uint32_t file;

	assert_int_equal(cramfs_tree_add(tree, CRAMFS_ROOT_ID, "f", &a, &file), 0);
	assert_int_equal(cramfs_tree_add(tree, file, "g", &a, NULL), -EINVAL);
	assert_contains(cramfs_tree_errmsg(tree), "not a directory");
	assert_int_equal(cramfs_tree_add(tree, 99, "g", &a, NULL), -EINVAL);
	assert_int_equal(cramfs_tree_count(tree), 2);
	assert_int_equal(tree->nodes[file].nchildren, 0);
}

static void set_data_only_applies_to_files_and_symlinks(void **state)
{
	struct cramfs_tree *tree = *state;
	struct cramfs_attr l = attr_of(S_IFLNK | 0777);
	uint32_t dir = add_dir(tree, CRAMFS_ROOT_ID, "d");
	uint32_t link;

	assert_int_equal(cramfs_tree_set_data(tree, dir, "x", 1), -EINVAL);
	assert_contains(cramfs_tree_errmsg(tree), "only files and symlinks");
	assert_int_equal(cramfs_tree_set_data(tree, 42, "x", 1), -EINVAL);

	assert_int_equal(cramfs_tree_add(tree, dir, "l", &l, &link), 0);
	assert_int_equal(cramfs_tree_set_data(tree, link, "target", 6), 0);
	assert_int_equal(tree->nodes[link].size, 6);
	assert_int_equal(tree->nodes[link].src, CRAMFS_SRC_MEMORY);
	assert_memory_equal(tree->nodes[link].data, "target", 6);
	assert_true(cramfs_node_has_data(&tree->nodes[link]));
	/* A symlink target is 1 to 4095 bytes: Linux makes no other. */
	assert_int_equal(cramfs_tree_set_data(tree, link, NULL, 0), -ENAMETOOLONG);
	assert_contains(cramfs_tree_errmsg(tree), "d/l");
	assert_contains(cramfs_tree_errmsg(tree), "4095");
	{
		char big[4096];

		memset(big, 'x', sizeof(big));
		assert_int_equal(cramfs_tree_set_data(tree, link, big, 4096),
				 -ENAMETOOLONG);
		assert_int_equal(cramfs_tree_set_data(tree, link, big, 4095), 0);
	}
	/* Setting empty data on a file leaves no data source. */
	{
		struct cramfs_attr f = attr_of(S_IFREG | 0644);
		uint32_t file;

		assert_int_equal(cramfs_tree_add(tree, dir, "f", &f, &file), 0);
		assert_int_equal(cramfs_tree_set_data(tree, file, "abc", 3), 0);
		assert_int_equal(cramfs_tree_set_data(tree, file, NULL, 0), 0);
		assert_int_equal(tree->nodes[file].src, CRAMFS_SRC_NONE);
		assert_false(cramfs_node_has_data(&tree->nodes[file]));
	}
}

static void tree_path_joins_components_with_slashes(void **state)
{
	struct cramfs_tree *tree = *state;
	struct cramfs_attr f = attr_of(S_IFREG | 0644);
	uint32_t a = add_dir(tree, CRAMFS_ROOT_ID, "a");
	uint32_t b = add_dir(tree, a, "b");
	uint32_t c;
	char buf[64];

	assert_int_equal(cramfs_tree_add(tree, b, "c", &f, &c), 0);
	assert_int_equal(cramfs_tree_path(tree, c, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "a/b/c");
	assert_int_equal(cramfs_tree_path(tree, b, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "a/b");
	assert_int_equal(cramfs_tree_path(tree, CRAMFS_ROOT_ID, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	/* Exactly enough room, then one byte short. */
	assert_int_equal(cramfs_tree_path(tree, c, buf, 6), 0);
	assert_string_equal(buf, "a/b/c");
	assert_int_equal(cramfs_tree_path(tree, c, buf, 5), -ENAMETOOLONG);
}

static void sort_orders_children_by_strcmp(void **state)
{
	/* Shuffled; bytes >= 0x80 sort after ASCII, prefixes before extensions. */
	static const char *const names[] = {
		"b", "\xc3\xa9t\xc3\xa9", "ab", "a", "~", "\x80", "B", "a-",
		"abc", "Z", "\xc3\xa9",
	};
	static const char *const sorted[] = {
		"B", "Z", "a", "a-", "ab", "abc", "b", "~", "\x80", "\xc3\xa9",
		"\xc3\xa9t\xc3\xa9",
	};
	struct cramfs_tree *tree = *state;
	struct cramfs_attr f = attr_of(S_IFREG | 0644);
	const size_t n = sizeof(names) / sizeof(names[0]);
	uint32_t sub = add_dir(tree, CRAMFS_ROOT_ID, "sub");
	const struct cramfs_node *root, *dir;

	for (size_t i = 0; i < n; i++) {
		assert_int_equal(cramfs_tree_add(tree, CRAMFS_ROOT_ID, names[i], &f,
						 NULL), 0);
		assert_int_equal(cramfs_tree_add(tree, sub, names[n - 1 - i], &f,
						 NULL), 0);
	}
	cramfs_tree_sort(tree);
	root = &tree->nodes[CRAMFS_ROOT_ID];
	dir = &tree->nodes[sub];
	assert_int_equal(root->nchildren, n + 1);
	assert_int_equal(dir->nchildren, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(tree->nodes[dir->children[i]].name, sorted[i]);
	/* "sub" lands between "b" and "~" in the root. */
	for (size_t i = 0, j = 0; i < n + 1; i++) {
		const char *want = (i == 7) ? "sub" : sorted[j++];

		assert_string_equal(tree->nodes[root->children[i]].name, want);
	}
}

/* ---- scanning a real directory ---- */

struct scan_fixture {
	char dir[256];
	struct cramfs_tree *tree;
};

static int scan_setup(void **state)
{
	struct scan_fixture *f = calloc(1, sizeof(*f));

	if (!f || fx_tempdir(f->dir, sizeof(f->dir)) || cramfs_tree_new(&f->tree)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int scan_teardown(void **state)
{
	struct scan_fixture *f = *state;

	cramfs_tree_free(f->tree);
	fx_rm_rf(f->dir);
	free(f);
	return 0;
}

static void mkpath(char *buf, size_t cap, const char *dir, const char *rel)
{
	assert_true((size_t)snprintf(buf, cap, "%s/%s", dir, rel) < cap);
}

static void scan_adds_files_symlinks_fifos_and_subdirectories(void **state)
{
	struct scan_fixture *f = *state;
	struct cramfs_tree *tree = f->tree;
	char p[512];
	int64_t id;
	const struct cramfs_node *n;

	assert_int_equal(fx_put_file(f->dir, "hello", "hello", 5), 0);
	assert_int_equal(fx_put_file(f->dir, "empty", "", 0), 0);
	mkpath(p, sizeof(p), f->dir, "link");
	assert_int_equal(symlink("hello/../target", p), 0);
	mkpath(p, sizeof(p), f->dir, "pipe");
	assert_int_equal(mkfifo(p, 0640), 0);
	mkpath(p, sizeof(p), f->dir, "sub");
	assert_int_equal(mkdir(p, 0750), 0);
	mkpath(p, sizeof(p), f->dir, "sub/deeper");
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(fx_put_file(f->dir, "sub/inner", "0123456789", 10), 0);
	mkpath(p, sizeof(p), f->dir, "sub/inner");
	assert_int_equal(chmod(p, 04755), 0);

	assert_int_equal(cramfs_tree_scan_dir(tree, f->dir), 0);
	/* root, hello, empty, link, pipe, sub, sub/deeper, sub/inner */
	assert_int_equal(cramfs_tree_count(tree), 8);
	assert_true(S_ISDIR(tree->nodes[CRAMFS_ROOT_ID].mode));
	assert_int_equal(tree->nodes[CRAMFS_ROOT_ID].mode & 07777, 0700);

	id = fx_tree_find(tree, "hello");
	assert_true(id > 0);
	n = &tree->nodes[id];
	assert_true(S_ISREG(n->mode));
	assert_int_equal(n->size, 5);
	assert_int_equal(n->src, CRAMFS_SRC_FILE);
	assert_null(n->data);

	id = fx_tree_find(tree, "empty");
	assert_true(id > 0);
	n = &tree->nodes[id];
	assert_int_equal(n->size, 0);
	assert_int_equal(n->src, CRAMFS_SRC_NONE);
	assert_false(cramfs_node_has_data(n));

	id = fx_tree_find(tree, "link");
	assert_true(id > 0);
	n = &tree->nodes[id];
	assert_true(S_ISLNK(n->mode));
	assert_int_equal(n->src, CRAMFS_SRC_MEMORY);
	assert_int_equal(n->size, 15);
	assert_memory_equal(n->data, "hello/../target", 15);

	id = fx_tree_find(tree, "pipe");
	assert_true(id > 0);
	assert_int_equal(tree->nodes[id].mode, S_IFIFO | 0640);
	assert_false(cramfs_node_has_data(&tree->nodes[id]));

	id = fx_tree_find(tree, "sub");
	assert_true(id > 0);
	assert_int_equal(tree->nodes[id].mode, S_IFDIR | 0750);
	assert_int_equal(tree->nodes[id].nchildren, 2);

	id = fx_tree_find(tree, "sub/inner");
	assert_true(id > 0);
	assert_int_equal(tree->nodes[id].mode, S_IFREG | 04755);
	assert_int_equal(tree->nodes[id].size, 10);

	id = fx_tree_find(tree, "sub/deeper");
	assert_true(id > 0);
	assert_int_equal(tree->nodes[id].mode, S_IFDIR | 0700);
	assert_int_equal(tree->nodes[id].nchildren, 0);
}

static void scan_refuses_a_tree_that_already_has_content(void **state)
{
	struct scan_fixture *f = *state;

	assert_int_equal(cramfs_tree_scan_dir(f->tree, f->dir), 0);
	assert_int_equal(cramfs_tree_scan_dir(f->tree, f->dir), -EBUSY);
	assert_contains(cramfs_tree_errmsg(f->tree), f->dir);
}

static void scan_of_a_missing_directory_names_it(void **state)
{
	struct scan_fixture *f = *state;
	char p[512];

	mkpath(p, sizeof(p), f->dir, "nope");
	assert_int_equal(cramfs_tree_scan_dir(f->tree, p), -ENOENT);
	assert_contains(cramfs_tree_errmsg(f->tree), p);
}

static void scan_of_a_253_byte_name_fails_naming_the_path(void **state)
{
	struct scan_fixture *f = *state;
	char name[254], rel[300], p[600];
	int fd;

	memset(name, 'L', 253);
	name[253] = '\0';
	mkpath(p, sizeof(p), f->dir, "sub");
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(rel, sizeof(rel), "sub/%s", name);
	mkpath(p, sizeof(p), f->dir, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 && errno == ENAMETOOLONG)
		skip(); /* this file system stops below 253 bytes */
	assert_true(fd >= 0);
	close(fd);

	assert_int_equal(cramfs_tree_scan_dir(f->tree, f->dir), -ENAMETOOLONG);
	assert_contains(cramfs_tree_errmsg(f->tree), rel);
	assert_contains(cramfs_tree_errmsg(f->tree), "252");
}

static void scan_of_a_16_mib_file_fails_with_efbig_naming_the_path(void **state)
{
	struct scan_fixture *f = *state;
	char p[512];
	int fd;

	mkpath(p, sizeof(p), f->dir, "sparse");
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 16777216), 0);
	close(fd);

	assert_int_equal(cramfs_tree_scan_dir(f->tree, f->dir), -EFBIG);
	assert_contains(cramfs_tree_errmsg(f->tree), "sparse");
	assert_contains(cramfs_tree_errmsg(f->tree), "16777215");

	/* One byte less fits. */
	cramfs_tree_free(f->tree);
	assert_int_equal(cramfs_tree_new(&f->tree), 0);
	assert_int_equal(truncate(p, 16777215), 0);
	assert_int_equal(cramfs_tree_scan_dir(f->tree, f->dir), 0);
	assert_int_equal(f->tree->nodes[fx_tree_find(f->tree, "sparse")].size,
			 16777215);
}

static void scan_as_root_checks_owner_and_device_limits(void **state)
{
	struct scan_fixture *f = *state;
	char p[512];
	int64_t id;

	if (geteuid() != 0)
		skip(); /* mknod and chown need privileges */
	mkpath(p, sizeof(p), f->dir, "null");
	if (mknod(p, S_IFCHR | 0666, makedev(1, 3)) < 0)
		skip(); /* e.g. a user namespace without CAP_MKNOD */
	assert_int_equal(cramfs_tree_scan_dir(f->tree, f->dir), 0);
	id = fx_tree_find(f->tree, "null");
	assert_true(id > 0);
	assert_int_equal(f->tree->nodes[id].rdev, 1u << 8 | 3u);

	cramfs_tree_free(f->tree);
	assert_int_equal(cramfs_tree_new(&f->tree), 0);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mknod(p, S_IFBLK | 0600, makedev(259, 0)), 0);
	assert_int_equal(cramfs_tree_scan_dir(f->tree, f->dir), -ERANGE);
	assert_contains(cramfs_tree_errmsg(f->tree), "null");
	assert_contains(cramfs_tree_errmsg(f->tree), "259:0");

	cramfs_tree_free(f->tree);
	assert_int_equal(cramfs_tree_new(&f->tree), 0);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(fx_put_file(f->dir, "owned", "x", 1), 0);
	mkpath(p, sizeof(p), f->dir, "owned");
	if (chown(p, 70000, 0) < 0)
		skip(); /* uid not mapped */
	assert_int_equal(cramfs_tree_scan_dir(f->tree, f->dir), -ERANGE);
	assert_contains(cramfs_tree_errmsg(f->tree), "owned");
	assert_contains(cramfs_tree_errmsg(f->tree), "uid 70000");
}

static void scan_stores_symlinks_without_following_them(void **state)
{
	struct scan_fixture *f = *state;
	char p[512];
	int64_t id;

	mkpath(p, sizeof(p), f->dir, "dangling");
	assert_int_equal(symlink("/nonexistent/elsewhere", p), 0);
	mkpath(p, sizeof(p), f->dir, "to-dir");
	assert_int_equal(symlink("/", p), 0);
	assert_int_equal(cramfs_tree_scan_dir(f->tree, f->dir), 0);
	assert_int_equal(cramfs_tree_count(f->tree), 3);
	id = fx_tree_find(f->tree, "to-dir");
	assert_true(id > 0);
	assert_true(S_ISLNK(f->tree->nodes[id].mode));
	assert_int_equal(f->tree->nodes[id].nchildren, 0);
	assert_memory_equal(f->tree->nodes[id].data, "/", 1);
	id = fx_tree_find(f->tree, "dangling");
	assert_true(id > 0);
	assert_int_equal(f->tree->nodes[id].size, 22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, tree_setup, tree_teardown)
		T(new_tree_holds_only_a_root_directory),
		T(name_of_252_bytes_is_accepted),
		T(name_of_253_bytes_fails_naming_the_path_and_limit),
		T(file_of_16777215_bytes_is_accepted),
		T(file_of_16777216_bytes_fails_with_efbig_naming_path_and_limit),
		T(data_of_16777216_bytes_fails_with_efbig_naming_path_and_limit),
		T(uid_65535_is_accepted_and_65536_fails_with_erange),
		T(gid_255_is_stored_without_a_warning),
		T(gid_256_succeeds_with_one_warning_naming_the_stored_gid),
		T(root_gid_over_255_warns_and_bad_root_fails),
		T(device_255_255_is_accepted),
		T(device_256_0_or_0_256_fails_with_erange),
		T(device_numbers_of_other_types_are_ignored),
		T(duplicate_name_fails_with_eexist),
		T(empty_dot_dotdot_and_slashed_names_fail_with_einval),
		T(unknown_file_type_or_wide_mode_fails_with_einval),
		T(adding_under_a_non_directory_fails),
		T(set_data_only_applies_to_files_and_symlinks),
		T(tree_path_joins_components_with_slashes),
		T(sort_orders_children_by_strcmp),
#undef T
#define S(fn) cmocka_unit_test_setup_teardown(fn, scan_setup, scan_teardown)
		S(scan_adds_files_symlinks_fifos_and_subdirectories),
		S(scan_refuses_a_tree_that_already_has_content),
		S(scan_of_a_missing_directory_names_it),
		S(scan_of_a_253_byte_name_fails_naming_the_path),
		S(scan_of_a_16_mib_file_fails_with_efbig_naming_the_path),
		S(scan_as_root_checks_owner_and_device_limits),
		S(scan_stores_symlinks_without_following_them),
#undef S
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
