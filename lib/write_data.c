// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * File data, streamed. Content is read ahead into a bounded batch of
 * blocks, the batch is compressed on the worker pool, then assembled file
 * by file in image order on the calling thread, while the pool compresses
 * the next batch. Memory depends on the
 * batch size, never on the size of a file or of the tree, and the image
 * on nothing but the input: every block is compressed on its own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "pool.h"
#include "write.h"

#define BATCH_RAW (512u << 10)
#define STAGE_CAP (1u << 20)

/* ---- the batch ------------------------------------------------------- */

static int batch_init(struct cramfs_writer *w, struct cramfs_batch *b)
{
	b->raw_cap = BATCH_RAW;
	/* Small files take a job each without filling the raw buffer. */
	b->jobs_cap = 2u * BATCH_RAW / w->opts->block_size;
	b->raw = malloc(b->raw_cap);
	b->jobs = calloc(b->jobs_cap, sizeof(*b->jobs));
	b->zbound = w->zbound;
	b->zbuf = malloc(b->jobs_cap * b->zbound);
	b->comp = w->comp;
	return b->raw && b->jobs && b->zbuf ? 0 : -ENOMEM;
}

/* One compressor per thread, and the pool. */
static int workers_init(struct cramfs_writer *w)
{
	const struct cramfs_write_opts *o = w->opts;
	unsigned threads = o->threads ? o->threads : cramfs_online_cpus();
	int err;

	w->comp = calloc(threads, sizeof(*w->comp));
	if (!w->comp)
		return -ENOMEM;
	for (; w->ncomp < threads; w->ncomp++) {
		err = cramfs_compressor_init(&w->comp[w->ncomp], o->compressor,
					     o->level);
		if (err)
			return cramfs_msg_set(&w->tree->msg, err,
					      "cannot set up the compressor: %s",
					      cramfs_strerror(err));
	}
	w->zbound = cramfs_compressor_bound(&w->comp[0], o->block_size);
	return cramfs_pool_new(threads, &w->pool);
}

void cramfs_workers_free(struct cramfs_writer *w)
{
	/* Joins the threads first: no job may outlive the buffers. */
	cramfs_pool_free(w->pool);
	w->pool = NULL;
	for (unsigned i = 0; i < w->ncomp; i++)
		cramfs_compressor_end(&w->comp[i]);
	free(w->comp);
	w->comp = NULL;
	w->ncomp = 0;
	for (int i = 0; i < 2; i++) {
		struct cramfs_batch *b = &w->batch[i];

		free(b->raw);
		free(b->jobs);
		free(b->zbuf);
		free(b->segs);
		memset(b, 0, sizeof(*b));
	}
}

static int add_segment(struct cramfs_batch *b, const struct cramfs_segment *s)
{
	int err = cramfs_grow(&b->segs, &b->segs_cap, b->nsegs + 1,
			      sizeof(*b->segs));

	if (!err)
		b->segs[b->nsegs++] = *s;
	return err;
}

/* Open the next file to read, or add the segment of an XIP hard link. */
static int next_source(struct cramfs_writer *w, struct cramfs_batch *b,
		       bool *more)
{
	const struct cramfs_layout *l = w->layout;
	uint32_t id;
	int err;

	*more = w->next_file < l->ndata;
	if (!*more)
		return 0;
	id = l->data_order[w->next_file++];
	if (w->xip_share && w->xip_share[id] != CRAMFS_DEDUP_NONE) {
		w->files_read++;
		return add_segment(b, &(struct cramfs_segment){
			.id = id, .begins = true, .ends = true,
			.xip_share = w->xip_share[id] });
	}
	err = cramfs_source_open(w, id);
	if (err)
		return err;
	w->src.xip_cursor = w->xip_cursor;
	w->src.xip = w->xip_cursor < l->nxip_runs &&
		     l->xip_runs[w->xip_cursor].node == id;
	w->src.direct = w->src.xip || w->opts->dedup == CRAMFS_DEDUP_BLOCKS;
	w->src.xip_padding = w->src.xip ?
		cramfs_xip_file_padding(w, &w->xip_cursor, id) : 0;
	return 0;
}

