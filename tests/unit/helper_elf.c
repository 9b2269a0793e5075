// SPDX-License-Identifier: GPL-2.0-or-later
/* Hand-built ELF headers; see helper_elf.h. */
#include <errno.h>
#include <string.h>

#include "helper_elf.h"

size_t he_ehdr_size(unsigned int elf_class)
{
	return elf_class == HE_CLASS64 ? 64u : 52u;
}

size_t he_phdr_size(unsigned int elf_class)
{
	return elf_class == HE_CLASS64 ? 56u : 32u;
}

uint64_t he_phoff(const struct he_elf *e)
{
	return e->phoff ? e->phoff : he_ehdr_size(e->elf_class);
}

static void put64(uint8_t *p, uint64_t v, enum cramfs_endian e)
{
	uint32_t hi = (uint32_t)(v >> 32), lo = (uint32_t)v;

	if (e == CRAMFS_ENDIAN_BIG) {
		cramfs_put32(p, hi, e);
		cramfs_put32(p + 4, lo, e);
	} else {
		cramfs_put32(p, lo, e);
		cramfs_put32(p + 4, hi, e);
	}
}

/* A word of the class: 4 bytes for ELF32, 8 for ELF64. */
static int put_word(const struct he_elf *e, uint8_t *p, uint64_t v)
{
	if (e->elf_class == HE_CLASS64) {
		put64(p, v, e->endian);
		return 0;
	}
	if (v > UINT32_MAX)
		return -ERANGE;
	cramfs_put32(p, (uint32_t)v, e->endian);
	return 0;
}

static int put_header(const struct he_elf *e, uint8_t *h)
{
	bool is64 = e->elf_class == HE_CLASS64;
	uint16_t phentsize = e->phentsize ? e->phentsize :
			     (uint16_t)he_phdr_size(e->elf_class);
	uint16_t phnum = e->phnum_set ? e->phnum : (uint16_t)e->nsegs;
	int err;

	memset(h, 0, he_ehdr_size(e->elf_class));
	memcpy(h, "\177ELF", 4);
	h[4] = (uint8_t)e->elf_class;
	h[5] = e->endian == CRAMFS_ENDIAN_BIG ? 2 : 1;  /* ELFDATA2MSB/LSB */
	h[6] = 1;                                       /* EV_CURRENT */
	cramfs_put16(h + 16, 2, e->endian);             /* e_type: ET_EXEC */
	cramfs_put16(h + 18, is64 ? 62 : 40, e->endian);/* e_machine */
	cramfs_put32(h + 20, 1, e->endian);             /* e_version */
	/* e_entry (left 0), e_phoff, e_shoff (0), e_flags (0) */
	err = put_word(e, h + (is64 ? 32 : 28), he_phoff(e));
	if (err)
		return err;
	cramfs_put16(h + (is64 ? 52 : 40), (uint16_t)he_ehdr_size(e->elf_class),
		     e->endian);                        /* e_ehsize */
	cramfs_put16(h + (is64 ? 54 : 42), phentsize, e->endian);
	cramfs_put16(h + (is64 ? 56 : 44), phnum, e->endian);
	return 0;
}

static int put_segment(const struct he_elf *e, const struct he_segment *s,
		       uint8_t *p)
{
	uint64_t memsz = s->memsz ? s->memsz : s->filesz;
	int err;

	memset(p, 0, he_phdr_size(e->elf_class));
	cramfs_put32(p, s->type, e->endian);
	if (e->elf_class == HE_CLASS64) {
		cramfs_put32(p + 4, s->flags, e->endian);
		put64(p + 8, s->offset, e->endian);
		put64(p + 16, s->offset, e->endian);    /* p_vaddr */
		put64(p + 24, s->offset, e->endian);    /* p_paddr */
		put64(p + 32, s->filesz, e->endian);
		put64(p + 40, memsz, e->endian);
		put64(p + 48, 4096, e->endian);         /* p_align */
		return 0;
	}
	err = put_word(e, p + 4, s->offset);
	if (!err)
		err = put_word(e, p + 8, s->offset);
	if (!err)
		err = put_word(e, p + 12, s->offset);
	if (!err)
		err = put_word(e, p + 16, s->filesz);
	if (!err)
		err = put_word(e, p + 20, memsz);
	if (err)
		return err;
	cramfs_put32(p + 24, s->flags, e->endian);
	cramfs_put32(p + 28, 4096, e->endian);
	return 0;
}

int he_elf_write(const struct he_elf *e, uint8_t *buf, size_t len)
{
	size_t ehsize = he_ehdr_size(e->elf_class);
	size_t phsize = he_phdr_size(e->elf_class);
	size_t stride = e->phentsize ? e->phentsize : phsize;
	uint64_t phoff = he_phoff(e);
	int err;

	if (len < ehsize)
		return -ENOSPC;
	err = put_header(e, buf);
	if (err)
		return err;
	for (size_t i = 0; i < e->nsegs; i++) {
		uint64_t at = phoff + (uint64_t)i * stride;

		if (at > len || phsize > len - at)
			return -ENOSPC;
		err = put_segment(e, &e->segs[i], buf + at);
		if (err)
			return err;
	}
	return 0;
}
