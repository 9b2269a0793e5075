// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/extract.c: images written by the library come back with their
 * content and modes; hostile images never write outside the target.
 *
 * Each test works in a fresh temporary directory: the target is
 * `<tmp>/out` and `<tmp>/sentinel` is a file outside it that must never
 * change.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
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

#include "helper_craft.h"

#define SENTINEL "sentinel: do not touch\n"

static uint8_t text5000[5000];
static uint8_t random4097[4097];

#define NODE_DIR(p, m) { .path = (p), .mode = S_IFDIR | (m) }
#define NODE_REG(p, m, buf, n) { .path = (p), .mode = S_IFREG | (m), \
				 .data = (buf), .len = (n) }
#define NODE_STR(p, m, s) NODE_REG(p, m, s, sizeof(s) - 1)
#define NODE_LNK(p, s) { .path = (p), .mode = S_IFLNK | 0777, .data = (s), \
			 .len = sizeof(s) - 1 }
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct work {
	char dir[512];
	char out[PATH_MAX];
	char sentinel[PATH_MAX];
	char skipped[16][2][128]; /* on_skip: path, why */
	size_t nskipped;
};

static int work_setup(void **state)
{
	struct work *w = calloc(1, sizeof(*w));

	if (!w || fx_tempdir(w->dir, sizeof(w->dir))) {
		free(w);
		return -1;
	}
	snprintf(w->out, sizeof(w->out), "%s/out", w->dir);
	snprintf(w->sentinel, sizeof(w->sentinel), "%s/sentinel", w->dir);
	if (fx_put_file(w->dir, "sentinel", SENTINEL, strlen(SENTINEL))) {
		fx_rm_rf(w->dir);
		free(w);
		return -1;
	}
	*state = w;
	return 0;
}

static int make_writable(const char *path, const struct stat *st, int flag,
			 struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D || flag == FTW_DNR)
		chmod(path, (st->st_mode & 07777) | 0700);
	return 0;
}

static int work_teardown(void **state)
{
	struct work *w = *state;

	/* Directories extracted read-only must still be emptied. */
	nftw(w->dir, make_writable, 16, FTW_PHYS);
	fx_rm_rf(w->dir);
	free(w);
	return 0;
}

static int fill_data(void **state)
{
	(void)state;
	fx_fill_text(text5000, sizeof(text5000), 21);
	fx_fill_random(random4097, sizeof(random4097), 22);
	return 0;
}

static void on_skip(void *arg, const char *path, const char *why)
{
	struct work *w = arg;

	assert_true(w->nskipped < COUNT(w->skipped));
	snprintf(w->skipped[w->nskipped][0], sizeof(w->skipped[0][0]), "%s", path);
	snprintf(w->skipped[w->nskipped][1], sizeof(w->skipped[0][1]), "%s", why);
	w->nskipped++;
}

static void assert_contains(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("\"%s\" does not contain \"%s\"", text, needle);
}

static void make(const struct fx_node *nodes, size_t n, struct hc_image *img)
{
	int err = hc_make(nodes, n, NULL, img);

	if (err)
		fail_msg("cannot write the image: %s", cramfs_strerror(err));
}

static struct cramfs_image *open_image(const struct hc_image *img)
{
	struct cramfs_image *h;

	assert_int_equal(cramfs_image_new(&h), 0);
	if (cramfs_image_open_memory(h, img->buf, img->len))
		fail_msg("open failed: %s", cramfs_image_errmsg(h));
	return h;
}

/* Extract `img` into w->out with `opts`; returns what cramfs_extract() did. */
static int extract(struct work *w, const struct hc_image *img,
		   struct cramfs_extract_opts *opts, char *msg, size_t cap)
{
	struct cramfs_extract_opts local = { .on_skip = on_skip };
	struct cramfs_image *h = open_image(img);
	int ret;

	if (!opts)
		opts = &local;
	opts->arg = w;
	ret = cramfs_extract(h, w->out, opts);
	if (msg)
		snprintf(msg, cap, "%s", cramfs_image_errmsg(h));
	cramfs_image_free(h);
	return ret;
}

static void path_in(const struct work *w, const char *rel, char *buf, size_t cap)
{
	if ((size_t)snprintf(buf, cap, "%s/%s", w->out, rel) >= cap)
		fail_msg("path too long");
}