/* Read as many whole blocks of the current file as the batch holds. */
static int read_blocks(struct cramfs_writer *w, struct cramfs_batch *b,
		       struct cramfs_segment *seg, bool *full)
{
	struct cramfs_reader *src = &w->src;
	const struct cramfs_node *n = &w->tree->nodes[src->id];
	uint32_t bs = w->opts->block_size;
	uint64_t left = n->size - src->done;
	uint64_t nleft = (left + bs - 1) / bs;
	size_t room_jobs = b->jobs_cap - b->njobs;
	size_t room_raw = (b->raw_cap - b->raw_len) / bs;
	uint32_t first = (uint32_t)(src->done / bs);
	uint64_t k = nleft, bytes;
	const uint8_t *data;
	int err;

	*seg = (struct cramfs_segment){
		.id = src->id, .begins = src->done == 0, .direct = src->direct,
		.xip = src->xip,
		.xip_share = CRAMFS_DEDUP_NONE, .xip_padding = src->xip_padding,
		.first_job = (uint32_t)b->njobs,
	};
	if (k > room_jobs)
		k = room_jobs;
	if (n->src != CRAMFS_SRC_MEMORY && k > room_raw)
		k = room_raw;
	*full = k < nleft;
	if (!k)
		return 0;
	bytes = k * bs < left ? k * bs : left;
	err = cramfs_source_read(w, b->raw + b->raw_len, (size_t)bytes, &data);
	if (err)
		return err;
	if (n->src != CRAMFS_SRC_MEMORY)
		b->raw_len += (size_t)bytes;
	seg->njobs = (uint32_t)k;
	for (uint32_t i = 0; i < k; i++) {
		struct cramfs_job *j = &b->jobs[b->njobs++];
		uint64_t off = (uint64_t)i * bs;

		*j = (struct cramfs_job){
			.src = data + off,
			.len = (uint32_t)(bytes - off < bs ? bytes - off : bs),
			.kind = CRAMFS_BLOCK_ZLIB,
			.holes_ok = w->opts->holes && !src->direct,
		};
		if (src->xip &&
		    cramfs_xip_block(w, &src->xip_cursor, src->id, first + i,
				     &j->xip_addr))
			j->kind = CRAMFS_BLOCK_XIP;
	}
	return 0;
}

static void progress(struct cramfs_writer *w)
{
	if (w->opts->on_progress)
		w->opts->on_progress(w->opts->progress_arg, w->files_read,
				     w->files_total, w->bytes_read,
				     w->bytes_total);
}

static int fill_batch(struct cramfs_writer *w, struct cramfs_batch *b)
{
	bool full = false;
	int err;

	b->raw_len = b->njobs = b->nsegs = 0;
	while (!full) {
		struct cramfs_segment seg;

		if (!w->src.active) {
			bool more;

			err = next_source(w, b, &more);
			if (err || !more)
				return err;
			if (!w->src.active)
				continue; /* an XIP hard link: nothing to read */
		}
		err = read_blocks(w, b, &seg, &full);
		if (err)
			return err;
		if (!seg.njobs)
			break;
		if (!full) {
			seg.ends = true;
			seg.crc = w->src.crc;
			err = cramfs_source_close(w);
			if (err)
				return err;
			w->files_read++;
			w->bytes_read += w->tree->nodes[seg.id].size;
			progress(w);
		}
		err = add_segment(b, &seg);
		if (err)
			return err;
	}
	return 0;
}

static void compress_job(void *arg, size_t i, unsigned worker)
{
	struct cramfs_batch *b = arg;
	struct cramfs_job *j = &b->jobs[i];
	size_t out = 0;

	if (j->kind == CRAMFS_BLOCK_XIP)
		return;
	if (j->holes_ok && cramfs_all_zero(j->src, j->len)) {
		j->kind = CRAMFS_BLOCK_HOLE;
		return;
	}
	j->err = cramfs_compress_block(&b->comp[worker], j->src, j->len,
				       b->zbuf + i * b->zbound, b->zbound, &out);
	j->zlen = (uint32_t)out;
}

/* ---- the output stage ------------------------------------------------ */

int cramfs_stage_flush(struct cramfs_writer *w)
{
	int err = cramfs_pwrite_all(w, w->stage, w->stage_len, w->stage_off);

	if (err)
		return err;
	w->stage_off += w->stage_len;
	w->stage_len = 0;
	return 0;
}

