// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/devtable.c: the makedevs line parser and tables applied to a tree. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "devtable.h"
#include "helper_fixture.h"

static void parses(const char *line, struct cramfs_devtable_entry *e)
{
	const char *why = NULL;
	int ret = cramfs_devtable_parse(line, e, &why);

	if (ret != 0)
		fail_msg("'%s': %d (%s)", line, ret, why ? why : "-");
}

static void rejects(const char *line, const char *want_why)
{
	struct cramfs_devtable_entry e;
	const char *why = NULL;

	assert_int_equal(cramfs_devtable_parse(line, &e, &why), -EINVAL);
	assert_non_null(why);
	assert_string_equal(why, want_why);
}

static void device_line_with_all_ten_fields(void **state)
{
	struct cramfs_devtable_entry e;

	(void)state;
	parses("/dev/ttyS\tc 0660 0 tty 4 64 0 1 4\n", &e);
	assert_string_equal(e.name, "/dev/ttyS");
	assert_int_equal(e.type, 'c');
	assert_int_equal(e.mode, 0660);
	assert_string_equal(e.uid, "0");
	assert_string_equal(e.gid, "tty");
	assert_int_equal(e.major, 4);
	assert_int_equal(e.minor, 64);
	assert_int_equal(e.start, 0);
	assert_int_equal(e.inc, 1);
	assert_int_equal(e.count, 4);
}

static void dashes_and_missing_fields_mean_unset(void **state)
{
	struct cramfs_devtable_entry e;

	(void)state;
	parses("/home/www d 750 www www-data - - - - -", &e);
	assert_int_equal(e.major, CRAMFS_DT_UNSET);
	assert_int_equal(e.minor, CRAMFS_DT_UNSET);
	assert_int_equal(e.count, 0);
	assert_int_equal(e.start, 0);
	assert_int_equal(e.inc, 1);
	parses("/run/initctl p 600 0 0", &e);
	assert_int_equal(e.type, 'p');
	assert_int_equal(e.count, 0);
	parses("/opt r - www -", &e);
	assert_int_equal(e.mode, CRAMFS_DT_UNSET);
	assert_string_equal(e.gid, "-");
}

static void mode_is_octal_with_special_bits(void **state)
{
	struct cramfs_devtable_entry e;

	(void)state;
	parses("/bin/su f 4755 0 0", &e);
	assert_int_equal(e.mode, 04755);
	parses("/tmp d 1777 0 0", &e);
	assert_int_equal(e.mode, 01777);
	rejects("/x f 10000 0 0", "mode must be octal permission bits, at most 7777");
	rejects("/x f 0x755 0 0", "mode must be octal permission bits, at most 7777");
	rejects("/x f 789 0 0", "mode must be octal permission bits, at most 7777");
	rejects("/x f - 0 0", "mode is required (only type r accepts '-')");
}

static void blank_and_comment_lines_are_skipped(void **state)
{
	struct cramfs_devtable_entry e;
	const char *why = NULL;

	(void)state;
	assert_int_equal(cramfs_devtable_parse("", &e, &why), 1);
	assert_int_equal(cramfs_devtable_parse(" \t\r\n", &e, &why), 1);
	assert_int_equal(cramfs_devtable_parse("# name type mode", &e, &why), 1);
	assert_int_equal(cramfs_devtable_parse("   #indented", &e, &why), 1);
}

static void malformed_lines_say_why(void **state)
{
	(void)state;
	rejects("/dev/x c 644 0", "expected: name type mode uid gid [major minor start inc count]");
	rejects("/dev/x q 644 0 0", "unknown type (use f, F, d, r, c, b, p or s)");
	rejects("/dev/x cc 644 0 0", "unknown type (use f, F, d, r, c, b, p or s)");
	rejects("/dev/x c 644 0 0 1 2 3 4 5 6", "more than 10 fields");
	rejects("/dev/x c 644 0 0 1", "a device needs major and minor numbers");
	rejects("/dev/x b 644 0 0 - 1", "a device needs major and minor numbers");
	rejects("/dev/x c 644 0 0 1 -2", "major, minor, start, inc and count must be numbers or '-'");
	rejects("/dev/x c 644 0 0 1 2 0 1 4294967296",
		"major, minor, start, inc and count must be numbers or '-'");
}

