// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Confirm a dedup candidate byte for byte. Both the candidate and the new
 * file are read back from the image: inflate is a function, so identical
 * stored blocks mean identical content, and no source file has to be read
 * twice (or trusted not to have changed). Only the block tables differ,
 * by the two files' offsets.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "write.h"

#define CMP_CHUNK 65536u

static int same_stored(struct cramfs_writer *w,
		       const struct cramfs_dedup_entry *e, uint64_t start,
		       uint64_t len, bool *same)
{
	uint32_t nblocks = w->enc.nblocks;
	uint64_t table = (uint64_t)nblocks * 4u;

	*same = false;
	/*
	 * Direct tables point at absolute places: equal tables mean equal
	 * data, wherever each file's own blocks are (block dedup leaves a
	 * later copy with a table alone). End pointers count from the table.
	 */
	if (!e->direct && e->stored_len != len)
		return 0;
	/*
	 * An output that cannot be read back (/dev/null, a write-only device)
	 * only loses the saving: the data is stored again.
	 */
	for (uint32_t i = 0; i < nblocks; i += CMP_CHUNK / 4u) {
		uint32_t k = nblocks - i < CMP_CHUNK / 4u ? nblocks - i :
			     CMP_CHUNK / 4u;

		if (cramfs_pread_all(w->fd, w->cmp[0], (size_t)k * 4u,
				     e->offset + (uint64_t)i * 4u))
			return 0;
		for (uint32_t j = 0; j < k; j++) {
			uint32_t old = cramfs_get32(w->cmp[0] + (size_t)j * 4u,
						    w->endian);
			uint32_t new = w->enc.table[i + j];

			if (e->direct ? old != new :
			    old - e->offset != new - (uint32_t)start)
				return 0;
		}
	}
	for (uint64_t at = table; !e->direct && at < len; at += CMP_CHUNK) {
		size_t n = len - at < CMP_CHUNK ? (size_t)(len - at) : CMP_CHUNK;

		if (cramfs_pread_all(w->fd, w->cmp[0], n, e->offset + at) ||
		    cramfs_pread_all(w->fd, w->cmp[1], n, start + at))
			return 0;
		if (memcmp(w->cmp[0], w->cmp[1], n))
			return 0;
	}
	*same = true;
	return 0;
}

int cramfs_dedup_match(struct cramfs_writer *w,
		       const struct cramfs_dedup_key *key, uint64_t start,
		       uint64_t len, uint32_t *entry)
{
	uint32_t i = cramfs_dedup_next(&w->dedup, key, CRAMFS_DEDUP_NONE);
	int err;

	*entry = CRAMFS_DEDUP_NONE;
	if (i == CRAMFS_DEDUP_NONE)
		return 0;
	for (int k = 0; k < 2; k++)
		if (!w->cmp[k] && !(w->cmp[k] = malloc(CMP_CHUNK)))
			return -ENOMEM;
	/* The new file's bytes must be in the image to be read back. */
	err = cramfs_stage_flush(w);
	if (err)
		return err;
	for (; i != CRAMFS_DEDUP_NONE; i = cramfs_dedup_next(&w->dedup, key, i)) {
		bool same;

		err = same_stored(w, &w->dedup.entries[i], start, len, &same);
		if (err)
			return err;
		if (same)
			break;
	}
	*entry = i;
	return 0;
}
