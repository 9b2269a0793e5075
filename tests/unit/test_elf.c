// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/elf.c: which byte ranges of an ELF file a loader maps read-only.
 * Files are hand-built in memory (helper_elf.c) for each class and byte
 * order; a real binary of the host is checked against an independent parse
 * with the system's ELF structures.
 *
 * The system header is <linux/elf.h>: <elf.h> would find lib/elf.h first,
 * because lib/ is on the include path of the unit tests.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/elf.h>

#include "elf.h"
#include "helper_elf.h"
#include "helper_fixture.h"

/* A file in memory as the lib's read callback sees it. */
struct mem_file {
	const uint8_t *buf;
	size_t len;          /* bytes that can be read */
	uint64_t fail_from;  /* a read that reaches this offset fails ... */
	int fail_err;        /* ... with this error (0: never) */
	unsigned int calls;
	uint64_t max_end;    /* furthest byte read */
};

static int mem_read(void *arg, uint64_t off, void *out, size_t n)
{
	struct mem_file *f = arg;

	f->calls++;
	if (f->fail_err && off + n > f->fail_from)
		return f->fail_err;
	if (off > f->len || n > f->len - off)
		fail_msg("read of %zu bytes at %" PRIu64 " past the %zu bytes backed",
			 n, off, f->len);
	memcpy(out, f->buf + off, n);
	if (off + n > f->max_end)
		f->max_end = off + n;
	return 0;
}

struct result {
	int err;
	size_t count;
	const char *why;
	struct cramfs_range r[CRAMFS_ELF_MAX_RANGES];
};

/* Run the parser on `len` bytes that claim to be a file of `size` bytes. */
static struct result parse_sized(const uint8_t *buf, size_t len, uint64_t size)
{
	struct mem_file f = { .buf = buf, .len = len };
	struct result res;

	memset(&res, 0xa5, sizeof(res));
	res.err = cramfs_elf_ro_ranges(mem_read, &f, size, res.r, &res.count,
				       &res.why);
	if (f.max_end > size)
		fail_msg("read up to byte %" PRIu64 " of a %" PRIu64 "-byte file",
			 f.max_end, size);
	return res;
}

static struct result parse(const uint8_t *buf, size_t len)
{
	return parse_sized(buf, len, len);
}

static void assert_ranges(const struct result *res,
			  const struct cramfs_range *want, size_t n)
{
	assert_int_equal(res->err, 0);
	assert_null(res->why);
	if (res->count != n)
		fail_msg("%zu ranges, expected %zu", res->count, n);
	for (size_t i = 0; i < n; i++)
		if (res->r[i].start != want[i].start || res->r[i].end != want[i].end)
			fail_msg("range %zu is [%#" PRIx64 ", %#" PRIx64
				 "), expected [%#" PRIx64 ", %#" PRIx64 ")", i,
				 res->r[i].start, res->r[i].end, want[i].start,
				 want[i].end);
}

static void assert_malformed(const struct result *res)
{
	assert_int_equal(res->err, -EUCLEAN);
	assert_non_null(res->why);
	assert_true(strlen(res->why) > 0);
}

static void assert_not_elf(const struct result *res)
{
	assert_int_equal(res->err, -ENOEXEC);
	assert_int_equal(res->count, 0);
	assert_null(res->why);
}

/* Fill `len` bytes with a pattern and write the headers of `e` over it. */
static uint8_t *make_elf(const struct he_elf *e, size_t len)
{
	uint8_t *buf = malloc(len);

	assert_non_null(buf);
	fx_fill_random(buf, len, (uint32_t)len);
	assert_int_equal(he_elf_write(e, buf, len), 0);
	return buf;
}

/*
 * The layout of a typical executable: R (headers, .rodata before text),
 * RX (text), R (.rodata, .eh_frame), RW (.data, with .bss beyond filesz),
 * plus an RX PT_LOAD with no file bytes and segments that are not PT_LOAD.
 */
