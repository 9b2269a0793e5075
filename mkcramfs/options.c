// SPDX-License-Identifier: GPL-2.0-or-later
/* mkcramfs option parsing: one place that validates every option. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkcramfs.h"

enum {
	OPT_XIP = 0x100,
	OPT_XIP_ALIGN,
	OPT_XIP_LIST,
	OPT_NO_XIP_LIST,
	OPT_XIP_MAP_LAST_PAGE,
	OPT_REPORT,
	OPT_REPORT_FORMAT,
	OPT_COMPRESSOR,
	OPT_DEDUP,
	OPT_BEST,
	OPT_TAR,
	OPT_ALL_ROOT,
	OPT_FORCE_UID,
	OPT_FORCE_GID,
	OPT_CAPS,
};

static const char usage_text[] =
"Usage: mkcramfs [options] DIRECTORY|ARCHIVE IMAGE\n"
"       mkcramfs [options] --tar=FILE|- IMAGE\n"
"Build a cramfs image of DIRECTORY, or of an archive (tar, cpio, ...,\n"
"compressed or not) that is any other kind of file.\n"
"\n"
"General:\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n"
"  -v, --verbose           list every file and symlink with content: size,\n"
"                          bytes stored, method (zlib, raw, hole, xip,\n"
"                          shared, dedup)\n"
"  -q, --quiet             print nothing but errors and warnings (and no\n"
"                          progress line, which shows on a terminal only)\n"
"  -E, --errors            treat warnings as errors (no image is written)\n"
"      --report[=FILE]     per-file XIP and storage report (default: stdout)\n"
"      --report-format=F   text (default) or json\n"
"\n"
"Input:\n"
"      --tar=FILE          read the tree from archive FILE ('-': standard\n"
"                          input); format and compression from the content\n"
"  -D, --devtable=FILE     apply a makedevs device table (Buildroot format)\n"
"      --all-root          every entry owned by root (uid and gid 0)\n"
"      --force-uid=N       every entry owned by uid N\n"
"      --force-gid=N       every entry in group N\n"
"      --caps=POLICY       file capabilities, which cramfs cannot store:\n"
"                          warn (default), error or ignore\n"
"\n"
"Layout:\n"
"  -b, --block-size=SIZE   block size = target page size: 4096 (default),\n"
"                          16384 or 65536\n"
"  -N, --endian=ORDER      byte order: big, little or host (default)\n"
"  -B                      big endian (same as -N big)\n"
"  -L                      little endian (same as -N little)\n"
"      --compressor=NAME   libdeflate (default) or zlib; both write the zlib\n"
"                          streams every kernel reads\n"
"  -l, --level=N           compression level: libdeflate 0-12, zlib 0-9\n"
"                          (default 6; zlib 6 gives util-linux's bytes)\n"
"  -j, --threads=N         compression threads (default: online CPUs); the\n"
"                          image is the same for any N\n"
"      --dedup=MODE        file (default): identical files share data;\n"
"                          block: identical blocks too (direct pointers,\n"
"                          kernel >= 4.15)\n"
"      --best              smallest image: the highest level and\n"
"                          --dedup=block\n"
"  -z, --holes             store all-zero blocks as holes (kernel >= 2.3.39)\n"
"  -x, --raw-blocks        store a block uncompressed when zlib does not\n"
"                          shrink it (extended pointers, kernel >= 4.15)\n"
"\n"
"Execute in place (kernel >= 4.15 with CONFIG_CRAMFS_MTD):\n"
"  -X                      XIP for the read-only segments of ELF files;\n"
"                          once: no-MMU alignment, twice (-X -X): MMU pages\n"
"      --xip=MODE          elf (as -X -X), all (every regular file) or none\n"
"      --xip-align=A       page (default) or word (8 bytes, no-MMU)\n"
"      --xip-list=FILE     paths or patterns (one per line) to map whole\n"
"      --no-xip-list=FILE  paths or patterns never to map\n"
"      --xip-map-last-page map the last page of page-multiple files too\n"
"                          (needs a kernel with the read() fix)\n"
"\n"
"Superblock:\n"
"  -e, --edition=N         edition number (part of the fsid)\n"
"  -n, --name=NAME         volume name, at most 16 bytes (default Compressed)\n"
"  -p, --pad               put 512 zero bytes before the superblock\n"
"  -i, --image=FILE        insert FILE after the superblock (kernel >= 2.4.0)\n"
"  -s                      sort directory entries (always done; accepted for\n"
"                          compatibility)\n"
"\n"
"Exit status: 0 success, 8 operational error, 16 usage error.\n";

/* Called as mkfs.cramfs (mkfs -t cramfs, Yocto's stock image type). */
static const char util_linux_usage_text[] =
"Usage: mkfs.cramfs [options] DIRECTORY IMAGE\n"
"Make a compressed ROM file system (util-linux compatible mode).\n"
"\n"
"  -v             be verbose\n"
"  -E             make all warnings errors (non-zero exit status)\n"
"  -b blksize     use this blocksize, must equal page size\n"
"                 (default: this machine's page size)\n"
"  -e edition     set edition number (part of fsid)\n"
"  -N endian      set cramfs endianness (big|little|host), default host\n"
"  -i file        insert a file image into the filesystem\n"
"  -n name        set name of cramfs filesystem\n"
"  -p             pad by 512 bytes for boot code\n"
"  -s             sort directory entries (old option, ignored)\n"
"  -z             make explicit holes\n"
"  -h, --help     display this help\n"
"  -V, --version  display version\n"
"\n"
"Every mkcramfs option (-X -X for execute in place, ...) works too;\n"
"see mkcramfs(8). Blocks are compressed with zlib at level 6, as\n"
"util-linux does (--compressor=libdeflate for smaller images).\n"
"Exit status: 0 success, 8 operational error, 16 usage error.\n";