static int stage_put(struct cramfs_writer *w, const void *buf, size_t len)
{
	int err;

	if (w->stage_len + len > STAGE_CAP) {
		err = cramfs_stage_flush(w);
		if (err)
			return err;
	}
	if (len > STAGE_CAP) {
		err = cramfs_pwrite_all(w, buf, len, w->stage_off);
		if (!err)
			w->stage_off += len;
		return err;
	}
	memcpy(w->stage + w->stage_len, buf, len);
	w->stage_len += len;
	return 0;
}

/* Overwrite bytes already appended, on disk or still in the stage. */
static int stage_patch(struct cramfs_writer *w, uint64_t off,
		       const uint8_t *buf, size_t len)
{
	if (off < w->stage_off) {
		size_t k = w->stage_off - off < len ?
			   (size_t)(w->stage_off - off) : len;
		int err = cramfs_pwrite_all(w, buf, k, off);

		if (err)
			return err;
		off += k;
		buf += k;
		len -= k;
	}
	if (len)
		memcpy(w->stage + (off - w->stage_off), buf, len);
	return 0;
}

/* The encoder's sink: file bytes to the stage, CRC past the table. */
static int sink_data(void *arg, const void *buf, size_t len)
{
	struct cramfs_writer *w = arg;
	size_t skip = len < w->enc_skip ? len : (size_t)w->enc_skip;

	w->enc_skip -= skip;
	if (len > skip)
		w->enc_crc = cramfs_crc32(w->enc_crc,
					  (const uint8_t *)buf + skip, len - skip);
	return stage_put(w, buf, len);
}

/* ---- assembly, in image order ------------------------------------------ */

static int begin_file(struct cramfs_writer *w, const struct cramfs_segment *seg)
{
	const struct cramfs_node *n = &w->tree->nodes[seg->id];
	uint32_t bs = w->opts->block_size;

	if (cramfs_tree_path(w->tree, seg->id, w->path, sizeof(w->path)))
		return -ENAMETOOLONG;
	w->enc.sink = sink_data;
	w->enc.arg = w;
	w->enc_crc = 0;
	w->enc_skip = (n->size + bs - 1) / bs * 4u;
	w->file_dedup_blocks = 0;
	w->file_dedup_saved = 0;
	w->file_index_start = w->block_index.count;
	w->file_sim_start = w->sim_pos;
	if (seg->direct)
		w->sim_pos += w->enc_skip;
	return cramfs_encoder_begin(&w->enc, seg->direct, (uint32_t)w->data_pos,
				    n->size);
}

/*
 * The block before the last of a whole-block file, when that last block
 * may be too big for a 16-bit length (64 KiB blocks): it then gets a
 * classic end pointer that starts where this block ends, so this block
 * must be stored right here, not shared.
 */
static bool before_inline_last(const struct cramfs_writer *w)
{
	const struct cramfs_encoder *e = &w->enc;

	return e->o.block_size == 65536u && e->next + 2 == e->nblocks &&
	       e->size % e->o.block_size == 0;
}

static int add_block(struct cramfs_writer *w, const struct cramfs_batch *b,
		     const struct cramfs_segment *seg, size_t i)
{
	const struct cramfs_job *j = &b->jobs[i];
	uint8_t prev = w->enc.prev_kind, kind;
	struct cramfs_block_result r = {
		.src = j->src, .len = j->len, .kind = j->kind,
		.z = b->zbuf + i * b->zbound, .zlen = j->zlen,
		.xip_addr = j->xip_addr,
	};
	struct cramfs_block_key key;
	bool index = false, inline_only;
	int err;

	if (j->err)
		return cramfs_msg_set(&w->tree->msg, j->err,
				      "%s: cannot compress block %u", w->path,
				      w->enc.next);
	if (j->kind == CRAMFS_BLOCK_XIP) {
		err = cramfs_xip_emit(w, j->xip_addr, j->src, j->len);
		if (err)
			return err;
	} else if (w->opts->dedup == CRAMFS_DEDUP_BLOCKS) {
		kind = cramfs_encoder_direct_kind(&w->enc, &r, &inline_only);
		if (!inline_only && !before_inline_last(w)) {
			err = cramfs_block_find(w, &r, kind, &key);
			if (err)
				return err;
			index = !r.shared;
		}
	}
	err = cramfs_encoder_add(&w->enc, &r);
	if (!err && index)
		err = cramfs_block_stored(w, &key);
	if (err)
		return err;
	if (seg->direct)
		cramfs_xip_simulate_block(w, w->enc.prev_kind, prev, j->zlen,
					  j->len);
	return 0;
}

