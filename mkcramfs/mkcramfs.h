/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mkcramfs front end: options, reporting. */
#ifndef MKCRAMFS_H
#define MKCRAMFS_H

#include <stdbool.h>
#include <stdio.h>

#include "cramfs/cramfs.h"

/* mkfs(8) exit codes, as util-linux uses them. */
enum { EXIT_OK = 0, EXIT_OPERATIONAL = 8, EXIT_USAGE = 16 };

struct mkcramfs_patterns {
	char **items;
	size_t count;
	size_t cap;
};

struct mkcramfs_opts {
	struct cramfs_write_opts write;
	const char *input;        /* directory or archive; NULL with --tar */
	const char *tar;          /* --tar=FILE, "-" for standard input */
	const char *output;
	const char *devtable;     /* -D */
	int64_t force_uid;        /* -1: from the input */
	int64_t force_gid;
	enum cramfs_caps_policy caps;
	bool verbose;
	bool quiet;
	bool util_linux;          /* called as mkfs.cramfs */
	const char *report_path;  /* NULL: no report; "-": standard output */
	bool report_json;
	const char *level_arg;    /* -l as given, for messages */
	bool best;                /* --best */
	uint32_t xip_align;       /* from -X or --xip-align */
	bool xip_align_set;       /* --xip-align given: -X does not change it */
	bool xip_mode_set;        /* --xip given: -X does not change the mode */
	struct mkcramfs_patterns xip_include;
	struct mkcramfs_patterns xip_exclude;
};

/* options.c: exits with EXIT_USAGE (or EXIT_OK for --help) by itself. */
void mkcramfs_parse_options(int argc, char **argv, struct mkcramfs_opts *o);
void mkcramfs_free_options(struct mkcramfs_opts *o);
/* The name messages start with: mkcramfs, or mkfs.cramfs in that mode. */
const char *mkcramfs_prog(void);

/* progress.c */
struct mkcramfs_progress {
	bool enabled;
	bool drawn;
	double start;
	double last;
};
void mkcramfs_progress_init(struct mkcramfs_progress *p,
			    const struct mkcramfs_opts *o);
/* cramfs_write_opts.on_progress */
void mkcramfs_progress_update(void *arg, uint64_t files_done,
			      uint64_t files_total, uint64_t bytes_done,
			      uint64_t bytes_total);
/* Clear the line before anything else is printed. */
void mkcramfs_progress_end(struct mkcramfs_progress *p);

/* report.c */
struct mkcramfs_report;
int mkcramfs_report_open(const struct mkcramfs_opts *o,
			 struct mkcramfs_report **out);
/* cramfs_write_opts.on_file: the -v line and the report row. */
void mkcramfs_report_file(void *arg, const struct cramfs_file_report *r);
/* Totals; `ok` false removes a report file (no partial output). */
int mkcramfs_report_close(struct mkcramfs_report *rep,
			  const struct cramfs_write_stats *st, bool ok);
void mkcramfs_print_summary(const struct mkcramfs_opts *o,
			    const struct cramfs_write_stats *st);
/* `status`, or EXIT_OPERATIONAL when standard output could not be written. */
int mkcramfs_stdout_status(int status);
/* Print warnings from index `from` on; returns the new count. */
size_t mkcramfs_print_warnings(const struct cramfs_tree *tree, size_t from);

#endif /* MKCRAMFS_H */