static const char *prog = "mkcramfs";

const char *mkcramfs_prog(void)
{
	return prog;
}

static void __attribute__((format(printf, 1, 2), noreturn))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
	exit(EXIT_USAGE);
}

static uint32_t parse_u32(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || v > UINT32_MAX || *s == '-')
		usage_error("invalid %s '%s'", what, s);
	return (uint32_t)v;
}

static void parse_endian(struct mkcramfs_opts *o, const char *s)
{
	if (!strcmp(s, "big"))
		o->write.endian = CRAMFS_ENDIAN_BIG;
	else if (!strcmp(s, "little"))
		o->write.endian = CRAMFS_ENDIAN_LITTLE;
	else if (!strcmp(s, "host"))
		o->write.endian = CRAMFS_ENDIAN_HOST;
	else
		usage_error("invalid byte order '%s': use big, little or host", s);
}

static void add_pattern(struct mkcramfs_patterns *p, const char *line,
			size_t len)
{
	if (p->count == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		char **n = realloc(p->items, cap * sizeof(*n));

		if (!n)
			usage_error("out of memory");
		p->items = n;
		p->cap = cap;
	}
	p->items[p->count] = strndup(line, len);
	if (!p->items[p->count++])
		usage_error("out of memory");
}

/* One path or pattern per line; blank lines and '#' comments skipped. */
static void read_patterns(struct mkcramfs_patterns *p, const char *path,
			  const char *option)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	/* Like -D and -i: a file that cannot be read is an operational error. */
	if (!f) {
		fprintf(stderr, "%s: %s %s: %s\n", prog, option, path,
			strerror(errno));
		exit(EXIT_OPERATIONAL);
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *s = line;

		while (n > 0 && strchr(" \t\r\n", s[n - 1]))
			n--;
		while (n > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		if (n > 0 && *s != '#')
			add_pattern(p, s, (size_t)n);
	}
	free(line);
	fclose(f);
}

static void parse_xip_mode(struct mkcramfs_opts *o, const char *s)
{
	if (!strcmp(s, "elf"))
		o->write.xip = CRAMFS_XIP_ELF;
	else if (!strcmp(s, "all"))
		o->write.xip = CRAMFS_XIP_ALL;
	else if (!strcmp(s, "none"))
		o->write.xip = CRAMFS_XIP_NONE;
	else
		usage_error("invalid XIP mode '%s': use elf, all or none", s);
}