static const struct he_segment typical[] = {
	{ HE_PT_LOAD, HE_PF_R, 0x0, 0x5e0, 0 },
	{ HE_PT_LOAD, HE_PF_R | HE_PF_X, 0x1000, 0x2345, 0 },
	{ HE_PT_LOAD, HE_PF_R, 0x4000, 0x1234, 0 },
	{ HE_PT_LOAD, HE_PF_R | HE_PF_W, 0x5e10, 0x3f0, 0x900 },
	{ HE_PT_LOAD, HE_PF_R | HE_PF_X, 0x6200, 0, 0x1000 },
	{ HE_PT_NOTE, HE_PF_R, 0x300, 0x40, 0 },
	{ HE_PT_DYNAMIC, HE_PF_R, 0x4100, 0x100, 0 },
	{ HE_PT_GNU_STACK, HE_PF_R | HE_PF_W, 0, 0, 0 },
};
#define TYPICAL_SIZE 0x7000u

static const struct cramfs_range typical_ro[] = {
	{ 0x0, 0x5e0 }, { 0x1000, 0x3345 }, { 0x4000, 0x5234 },
};

static void check_typical(unsigned int elf_class, enum cramfs_endian endian)
{
	struct he_elf e = { .elf_class = elf_class, .endian = endian,
			    .segs = typical,
			    .nsegs = sizeof(typical) / sizeof(typical[0]) };
	uint8_t *buf = make_elf(&e, TYPICAL_SIZE);
	struct result res = parse(buf, TYPICAL_SIZE);

	assert_ranges(&res, typical_ro, sizeof(typical_ro) / sizeof(typical_ro[0]));
	free(buf);
}

static void elf32_little_endian_yields_its_r_and_rx_load_segments(void **state)
{
	(void)state;
	check_typical(HE_CLASS32, CRAMFS_ENDIAN_LITTLE);
}

static void elf32_big_endian_yields_its_r_and_rx_load_segments(void **state)
{
	(void)state;
	check_typical(HE_CLASS32, CRAMFS_ENDIAN_BIG);
}

static void elf64_little_endian_yields_its_r_and_rx_load_segments(void **state)
{
	(void)state;
	check_typical(HE_CLASS64, CRAMFS_ENDIAN_LITTLE);
}

static void elf64_big_endian_yields_its_r_and_rx_load_segments(void **state)
{
	(void)state;
	check_typical(HE_CLASS64, CRAMFS_ENDIAN_BIG);
}

/* X alone counts (execute-only text); W with anything, or no R/X, does not. */
static void segments_are_chosen_by_flags_read_or_exec_and_not_write(void **state)
{
	static const struct he_segment segs[] = {
		{ HE_PT_LOAD, HE_PF_X, 0x0000, 0x100, 0 },
		{ HE_PT_LOAD, 0, 0x1000, 0x100, 0 },
		{ HE_PT_LOAD, HE_PF_W, 0x2000, 0x100, 0 },
		{ HE_PT_LOAD, HE_PF_R | HE_PF_W | HE_PF_X, 0x3000, 0x100, 0 },
		{ HE_PT_LOAD, HE_PF_X | HE_PF_W, 0x4000, 0x100, 0 },
		{ HE_PT_LOAD, HE_PF_R, 0x5000, 0x100, 0 },
		{ HE_PT_LOAD, HE_PF_R | HE_PF_X, 0x6000, 0x100, 0 },
	};
	static const struct cramfs_range want[] = {
		{ 0x0000, 0x100 }, { 0x5000, 0x5100 }, { 0x6000, 0x6100 },
	};
	struct he_elf e = { .elf_class = HE_CLASS64,
			    .endian = CRAMFS_ENDIAN_LITTLE, .segs = segs,
			    .nsegs = sizeof(segs) / sizeof(segs[0]) };
	uint8_t *buf = make_elf(&e, 0x7000);
	struct result res = parse(buf, 0x7000);

	(void)state;
	assert_ranges(&res, want, sizeof(want) / sizeof(want[0]));
	free(buf);
}

/* The high word of every 64-bit field is used, in either byte order. */
static void elf64_offsets_above_4_gib_are_read_whole(void **state)
{
	static const struct he_segment segs[] = {
		{ HE_PT_LOAD, HE_PF_R | HE_PF_X, 0x100002000ull, 0x100000000ull, 0 },
		{ HE_PT_LOAD, HE_PF_R, 0x2fffff000ull, 0x1000, 0 },
	};
	static const struct cramfs_range want[] = {
		{ 0x100002000ull, 0x200002000ull },
		{ 0x2fffff000ull, 0x300000000ull },
	};
	enum cramfs_endian orders[] = { CRAMFS_ENDIAN_LITTLE, CRAMFS_ENDIAN_BIG };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct he_elf e = { .elf_class = HE_CLASS64, .endian = orders[i],
				    .segs = segs, .nsegs = 2 };
		uint8_t *buf = make_elf(&e, 4096);
		/* Only the headers are backed: the parser must read nothing else. */
		struct result res = parse_sized(buf, 4096, 0x300000000ull);

		assert_ranges(&res, want, 2);
		free(buf);
	}
}