static void assert_file(const struct work *w, const char *rel, const void *want,
			size_t len, mode_t mode)
{
	char p[PATH_MAX];
	struct stat st;
	uint8_t *got;
	size_t glen;

	path_in(w, rel, p, sizeof(p));
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, mode);
	assert_int_equal(fx_slurp(p, &got, &glen), 0);
	assert_int_equal(glen, len);
	if (len)
		assert_memory_equal(got, want, len);
	free(got);
}

static void assert_mode(const struct work *w, const char *rel, mode_t mode)
{
	char p[PATH_MAX];
	struct stat st;

	path_in(w, rel, p, sizeof(p));
	if (lstat(p, &st))
		fail_msg("%s: %s", rel, strerror(errno));
	assert_int_equal(st.st_mode, mode);
}

static void assert_missing(const struct work *w, const char *rel)
{
	char p[PATH_MAX];
	struct stat st;

	path_in(w, rel, p, sizeof(p));
	if (!lstat(p, &st))
		fail_msg("%s exists", rel);
}

/* Nothing outside the target changed: the sentinel and nothing else. */
static void assert_outside_untouched(const struct work *w)
{
	uint8_t *got;
	size_t len;

	assert_int_equal(fx_slurp(w->sentinel, &got, &len), 0);
	assert_int_equal(len, strlen(SENTINEL));
	assert_memory_equal(got, SENTINEL, len);
	free(got);
	/* sentinel and out, if it was made */
	assert_true(fx_count_prefixed(w->dir, "") <= 2 + 2);
	assert_int_equal(fx_count_prefixed(w->dir, "s"), 1);
	assert_int_equal(fx_count_prefixed(w->dir, "o"),
			 access(w->out, F_OK) == 0 ? 1 : 0);
}

static const char *skip_reason(const struct work *w, const char *path)
{
	for (size_t i = 0; i < w->nskipped; i++)
		if (!strcmp(w->skipped[i][0], path))
			return w->skipped[i][1];
	return NULL;
}

/* ---- Faithful extraction. ---- */

static const struct fx_node tree[] = {
	NODE_DIR("bin", 0755),
	NODE_REG("bin/sh", 0755, text5000, sizeof(text5000)),
	NODE_DIR("etc", 0750),
	NODE_STR("etc/motd", 0644, "hello world\n"),
	{ .path = "etc/empty", .mode = S_IFREG | 0600 },
	NODE_LNK("etc/sh-link", "../bin/sh"),
	NODE_DIR("etc/locked", 0500),
	NODE_STR("etc/locked/secret", 0400, "s3cret\n"),
	NODE_REG("noise", 0640, random4097, sizeof(random4097)),
	{ .path = "fifo", .mode = S_IFIFO | 0620 },
};

static void extract_reproduces_content_modes_and_links(void **state)
{
	struct work *w = *state;
	struct hc_image img;
	char p[PATH_MAX], link[64];
	ssize_t n;

	make(tree, COUNT(tree), &img);
	assert_int_equal(extract(w, &img, NULL, NULL, 0), 0);
	assert_int_equal(w->nskipped, 0);
	assert_mode(w, "bin", S_IFDIR | 0755);
	assert_file(w, "bin/sh", text5000, sizeof(text5000), 0755);
	assert_mode(w, "etc", S_IFDIR | 0750);
	assert_file(w, "etc/motd", "hello world\n", 12, 0644);
	assert_file(w, "etc/empty", "", 0, 0600);
	assert_file(w, "etc/locked/secret", "s3cret\n", 7, 0400);
	assert_mode(w, "etc/locked", S_IFDIR | 0500);
	assert_file(w, "noise", random4097, sizeof(random4097), 0640);
	assert_mode(w, "fifo", S_IFIFO | 0620);
	path_in(w, "etc/sh-link", p, sizeof(p));
	n = readlink(p, link, sizeof(link));
	assert_int_equal(n, 9);
	assert_memory_equal(link, "../bin/sh", 9);
	/* The target takes the root's mode. */
	assert_mode(w, "", S_IFDIR | 0755);
	assert_outside_untouched(w);
	hc_free(&img);
}

static void extract_into_an_existing_empty_directory_works(void **state)
{
	struct work *w = *state;
	struct hc_image img;

	make(tree, COUNT(tree), &img);
	assert_int_equal(mkdir(w->out, 0700), 0);
	assert_int_equal(extract(w, &img, NULL, NULL, 0), 0);
	assert_file(w, "etc/motd", "hello world\n", 12, 0644);
	hc_free(&img);
}