static void parse_long(struct mkcramfs_opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_XIP:
		parse_xip_mode(o, arg);
		o->xip_mode_set = true;
		break;
	case OPT_DEDUP:
		if (!strcmp(arg, "file"))
			o->write.dedup = CRAMFS_DEDUP_FILES;
		else if (!strcmp(arg, "block"))
			o->write.dedup = CRAMFS_DEDUP_BLOCKS;
		else
			usage_error("invalid dedup mode '%s': use file or block", arg);
		break;
	case OPT_BEST:
		o->best = true;
		break;
	case OPT_COMPRESSOR:
		if (!strcmp(arg, "libdeflate"))
			o->write.compressor = CRAMFS_COMPRESSOR_LIBDEFLATE;
		else if (!strcmp(arg, "zlib"))
			o->write.compressor = CRAMFS_COMPRESSOR_ZLIB;
		else
			usage_error("invalid compressor '%s': use libdeflate or zlib",
				    arg);
		break;
	case OPT_XIP_ALIGN:
		if (strcmp(arg, "page") && strcmp(arg, "word"))
			usage_error("invalid XIP alignment '%s': use page or word", arg);
		o->xip_align = !strcmp(arg, "word") ? 8 : 0;
		o->xip_align_set = true;
		break;
	case OPT_XIP_LIST: read_patterns(&o->xip_include, arg, "--xip-list"); break;
	case OPT_NO_XIP_LIST: read_patterns(&o->xip_exclude, arg, "--no-xip-list"); break;
	case OPT_XIP_MAP_LAST_PAGE: o->write.xip_map_last_page = true; break;
	case OPT_REPORT: o->report_path = arg ? arg : "-"; break;
	case OPT_TAR: o->tar = arg; break;
	case OPT_ALL_ROOT: o->force_uid = o->force_gid = 0; break;
	case OPT_FORCE_UID:
		o->force_uid = parse_u32(arg, "uid");
		if (o->force_uid > CRAMFS_UID_MAX)
			usage_error("invalid uid '%s': cramfs limit is %u", arg,
				    CRAMFS_UID_MAX);
		break;
	case OPT_FORCE_GID:
		o->force_gid = parse_u32(arg, "gid");
		if (o->force_gid > CRAMFS_GID_MAX)
			usage_error("invalid gid '%s': cramfs limit is %u", arg,
				    CRAMFS_GID_MAX);
		break;
	case OPT_CAPS:
		if (!strcmp(arg, "warn"))
			o->caps = CRAMFS_CAPS_WARN;
		else if (!strcmp(arg, "error"))
			o->caps = CRAMFS_CAPS_ERROR;
		else if (!strcmp(arg, "ignore"))
			o->caps = CRAMFS_CAPS_IGNORE;
		else
			usage_error("invalid capability policy '%s': use warn, error or ignore", arg);
		break;
	case OPT_REPORT_FORMAT:
		if (strcmp(arg, "text") && strcmp(arg, "json"))
			usage_error("invalid report format '%s': use text or json", arg);
		o->report_json = !strcmp(arg, "json");
		break;
	}
}

static void parse_short(struct mkcramfs_opts *o, int c, const char *arg,
			unsigned int *xip_count)
{
	uint32_t b;

	switch (c) {
	case 'b':
		b = parse_u32(arg, "block size");
		if (b != 4096 && b != 16384 && b != 65536)
			usage_error("invalid block size '%s': use 4096, 16384 or 65536", arg);
		o->write.block_size = b;
		break;
	case 'N': parse_endian(o, arg); break;
	case 'B': o->write.endian = CRAMFS_ENDIAN_BIG; break;
	case 'L': o->write.endian = CRAMFS_ENDIAN_LITTLE; break;
	case 'l':
		o->write.level = (int)parse_u32(arg, "level");
		o->level_arg = arg;
		break;
	case 'j':
		o->write.threads = parse_u32(arg, "thread count");
		if (o->write.threads < 1 || o->write.threads > CRAMFS_THREADS_MAX)
			usage_error("invalid thread count '%s': use 1 to %u", arg,
				    CRAMFS_THREADS_MAX);
		break;
	case 'e': o->write.edition = parse_u32(arg, "edition"); break;
	case 'n':
		if (strlen(arg) > CRAMFS_NAME_LEN)
			usage_error("volume name '%s' is longer than 16 bytes", arg);
		o->write.name = arg;
		break;
	case 'i': o->write.insert_file = arg; break;
	case 'D':
		if (o->devtable)
			usage_error("-D given twice: merge the device tables");
		o->devtable = arg;
		break;
	case 'X':
		/* cramfs-tools: -X for no-MMU alignment, -X -X for MMU pages. */
		if (!o->xip_mode_set)
			o->write.xip = CRAMFS_XIP_ELF;
		if (!o->xip_align_set)
			o->xip_align = ++*xip_count == 1 ? 8 : 0;
		break;
	}
}

