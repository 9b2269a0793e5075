// SPDX-License-Identifier: GPL-2.0-or-later
/* mkcramfs: parse options, build the tree, write the image, report. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cramfs/cramfs.h"

/* mkfs(8) exit codes, as util-linux uses them. */
enum { EXIT_OK = 0, EXIT_OPERATIONAL = 8, EXIT_USAGE = 16 };

struct mkcramfs_opts {
	struct cramfs_write_opts write;
	const char *input;
	const char *output;
	bool verbose;
	bool quiet;
	bool warnings_fatal;
};

static const char usage_text[] =
"Usage: mkcramfs [options] DIRECTORY IMAGE\n"
"Build a cramfs image of DIRECTORY.\n"
"\n"
"General:\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n"
"  -v, --verbose           list every file and symlink with content: size,\n"
"                          bytes stored, method (zlib, raw, hole, dedup)\n"
"  -q, --quiet             print nothing but errors and warnings\n"
"  -E, --errors            treat warnings as errors (no image is written)\n"
"\n"
"Layout:\n"
"  -b, --block-size=SIZE   block size = target page size: 4096 (default),\n"
"                          16384 or 65536\n"
"  -N, --endian=ORDER      byte order: big, little or host (default)\n"
"  -B                      big endian (same as -N big)\n"
"  -L                      little endian (same as -N little)\n"
"  -l, --level=N           zlib compression level 0-9 (default 6)\n"
"  -z, --holes             store all-zero blocks as holes (kernel >= 2.3.39)\n"
"  -x, --raw-blocks        store a block uncompressed when zlib does not\n"
"                          shrink it (extended pointers, kernel >= 4.15)\n"
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

static void __attribute__((format(printf, 1, 2), noreturn))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("mkcramfs: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'mkcramfs --help' for more information.\n", stderr);
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

static void parse_options(int argc, char **argv, struct mkcramfs_opts *o)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "errors", no_argument, NULL, 'E' },
		{ "block-size", required_argument, NULL, 'b' },
		{ "endian", required_argument, NULL, 'N' },
		{ "level", required_argument, NULL, 'l' },
		{ "holes", no_argument, NULL, 'z' },
		{ "raw-blocks", no_argument, NULL, 'x' },
		{ "edition", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ "pad", no_argument, NULL, 'p' },
		{ "image", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t b;
	int c;

	cramfs_write_opts_init(&o->write);
	while ((c = getopt_long(argc, argv, ":hVvqEb:N:BLl:zxe:n:pi:s",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			exit(EXIT_OK);
		case 'V':
			printf("mkcramfs (mkcramfs-xip) %s\n",
			       cramfs_version_string());
			exit(EXIT_OK);
		case 'v': o->verbose = true; break;
		case 'q': o->quiet = true; break;
		case 'E': o->warnings_fatal = true; break;
		case 'b':
			b = parse_u32(optarg, "block size");
			if (b != 4096 && b != 16384 && b != 65536)
				usage_error("invalid block size '%s': use 4096, 16384 or 65536",
					    optarg);
			o->write.block_size = b;
			break;
		case 'N': parse_endian(o, optarg); break;
		case 'B': o->write.endian = CRAMFS_ENDIAN_BIG; break;
		case 'L': o->write.endian = CRAMFS_ENDIAN_LITTLE; break;
		case 'l':
			o->write.level = (int)parse_u32(optarg, "level");
			if (o->write.level > 9)
				usage_error("invalid level '%s': use 0 to 9", optarg);
			break;
		case 'z': o->write.holes = true; break;
		case 'x': o->write.raw_blocks = true; break;
		case 'e':
			o->write.edition = parse_u32(optarg, "edition");
			break;
		case 'n':
			if (strlen(optarg) > CRAMFS_NAME_LEN)
				usage_error("volume name '%s' is longer than 16 bytes",
					    optarg);
			o->write.name = optarg;
			break;
		case 'p': o->write.pad = true; break;
		case 'i': o->write.insert_file = optarg; break;
		case 's': break;
		case ':':
			usage_error("option '%s' requires an argument",
				    argv[optind - 1]);
		default:
			/* getopt's own messages would start with the full argv[0]. */
			if (optopt)
				usage_error("invalid option -- '%c'", optopt);
			usage_error("unrecognized option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		usage_error("%s", argc - optind < 2 ?
			    "expected a DIRECTORY and an IMAGE" :
			    "too many operands: expected a DIRECTORY and an IMAGE");
	o->input = argv[optind];
	o->output = argv[optind + 1];
}

static const char *method_name(const struct cramfs_file_report *r, char *buf,
			       size_t len)
{
	static const char *const kinds[] = { "zlib", "raw", "hole" };

	buf[0] = '\0';
	if (r->shared_with)
		return "dedup";
	for (int k = 0; k < 3; k++)
		if (r->blocks[k])
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
				 buf[0] ? "+" : "", kinds[k]);
	return buf;
}

/* Print a path with control bytes and backslashes as \ooo: one line each. */
static void print_path(const char *p)
{
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f || c == '\\')
			printf("\\%03o", c);
		else
			putchar(c);
	}
}

static void print_file(void *arg, const struct cramfs_file_report *r)
{
	char method[32];

	(void)arg;
	printf("%10" PRIu64 " %10" PRIu64 "  %-10s ", r->size, r->stored,
	       method_name(r, method, sizeof(method)));
	print_path(r->path);
	if (r->shared_with) {
		fputs(" (= ", stdout);
		print_path(r->shared_with);
		putchar(')');
	}
	putchar('\n');
}

static int print_warnings(const struct cramfs_tree *tree)
{
	size_t n = cramfs_tree_warning_count(tree);

	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "mkcramfs: warning: %s\n",
			cramfs_tree_warning(tree, i));
	return n > 0;
}

static void print_summary(const struct mkcramfs_opts *o,
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
}

int main(int argc, char **argv)
{
	struct mkcramfs_opts o = { 0 };
	struct cramfs_write_stats st;
	struct cramfs_tree *tree;
	int err;

	parse_options(argc, argv, &o);
	if (cramfs_tree_new(&tree)) {
		fputs("mkcramfs: out of memory\n", stderr);
		return EXIT_OPERATIONAL;
	}
	err = cramfs_tree_scan_dir(tree, o.input);
	if (!err && print_warnings(tree) && o.warnings_fatal) {
		fputs("mkcramfs: warnings are errors (-E): no image written\n",
		      stderr);
		cramfs_tree_free(tree);
		return EXIT_OPERATIONAL;
	}
	if (!err && o.verbose && !o.quiet) {
		o.write.on_file = print_file;
		printf("%10s %10s  %-10s %s\n", "size", "stored", "method", "path");
	}
	if (!err)
		err = cramfs_write_file(tree, &o.write, o.output, &st);
	if (err) {
		const char *msg = cramfs_tree_errmsg(tree);

		fprintf(stderr, "mkcramfs: %s\n", *msg ? msg : cramfs_strerror(err));
		cramfs_tree_free(tree);
		return EXIT_OPERATIONAL;
	}
	if (!o.quiet)
		print_summary(&o, &st);
	cramfs_tree_free(tree);
	return EXIT_OK;
}
