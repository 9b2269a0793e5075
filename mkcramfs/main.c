// SPDX-License-Identifier: GPL-2.0-or-later
/* mkcramfs: parse options, build the tree, write the image, report. */
#include <stdio.h>

#include "mkcramfs.h"

static int fail(struct cramfs_tree *tree, int err)
{
	const char *msg = cramfs_tree_errmsg(tree);

	fprintf(stderr, "mkcramfs: %s\n", *msg ? msg : cramfs_strerror(err));
	return EXIT_OPERATIONAL;
}

static int build(struct mkcramfs_opts *o, struct cramfs_tree *tree)
{
	struct cramfs_write_stats st;
	struct mkcramfs_report *rep;
	struct mkcramfs_progress progress;
	size_t warned;
	int err;

	err = cramfs_tree_scan_dir(tree, o->input);
	if (err)
		return fail(tree, err);
	warned = mkcramfs_print_warnings(tree, 0);
	if (warned && o->write.warnings_fatal) {
		fputs("mkcramfs: warnings are errors (-E): no image written\n",
		      stderr);
		return EXIT_OPERATIONAL;
	}
	err = mkcramfs_report_open(o, &rep);
	if (err)
		return EXIT_OPERATIONAL;
	o->write.on_file = mkcramfs_report_file;
	o->write.arg = rep;
	mkcramfs_progress_init(&progress, o);
	o->write.on_progress = mkcramfs_progress_update;
	o->write.progress_arg = &progress;
	err = cramfs_write_file(tree, &o->write, o->output, &st);
	mkcramfs_progress_end(&progress);
	mkcramfs_print_warnings(tree, warned);
	if (mkcramfs_report_close(rep, &st, !err) && !err)
		return EXIT_OPERATIONAL;
	if (err)
		return fail(tree, err);
	if (!o->quiet)
		mkcramfs_print_summary(o, &st);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	struct mkcramfs_opts o;
	struct cramfs_tree *tree;
	int status;

	mkcramfs_parse_options(argc, argv, &o);
	if (cramfs_tree_new(&tree)) {
		fputs("mkcramfs: out of memory\n", stderr);
		return EXIT_OPERATIONAL;
	}
	status = build(&o, tree);
	cramfs_tree_free(tree);
	mkcramfs_free_options(&o);
	return mkcramfs_stdout_status(status);
}