/* A tree with etc/passwd and etc/group held in memory. */
static struct cramfs_tree *small_tree(void)
{
	static const char passwd[] = "root:x:0:0::/root:/bin/sh\nwww:x:33:33::/:/bin/false\n";
	static const char group[] = "root:x:0:\ntty:x:5:\nwww-data:x:33:";
	const struct fx_node nodes[] = {
		{ .path = "etc", .mode = S_IFDIR | 0755 },
		{ .path = "etc/passwd", .mode = S_IFREG | 0644, .data = passwd,
		  .len = sizeof(passwd) - 1 },
		{ .path = "etc/group", .mode = S_IFREG | 0644, .data = group,
		  .len = sizeof(group) - 1 },
		{ .path = "bin", .mode = S_IFDIR | 0755, .uid = 1000, .gid = 100 },
		{ .path = "bin/ping", .mode = S_IFREG | 0755, .data = "p", .len = 1,
		  .uid = 1000, .gid = 100 },
		{ .path = "bin/sh", .mode = S_IFLNK | 0777, .data = "ping", .len = 4,
		  .uid = 1000, .gid = 100 },
	};
	struct cramfs_tree *tree;

	assert_int_equal(fx_tree_build(nodes, sizeof(nodes) / sizeof(nodes[0]), &tree), 0);
	return tree;
}

/* Apply `text` as a table file; returns the library's result. */
static int apply(struct cramfs_tree *tree, const char *text)
{
	char dir[4096], path[4200];
	int err;

	assert_int_equal(fx_tempdir(dir, sizeof(dir)), 0);
	assert_int_equal(fx_put_file(dir, "table", text, strlen(text)), 0);
	snprintf(path, sizeof(path), "%s/table", dir);
	err = cramfs_tree_apply_devtable(tree, path);
	fx_rm_rf(dir);
	return err;
}

static const struct cramfs_node *node_at(struct cramfs_tree *tree,
					 const char *path)
{
	int64_t id = fx_tree_find(tree, path);

	if (id < 0)
		fail_msg("%s: not in the tree", path);
	return &tree->nodes[id];
}

static void counted_devices_get_numbered_names_and_minors(void **state)
{
	struct cramfs_tree *tree = small_tree();

	(void)state;
	assert_int_equal(apply(tree, "/dev d 755 0 0\n/dev/ttyS c 660 0 tty 4 64 1 2 3\n"), 0);
	assert_int_equal(fx_tree_find(tree, "dev/ttyS0"), -ENOENT);
	assert_int_equal(node_at(tree, "dev/ttyS1")->rdev, 4u << 8 | 64);
	assert_int_equal(node_at(tree, "dev/ttyS2")->rdev, 4u << 8 | 66);
	assert_int_equal(node_at(tree, "dev/ttyS3")->rdev, 4u << 8 | 68);
	assert_int_equal(node_at(tree, "dev/ttyS3")->mode, S_IFCHR | 0660);
	assert_int_equal(node_at(tree, "dev/ttyS3")->gid, 5);
	assert_int_equal(fx_tree_find(tree, "dev/ttyS4"), -ENOENT);
	cramfs_tree_free(tree);
}

