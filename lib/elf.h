/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ELF program headers -> the byte ranges a loader maps read-only. */
#ifndef CRAMFS_ELF_H
#define CRAMFS_ELF_H

#include <stddef.h>
#include <stdint.h>

struct cramfs_range {
	uint64_t start;  /* first byte */
	uint64_t end;    /* one past the last byte */
};

/* Read `len` bytes at `off` of the file; 0 or a negative errno. */
typedef int (*cramfs_read_at_fn)(void *arg, uint64_t off, void *buf,
				 size_t len);

#define CRAMFS_ELF_MAX_RANGES 64u

/*
 * File ranges of the PT_LOAD segments that are readable or executable and
 * not writable, for ELF32 and ELF64 of either byte order. Returns 0 with
 * *count ranges (possibly 0), -ENOEXEC when the file is not ELF, and
 * -EUCLEAN for an ELF file whose headers cannot be trusted (truncated,
 * segments past the end of the file, overflowing offsets, too many
 * segments); `why` then says what is wrong.
 */
int cramfs_elf_ro_ranges(cramfs_read_at_fn read_at, void *arg,
			 uint64_t file_size, struct cramfs_range *ranges,
			 size_t *count, const char **why);

#endif /* CRAMFS_ELF_H */
