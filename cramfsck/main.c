// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cramfsck: check a cramfs image and optionally extract it.
 *
 * Options and library calls only; every check lives in libcramfs. Exit
 * codes follow fsck(8).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cramfs/cramfs.h"

#define PROG "cramfsck"

enum {
	EXIT_CLEAN = 0,
	EXIT_ERRORS = 4,      /* errors left uncorrected */
	EXIT_OPERATIONAL = 8, /* cannot open or read, extraction failed */
	EXIT_USAGE = 16,
};

enum { OPT_STRICT = 0x100 };

struct ck_opts {
	const char *image;
	const char *extract_dir;
	uint32_t block_size;
	bool verbose;
	bool strict;          /* warnings count as errors */
};

struct ck_run {
	const struct ck_opts *opts;
	struct cramfs_image *img;
	unsigned int block_errors;
};

static void usage(FILE *out)
{
	fputs("Usage: " PROG " [options] IMAGE\n"
	      "Check a cramfs image: superblock, CRC, every entry and every block,\n"
	      "and how the kernel would map each file in place (XIP).\n"
	      "\n"
	      "Options:\n"
	      "  -v, --verbose          list every entry (ls -l style, with XIP pages)\n"
	      "                         and show notes\n"
	      "  -x, --extract[=DIR]    extract into DIR (created if missing, must be\n"
	      "                         empty); also written -x DIR IMAGE\n"
	      "  -b, --blocksize=SIZE   block size of the image = the target's page\n"
	      "      --page-size=SIZE   size: 4096 (default), 16384 or 65536\n"
	      "      --strict           warnings count as errors (exit 4)\n"
	      "  -a, -y                 ignored (fsck compatibility)\n"
	      "  -c                     ignored (every problem is always reported)\n"
	      "  -h, --help             show this help and exit\n"
	      "  -V, --version          show the version and exit\n"
	      "\n"
	      "Exit status: 0 clean, 4 errors found, 8 operational error,\n"
	      "16 usage error.\n", out);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry '" PROG " --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

static int parse_block_size(const char *arg, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end ||
	    (v != 4096 && v != 16384 && v != 65536))
		return usage_error("invalid block size '%s': use 4096, 16384 or 65536",
				   arg);
	*out = (uint32_t)v;
	return 0;
}

static int bad_option(int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':') {
		if (arg[0] == '-' && arg[1] == '-')
			return usage_error("option '%s' requires an argument", arg);
		return usage_error("option requires an argument -- '%c'", optopt);
	}
	if (arg[0] == '-' && arg[1] == '-')
		return usage_error("invalid option '%s'", arg);
	return usage_error("invalid option -- '%c'", optopt);
}

/* Operands left: IMAGE, or DIR IMAGE after an -x without attached DIR. */
static int take_operands(int argc, char **argv, bool bare_x, struct ck_opts *o)
{
	int left = argc - optind;

	if (bare_x && left >= 2)
		o->extract_dir = argv[optind++];
	left = argc - optind;
	if (left == 0)
		return usage_error("no image given");
	if (left > 1)
		return usage_error("too many operands: '%s'", argv[optind + 1]);
	o->image = argv[optind];
	return -1;
}

/* -1: go on; otherwise the exit code. */
static int parse_options(int argc, char **argv, struct ck_opts *o)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "extract", optional_argument, NULL, 'x' },
		{ "blocksize", required_argument, NULL, 'b' },
		{ "page-size", required_argument, NULL, 'b' },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ NULL, 0, NULL, 0 },
	};
	bool bare_x = false;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hVvx::b:ayc", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_CLEAN;
		case 'V':
			printf(PROG " (mkcramfs-xip) %s\n", cramfs_version_string());
			return EXIT_CLEAN;
		case 'v':
			o->verbose = true;
			break;
		case 'x':
			if (optarg && !*optarg)
				return usage_error("empty extraction directory");
			o->extract_dir = optarg;
			bare_x = !optarg;
			break;
		case 'b':
			if (parse_block_size(optarg, &o->block_size))
				return EXIT_USAGE;
			break;
		case OPT_STRICT:
			o->strict = true;
			break;
		case 'a':
		case 'y':
		case 'c':
			break;
		default:
			return bad_option(c, argv);
		}
	}
	return take_operands(argc, argv, bare_x, o);
}

/* ------------------------------------------------------------------ */
/* Output.                                                              */
/* ------------------------------------------------------------------ */

/* Print an image path with control bytes escaped; the root shows as "/". */
static void put_path(FILE *out, const char *lead, const char *path)
{
	fputs(lead, out);
	if (!*path && !*lead)
		fputc('/', out);
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			fprintf(out, "\\%03o", *p);
		else
			fputc(*p, out);
	}
}

