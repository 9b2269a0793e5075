// SPDX-License-Identifier: GPL-2.0-or-later
/* What mkcramfs tells the user: -v lines, the report, warnings, summary. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkcramfs.h"

struct mkcramfs_report {
	const struct mkcramfs_opts *opts;
	FILE *out;          /* the report, or NULL */
	char *tmp;          /* its temporary name, NULL on standard output */
	bool first_row;
	bool header_done;   /* -v header printed */
};

/* Control bytes and backslashes as \ooo, so that a name is one line. */
static void put_text_path(FILE *f, const char *p)
{
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f || c == '\\')
			fprintf(f, "\\%03o", c);
		else
			fputc(c, f);
	}
}

static void put_json_string(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char *method_name(const struct cramfs_file_report *r, char *buf,
			       size_t len)
{
	static const char *const kinds[] = { "zlib", "raw", "hole", "xip",
					     "shared" };

	buf[0] = '\0';
	if (r->shared_with)
		return "dedup";
	for (int k = 0; k < CRAMFS_BLOCK_KINDS; k++)
		if (r->blocks[k])
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
				 buf[0] ? "+" : "", kinds[k]);
	return buf;
}

static void print_verbose(struct mkcramfs_report *rep,
			  const struct cramfs_file_report *r)
{
	char method[32];

	if (!rep->header_done) {
		printf("%10s %10s  %-10s %s\n", "size", "stored", "method", "path");
		rep->header_done = true;
	}
	printf("%10" PRIu64 " %10" PRIu64 "  %-10s ", r->size, r->stored,
	       method_name(r, method, sizeof(method)));
	put_text_path(stdout, r->path);
	if (r->shared_with) {
		fputs(" (= ", stdout);
		put_text_path(stdout, r->shared_with);
		putchar(')');
	}
	if (r->blocks[CRAMFS_BLOCK_XIP])
		printf(" [xip %" PRIu32 " pages]", r->blocks[CRAMFS_BLOCK_XIP]);
	if (r->xip_note)
		printf(" [%s]", r->xip_note);
	putchar('\n');
}

static void report_row(struct mkcramfs_report *rep,
		       const struct cramfs_file_report *r)
{
	FILE *f = rep->out;

	if (!rep->opts->report_json) {
		fprintf(f, "%10" PRIu64 " %10" PRIu64 " %9" PRIu32 " %6" PRIu32
			" %5" PRIu32 " %5" PRIu32 " %8" PRIu64 "  ", r->size,
			r->stored, r->blocks[CRAMFS_BLOCK_XIP],
			r->blocks[CRAMFS_BLOCK_ZLIB], r->blocks[CRAMFS_BLOCK_RAW],
			r->blocks[CRAMFS_BLOCK_HOLE], r->xip_padding);
		put_text_path(f, r->path);
		if (r->shared_with) {
			fputs(" (= ", f);
			put_text_path(f, r->shared_with);
			fputc(')', f);
		}
		if (r->xip_note)
			fprintf(f, " [%s]", r->xip_note);
		fputc('\n', f);
		return;
	}
	fprintf(f, "%s\n    {\"path\": ", rep->first_row ? "" : ",");
	put_json_string(f, r->path);
	fprintf(f, ", \"size\": %" PRIu64 ", \"stored\": %" PRIu64
		", \"xip_pages\": %" PRIu32 ", \"zlib_blocks\": %" PRIu32
		", \"raw_blocks\": %" PRIu32 ", \"hole_blocks\": %" PRIu32
		", \"padding\": %" PRIu64 ", \"shared_with\": ", r->size,
		r->stored, r->blocks[CRAMFS_BLOCK_XIP],
		r->blocks[CRAMFS_BLOCK_ZLIB], r->blocks[CRAMFS_BLOCK_RAW],
		r->blocks[CRAMFS_BLOCK_HOLE], r->xip_padding);
	put_json_string(f, r->shared_with);
	fputs(", \"note\": ", f);
	put_json_string(f, r->xip_note);
	fputc('}', f);
	rep->first_row = false;
}

void mkcramfs_report_file(void *arg, const struct cramfs_file_report *r)
{
	struct mkcramfs_report *rep = arg;

	if (rep->opts->verbose && !rep->opts->quiet)
		print_verbose(rep, r);
	if (rep->out && S_ISREG(r->mode))
		report_row(rep, r);
}