static void extract_into_a_non_empty_directory_fails_with_enotempty(void **state)
{
	struct work *w = *state;
	struct hc_image img;
	char msg[512];

	make(tree, COUNT(tree), &img);
	assert_int_equal(mkdir(w->out, 0700), 0);
	assert_int_equal(fx_put_file(w->out, "already-here", "x", 1), 0);
	assert_int_equal(extract(w, &img, NULL, msg, sizeof(msg)), -ENOTEMPTY);
	assert_contains(msg, w->out);
	assert_contains(msg, "directory is not empty");
	assert_int_equal(fx_count_prefixed(w->out, ""), 3); /* ., .., already-here */
	hc_free(&img);
}

static void extract_of_a_corrupt_file_fails_naming_it(void **state)
{
	struct work *w = *state;
	struct hc_image img;
	uint32_t t;
	char msg[512];

	make(tree, COUNT(tree), &img);
	assert_int_equal(hc_ptr_offset(&img, "bin/sh", 0, &t), 0);
	for (uint32_t k = 16; k < 48; k++)
		img.buf[t + 8 + k] ^= 0x5a;
	assert_int_equal(extract(w, &img, NULL, msg, sizeof(msg)), -CRAMFS_ECORRUPT);
	assert_contains(msg, "bin/sh: block 0: bad zlib stream");
	assert_outside_untouched(w);
	hc_free(&img);
}

/* ---- Hostile names. ---- */

static void dot_dot_directory_never_writes_outside_the_target(void **state)
{
	static const struct fx_node nodes[] = {
		NODE_DIR("xx", 0755),
		NODE_STR("xx/sentinel", 0644, "overwritten!\n"),
	};
	struct work *w = *state;
	struct hc_image img;
	char msg[512];

	make(nodes, COUNT(nodes), &img);
	/* out/../sentinel is the sentinel. */
	assert_int_equal(hc_rename(&img, "xx", ".."), 0);
	assert_int_equal(extract(w, &img, NULL, msg, sizeof(msg)), -CRAMFS_ECORRUPT);
	assert_contains(msg, "invalid name \"..\": reserved name");
	assert_outside_untouched(w);
	hc_free(&img);
}

static void names_with_a_slash_never_write_outside_the_target(void **state)
{
	static const struct fx_node nodes[] = {
		NODE_STR("xx_sentinel", 0644, "overwritten!\n"),
	};
	struct work *w = *state;
	struct hc_image img;
	char msg[512];

	make(nodes, COUNT(nodes), &img);
	assert_int_equal(hc_rename(&img, "xx_sentinel", "../sentinel"), 0);
	assert_int_equal(extract(w, &img, NULL, msg, sizeof(msg)), -CRAMFS_ECORRUPT);
	assert_contains(msg, "'/' in the name");
	assert_outside_untouched(w);
	hc_free(&img);
}

static void file_behind_a_same_named_symlink_is_refused(void **state)
{
	struct work *w = *state;
	struct fx_node nodes[] = {
		{ .path = "a", .mode = S_IFLNK | 0777, .data = w->sentinel,
		  .len = strlen(w->sentinel) },
		NODE_STR("b", 0644, "overwritten!\n"),
	};
	struct hc_image img;
	char msg[512];

	make(nodes, COUNT(nodes), &img);
	/* Entries "a" (symlink to the sentinel) then "a" (file). */
	assert_int_equal(hc_rename(&img, "b", "a"), 0);
	assert_int_equal(extract(w, &img, NULL, msg, sizeof(msg)), -EEXIST);
	assert_contains(msg, "/a: cannot create file");
	assert_outside_untouched(w);
	hc_free(&img);
}

static void directory_behind_a_same_named_symlink_is_refused(void **state)
{
	struct work *w = *state;
	struct fx_node nodes[] = {
		{ .path = "a", .mode = S_IFLNK | 0777, .data = w->dir,
		  .len = strlen(w->dir) },
		NODE_DIR("b", 0755),
		NODE_STR("b/sentinel", 0644, "overwritten!\n"),
	};
	struct hc_image img;
	char msg[512];

	make(nodes, COUNT(nodes), &img);
	/* "a" -> the directory holding the sentinel, then directory "a". */
	assert_int_equal(hc_rename(&img, "b", "a"), 0);
	assert_int_equal(extract(w, &img, NULL, msg, sizeof(msg)), -EEXIST);
	assert_contains(msg, "/a: cannot create directory");
	assert_outside_untouched(w);
	hc_free(&img);
}