static bool is_util_linux_name(const char *argv0)
{
	const char *base = strrchr(argv0, '/');

	return !strcmp(base ? base + 1 : argv0, "mkfs.cramfs");
}

/*
 * util-linux prints nothing on success unless -v, and a DIRECTORY it
 * cannot stat is a usage error (16), not an operational one.
 */
/* Refuse `path` (what: its role) when it is the very file `out` is. */
static void not_the_image(const char *path, const char *what,
			  const struct stat *out)
{
	struct stat st;

	if (path && strcmp(path, "-") && stat(path, &st) == 0 &&
	    st.st_dev == out->st_dev && st.st_ino == out->st_ino)
		usage_error("IMAGE %s is the %s: it would be overwritten", path,
			    what);
}

/*
 * Before any work: an IMAGE that is a directory, or that is one of the
 * inputs (writing it would destroy that input), is a usage error.
 */
static void check_output(const struct mkcramfs_opts *o)
{
	struct stat out;

	if (stat(o->output, &out))
		return;
	if (S_ISDIR(out.st_mode))
		usage_error("IMAGE %s is a directory", o->output);
	if (!S_ISREG(out.st_mode))
		return;
	not_the_image(o->input, "input archive", &out);
	not_the_image(o->tar, "input archive", &out);
	not_the_image(o->devtable, "device table", &out);
	not_the_image(o->write.insert_file, "file to insert (-i)", &out);
	not_the_image(o->report_path, "report file", &out);
}

static void util_linux_finish(struct mkcramfs_opts *o)
{
	struct stat st;

	if (!o->verbose)
		o->quiet = true;
	if (o->input && stat(o->input, &st))
		usage_error("stat of %s failed: %s", o->input, strerror(errno));
}

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "errors", no_argument, NULL, 'E' },
	{ "block-size", required_argument, NULL, 'b' },
	{ "endian", required_argument, NULL, 'N' },
	{ "level", required_argument, NULL, 'l' },
	{ "compressor", required_argument, NULL, OPT_COMPRESSOR },
	{ "threads", required_argument, NULL, 'j' },
	{ "dedup", required_argument, NULL, OPT_DEDUP },
	{ "best", no_argument, NULL, OPT_BEST },
	{ "holes", no_argument, NULL, 'z' },
	{ "raw-blocks", no_argument, NULL, 'x' },
	{ "edition", required_argument, NULL, 'e' },
	{ "name", required_argument, NULL, 'n' },
	{ "pad", no_argument, NULL, 'p' },
	{ "image", required_argument, NULL, 'i' },
	{ "xip", required_argument, NULL, OPT_XIP },
	{ "xip-align", required_argument, NULL, OPT_XIP_ALIGN },
	{ "xip-list", required_argument, NULL, OPT_XIP_LIST },
	{ "no-xip-list", required_argument, NULL, OPT_NO_XIP_LIST },
	{ "xip-map-last-page", no_argument, NULL, OPT_XIP_MAP_LAST_PAGE },
	{ "report", optional_argument, NULL, OPT_REPORT },
	{ "report-format", required_argument, NULL, OPT_REPORT_FORMAT },
	{ "tar", required_argument, NULL, OPT_TAR },
	{ "devtable", required_argument, NULL, 'D' },
	{ "all-root", no_argument, NULL, OPT_ALL_ROOT },
	{ "force-uid", required_argument, NULL, OPT_FORCE_UID },
	{ "force-gid", required_argument, NULL, OPT_FORCE_GID },
	{ "caps", required_argument, NULL, OPT_CAPS },
	{ NULL, 0, NULL, 0 },
};

