// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cramfsck: check a cramfs image and optionally extract it.
 *
 * Options and library calls only; every check lives in libcramfs. Exit
 * codes follow fsck(8).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cramfs/cramfs.h"
#include "signals.h"

#define PROG "cramfsck"

enum {
	EXIT_CLEAN = 0,
	EXIT_ERRORS = 4,      /* errors left uncorrected */
	EXIT_OPERATIONAL = 8, /* cannot open or read, extraction failed */
	EXIT_USAGE = 16,
};

enum { OPT_STRICT = 0x100, OPT_LIST, OPT_JSON, OPT_EXTRACT_TAR };

struct ck_opts {
	const char *image;
	const char *extract_dir;
	const char *extract_tar;  /* tar archive to write; "-": stdout */
	uint32_t block_size;
	bool verbose;
	bool list;            /* the -v listing without the notes */
	bool json;            /* facts as JSON on stdout instead of text */
	bool strict;          /* warnings count as errors */
	bool util_linux;      /* called as fsck.cramfs: silent when clean */
};

struct ck_run {
	const struct ck_opts *opts;
	struct cramfs_image *img;
	FILE *out;            /* listing and summary: stderr when the tar
				 archive goes to stdout */
	unsigned int block_errors;
	struct json_finding *findings; /* --json: collected, printed later */
	size_t nfindings;
	size_t findings_cap;
};

struct json_finding {
	enum cramfs_severity severity;
	char *path;           /* NULL for image-wide facts */
	uint64_t offset;
	char *message;
};

/* Called as fsck.cramfs (fsck -t cramfs): util-linux's option set. */
static const char util_linux_usage_text[] =
"Usage: fsck.cramfs [options] <file>\n"
"Check a compressed ROM filesystem (util-linux compatible mode).\n"
"\n"
" -a                       for compatibility only, ignored\n"
" -v, --verbose            be more verbose\n"
" -y                       for compatibility only, ignored\n"
" -b, --blocksize <size>   use this blocksize, defaults to page size\n"
"     --extract[=<dir>]    test uncompression, optionally extract into <dir>\n"
" -h, --help               display this help\n"
" -V, --version            display version\n"
"\n"
"Every cramfsck option works too; see cramfsck(8). Exit status: 0 clean,\n"
"4 errors found, 8 operational error, 16 usage error.\n";

static const char *prog = PROG;

static void usage(FILE *out)
{
	fputs("Usage: " PROG " [options] IMAGE\n"
	      "Check a cramfs image: superblock, CRC, every entry and every block,\n"
	      "and how the kernel would map each file in place (XIP).\n"
	      "\n"
	      "Options:\n"
	      "  -v, --verbose          list every entry (ls -l style, with XIP pages)\n"
	      "                         and show notes\n"
	      "      --list             the -v listing without the notes\n"
	      "                         (-v / --list compatible listing)\n"
	      "      --json             write the facts of the check as JSON to\n"
	      "                         standard output instead of the text\n"
	      "                         listing and summary\n"
	      "  -x, --extract[=DIR]    extract into DIR (created if missing, must be\n"
	      "                         empty); also written -x DIR IMAGE\n"
	      "      --extract-tar=FILE after a clean check, write the tree as a\n"
	      "                         pax tar archive to FILE ('-': standard output)\n"
	      "  -b, --blocksize=SIZE   block size of the image = the target's page\n"
	      "      --page-size=SIZE   size: 4096 (default), 16384 or 65536\n"
	      "      --strict           warnings count as errors (exit 4)\n"
	      "  -a, -y                 ignored (fsck compatibility)\n"
	      "  -c                     ignored (every problem is always reported)\n"
	      "  -h, --help             show this help and exit\n"
	      "  -V, --version          show the version and exit\n"
	      "\n"
	      "Exit status: 0 clean, 4 errors found (or not a cramfs image),\n"
	      "8 operational error (unreadable file, extraction failed),\n"
	      "16 usage error.\n", out);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
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
		{ "list", no_argument, NULL, OPT_LIST },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "extract-tar", required_argument, NULL, OPT_EXTRACT_TAR },
		{ NULL, 0, NULL, 0 },
	};
	bool bare_x = false;
	int c;

	if (o->util_linux)
		prog = "fsck.cramfs";
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hVvx::b:ayc", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			if (o->util_linux)
				fputs(util_linux_usage_text, stdout);
			else
				usage(stdout);
			return EXIT_CLEAN;
		case 'V':
			printf("%s (mkcramfs-xip) %s\n", prog, cramfs_version_string());
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
		case OPT_LIST:
			o->list = true;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_EXTRACT_TAR:
			if (!*optarg)
				return usage_error("empty tar archive name");
			o->extract_tar = optarg;
			break;
		case 'a':
		case 'y':
		case 'c':
			break;
		default:
			return bad_option(c, argv);
		}
	}
	if (o->json && o->extract_tar && !strcmp(o->extract_tar, "-"))
		return usage_error("--json and --extract-tar=- both write to standard output");
	return take_operands(argc, argv, bare_x, o);
}