static void a_larger_phentsize_is_the_stride_of_the_table(void **state)
{
	struct he_elf e = { .elf_class = HE_CLASS32, .endian = CRAMFS_ENDIAN_BIG,
			    .segs = typical, .phentsize = 48,
			    .nsegs = sizeof(typical) / sizeof(typical[0]) };
	uint8_t *buf = make_elf(&e, TYPICAL_SIZE);
	struct result res = parse(buf, TYPICAL_SIZE);

	(void)state;
	assert_ranges(&res, typical_ro, sizeof(typical_ro) / sizeof(typical_ro[0]));
	free(buf);
}

static void no_program_headers_means_no_ranges(void **state)
{
	struct he_elf e = { .elf_class = HE_CLASS64,
			    .endian = CRAMFS_ENDIAN_LITTLE };
	uint8_t *buf = make_elf(&e, 200);
	struct result res = parse(buf, 200);

	(void)state;
	assert_ranges(&res, NULL, 0);
	free(buf);
}

static void a_segment_ending_exactly_at_the_end_of_file_is_accepted(void **state)
{
	static const struct he_segment segs[] = {
		{ HE_PT_LOAD, HE_PF_R | HE_PF_X, 0x1000, 0x1234, 0 },
	};
	static const struct cramfs_range want[] = { { 0x1000, 0x2234 } };
	struct he_elf e = { .elf_class = HE_CLASS32,
			    .endian = CRAMFS_ENDIAN_LITTLE, .segs = segs,
			    .nsegs = 1 };
	uint8_t *buf = make_elf(&e, 0x2234);
	struct result res = parse(buf, 0x2234);

	(void)state;
	assert_ranges(&res, want, 1);
	free(buf);
}

/* ------------------------------------------------------------------ */
/* Not ELF: -ENOEXEC, nothing else.                                     */
/* ------------------------------------------------------------------ */

static void a_text_file_is_not_elf(void **state)
{
	static const char text[] = "#!/bin/sh\necho hello, this is a script\n";
	struct result res = parse((const uint8_t *)text, sizeof(text) - 1);

	(void)state;
	assert_not_elf(&res);
}

static void a_file_shorter_than_the_identification_is_not_elf(void **state)
{
	static const uint8_t empty[1];
	static const uint8_t head[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0,
					0, 0, 0, 0, 0, 0, 0 };
	struct result res;

	(void)state;
	res = parse(head, sizeof(head));
	assert_not_elf(&res);
	res = parse(empty, 0);
	assert_not_elf(&res);
}

static void a_bad_magic_class_or_byte_order_is_not_elf(void **state)
{
	static const struct { size_t at; uint8_t value; } breaks[] = {
		{ 0, 0x7e }, { 3, 'G' },
		{ 4, 0 }, { 4, 3 },   /* EI_CLASS: none, unknown */
		{ 5, 0 }, { 5, 3 },   /* EI_DATA: none, unknown */
	};
	struct he_elf e = { .elf_class = HE_CLASS64,
			    .endian = CRAMFS_ENDIAN_LITTLE, .segs = typical,
			    .nsegs = sizeof(typical) / sizeof(typical[0]) };
	uint8_t *buf = make_elf(&e, TYPICAL_SIZE);

	(void)state;
	for (size_t i = 0; i < sizeof(breaks) / sizeof(breaks[0]); i++) {
		uint8_t saved = buf[breaks[i].at];
		struct result res;

		buf[breaks[i].at] = breaks[i].value;
		res = parse(buf, TYPICAL_SIZE);
		assert_not_elf(&res);
		buf[breaks[i].at] = saved;
	}
	free(buf);
}

/* ------------------------------------------------------------------ */
/* Malformed ELF: -EUCLEAN and a reason.                                */
/* ------------------------------------------------------------------ */