static void print_finding(void *arg, const struct cramfs_finding *f)
{
	struct ck_run *run = arg;
	static const char *const sev[] = { "note", "warning", "error" };

	if (f->severity == CRAMFS_SEV_ERROR && f->path &&
	    !strncmp(f->message, "block ", 6))
		run->block_errors++;
	if (f->severity == CRAMFS_SEV_INFO && !run->opts->verbose)
		return;
	fprintf(stderr, PROG ": %s: %s: ", run->opts->image,
		sev[f->severity <= CRAMFS_SEV_ERROR ? f->severity : 2]);
	if (f->path) {
		put_path(stderr, "", f->path);
		fputs(": ", stderr);
	}
	fprintf(stderr, "%s\n", f->message);
}

static void mode_string(uint32_t mode, char out[11])
{
	static const char types[] = "?pc?d?b?-?l?s???";
	static const char rwx[] = "rwxrwxrwx";

	out[0] = types[(mode >> 12) & 0xf];
	for (int i = 0; i < 9; i++)
		out[1 + i] = mode & (0400u >> i) ? rwx[i] : '-';
	if (mode & S_ISUID)
		out[3] = out[3] == 'x' ? 's' : 'S';
	if (mode & S_ISGID)
		out[6] = out[6] == 'x' ? 's' : 'S';
	if (mode & S_ISVTX)
		out[9] = out[9] == 'x' ? 't' : 'T';
	out[10] = '\0';
}

struct link_buf {
	char text[4096];
	size_t len;
};

static int link_sink(void *arg, const void *buf, size_t len)
{
	struct link_buf *l = arg;
	size_t room = sizeof(l->text) - 1 - l->len;

	memcpy(l->text + l->len, buf, len < room ? len : room);
	l->len += len < room ? len : room;
	return len > room ? 1 : 0;
}

static void print_link(struct ck_run *run, const struct cramfs_entry *e)
{
	struct link_buf l = { .len = 0 };
	int ret = cramfs_image_read_data(run->img, e, link_sink, &l);

	l.text[l.len] = '\0';
	if (ret < 0) {
		fputs(" -> ?", stdout);
		return;
	}
	put_path(stdout, " -> ", l.text);
	if (ret > 0 || strlen(l.text) != l.len)
		fputs("...", stdout);
}

static const char *plural(uint32_t n, const char *one, const char *many);

/* " [xip M/N pages]" for files the kernel maps (at least partly) in place. */
static void print_xip(struct ck_run *run, const struct cramfs_entry *e)
{
	const struct cramfs_super *sb = cramfs_image_super(run->img);
	struct cramfs_xip_audit a;

	if (!(sb->flags & CRAMFS_FLAG_EXT_BLOCK_POINTERS) ||
	    !S_ISREG(e->inode.mode) ||
	    cramfs_image_xip_audit(run->img, e, run->opts->block_size, &a) ||
	    !a.mappable_pages)
		return;
	printf(" [xip %u/%u %s]", a.mappable_pages, a.pages,
	       plural(a.pages, "page", "pages"));
}

static int list_entry(void *arg, const struct cramfs_entry *e)
{
	struct ck_run *run = arg;
	const struct cramfs_inode *in = &e->inode;
	char mode[11], owner[24], size[24];

	mode_string(in->mode, mode);
	snprintf(owner, sizeof(owner), "%u:%u", in->uid, in->gid);
	if (S_ISCHR(in->mode) || S_ISBLK(in->mode))
		snprintf(size, sizeof(size), "%u,%u", (in->size >> 8) & 0xff,
			 in->size & 0xff);
	else
		snprintf(size, sizeof(size), "%u", in->size);
	printf("%s %9s %9s ", mode, owner, size);
	put_path(stdout, "/", e->path);
	if (S_ISLNK(in->mode))
		print_link(run, e);
	print_xip(run, e);
	putchar('\n');
	return 0;
}

