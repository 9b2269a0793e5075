/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ELF files built by hand in memory: an ELF header and a program header
 * table of either class (ELF32, ELF64) and either byte order, written
 * field by field from the ELF specification. No section headers, no code:
 * lib/elf.c only reads the identification, the header and the program
 * headers. Fields can be overridden to make malformed files.
 *
 * Like helper_fixture.c, nothing here uses cmocka.
 */
#ifndef CRAMFS_TEST_HELPER_ELF_H
#define CRAMFS_TEST_HELPER_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cramfs/format.h"

/* e_ident[EI_CLASS] */
#define HE_CLASS32 1u
#define HE_CLASS64 2u

/* p_type and p_flags values used by the tests. */
#define HE_PT_NULL   0u
#define HE_PT_LOAD   1u
#define HE_PT_DYNAMIC 2u
#define HE_PT_NOTE   4u
#define HE_PT_GNU_STACK 0x6474e551u
#define HE_PF_X      1u
#define HE_PF_W      2u
#define HE_PF_R      4u

struct he_segment {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t filesz;
	uint64_t memsz;   /* 0: the same as filesz */
};

struct he_elf {
	unsigned int elf_class;      /* HE_CLASS32 or HE_CLASS64 */
	enum cramfs_endian endian;   /* CRAMFS_ENDIAN_LITTLE or _BIG */
	const struct he_segment *segs;
	size_t nsegs;
	/* Overrides for malformed files; zero keeps the natural value. */
	uint64_t phoff;              /* 0: right after the ELF header */
	uint16_t phentsize;          /* 0: 32 (ELF32) or 56 (ELF64) */
	bool phnum_set;              /* write `phnum` instead of nsegs */
	uint16_t phnum;
};

/* Sizes of the ELF header and of one program header of a class. */
size_t he_ehdr_size(unsigned int elf_class);
size_t he_phdr_size(unsigned int elf_class);

/* Where the program header table goes (the phoff override or default). */
uint64_t he_phoff(const struct he_elf *e);

/*
 * Write the ELF header at 0 and `nsegs` program headers at he_phoff(), in
 * a stride of the phentsize override (or the natural size). Other bytes of
 * `buf` are left alone, so the caller fills the body first. Returns 0,
 * -ENOSPC when a header would not fit in `len` bytes, or -ERANGE when an
 * ELF32 field cannot hold a value.
 */
int he_elf_write(const struct he_elf *e, uint8_t *buf, size_t len);

#endif /* CRAMFS_TEST_HELPER_ELF_H */