/* Like the image, the report is renamed into place only when complete. */
static FILE *open_temp(struct mkcramfs_report *rep)
{
	int fd;

	if (asprintf(&rep->tmp, "%s.tmp%ld", rep->opts->report_path,
		     (long)getpid()) < 0) {
		rep->tmp = NULL;
		return NULL;
	}
	fd = open(rep->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	return fd < 0 ? NULL : fdopen(fd, "w");
}

int mkcramfs_report_open(const struct mkcramfs_opts *o,
			 struct mkcramfs_report **out)
{
	struct mkcramfs_report *rep = calloc(1, sizeof(*rep));

	*out = rep;
	if (!rep) {
		fprintf(stderr, "%s: out of memory\n", mkcramfs_prog());
		return -ENOMEM;
	}
	rep->opts = o;
	rep->first_row = true;
	if (!o->report_path)
		return 0;
	rep->out = strcmp(o->report_path, "-") ? open_temp(rep) : stdout;
	if (!rep->out) {
		fprintf(stderr, "%s: %s: %s\n", mkcramfs_prog(), o->report_path,
			strerror(errno));
		free(rep->tmp);
		free(rep);
		*out = NULL;
		return -EIO;
	}
	if (o->report_json) {
		fputs("{\n  \"image\": ", rep->out);
		put_json_string(rep->out, o->output);
		fprintf(rep->out, ",\n  \"block_size\": %" PRIu32 ",\n  \"files\": [",
			o->write.block_size);
	} else {
		fprintf(rep->out, "%10s %10s %9s %6s %5s %5s %8s  %s\n", "size",
			"stored", "xip_pages", "zlib", "raw", "hole", "padding",
			"path");
	}
	return 0;
}

static void report_totals(FILE *f, const struct mkcramfs_opts *o,
			  const struct cramfs_write_stats *st)
{
	uint64_t xip_bytes = (uint64_t)st->xip_blocks * o->write.block_size;

	if (o->report_json) {
		fprintf(f, "\n  ],\n  \"totals\": {\"image_size\": %" PRIu64
			", \"entries\": %" PRIu32 ", \"xip_files\": %" PRIu32
			", \"xip_pages\": %" PRIu32 ", \"xip_bytes\": %" PRIu64
			", \"padding\": %" PRIu64 ", \"inline_padding\": %" PRIu64
			", \"ram_saved\": %" PRIu64 ", \"dedup_files\": %" PRIu32
			", \"dedup_saved\": %" PRIu64 ", \"dedup_blocks\": %" PRIu32
			", \"dedup_block_saved\": %" PRIu64 "}\n}\n",
			st->image_size, st->files, st->xip_files, st->xip_blocks,
			xip_bytes, st->xip_padding, st->xip_inline_padding,
			xip_bytes, st->dedup_files, st->dedup_saved,
			st->dedup_blocks, st->dedup_block_saved);
		return;
	}
	fprintf(f, "total: image %" PRIu64 " bytes, %" PRIu32 " entries; XIP %"
		PRIu32 " files, %" PRIu32 " pages (%" PRIu64 " bytes); padding %"
		PRIu64 " bytes (cramfs-tools inline layout: %" PRIu64
		"); page-cache RAM saved %" PRIu64 " bytes; dedup: %" PRIu32
		" files (%" PRIu64 " bytes of content), %" PRIu32
		" blocks (%" PRIu64 " stored bytes)\n", st->image_size,
		st->files, st->xip_files, st->xip_blocks, xip_bytes,
		st->xip_padding, st->xip_inline_padding, xip_bytes,
		st->dedup_files, st->dedup_saved, st->dedup_blocks,
		st->dedup_block_saved);
}

int mkcramfs_report_close(struct mkcramfs_report *rep,
			  const struct cramfs_write_stats *st, bool ok)
{
	const struct mkcramfs_opts *o = rep->opts;
	int err = 0;

	if (rep->out) {
		if (ok)
			report_totals(rep->out, o, st);
		if (rep->out != stdout && fclose(rep->out))
			err = -errno;
		if (rep->out == stdout && fflush(stdout))
			err = -errno;
		if (!err && ok && rep->tmp && rename(rep->tmp, o->report_path))
			err = -errno;
		if (err)
			fprintf(stderr, "%s: %s: %s\n", mkcramfs_prog(), o->report_path,
				strerror(-err));
		if ((!ok || err) && rep->tmp)
			unlink(rep->tmp);
	}
	free(rep->tmp);
	free(rep);
	return err;
}

size_t mkcramfs_print_warnings(const struct cramfs_tree *tree, size_t from)
{
	size_t n = cramfs_tree_warning_count(tree);

	for (size_t i = from; i < n; i++)
		fprintf(stderr, "%s: warning: %s\n", mkcramfs_prog(),
			cramfs_tree_warning(tree, i));
	return n;
}

void mkcramfs_print_summary(const struct mkcramfs_opts *o,
			    const struct cramfs_write_stats *st)
{
	printf("%s: %" PRIu64 " bytes, %" PRIu32 " entries, %" PRIu32
	       " blocks, %" PRIu64 " bytes of content stored in %" PRIu64
	       ", crc 0x%08" PRIx32 "\n", o->output, st->image_size, st->files,
	       st->blocks, st->data_bytes, st->data_stored, st->crc);
	if (st->dedup_files)
		printf("%s: %" PRIu32 " duplicate files share data, saving %"
		       PRIu64 " bytes of content\n", o->output, st->dedup_files,
		       st->dedup_saved);
	if (o->write.dedup == CRAMFS_DEDUP_BLOCKS)
		printf("%s: %" PRIu32 " duplicate blocks share storage, saving %"
		       PRIu64 " stored bytes\n", o->output, st->dedup_blocks,
		       st->dedup_block_saved);
	if (o->write.xip != CRAMFS_XIP_NONE || o->write.xip_include_count)
		printf("%s: XIP %" PRIu32 " files, %" PRIu32 " pages mapped in place"
		       " (%" PRIu64 " bytes of page cache saved), %" PRIu64
		       " bytes of padding\n", o->output, st->xip_files,
		       st->xip_blocks,
		       (uint64_t)st->xip_blocks * o->write.block_size,
		       st->xip_padding);
}

int mkcramfs_stdout_status(int status)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return status;
	fprintf(stderr, "%s: cannot write to standard output: %s\n",
		mkcramfs_prog(), strerror(errno));
	return status ? status : EXIT_OPERATIONAL;
}