static void names_resolve_in_the_tree_and_f_keeps_content(void **state)
{
	struct cramfs_tree *tree = small_tree();
	const struct cramfs_node *n;

	(void)state;
	assert_int_equal(apply(tree, "bin/ping f 4755 root root\n/bin r - www www-data\n"), 0);
	n = node_at(tree, "bin/ping");
	assert_int_equal(n->mode, S_IFREG | 04755);
	assert_int_equal(n->uid, 33);
	assert_int_equal(n->gid, 33);
	assert_int_equal(n->size, 1);
	assert_memory_equal(n->data, "p", 1);
	/* r: the directory and what is below it; symlinks keep their mode. */
	assert_int_equal(node_at(tree, "bin")->uid, 33);
	assert_int_equal(node_at(tree, "bin/sh")->uid, 33);
	assert_int_equal(node_at(tree, "bin/sh")->mode, S_IFLNK | 0777);
	assert_int_equal(node_at(tree, "etc")->uid, 0);
	cramfs_tree_free(tree);
}

static void errors_name_the_file_and_line(void **state)
{
	struct cramfs_tree *tree = small_tree();

	(void)state;
	assert_int_equal(apply(tree, "# header\n\n/dev/x c 644 nobody 0 1 2\n"), -ENOENT);
	assert_non_null(strstr(cramfs_tree_errmsg(tree), "/table:3: user 'nobody' is not in the tree's etc/passwd"));
	assert_int_equal(apply(tree, "/bin/ping c 644 0 0 1 2\n"), -EEXIST);
	assert_non_null(strstr(cramfs_tree_errmsg(tree), "/table:1: /bin/ping: exists as another type"));
	assert_int_equal(apply(tree, "/bin/none f 644 0 0\n"), -ENOENT);
	assert_non_null(strstr(cramfs_tree_errmsg(tree), "/table:1: /bin/none: no such file in the tree"));
	assert_int_equal(apply(tree, "/bin/none F 644 0 0\n"), 0);
	assert_int_equal(apply(tree, "/dev/x q 644 0 0\n"), -EINVAL);
	assert_non_null(strstr(cramfs_tree_errmsg(tree), "/table:1: unknown type"));
	cramfs_tree_free(tree);
}

static void device_over_same_type_is_replaced(void **state)
{
	struct cramfs_tree *tree = small_tree();

	(void)state;
	assert_int_equal(apply(tree, "/dev/null c 600 0 0 1 3\n/dev/null c 666 0 0 1 3\n"), 0);
	assert_int_equal(node_at(tree, "dev/null")->mode, S_IFCHR | 0666);
	/* Missing parents are made 0755 root. */
	assert_int_equal(node_at(tree, "dev")->mode, S_IFDIR | 0755);
	cramfs_tree_free(tree);
}

static void table_owners_win_over_a_reset_force(void **state)
{
	struct cramfs_tree *tree = small_tree();

	(void)state;
	assert_int_equal(cramfs_tree_force_owner(tree, 0, 0), 0);
	assert_int_equal(node_at(tree, "bin/ping")->uid, 0);
	assert_int_equal(cramfs_tree_force_owner(tree, -1, -1), 0);
	assert_int_equal(apply(tree, "/bin/ping f 755 www www-data\n"), 0);
	assert_int_equal(node_at(tree, "bin/ping")->uid, 33);
	assert_int_equal(cramfs_tree_force_owner(tree, 70000, -1), -ERANGE);
	assert_int_equal(cramfs_tree_force_owner(tree, -1, 256), -ERANGE);
	cramfs_tree_free(tree);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(device_line_with_all_ten_fields),
		cmocka_unit_test(dashes_and_missing_fields_mean_unset),
		cmocka_unit_test(mode_is_octal_with_special_bits),
		cmocka_unit_test(blank_and_comment_lines_are_skipped),
		cmocka_unit_test(malformed_lines_say_why),
		cmocka_unit_test(counted_devices_get_numbered_names_and_minors),
		cmocka_unit_test(names_resolve_in_the_tree_and_f_keeps_content),
		cmocka_unit_test(errors_name_the_file_and_line),
		cmocka_unit_test(device_over_same_type_is_replaced),
		cmocka_unit_test(table_owners_win_over_a_reset_force),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
