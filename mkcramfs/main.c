// SPDX-License-Identifier: GPL-2.0-or-later
/* mkcramfs: parse options, build the tree, write the image, report. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkcramfs.h"
#include "signals.h"

static int fail(struct cramfs_tree *tree, int err)
{
	const char *msg = cramfs_tree_errmsg(tree);

	fprintf(stderr, "%s: %s\n", mkcramfs_prog(),
		*msg ? msg : cramfs_strerror(err));
	return EXIT_OPERATIONAL;
}

static int scan_archive(struct cramfs_tree *tree, const char *path)
{
	bool in = !strcmp(path, "-");
	int fd = in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	int err;

	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", mkcramfs_prog(), path,
			strerror(errno));
		return 1; /* reported */
	}
	err = cramfs_tree_scan_archive(tree, fd, in ? "standard input" : path);
	if (!in)
		close(fd);
	return err;
}

/*
 * The tree from a directory or an archive, its owners forced as nodes are
 * added, then -D. Returns 1 for an error already reported.
 */
static int scan(const struct mkcramfs_opts *o, struct cramfs_tree *tree)
{
	struct stat st;
	int err;

	cramfs_tree_set_caps_policy(tree, o->caps);
	err = cramfs_tree_force_owner(tree, o->force_uid, o->force_gid);
	if (err)
		return err;
	/* Anything but a directory is read as an archive (a file, a pipe). */
	if (o->tar)
		err = scan_archive(tree, o->tar);
	else if (stat(o->input, &st) == 0 && !S_ISDIR(st.st_mode))
		err = scan_archive(tree, o->input);
	else
		err = cramfs_tree_scan_dir(tree, o->input);
	/* The device table's owners win over --all-root and --force-*. */
	if (!err && o->devtable)
		err = cramfs_tree_force_owner(tree, -1, -1);
	if (!err && o->devtable)
		err = cramfs_tree_apply_devtable(tree, o->devtable);
	return err;
}

/* The signal that asked us to stop, or 0. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

/* Die of the signal that stopped us, as the shell expects. */
static void reraise(void)
{
	int sig = interrupted;

	signal(sig, SIG_DFL);
	raise(sig);
}

static int build(struct mkcramfs_opts *o, struct cramfs_tree *tree)
{
	struct cramfs_write_stats st;
	struct mkcramfs_report *rep;
	struct mkcramfs_progress progress;
	size_t warned;
	int err;

	err = scan(o, tree);
	if (interrupted)
		return EXIT_OPERATIONAL;
	if (err > 0)
		return EXIT_OPERATIONAL;
	if (err)
		return fail(tree, err);
	warned = mkcramfs_print_warnings(tree, 0);
	if (warned && o->write.warnings_fatal) {
		fprintf(stderr, "%s: warnings are errors (-E): no image written\n",
			mkcramfs_prog());
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
	o->write.cancel = &interrupted;
	err = cramfs_write_file(tree, &o->write, o->output, &st);
	mkcramfs_progress_end(&progress);
	mkcramfs_print_warnings(tree, warned);
	if (mkcramfs_report_close(rep, &st, !err) && !err)
		return EXIT_OPERATIONAL;
	if (err == -ECANCELED && interrupted)
		return EXIT_OPERATIONAL; /* said once, by main() */
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
		fprintf(stderr, "%s: out of memory\n", mkcramfs_prog());
		return EXIT_OPERATIONAL;
	}
	/* A stop signal ends the write between two batches, which then
	 * removes its temporary file: no partial image is left behind. */
	cli_catch_stop_signals(on_signal);
	status = build(&o, tree);
	cramfs_tree_free(tree);
	mkcramfs_free_options(&o);
	if (interrupted) {
		fprintf(stderr, "%s: interrupted: no image written\n",
			mkcramfs_prog());
		reraise();
	}
	return mkcramfs_stdout_status(status);
}