/* ------------------------------------------------------------------ */
/* Output.                                                              */
/* ------------------------------------------------------------------ */

/*
 * Print an image path with control bytes and bytes that are not UTF-8
 * escaped (octal), so that a hostile name cannot drive the terminal; the
 * root shows as "/".
 */
static void put_path(FILE *out, const char *lead, const char *path)
{
	const unsigned char *p = (const unsigned char *)path;
	size_t left = strlen(path);

	fputs(lead, out);
	if (!*path && !*lead)
		fputc('/', out);
	while (left) {
		size_t seq = cramfs_utf8_char_len(p, left);

		/* C1 controls (U+0080-U+009F) are valid UTF-8 but act too. */
		if (!seq || *p < 0x20 || *p == 0x7f || *p == '\\' ||
		    (*p == 0xc2 && p[1] < 0xa0)) {
			fprintf(out, "\\%03o", *p);
			seq = 1;
		} else {
			fwrite(p, 1, seq, out);
		}
		p += seq;
		left -= seq;
	}
}

static const char *const severity_names[] = { "note", "warning", "error" };

static const char *severity_name(enum cramfs_severity sev)
{
	return severity_names[sev <= CRAMFS_SEV_ERROR ? sev : CRAMFS_SEV_ERROR];
}

static void count_block_error(struct ck_run *run, const struct cramfs_finding *f)
{
	if (f->severity == CRAMFS_SEV_ERROR && f->path &&
	    !strncmp(f->message, "block ", 6))
		run->block_errors++;
}

/* --json: keep every finding (notes too) for the JSON document. */
static void collect_finding(void *arg, const struct cramfs_finding *f)
{
	struct ck_run *run = arg;
	struct json_finding *jf;

	count_block_error(run, f);
	if (run->nfindings == run->findings_cap) {
		size_t cap = run->findings_cap ? 2 * run->findings_cap : 16;
		struct json_finding *n = realloc(run->findings, cap * sizeof(*n));

		if (!n) {
			fprintf(stderr, PROG ": out of memory\n");
			exit(EXIT_OPERATIONAL);
		}
		run->findings = n;
		run->findings_cap = cap;
	}
	jf = &run->findings[run->nfindings];
	jf->severity = f->severity;
	jf->offset = f->offset;
	jf->path = f->path ? strdup(f->path) : NULL;
	jf->message = strdup(f->message);
	if ((f->path && !jf->path) || !jf->message) {
		fprintf(stderr, PROG ": out of memory\n");
		exit(EXIT_OPERATIONAL);
	}
	run->nfindings++;
}

static void free_findings(struct ck_run *run)
{
	for (size_t i = 0; i < run->nfindings; i++) {
		free(run->findings[i].path);
		free(run->findings[i].message);
	}
	free(run->findings);
	run->findings = NULL;
	run->nfindings = run->findings_cap = 0;
}

static void print_finding(void *arg, const struct cramfs_finding *f)
{
	struct ck_run *run = arg;

	count_block_error(run, f);
	if (f->severity == CRAMFS_SEV_INFO && !run->opts->verbose)
		return;
	fprintf(stderr, PROG ": %s: %s: ", run->opts->image,
		severity_name(f->severity));
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
		fputs(" -> ?", run->out);
		return;
	}
	put_path(run->out, " -> ", l.text);
	if (ret > 0 || strlen(l.text) != l.len)
		fputs("...", run->out);
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
	if (a.state == CRAMFS_XIP_STATE_FULLY) {
		fprintf(run->out, " [xip fully, %u/%u %s]", a.mappable_pages,
			a.pages, plural(a.pages, "page", "pages"));
		return;
	}
	/* A mapping of the whole file gets only the run at its first page. */
	fprintf(run->out, " [xip partly, %u/%u %s, %u from offset 0, %u %s]",
		a.mappable_pages, a.pages, plural(a.pages, "page", "pages"),
		a.mapped_from_start, a.runs, plural(a.runs, "run", "runs"));
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
	fprintf(run->out, "%s %9s %9s ", mode, owner, size);
	put_path(run->out, "/", e->path);
	if (S_ISLNK(in->mode))
		print_link(run, e);
	print_xip(run, e);
	fputc('\n', run->out);
	return 0;
}