static void a_truncated_elf_header_is_malformed(void **state)
{
	unsigned int classes[] = { HE_CLASS32, HE_CLASS64 };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct he_elf e = { .elf_class = classes[i],
				    .endian = CRAMFS_ENDIAN_BIG };
		size_t full = he_ehdr_size(classes[i]);
		uint8_t *buf = make_elf(&e, full);
		struct result res = parse(buf, full - 1);

		assert_malformed(&res);
		res = parse(buf, 16);
		assert_malformed(&res);
		free(buf);
	}
}

static void a_program_header_table_starting_past_the_end_is_malformed(void **state)
{
	struct he_elf e = { .elf_class = HE_CLASS64,
			    .endian = CRAMFS_ENDIAN_LITTLE, .segs = typical,
			    .nsegs = 1 };
	uint8_t *buf = make_elf(&e, 4096);
	struct result res;

	(void)state;
	/* Rewrite e_phoff: one byte past the end, then far beyond it. */
	cramfs_put32(buf + 32, 4097, CRAMFS_ENDIAN_LITTLE);
	res = parse(buf, 4096);
	assert_malformed(&res);
	cramfs_put32(buf + 36, 0xffffffffu, CRAMFS_ENDIAN_LITTLE);
	res = parse(buf, 4096);
	assert_malformed(&res);
	free(buf);
}

static void a_program_header_table_running_past_the_end_is_malformed(void **state)
{
	unsigned int classes[] = { HE_CLASS32, HE_CLASS64 };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct he_elf e = { .elf_class = classes[i],
				    .endian = CRAMFS_ENDIAN_LITTLE,
				    .segs = typical, .nsegs = 4 };
		size_t table_end = he_phoff(&e) + 4 * he_phdr_size(classes[i]);
		uint8_t *buf = make_elf(&e, table_end);
		struct result res = parse(buf, table_end - 1);

		assert_malformed(&res);
		/* phnum claims more entries than the file holds. */
		e.phnum_set = true;
		e.phnum = 5;
		assert_int_equal(he_elf_write(&e, buf, table_end), 0);
		res = parse(buf, table_end);
		assert_malformed(&res);
		free(buf);
	}
}

static void a_phentsize_smaller_than_a_program_header_is_malformed(void **state)
{
	struct he_elf e64 = { .elf_class = HE_CLASS64,
			      .endian = CRAMFS_ENDIAN_BIG, .segs = typical,
			      .nsegs = 1, .phentsize = 32 };
	struct he_elf e32 = { .elf_class = HE_CLASS32,
			      .endian = CRAMFS_ENDIAN_BIG, .segs = typical,
			      .nsegs = 1, .phentsize = 28 };
	uint8_t *buf = make_elf(&e64, 4096);
	struct result res = parse(buf, 4096);

	(void)state;
	assert_malformed(&res);
	free(buf);
	buf = make_elf(&e32, 4096);
	res = parse(buf, 4096);
	assert_malformed(&res);
	free(buf);
}

static void check_bad_segment(const struct he_segment *seg, size_t size)
{
	unsigned int classes[] = { HE_CLASS32, HE_CLASS64 };

	for (size_t i = 0; i < 2; i++) {
		struct he_segment segs[2] = { typical[1], *seg };
		struct he_elf e = { .elf_class = classes[i],
				    .endian = CRAMFS_ENDIAN_BIG, .segs = segs,
				    .nsegs = 2 };
		uint8_t *buf = malloc(size);
		struct result res;

		assert_non_null(buf);
		fx_fill_random(buf, size, 7);
		if (he_elf_write(&e, buf, size) == -ERANGE) {
			/* Not expressible in ELF32. */
			free(buf);
			continue;
		}
		res = parse(buf, size);
		assert_malformed(&res);
		free(buf);
	}
}

static void a_segment_past_the_end_of_file_is_malformed(void **state)
{
	struct he_segment one_byte_over = { HE_PT_LOAD, HE_PF_R, 0x4000, 0x1001, 0 };
	struct he_segment starts_after = { HE_PT_LOAD, HE_PF_R, 0x5001, 0x10, 0 };

	(void)state;
	check_bad_segment(&one_byte_over, 0x5000);
	check_bad_segment(&starts_after, 0x5000);
}