/* ---- Devices and set-id bits. ---- */

static const struct fx_node special[] = {
	NODE_DIR("dev", 0755),
	{ .path = "dev/null", .mode = S_IFCHR | 0666, .rdev_major = 1,
	  .rdev_minor = 3 },
	{ .path = "dev/sda", .mode = S_IFBLK | 0660, .rdev_major = 8 },
	NODE_STR("setgid", 02755, "#!/bin/sh\n"),
	NODE_DIR("shared", 02775),
	NODE_STR("su", 04755, "#!/bin/sh\n"),
};

static void devices_are_skipped_and_reported_without_create_devices(void **state)
{
	struct work *w = *state;
	struct hc_image img;

	make(special, COUNT(special), &img);
	assert_int_equal(extract(w, &img, NULL, NULL, 0), 0);
	assert_mode(w, "dev", S_IFDIR | 0755);
	assert_missing(w, "dev/null");
	assert_missing(w, "dev/sda");
	assert_non_null(skip_reason(w, "dev/null"));
	assert_string_equal(skip_reason(w, "dev/null"), "device node not created");
	assert_string_equal(skip_reason(w, "dev/sda"), "device node not created");
	hc_free(&img);
}

static void setid_bits_are_dropped_and_reported_without_restore_owner(void **state)
{
	struct work *w = *state;
	struct hc_image img;

	make(special, COUNT(special), &img);
	assert_int_equal(extract(w, &img, NULL, NULL, 0), 0);
	assert_file(w, "su", "#!/bin/sh\n", 10, 0755);
	assert_file(w, "setgid", "#!/bin/sh\n", 10, 0755);
	assert_string_equal(skip_reason(w, "su"),
			    "setuid/setgid bits dropped (owner not restored)");
	assert_string_equal(skip_reason(w, "setgid"),
			    "setuid/setgid bits dropped (owner not restored)");
	/* A directory's setgid bit only makes new entries inherit its group. */
	assert_mode(w, "shared", S_IFDIR | 02775);
	assert_null(skip_reason(w, "shared"));
	assert_int_equal(w->nskipped, 4);
	hc_free(&img);
}

static void root_restores_devices_owners_and_setid_bits(void **state)
{
	static const struct fx_node nodes[] = {
		{ .path = "null", .mode = S_IFCHR | 0666, .uid = 0, .gid = 0,
		  .rdev_major = 1, .rdev_minor = 3 },
		{ .path = "su", .mode = S_IFREG | 04755, .uid = 1234, .gid = 56,
		  .data = "x", .len = 1 },
	};
	struct work *w = *state;
	struct cramfs_extract_opts o = {
		.restore_owner = true, .create_devices = true,
		.on_skip = on_skip,
	};
	struct hc_image img;
	struct stat st;
	char p[PATH_MAX];

	if (geteuid() != 0)
		skip();
	make(nodes, COUNT(nodes), &img);
	assert_int_equal(extract(w, &img, &o, NULL, 0), 0);
	assert_int_equal(w->nskipped, 0);
	path_in(w, "null", p, sizeof(p));
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(major(st.st_rdev), 1);
	assert_int_equal(minor(st.st_rdev), 3);
	path_in(w, "su", p, sizeof(p));
	assert_int_equal(lstat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 04755);
	assert_int_equal(st.st_uid, 1234);
	assert_int_equal(st.st_gid, 56);
	hc_free(&img);
}

int main(void)
{
#define W(fn) cmocka_unit_test_setup_teardown(fn, work_setup, work_teardown)
	const struct CMUnitTest tests[] = {
		W(extract_reproduces_content_modes_and_links),
		W(extract_into_an_existing_empty_directory_works),
		W(extract_into_a_non_empty_directory_fails_with_enotempty),
		W(extract_of_a_corrupt_file_fails_naming_it),
		W(dot_dot_directory_never_writes_outside_the_target),
		W(names_with_a_slash_never_write_outside_the_target),
		W(file_behind_a_same_named_symlink_is_refused),
		W(directory_behind_a_same_named_symlink_is_refused),
		W(devices_are_skipped_and_reported_without_create_devices),
		W(setid_bits_are_dropped_and_reported_without_restore_owner),
		W(root_restores_devices_owners_and_setid_bits),
	};
#undef W

	return cmocka_run_group_tests(tests, fill_data, NULL);
}