/* A file whose data turned out to be stored already: take it back. */
static int share_file(struct cramfs_writer *w, uint32_t id, uint64_t start,
		      uint32_t entry)
{
	uint32_t from = w->dedup.entries[entry].node;
	int err;

	/* cramfs_dedup_match() flushed the stage: nothing of it is kept. */
	w->stage_off = start;
	w->stage_len = 0;
	/* Blocks it stored go with it (its twin's are found first anyway). */
	err = cramfs_block_index_truncate(&w->block_index, w->file_index_start);
	if (err)
		return err;
	w->sim_pos = w->file_sim_start;
	cramfs_layout_share(w->layout, id, from);
	return cramfs_report_file(w, id, from, 0);
}

static int commit_file(struct cramfs_writer *w, const struct cramfs_segment *seg)
{
	const struct cramfs_node *n = &w->tree->nodes[seg->id];
	const struct cramfs_encoder *e = &w->enc;
	uint64_t start = w->data_pos, len, padded;
	size_t tlen = (size_t)e->nblocks * 4u;
	uint32_t shared = CRAMFS_DEDUP_NONE, crc;
	struct cramfs_dedup_key key = {
		.crc = seg->crc, .size = (uint32_t)n->size, .mode = n->mode,
		.uid = n->uid, .gid = n->gid,
	};
	int err;

	err = cramfs_encoder_finish(&w->enc, &len);
	if (!err)
		err = cramfs_grow(&w->table, &w->table_cap, tlen ? tlen : 1, 1);
	if (err)
		return err;
	cramfs_encoder_table(e, w->table);
	padded = cramfs_align_up(len, 4);
	if (!seg->xip) {
		err = cramfs_dedup_match(w, &key, start, len, &shared);
		if (err)
			return err;
		if (shared != CRAMFS_DEDUP_NONE)
			return share_file(w, seg->id, start, shared);
	}
	err = cramfs_layout_place(w->layout, w->tree, seg->id, len,
				  &w->tree->msg);
	if (!err)
		err = stage_patch(w, start, w->table, tlen);
	if (err)
		return err;
	crc = cramfs_crc32(0, w->table, tlen);
	crc = (uint32_t)crc32_combine(crc, w->enc_crc, (z_off_t)(padded - tlen));
	w->data_crc = (uint32_t)crc32_combine(w->data_crc, crc, (z_off_t)padded);
	w->data_pos = start + padded;
	w->enc_len = len;
	w->dedup_blocks += w->file_dedup_blocks;
	w->dedup_block_saved += w->file_dedup_saved;
	w->blocks += e->nblocks;
	w->flags |= e->count[CRAMFS_BLOCK_HOLE] ? CRAMFS_FLAG_HOLES : 0;
	if (e->count[CRAMFS_BLOCK_RAW] || seg->direct)
		w->flags |= CRAMFS_FLAG_EXT_BLOCK_POINTERS;
	if (seg->xip) {
		w->sim_pos = cramfs_align_up(w->sim_pos, 4);
		w->xip_files++;
		w->xip_blocks += e->count[CRAMFS_BLOCK_XIP];
		w->xip_padding += seg->xip_padding;
		return cramfs_report_file(w, seg->id, CRAMFS_DEDUP_NONE,
					  seg->xip_padding);
	}
	w->sim_pos = seg->direct ? cramfs_align_up(w->sim_pos, 4) :
		     cramfs_align_up(w->sim_pos + len, 4);
	err = cramfs_dedup_add(&w->dedup, &(struct cramfs_dedup_entry){
		.key = key, .node = seg->id, .offset = (uint32_t)start,
		.stored_len = (uint32_t)len, .direct = seg->direct,
	});
	return err ? err : cramfs_report_file(w, seg->id, CRAMFS_DEDUP_NONE, 0);
}