static void a_segment_whose_offset_plus_size_overflows_is_malformed(void **state)
{
	struct he_segment wraps32 = { HE_PT_LOAD, HE_PF_R | HE_PF_X, 0xfffff000u,
				      0x2000, 0 };
	struct he_segment wraps64 = { HE_PT_LOAD, HE_PF_R | HE_PF_X,
				      0xfffffffffffff000ull, 0x2000, 0 };
	struct he_segment huge = { HE_PT_LOAD, HE_PF_R, 0x100,
				   UINT64_MAX - 0x80, 0 };

	(void)state;
	check_bad_segment(&wraps32, 0x5000);
	check_bad_segment(&wraps64, 0x5000);
	check_bad_segment(&huge, 0x5000);
}

/* The loader would fault on it too: writable or not, the file is broken. */
static void a_writable_segment_past_the_end_is_malformed_too(void **state)
{
	struct he_segment rw = { HE_PT_LOAD, HE_PF_R | HE_PF_W, 0x4800, 0x1000, 0 };

	(void)state;
	check_bad_segment(&rw, 0x5000);
}

static struct result many_segments(unsigned int n, uint32_t type,
				   uint32_t flags)
{
	struct he_segment *segs = calloc(n, sizeof(*segs));
	struct he_elf e = { .elf_class = HE_CLASS64,
			    .endian = CRAMFS_ENDIAN_LITTLE, .segs = segs,
			    .nsegs = n };
	size_t size = 64 + (size_t)n * 56 + 0x1000;
	uint8_t *buf;
	struct result res;

	assert_non_null(segs);
	for (unsigned int i = 0; i < n; i++)
		segs[i] = (struct he_segment){ type, flags, 0x10 * (uint64_t)i,
					       0x10, 0 };
	buf = make_elf(&e, size);
	res = parse(buf, size);
	free(buf);
	free(segs);
	return res;
}

static void more_than_512_program_headers_are_malformed(void **state)
{
	struct result res;

	(void)state;
	res = many_segments(512, HE_PT_NOTE, HE_PF_R);
	assert_ranges(&res, NULL, 0);
	res = many_segments(513, HE_PT_NOTE, HE_PF_R);
	assert_malformed(&res);
}

static void more_read_only_segments_than_the_limit_are_malformed(void **state)
{
	struct result res;

	(void)state;
	res = many_segments(CRAMFS_ELF_MAX_RANGES, HE_PT_LOAD, HE_PF_R);
	assert_int_equal(res.err, 0);
	assert_int_equal(res.count, CRAMFS_ELF_MAX_RANGES);
	assert_int_equal(res.r[CRAMFS_ELF_MAX_RANGES - 1].start,
			 0x10 * (CRAMFS_ELF_MAX_RANGES - 1));
	res = many_segments(CRAMFS_ELF_MAX_RANGES + 1, HE_PT_LOAD, HE_PF_R);
	assert_malformed(&res);
}

/* ------------------------------------------------------------------ */
/* Errors of the read callback come back unchanged.                     */
/* ------------------------------------------------------------------ */

static int parse_failing(uint64_t fail_from, int fail_err, unsigned int *calls)
{
	struct he_elf e = { .elf_class = HE_CLASS64, .endian = CRAMFS_ENDIAN_BIG,
			    .segs = typical,
			    .nsegs = sizeof(typical) / sizeof(typical[0]) };
	uint8_t *buf = make_elf(&e, TYPICAL_SIZE);
	struct mem_file f = { .buf = buf, .len = TYPICAL_SIZE,
			      .fail_from = fail_from, .fail_err = fail_err };
	struct cramfs_range r[CRAMFS_ELF_MAX_RANGES];
	size_t count;
	const char *why;
	int err = cramfs_elf_ro_ranges(mem_read, &f, TYPICAL_SIZE, r, &count,
				       &why);

	free(buf);
	*calls = f.calls;
	return err;
}

static void read_errors_are_returned_unchanged(void **state)
{
	unsigned int calls;

	(void)state;
	/* The identification, the rest of the header, a program header. */
	assert_int_equal(parse_failing(0, -EIO, &calls), -EIO);
	assert_int_equal(calls, 1);
	assert_int_equal(parse_failing(20, -EACCES, &calls), -EACCES);
	assert_int_equal(parse_failing(64 + 2 * 56 + 1, -ESTALE, &calls), -ESTALE);
	assert_true(calls >= 3);
	/* Control: the same file parses when nothing fails. */
	assert_int_equal(parse_failing(0, 0, &calls), 0);
}