static const char *plural(uint32_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void print_summary(const struct ck_run *run,
			  const struct cramfs_verify_stats *st)
{
	FILE *out = run->out;

	fprintf(out, "%s: ", run->opts->image);
	if (st->errors)
		fprintf(out, "%u %s", st->errors,
			plural(st->errors, "error", "errors"));
	else
		fputs("clean", out);
	fprintf(out, ", %u %s, %u %s, %u %s", st->entries,
	       plural(st->entries, "entry", "entries"), st->files,
	       plural(st->files, "file", "files"), st->blocks,
	       plural(st->blocks, "block", "blocks"));
	if (st->xip_fully || st->xip_partly)
		fprintf(out, ", XIP: %u fully, %u partly, %u %s", st->xip_fully,
		       st->xip_partly, st->xip_pages,
		       plural(st->xip_pages, "page", "pages"));
	if (st->warnings)
		fprintf(out, ", %u %s", st->warnings,
			plural(st->warnings, "warning", "warnings"));
	fputc('\n', out);
}

/* ------------------------------------------------------------------ */
/* JSON.                                                                */
/* ------------------------------------------------------------------ */

/* Length of a valid UTF-8 sequence at p (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return len;
}

/*
 * A JSON string of `lead` and `len` bytes at s. Control characters are
 * \u00XX; bytes that are not valid UTF-8 (names are raw bytes) show as
 * the code point of the same value, \u00XX, so the document stays valid.
 */
static void json_str(FILE *out, const char *lead, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', out);
	fputs(lead, out);
	for (size_t i = 0; i < len;) {
		size_t u;

		if (p[i] == '"' || p[i] == '\\') {
			fprintf(out, "\\%c", p[i]);
			i++;
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			fprintf(out, "\\u%04x", p[i]);
			i++;
		} else if (p[i] < 0x80) {
			fputc(p[i], out);
			i++;
		} else if ((u = utf8_len(p + i, len - i))) {
			fwrite(p + i, 1, u, out);
			i += u;
		} else {
			fprintf(out, "\\u%04x", p[i]);
			i++;
		}
	}
	fputc('"', out);
}

static void json_cstr(FILE *out, const char *lead, const char *s)
{
	json_str(out, lead, s, strlen(s));
}

static char type_letter(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return 'f';
	case S_IFDIR: return 'd';
	case S_IFLNK: return 'l';
	case S_IFCHR: return 'c';
	case S_IFBLK: return 'b';
	case S_IFIFO: return 'p';
	case S_IFSOCK: return 's';
	default: return '?';
	}
}

struct json_walk {
	struct ck_run *run;
	bool first;
};

static int json_entry(void *arg, const struct cramfs_entry *e)
{
	struct json_walk *w = arg;
	struct ck_run *run = w->run;
	const struct cramfs_inode *in = &e->inode;
	const struct cramfs_super *sb = cramfs_image_super(run->img);
	FILE *out = stdout;
	struct cramfs_xip_audit a;

	fputs(w->first ? "\n    {\"path\": " : ",\n    {\"path\": ", out);
	w->first = false;
	json_cstr(out, "/", e->path);
	fprintf(out, ", \"mode\": %u, \"type\": \"%c\", \"uid\": %u, \"gid\": %u, \"size\": %u",
		in->mode, type_letter(in->mode), in->uid, in->gid, in->size);
	if (S_ISLNK(in->mode)) {
		struct link_buf l = { .len = 0 };

		/* A target that cannot be read is named by a finding. */
		if (cramfs_image_read_data(run->img, e, link_sink, &l) >= 0) {
			fputs(", \"target\": ", out);
			json_str(out, "", l.text, l.len);
		}
	}
	if ((sb->flags & CRAMFS_FLAG_EXT_BLOCK_POINTERS) && S_ISREG(in->mode) &&
	    !cramfs_image_xip_audit(run->img, e, run->opts->block_size, &a))
		fprintf(out, ", \"xip_pages\": %u", a.mappable_pages);
	fputc('}', out);
	return 0;
}