void mkcramfs_parse_options(int argc, char **argv, struct mkcramfs_opts *o)
{
	unsigned int xip_count = 0;
	int c;

	memset(o, 0, sizeof(*o));
	cramfs_write_opts_init(&o->write);
	o->force_uid = o->force_gid = -1;
	o->util_linux = is_util_linux_name(argv[0]);
	if (o->util_linux) {
		prog = "mkfs.cramfs";
		o->write.block_size = cramfs_host_block_size();
		/* util-linux's bytes: its compressor and level. */
		o->write.compressor = CRAMFS_COMPRESSOR_ZLIB;
	}
	while ((c = getopt_long(argc, argv, ":hVvqEb:N:BLl:j:zxe:n:pi:sXD:",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(o->util_linux ? util_linux_usage_text : usage_text,
			      stdout);
			exit(mkcramfs_stdout_status(EXIT_OK));
		case 'V':
			printf("%s (mkcramfs-xip) %s\n", prog,
			       cramfs_version_string());
			exit(mkcramfs_stdout_status(EXIT_OK));
		case 'v': o->verbose = true; break;
		case 'q': o->quiet = true; break;
		case 'E': o->write.warnings_fatal = true; break;
		case 'z': o->write.holes = true; break;
		case 'x': o->write.raw_blocks = true; break;
		case 'p': o->write.pad = true; break;
		case 's': break;
		case ':':
			usage_error("option '%s' requires an argument",
				    argv[optind - 1]);
		case '?':
			/* getopt's own messages would start with the full argv[0]. */
			if (optopt)
				usage_error("invalid option -- '%c'", optopt);
			usage_error("unrecognized option '%s'", argv[optind - 1]);
		default:
			if (c >= OPT_XIP)
				parse_long(o, c, optarg);
			else
				parse_short(o, c, optarg, &xip_count);
		}
	}
	if (o->tar && argc - optind != 1)
		usage_error("%s", argc - optind < 1 ?
			    "expected an IMAGE" :
			    "too many operands: with --tar, expected only an IMAGE");
	if (!o->tar && argc - optind != 2)
		usage_error("%s", argc - optind < 2 ?
			    "expected a DIRECTORY (or ARCHIVE) and an IMAGE" :
			    "too many operands: expected a DIRECTORY (or ARCHIVE) and an IMAGE");
	/* --best: the highest level of the compressor chosen, in any order. */
	if (o->best) {
		o->write.dedup = CRAMFS_DEDUP_BLOCKS;
		if (!o->level_arg)
			o->write.level = cramfs_compressor_max_level(o->write.compressor);
	}
	if (o->write.level > cramfs_compressor_max_level(o->write.compressor))
		usage_error("invalid level '%s': use 0 to %d with %s",
			    o->level_arg,
			    cramfs_compressor_max_level(o->write.compressor),
			    o->write.compressor == CRAMFS_COMPRESSOR_ZLIB ?
			    "zlib" : "libdeflate");
	o->input = o->tar ? NULL : argv[optind];
	o->output = argv[argc - 1];
	check_output(o);
	if (o->util_linux)
		util_linux_finish(o);
	/* --xip-align wins over the alignment -X implies, in any order. */
	o->write.xip_align = o->xip_align;
	o->write.xip_include = (const char *const *)o->xip_include.items;
	o->write.xip_include_count = o->xip_include.count;
	o->write.xip_exclude = (const char *const *)o->xip_exclude.items;
	o->write.xip_exclude_count = o->xip_exclude.count;
}

static void free_patterns(struct mkcramfs_patterns *p)
{
	for (size_t i = 0; i < p->count; i++)
		free(p->items[i]);
	free(p->items);
}

void mkcramfs_free_options(struct mkcramfs_opts *o)
{
	free_patterns(&o->xip_include);
	free_patterns(&o->xip_exclude);
}