/* ------------------------------------------------------------------ */
/* A real binary of this machine, against the system's ELF structures.  */
/* ------------------------------------------------------------------ */

static size_t independent_ro_ranges(const uint8_t *buf, size_t len,
				    struct cramfs_range *out, size_t cap)
{
	Elf64_Ehdr eh;
	size_t n = 0;

	assert_true(len >= sizeof(eh));
	memcpy(&eh, buf, sizeof(eh));
	assert_int_equal(eh.e_phentsize, sizeof(Elf64_Phdr));
	assert_true(eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) <= len);
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, buf + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || !ph.p_filesz || (ph.p_flags & PF_W) ||
		    !(ph.p_flags & (PF_R | PF_X)))
			continue;
		assert_true(n < cap);
		out[n].start = ph.p_offset;
		out[n].end = ph.p_offset + ph.p_filesz;
		n++;
	}
	return n;
}

static void real_host_binaries_match_an_independent_parse(void **state)
{
	static const char *const paths[] = {
		"/usr/bin/ls", "/bin/busybox", "/lib/x86_64-linux-gnu/libc.so.6",
	};
	unsigned int checked = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct cramfs_range want[CRAMFS_ELF_MAX_RANGES];
		struct result res;
		uint8_t *buf;
		size_t len, n;

		if (fx_slurp(paths[i], &buf, &len))
			continue;
		/* The structures are read in host order: host-like files only. */
		if (len < EI_NIDENT || memcmp(buf, ELFMAG, SELFMAG) ||
		    buf[EI_CLASS] != ELFCLASS64 ||
		    buf[EI_DATA] != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ?
				     ELFDATA2MSB : ELFDATA2LSB)) {
			free(buf);
			continue;
		}
		n = independent_ro_ranges(buf, len, want, CRAMFS_ELF_MAX_RANGES);
		/* Every linked binary has at least a text segment. */
		assert_true(n >= 1);
		res = parse(buf, len);
		assert_ranges(&res, want, n);
		print_message("%s: %zu read-only segments\n", paths[i], n);
		free(buf);
		checked++;
	}
	if (!checked)
		skip();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(elf32_little_endian_yields_its_r_and_rx_load_segments),
		cmocka_unit_test(elf32_big_endian_yields_its_r_and_rx_load_segments),
		cmocka_unit_test(elf64_little_endian_yields_its_r_and_rx_load_segments),
		cmocka_unit_test(elf64_big_endian_yields_its_r_and_rx_load_segments),
		cmocka_unit_test(segments_are_chosen_by_flags_read_or_exec_and_not_write),
		cmocka_unit_test(elf64_offsets_above_4_gib_are_read_whole),
		cmocka_unit_test(a_larger_phentsize_is_the_stride_of_the_table),
		cmocka_unit_test(no_program_headers_means_no_ranges),
		cmocka_unit_test(a_segment_ending_exactly_at_the_end_of_file_is_accepted),
		cmocka_unit_test(a_text_file_is_not_elf),
		cmocka_unit_test(a_file_shorter_than_the_identification_is_not_elf),
		cmocka_unit_test(a_bad_magic_class_or_byte_order_is_not_elf),
		cmocka_unit_test(a_truncated_elf_header_is_malformed),
		cmocka_unit_test(a_program_header_table_starting_past_the_end_is_malformed),
		cmocka_unit_test(a_program_header_table_running_past_the_end_is_malformed),
		cmocka_unit_test(a_phentsize_smaller_than_a_program_header_is_malformed),
		cmocka_unit_test(a_segment_past_the_end_of_file_is_malformed),
		cmocka_unit_test(a_segment_whose_offset_plus_size_overflows_is_malformed),
		cmocka_unit_test(a_writable_segment_past_the_end_is_malformed_too),
		cmocka_unit_test(more_than_512_program_headers_are_malformed),
		cmocka_unit_test(more_read_only_segments_than_the_limit_are_malformed),
		cmocka_unit_test(read_errors_are_returned_unchanged),
		cmocka_unit_test(real_host_binaries_match_an_independent_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
