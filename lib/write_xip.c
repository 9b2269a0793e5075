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

bool cramfs_xip_has_runs(const struct cramfs_writer *w, uint32_t id)
{
	const struct cramfs_layout *l = w->layout;

	return w->xip_cursor < l->nxip_runs &&
	       l->xip_runs[w->xip_cursor].node == id;
}

/* Append to the XIP region, zero-filling any gap first. */
static int xip_emit(struct cramfs_writer *w, uint64_t addr, const void *buf,
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
		w->xip_crc = (uint32_t)crc32(w->xip_crc, zeros, (uInt)n);
		w->xip_pos += n;
	}
	/* crc32() with a NULL buffer returns its initial value: skip it. */
	if (!len)
		return 0;
	err = cramfs_pwrite_all(w, buf, len, addr);
	if (err)
		return err;
	w->xip_crc = (uint32_t)crc32(w->xip_crc, buf, (uInt)len);
	w->xip_pos += len;
	return 0;
}

int cramfs_xip_finish(struct cramfs_writer *w)
{
	return xip_emit(w, w->layout->xip_end, NULL, 0);
}

static int mark_runs(struct cramfs_writer *w, uint32_t id, uint32_t nblocks)
{
	const struct cramfs_layout *l = w->layout;
	size_t cap = w->xip_blockcap;
	int err;

	err = cramfs_grow(&w->xip_mask, &cap, nblocks, 1);
	if (!err)
		err = cramfs_grow(&w->xip_addr, &w->xip_blockcap, nblocks,
				  sizeof(*w->xip_addr));
	if (err)
		return err;
	memset(w->xip_mask, 0, nblocks);
	for (size_t i = w->xip_cursor; i < l->nxip_runs && l->xip_runs[i].node == id; i++) {
		const struct cramfs_xip_run *r = &l->xip_runs[i];

		for (uint32_t b = 0; b < r->nblocks; b++) {
			w->xip_mask[r->first_block + b] = 1;
			w->xip_addr[r->first_block + b] = r->addr +
							  b * l->block_size;
		}
	}
	return 0;
}

/* Copy the file's XIP runs into the region; returns the zero bytes added. */
static int write_runs(struct cramfs_writer *w, uint32_t id,
		      const uint8_t *content, uint64_t *padding)
{
	const struct cramfs_layout *l = w->layout;
	const struct cramfs_node *n = &w->tree->nodes[id];
	int err;

	*padding = 0;
	for (; cramfs_xip_has_runs(w, id); w->xip_cursor++) {
		const struct cramfs_xip_run *r = &l->xip_runs[w->xip_cursor];
		uint64_t from = (uint64_t)r->first_block * l->block_size;
		uint64_t len = (uint64_t)r->nblocks * l->block_size;

		if (len > n->size - from)
			len = n->size - from;
		err = xip_emit(w, r->addr, content + from, (size_t)len);
		if (err)
			return err;
		*padding += r->reserved - len;
		w->xip_blocks += r->nblocks;
	}
	return 0;
}

int cramfs_write_xip_file(struct cramfs_writer *w, uint32_t id,
			  const uint8_t *content)
{
	const struct cramfs_node *n = &w->tree->nodes[id];
	uint32_t nblocks = (uint32_t)((n->size + w->opts->block_size - 1) /
				      w->opts->block_size);
	uint64_t padding;
	int err;

	err = mark_runs(w, id, nblocks);
	if (!err)
		err = cramfs_encode_direct(&w->deflater, &w->enc_opts, content,
					   n->size, w->xip_mask, &w->enc);
	if (!err)
		err = cramfs_layout_place(w->layout, w->tree, id, w->enc.len,
					  &w->tree->msg);
	if (err)
		return err;
	cramfs_encoded_set_table_direct(&w->enc, w->layout->data_offset[id],
					w->xip_addr, w->endian);
	cramfs_xip_simulate_inline(w, id);
	err = cramfs_emit_data(w, w->enc.buf, w->enc.padded_len);
	if (!err)
		err = write_runs(w, id, content, &padding);
	if (err)
		return err;
	w->blocks += nblocks;
	w->xip_files++;
	w->xip_padding += padding;
	w->flags |= CRAMFS_FLAG_EXT_BLOCK_POINTERS;
	return cramfs_report_file(w, id, CRAMFS_DEDUP_NONE, padding);
}

void cramfs_xip_simulate_inline(struct cramfs_writer *w, uint32_t id)
{
	const struct cramfs_encoded *enc = &w->enc;
	uint32_t bs = w->opts->block_size;
	uint64_t size = w->tree->nodes[id].size;

	w->sim_pos += (uint64_t)enc->nblocks * 4u;
	for (uint32_t i = 0; i < enc->nblocks; i++) {
		uint64_t left = size - (uint64_t)i * bs;
		uint64_t in = left < bs ? left : bs;

		if (enc->kind[i] == CRAMFS_BLOCK_ZLIB) {
			w->sim_pos += cramfs_get16(enc->buf + enc->rel_end[i],
						   w->endian);
			continue;
		}
		/* cramfs-tools pads to a page in front of every XIP run. */
		if (enc->kind[i] == CRAMFS_BLOCK_XIP &&
		    (i == 0 || enc->kind[i - 1] != CRAMFS_BLOCK_XIP)) {
			uint64_t pad = cramfs_align_up(w->sim_pos, bs) - w->sim_pos;

			w->sim_padding += pad;
			w->sim_pos += pad;
		}
		w->sim_pos += in;
	}
	w->sim_pos = cramfs_align_up(w->sim_pos, 4);
}
