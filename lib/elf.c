// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Just enough ELF to find what a loader maps read-only: the identification
 * bytes, the program header table and its PT_LOAD entries. Every offset is
 * checked against the file size before use; nothing here trusts the file.
 */
#include <errno.h>
#include <string.h>

#include "elf.h"
#include "cramfs/format.h"

#define EI_NIDENT   16
#define ELFCLASS32  1
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define ELFDATA2MSB 2
#define PT_LOAD     1
#define PF_X        1u
#define PF_W        2u
#define PF_R        4u

#define EHDR32_SIZE 52u
#define EHDR64_SIZE 64u
#define PHDR32_SIZE 32u
#define PHDR64_SIZE 56u
/* More program headers than this is not a binary anyone loads. */
#define PHNUM_MAX   512u

struct elf_form {
	int is64;
	enum cramfs_endian endian;
};

static uint64_t get64(const uint8_t *p, enum cramfs_endian e)
{
	uint64_t lo = cramfs_get32(p, e), hi = cramfs_get32(p + 4, e);

	return e == CRAMFS_ENDIAN_BIG ? lo << 32 | hi : hi << 32 | lo;
}

static uint64_t get_word(const struct elf_form *f, const uint8_t *p)
{
	return f->is64 ? get64(p, f->endian) : cramfs_get32(p, f->endian);
}

static int bad(const char **why, const char *text)
{
	*why = text;
	return -EUCLEAN;
}

/* Record a read-only PT_LOAD segment; widening to blocks is the caller's. */
static int add_segment(const struct elf_form *f, const uint8_t *ph,
		       uint64_t file_size, struct cramfs_range *ranges,
		       size_t *count, const char **why)
{
	uint32_t type = cramfs_get32(ph, f->endian);
	uint32_t flags = cramfs_get32(ph + (f->is64 ? 4 : 24), f->endian);
	uint64_t off = get_word(f, ph + (f->is64 ? 8 : 4));
	uint64_t filesz = get_word(f, ph + (f->is64 ? 32 : 16));

	if (type != PT_LOAD || filesz == 0)
		return 0;
	if (off > file_size || filesz > file_size - off)
		return bad(why, "a loadable segment lies past the end of the file");
	if ((flags & PF_W) || !(flags & (PF_R | PF_X)))
		return 0;
	if (*count == CRAMFS_ELF_MAX_RANGES)
		return bad(why, "too many read-only segments");
	ranges[*count].start = off;
	ranges[*count].end = off + filesz;
	(*count)++;
	return 0;
}

static int read_form(const uint8_t *ident, struct elf_form *f)
{
	if (memcmp(ident, "\177ELF", 4))
		return -ENOEXEC;
	if (ident[4] != ELFCLASS32 && ident[4] != ELFCLASS64)
		return -ENOEXEC;
	if (ident[5] != ELFDATA2LSB && ident[5] != ELFDATA2MSB)
		return -ENOEXEC;
	f->is64 = ident[4] == ELFCLASS64;
	f->endian = ident[5] == ELFDATA2MSB ? CRAMFS_ENDIAN_BIG :
					      CRAMFS_ENDIAN_LITTLE;
	return 0;
}

int cramfs_elf_ro_ranges(cramfs_read_at_fn read_at, void *arg,
			 uint64_t file_size, struct cramfs_range *ranges,
			 size_t *count, const char **why)
{
	uint8_t eh[EHDR64_SIZE], ph[PHDR64_SIZE];
	struct elf_form f;
	uint64_t phoff;
	uint32_t phentsize, phnum, need;
	int err;

	*count = 0;
	*why = NULL;
	if (file_size < EI_NIDENT)
		return -ENOEXEC;
	err = read_at(arg, 0, eh, EI_NIDENT);
	if (err)
		return err;
	err = read_form(eh, &f);
	if (err)
		return err;
	need = f.is64 ? EHDR64_SIZE : EHDR32_SIZE;
	if (file_size < need)
		return bad(why, "truncated ELF header");
	err = read_at(arg, EI_NIDENT, eh + EI_NIDENT, need - EI_NIDENT);
	if (err)
		return err;
	phoff = get_word(&f, eh + (f.is64 ? 32 : 28));
	phentsize = cramfs_get16(eh + (f.is64 ? 54 : 42), f.endian);
	phnum = cramfs_get16(eh + (f.is64 ? 56 : 44), f.endian);
	need = f.is64 ? PHDR64_SIZE : PHDR32_SIZE;
	if (phnum == 0)
		return 0;
	if (phentsize < need || phnum > PHNUM_MAX)
		return bad(why, "implausible program header table");
	if (phoff > file_size ||
	    (uint64_t)phentsize * phnum > file_size - phoff)
		return bad(why, "program header table lies past the end of the file");
	for (uint32_t i = 0; i < phnum; i++) {
		err = read_at(arg, phoff + (uint64_t)i * phentsize, ph, need);
		if (!err)
			err = add_segment(&f, ph, file_size, ranges, count, why);
		if (err)
			return err;
	}
	return 0;
}