static const char *plural(uint32_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void print_summary(const struct ck_opts *o,
			  const struct cramfs_verify_stats *st)
{
	printf("%s: ", o->image);
	if (st->errors)
		printf("%u %s", st->errors, plural(st->errors, "error", "errors"));
	else
		fputs("clean", stdout);
	printf(", %u %s, %u %s, %u %s", st->entries,
	       plural(st->entries, "entry", "entries"), st->files,
	       plural(st->files, "file", "files"), st->blocks,
	       plural(st->blocks, "block", "blocks"));
	if (st->xip_fully || st->xip_partly)
		printf(", XIP: %u fully, %u partly, %u %s", st->xip_fully,
		       st->xip_partly, st->xip_pages,
		       plural(st->xip_pages, "page", "pages"));
	if (st->warnings)
		printf(", %u %s", st->warnings,
		       plural(st->warnings, "warning", "warnings"));
	putchar('\n');
}

/* ------------------------------------------------------------------ */
/* Running.                                                             */
/* ------------------------------------------------------------------ */

static bool has_cap(cap_value_t cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (!caps)
		return false;
	if (cap_get_flag(caps, cap, CAP_EFFECTIVE, &v))
		v = CAP_CLEAR;
	cap_free(caps);
	return v == CAP_SET;
}

static void print_skip(void *arg, const char *path, const char *why)
{
	struct ck_run *run = arg;

	fprintf(stderr, PROG ": %s: warning: ", run->opts->image);
	put_path(stderr, "", path);
	fprintf(stderr, ": %s\n", why);
}

static int lib_failure(const struct ck_run *run, int err)
{
	const char *msg = cramfs_image_errmsg(run->img);

	fprintf(stderr, PROG ": %s: %s\n", run->opts->image,
		*msg ? msg : cramfs_strerror(err));
	return err == -CRAMFS_ECORRUPT ? EXIT_ERRORS : EXIT_OPERATIONAL;
}

struct owner_count {
	uid_t uid;
	gid_t gid;
	uint32_t foreign;
};

static int count_foreign_owner(void *arg, const struct cramfs_entry *e)
{
	struct owner_count *c = arg;

	if (e->inode.uid != c->uid || e->inode.gid != c->gid)
		c->foreign++;
	return 0;
}

/* Without CAP_CHOWN the extracted tree is ours: say so when that matters. */
static void warn_owners(struct ck_run *run)
{
	struct owner_count c = { geteuid(), getegid(), 0 };

	cramfs_image_walk(run->img, count_foreign_owner, &c);
	if (c.foreign)
		fprintf(stderr, PROG ": %s: warning: owners of %u %s not restored (needs CAP_CHOWN)\n",
			run->opts->image, c.foreign,
			plural(c.foreign, "entry", "entries"));
}

static int extract(struct ck_run *run)
{
	struct cramfs_extract_opts xo = {
		.restore_owner = has_cap(CAP_CHOWN),
		.create_devices = has_cap(CAP_MKNOD),
		.on_skip = print_skip,
		.arg = run,
	};
	int ret = cramfs_extract(run->img, run->opts->extract_dir, &xo);

	if (ret)
		return lib_failure(run, ret);
	if (!xo.restore_owner)
		warn_owners(run);
	if (run->opts->verbose)
		fprintf(stderr, PROG ": %s: extracted to %s\n", run->opts->image,
			run->opts->extract_dir);
	return EXIT_CLEAN;
}

/* Blocks fail to decode with the wrong -b: find the size that works. */
static void suggest_block_size(const struct ck_opts *o)
{
	static const uint32_t sizes[] = { 4096, 16384, 65536 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct cramfs_verify_stats st;
		struct cramfs_image *img;

		if (sizes[i] == o->block_size || cramfs_image_new(&img))
			continue;
		if (!cramfs_image_set_block_size(img, sizes[i]) &&
		    !cramfs_image_open_file(img, o->image) &&
		    !cramfs_verify(img, NULL, NULL, &st) && !st.errors)
			fprintf(stderr, PROG ": %s: note: the image checks clean with -b %u\n",
				o->image, sizes[i]);
		cramfs_image_free(img);
	}
}

static int check(struct ck_run *run)
{
	const struct ck_opts *o = run->opts;
	struct cramfs_verify_stats st;
	int ret;

	ret = cramfs_image_open_file(run->img, o->image);
	if (ret)
		return lib_failure(run, ret);
	/* A listing cut short by damage is fine: verify names the damage. */
	if (o->verbose)
		cramfs_image_walk(run->img, list_entry, run);
	fflush(stdout);
	ret = cramfs_verify(run->img, print_finding, run, &st);
	if (ret)
		return lib_failure(run, ret);
	fflush(stderr);
	print_summary(o, &st);
	if (st.errors || (o->strict && st.warnings)) {
		if (run->block_errors)
			suggest_block_size(o);
		if (o->extract_dir)
			fprintf(stderr, PROG ": %s: not extracted: the image has %s\n",
				o->image, st.errors ? "errors" : "warnings (--strict)");
		return EXIT_ERRORS;
	}
	fflush(stdout);
	return o->extract_dir ? extract(run) : EXIT_CLEAN;
}

/* Output lost (a full disk, a closed pipe) is an operational error. */
static int flush_stdout(int ret)
{
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, PROG ": cannot write output: %s\n", strerror(errno));
		return ret | EXIT_OPERATIONAL;
	}
	return ret;
}

int main(int argc, char **argv)
{
	struct ck_opts opts = { .block_size = 4096 };
	struct ck_run run = { .opts = &opts };
	int ret;

	ret = parse_options(argc, argv, &opts);
	if (ret >= 0)
		return flush_stdout(ret);
	if (cramfs_image_new(&run.img)) {
		fprintf(stderr, PROG ": out of memory\n");
		return EXIT_OPERATIONAL;
	}
	ret = cramfs_image_set_block_size(run.img, opts.block_size);
	if (ret)
		ret = lib_failure(&run, ret);
	else
		ret = check(&run);
	cramfs_image_free(run.img);
	return flush_stdout(ret);
}
