// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Confirm a dedup candidate byte for byte. The candidate's stored bytes are
 * read back from the image and compared with the new file's encoding:
 * inflate is a function, so identical stored blocks mean identical content,
 * and no source file has to be read twice (or trusted not to have changed).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "write.h"

static int same_stored(struct cramfs_writer *w,
		       const struct cramfs_dedup_entry *e, bool *same)
{
	const struct cramfs_encoded *enc = &w->enc;
	size_t table = (size_t)enc->nblocks * 4u;
	uint8_t *old;

	*same = false;
	if (e->stored_len != enc->len)
		return 0;
	old = malloc(e->stored_len);
	if (!old)
		return -ENOMEM;
	/*
	 * An output that cannot be read back (/dev/null, a write-only
	 * device) only loses the saving: the data is stored again.
	 */
	if (cramfs_pread_all(w->fd, old, e->stored_len, e->offset)) {
		free(old);
		return 0;
	}
	*same = memcmp(old + table, enc->buf + table, enc->len - table) == 0;
	for (uint32_t i = 0; *same && i < enc->nblocks; i++) {
		uint32_t ptr = cramfs_get32(old + (size_t)i * 4u, w->endian);
		uint32_t want = enc->rel_end[i] + e->offset;

		if (enc->kind[i] == CRAMFS_BLOCK_RAW)
			want |= CRAMFS_BLK_FLAG_UNCOMPRESSED;
		*same = ptr == want;
	}
	free(old);
	return 0;
}

int cramfs_dedup_match(struct cramfs_writer *w,
		       const struct cramfs_dedup_key *key, uint32_t *entry)
{
	uint32_t i = cramfs_dedup_next(&w->dedup, key, CRAMFS_DEDUP_NONE);

	for (; i != CRAMFS_DEDUP_NONE; i = cramfs_dedup_next(&w->dedup, key, i)) {
		bool same;
		int err = same_stored(w, &w->dedup.entries[i], &same);

		if (err)
			return err;
		if (same)
			break;
	}
	*entry = i;
	return 0;
}