static int assemble(struct cramfs_writer *w, const struct cramfs_batch *b)
{
	int err = 0;

	for (size_t s = 0; s < b->nsegs && !err; s++) {
		const struct cramfs_segment *seg = &b->segs[s];

		if (seg->xip_share != CRAMFS_DEDUP_NONE) {
			cramfs_layout_share(w->layout, seg->id, seg->xip_share);
			if (cramfs_tree_path(w->tree, seg->id, w->path,
					     sizeof(w->path)))
				return -ENAMETOOLONG;
			err = cramfs_report_file(w, seg->id, seg->xip_share, 0);
			continue;
		}
		if (seg->begins)
			err = begin_file(w, seg);
		for (uint32_t i = 0; i < seg->njobs && !err; i++)
			err = add_block(w, b, seg, seg->first_job + i);
		if (!err && seg->ends)
			err = commit_file(w, seg);
	}
	return err;
}

/* Zero-fill to the block size: the target may hold old bytes. */
static int finish_image(struct cramfs_writer *w)
{
	static const uint8_t zeros[65536];
	uint64_t end = cramfs_layout_image_size(w->layout);
	struct stat st;
	int err;

	while (w->data_pos < end) {
		size_t n = end - w->data_pos < sizeof(zeros) ?
			   (size_t)(end - w->data_pos) : sizeof(zeros);

		err = cramfs_emit_data(w, zeros, n);
		if (err)
			return err;
	}
	/* A duplicate taken back at the end may have left bytes past it. */
	if (fstat(w->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size > end && ftruncate(w->fd, (off_t)end) < 0)
		return cramfs_msg_set(&w->tree->msg, -errno,
				      "%s: cannot truncate: %s", w->out_name,
				      strerror(errno));
	return 0;
}

int cramfs_write_all_data(struct cramfs_writer *w)
{
	const struct cramfs_layout *l = w->layout;
	int err;

	w->data_pos = w->stage_off = l->xip_end ? l->xip_end : l->meta_end;
	w->data_crc = 0;
	w->xip_pos = w->sim_pos = l->meta_end;
	w->xip_crc = 0;
	w->files_total = l->ndata;
	for (size_t i = 0; i < l->ndata; i++)
		w->bytes_total += w->tree->nodes[l->data_order[i]].size;
	w->enc.o = (struct cramfs_encode_opts){
		.block_size = w->opts->block_size, .holes = w->opts->holes,
		.raw_blocks = w->opts->raw_blocks, .endian = w->endian,
	};
	w->stage = malloc(STAGE_CAP);
	if (!w->stage)
		return -ENOMEM;
	err = workers_init(w);
	if (!err)
		err = batch_init(w, &w->batch[0]);
	if (!err)
		err = batch_init(w, &w->batch[1]);
	if (!err)
		err = fill_batch(w, &w->batch[0]);
	if (!err)
		cramfs_pool_start(w->pool, compress_job, &w->batch[0],
				  w->batch[0].njobs);
	/*
	 * Two batches in turn: the next one is read while the pool
	 * compresses this one, and assembled while it compresses the next.
	 */
	for (int cur = 0; !err && w->batch[cur].nsegs; cur ^= 1) {
		struct cramfs_batch *now = &w->batch[cur];
		struct cramfs_batch *next = &w->batch[cur ^ 1];

		err = cramfs_write_cancelled(w);
		if (!err)
			err = fill_batch(w, next);
		cramfs_pool_wait(w->pool);
		if (err)
			break;
		cramfs_pool_start(w->pool, compress_job, next, next->njobs);
		err = assemble(w, now);
	}
	if (w->pool)
		cramfs_pool_wait(w->pool);
	if (!err)
		err = cramfs_stage_flush(w);
	if (!err && l->xip_end)
		err = cramfs_xip_finish(w);
	if (err)
		return err;
	if (w->opts->warnings_fatal &&
	    w->tree->warnings.count > w->warnings_before)
		return cramfs_msg_set(&w->tree->msg, -EINVAL,
				      "warnings are errors: no image written");
	return finish_image(w);
}
