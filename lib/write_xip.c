// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writing files that have XIP runs. Their block table and compressed
 * blocks go with the other file data; the XIP blocks go, raw and in page
 * stride, to the XIP region planned after the metadata. Every pointer of
 * such a file is direct: a classic pointer after a direct one would make
 * the kernel look for the block right after the XIP page.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "write.h"

bool cramfs_xip_block(const struct cramfs_writer *w, size_t *cursor,
		      uint32_t id, uint32_t b, uint32_t *addr)
{
	const struct cramfs_layout *l = w->layout;
	const struct cramfs_xip_run *r;

	while (*cursor < l->nxip_runs && l->xip_runs[*cursor].node == id &&
	       l->xip_runs[*cursor].first_block + l->xip_runs[*cursor].nblocks <= b)
		(*cursor)++;
	if (*cursor >= l->nxip_runs)
		return false;
	r = &l->xip_runs[*cursor];
	if (r->node != id || r->first_block > b)
		return false;
	*addr = r->addr + (b - r->first_block) * l->block_size;
	return true;
}

uint64_t cramfs_xip_file_padding(const struct cramfs_writer *w,
				 size_t *cursor, uint32_t id)
{
	const struct cramfs_layout *l = w->layout;
	uint64_t size = w->tree->nodes[id].size;
	uint64_t padding = 0;

	for (; *cursor < l->nxip_runs && l->xip_runs[*cursor].node == id;
	     (*cursor)++) {
		const struct cramfs_xip_run *r = &l->xip_runs[*cursor];
		uint64_t from = (uint64_t)r->first_block * l->block_size;
		uint64_t len = (uint64_t)r->nblocks * l->block_size;

		if (len > size - from)
			len = size - from;
		padding += r->reserved - len;
	}
	return padding;
}

/* Append to the XIP region, zero-filling any gap first. */
int cramfs_xip_emit(struct cramfs_writer *w, uint64_t addr, const void *buf,
		    size_t len)
{
	static const uint8_t zeros[4096];
	int err;

	while (w->xip_pos < addr) {
		size_t n = addr - w->xip_pos < sizeof(zeros) ?
			   (size_t)(addr - w->xip_pos) : sizeof(zeros);

		err = cramfs_pwrite_all(w, zeros, n, w->xip_pos);
		if (err)
			return err;
		w->xip_crc = cramfs_crc32(w->xip_crc, zeros, n);
		w->xip_pos += n;
	}
	if (!len)
		return 0;
	err = cramfs_pwrite_all(w, buf, len, addr);
	if (err)
		return err;
	w->xip_crc = cramfs_crc32(w->xip_crc, buf, len);
	w->xip_pos += len;
	return 0;
}

int cramfs_xip_finish(struct cramfs_writer *w)
{
	return cramfs_xip_emit(w, w->layout->xip_end, NULL, 0);
}

void cramfs_xip_simulate_block(struct cramfs_writer *w, uint8_t kind,
			       uint8_t prev_kind, uint32_t zlen, uint32_t len)
{
	uint32_t bs = w->opts->block_size;

	if (kind == CRAMFS_BLOCK_ZLIB) {
		w->sim_pos += zlen;
		return;
	}
	/* cramfs-tools pads to a page in front of every XIP run. */
	if (kind == CRAMFS_BLOCK_XIP && prev_kind != CRAMFS_BLOCK_XIP) {
		uint64_t pad = cramfs_align_up(w->sim_pos, bs) - w->sim_pos;

		w->sim_padding += pad;
		w->sim_pos += pad;
	}
	w->sim_pos += len;
}