static void print_json(struct ck_run *run, const struct cramfs_verify_stats *st,
		       bool clean)
{
	const struct cramfs_super *sb = cramfs_image_super(run->img);
	struct json_walk w = { .run = run, .first = true };
	FILE *out = stdout;

	fputs("{\n  \"image\": ", out);
	json_cstr(out, "", run->opts->image);
	fprintf(out, ",\n  \"endian\": \"%s\",\n  \"super_offset\": %u,\n"
		"  \"size\": %u,\n  \"flags\": %u,\n  \"block_size\": %u,\n"
		"  \"clean\": %s,\n  \"errors\": %u,\n  \"warnings\": %u,\n"
		"  \"entries\": %u,\n  \"files\": %u,\n  \"blocks\": %u,\n"
		"  \"xip\": {\"fully\": %u, \"partly\": %u, \"pages\": %u},\n"
		"  \"findings\": [",
		cramfs_image_endian(run->img) == CRAMFS_ENDIAN_BIG ? "big" : "little",
		cramfs_image_super_offset(run->img), sb->size, sb->flags,
		run->opts->block_size, clean ? "true" : "false", st->errors,
		st->warnings, st->entries, st->files, st->blocks, st->xip_fully,
		st->xip_partly, st->xip_pages);
	for (size_t i = 0; i < run->nfindings; i++) {
		const struct json_finding *f = &run->findings[i];

		fprintf(out, "%s\n    {\"severity\": \"%s\", \"path\": ",
			i ? "," : "", severity_name(f->severity));
		if (f->path)
			json_cstr(out, "/", f->path);
		else
			fputs("null", out);
		fprintf(out, ", \"offset\": %llu, \"message\": ",
			(unsigned long long)f->offset);
		json_cstr(out, "", f->message);
		fputc('}', out);
	}
	fputs(run->nfindings ? "\n  ],\n  \"entries_list\": [" : "],\n  \"entries_list\": [",
	      out);
	/* A walk cut short by damage lists what it reached: findings say why. */
	cramfs_image_walk(run->img, json_entry, &w);
	fputs(w.first ? "]\n}\n" : "\n  ]\n}\n", out);
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

/* The tar archive being written under a temporary name, or NULL. */
static const char *volatile tar_tmp;

/*
 * SIGINT, SIGTERM, SIGHUP: remove the temporary tar archive (unlink is
 * async-signal-safe), then die of the signal as the shell expects.
 */
static void on_signal(int sig)
{
	const char *tmp = tar_tmp;

	if (tmp)
		unlink(tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The tree as a tar archive: to stdout, or through a temporary file. */
static int write_tar(struct ck_run *run)
{
	const char *path = run->opts->extract_tar;
	struct cramfs_extract_opts xo = { .on_skip = print_skip, .arg = run };
	mode_t mask;
	char *tmp;
	int ret, fd;

	if (!strcmp(path, "-")) {
		fflush(stdout);
		ret = cramfs_extract_tar(run->img, STDOUT_FILENO, &xo);
		return ret ? lib_failure(run, ret) : EXIT_CLEAN;
	}
	tmp = malloc(strlen(path) + sizeof(".XXXXXX"));
	if (!tmp) {
		fprintf(stderr, PROG ": out of memory\n");
		return EXIT_OPERATIONAL;
	}
	strcpy(tmp, path);
	strcat(tmp, ".XXXXXX");
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd >= 0)
		tar_tmp = tmp;
	if (fd < 0) {
		fprintf(stderr, PROG ": %s: cannot create a temporary file: %s\n",
			path, strerror(errno));
		free(tmp);
		return EXIT_OPERATIONAL;
	}
	mask = umask(0);
	umask(mask);
	/* As a plain open(O_CREAT, 0666) would have made it. */
	if (fchmod(fd, 0666 & ~mask))
		fprintf(stderr, PROG ": %s: warning: cannot set the mode: %s\n",
			path, strerror(errno));
	ret = cramfs_extract_tar(run->img, fd, &xo);
	if (ret)
		ret = lib_failure(run, ret);
	if (close(fd) && !ret) {
		fprintf(stderr, PROG ": %s: cannot write: %s\n", path,
			strerror(errno));
		ret = EXIT_OPERATIONAL;
	}
	if (!ret && rename(tmp, path)) {
		fprintf(stderr, PROG ": %s: cannot rename %s: %s\n", path, tmp,
			strerror(errno));
		ret = EXIT_OPERATIONAL;
	}
	tar_tmp = NULL;
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}

/* Blocks fail to decode with the wrong -b: find the size that works. */
static void suggest_block_size(struct ck_run *run)
{
	const struct ck_opts *o = run->opts;

	static const uint32_t sizes[] = { 4096, 16384, 65536 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct cramfs_verify_stats st;
		struct cramfs_image *img;

		if (sizes[i] == o->block_size || cramfs_image_new(&img))
			continue;
		if (!cramfs_image_set_block_size(img, sizes[i]) &&
		    !cramfs_image_open_file(img, o->image) &&
		    !cramfs_verify(img, NULL, NULL, &st) && !st.errors) {
			char msg[64];
			struct cramfs_finding f = {
				.severity = CRAMFS_SEV_INFO, .message = msg,
			};

			snprintf(msg, sizeof(msg),
				 "the image checks clean with -b %u", sizes[i]);
			if (o->json)
				collect_finding(run, &f);
			else
				fprintf(stderr, PROG ": %s: note: %s\n",
					o->image, msg);
		}
		cramfs_image_free(img);
	}
}

/* An extraction target that is a non-empty directory: say so before the check. */
static bool target_not_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool full = false;

	if (!d)
		return false; /* missing (created later) or not a directory */
	while (!full && (de = readdir(d)))
		full = strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return full;
}

static int check(struct ck_run *run)
{
	const struct ck_opts *o = run->opts;
	struct cramfs_verify_stats st;
	bool bad;
	int ret;

	if (o->extract_dir && target_not_empty(o->extract_dir)) {
		fprintf(stderr, PROG ": %s: %s: directory is not empty\n",
			o->image, o->extract_dir);
		return EXIT_OPERATIONAL;
	}
	ret = cramfs_image_open_file(run->img, o->image);
	if (ret)
		return lib_failure(run, ret);
	/* A listing cut short by damage is fine: verify names the damage. */
	if (!o->json && (o->verbose || o->list))
		cramfs_image_walk(run->img, list_entry, run);
	fflush(run->out);
	ret = cramfs_verify(run->img, o->json ? collect_finding : print_finding,
			    run, &st);
	if (ret)
		return lib_failure(run, ret);
	fflush(stderr);
	bad = st.errors || (o->strict && st.warnings);
	/* --json: the suggestion is one more note of the document. */
	if (bad && run->block_errors && o->json)
		suggest_block_size(run);
	if (o->json)
		print_json(run, &st, !bad);
	else if (bad || !o->util_linux || o->verbose || o->list)
		print_summary(run, &st);
	if (bad) {
		if (run->block_errors && !o->json)
			suggest_block_size(run);
		if (o->extract_dir || o->extract_tar)
			fprintf(stderr, PROG ": %s: not extracted: the image has %s\n",
				o->image, st.errors ? "errors" : "warnings (--strict)");
		return EXIT_ERRORS;
	}
	fflush(run->out);
	ret = o->extract_dir ? extract(run) : EXIT_CLEAN;
	if (!ret && o->extract_tar)
		ret = write_tar(run);
	return ret;
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

static bool is_util_linux_name(const char *argv0)
{
	const char *base = strrchr(argv0, '/');

	return !strcmp(base ? base + 1 : argv0, "fsck.cramfs");
}

int main(int argc, char **argv)
{
	struct ck_opts opts = { .block_size = 4096 };
	struct ck_run run = { .opts = &opts };
	int ret;

	opts.util_linux = is_util_linux_name(argv[0]);
	if (opts.util_linux)
		opts.block_size = cramfs_host_block_size();
	cli_catch_stop_signals(on_signal);
	ret = parse_options(argc, argv, &opts);
	if (ret >= 0)
		return flush_stdout(ret);
	/* The archive owns stdout: the text goes to stderr then. */
	run.out = opts.extract_tar && !strcmp(opts.extract_tar, "-") ? stderr : stdout;
	if (cramfs_image_new(&run.img)) {
		fprintf(stderr, PROG ": out of memory\n");
		return EXIT_OPERATIONAL;
	}
	ret = cramfs_image_set_block_size(run.img, opts.block_size);
	if (ret)
		ret = lib_failure(&run, ret);
	else
		ret = check(&run);
	free_findings(&run);
	cramfs_image_free(run.img);
	return flush_stdout(ret);
}
