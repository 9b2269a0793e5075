// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Serialize a tree: plan the metadata, then read, encode and write each
 * file's data in image order, then the directory entries and superblock.
 * The CRC is accumulated as the bytes are produced, region by region, so
 * the image is never read back for it (only to confirm a duplicate), and
 * only one file's content is held at a time.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "compress.h"
#include "dedup.h"
#include "layout.h"
#include "write.h"

void cramfs_write_opts_init(struct cramfs_write_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->block_size = 4096;
	opts->endian = CRAMFS_ENDIAN_HOST;
	opts->level = 6;
}

static int check_opts(struct cramfs_tree *tree,
		      const struct cramfs_write_opts *o)
{
	uint32_t b = o->block_size;

	if (b < 4096 || b > 65536 || (b & (b - 1)))
		return cramfs_msg_set(&tree->msg, -EINVAL,
				      "block size %u: must be a power of two from 4096 to 65536",
				      b);
	if (o->level < 0 || o->level > 9)
		return cramfs_msg_set(&tree->msg, -EINVAL,
				      "compression level %d: must be 0 to 9",
				      o->level);
	if (o->name && strlen(o->name) > CRAMFS_NAME_LEN)
		return cramfs_msg_set(&tree->msg, -ENAMETOOLONG,
				      "volume name \"%s\" is %zu bytes; cramfs limit is %u",
				      o->name, strlen(o->name), CRAMFS_NAME_LEN);
	if (o->xip_align && (o->xip_align < 4 || o->xip_align > b ||
			     (o->xip_align & (o->xip_align - 1))))
		return cramfs_msg_set(&tree->msg, -EINVAL,
				      "XIP alignment %u: must be a power of two from 4 to the block size",
				      o->xip_align);
	if (o->endian != CRAMFS_ENDIAN_HOST && o->endian != CRAMFS_ENDIAN_LITTLE &&
	    o->endian != CRAMFS_ENDIAN_BIG)
		return cramfs_msg_set(&tree->msg, -EINVAL, "unknown byte order");
	return 0;
}

int cramfs_pwrite_all(struct cramfs_writer *w, const void *buf, size_t len,
		      uint64_t offset)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = pwrite(w->fd, p, len, (off_t)offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return cramfs_msg_set(&w->tree->msg, n < 0 ? -errno : -EIO,
					      "%s: cannot write at byte %ju: %s",
					      w->out_name, (uintmax_t)offset,
					      n < 0 ? strerror(errno) : "short write");
		p += n;
		len -= (size_t)n;
		offset += (uint64_t)n;
	}
	return 0;
}

int cramfs_emit_data(struct cramfs_writer *w, const void *buf, size_t len)
{
	int err = cramfs_pwrite_all(w, buf, len, w->data_pos);

	if (err)
		return err;
	w->data_crc = crc32(w->data_crc, buf, (uInt)len);
	w->data_pos += len;
	return 0;
}

static int write_file_data(struct cramfs_writer *w, uint32_t id)
{
	const struct cramfs_node *n = &w->tree->nodes[id];
	const uint8_t *content;
	struct cramfs_dedup_key key;
	uint32_t shared;
	int err;

	if (w->xip_share && w->xip_share[id] != CRAMFS_DEDUP_NONE) {
		cramfs_layout_share(w->layout, id, w->xip_share[id]);
		if (cramfs_tree_path(w->tree, id, w->path, sizeof(w->path)))
			return -ENAMETOOLONG;
		return cramfs_report_file(w, id, w->xip_share[id], 0);
	}
	err = cramfs_content_get(w, id, &content);
	if (err)
		return err;
	if (cramfs_xip_has_runs(w, id))
		return cramfs_write_xip_file(w, id, content);
	key = (struct cramfs_dedup_key){
		.crc = (uint32_t)crc32(0, content, (uInt)n->size),
		.size = (uint32_t)n->size, .mode = n->mode,
		.uid = n->uid, .gid = n->gid,
	};
	err = cramfs_encode(&w->deflater, &w->enc_opts, content, n->size,
			    &w->enc);
	if (!err)
		err = cramfs_dedup_match(w, &key, &shared);
	if (err)
		return err;
	if (shared != CRAMFS_DEDUP_NONE) {
		cramfs_layout_share(w->layout, id, w->dedup.entries[shared].node);
		return cramfs_report_file(w, id, w->dedup.entries[shared].node, 0);
	}
	w->sim_pos = cramfs_align_up(w->sim_pos + w->enc.len, 4);
	err = cramfs_layout_place(w->layout, w->tree, id, w->enc.len,
				  &w->tree->msg);
	if (err)
		return err;
	cramfs_encoded_set_table(&w->enc, w->layout->data_offset[id], w->endian);
	err = cramfs_emit_data(w, w->enc.buf, w->enc.padded_len);
	if (err)
		return err;
	w->blocks += w->enc.nblocks;
	w->flags |= w->enc.count[CRAMFS_BLOCK_HOLE] ? CRAMFS_FLAG_HOLES : 0;
	w->flags |= w->enc.count[CRAMFS_BLOCK_RAW] ?
		    CRAMFS_FLAG_EXT_BLOCK_POINTERS : 0;
	err = cramfs_dedup_add(&w->dedup, &(struct cramfs_dedup_entry){
		.key = key, .node = id,
		.offset = w->layout->data_offset[id],
		.stored_len = (uint32_t)w->enc.len,
	});
	if (err)
		return err;
	return cramfs_report_file(w, id, CRAMFS_DEDUP_NONE, 0);
}

static int write_all_data(struct cramfs_writer *w)
{
	static const uint8_t zeros[65536];
	uint64_t end;
	int err;

	w->data_pos = w->layout->xip_end ? w->layout->xip_end :
					   w->layout->meta_end;
	w->data_crc = (uint32_t)crc32(0, NULL, 0);
	w->xip_pos = w->sim_pos = w->layout->meta_end;
	w->xip_crc = (uint32_t)crc32(0, NULL, 0);
	for (size_t i = 0; i < w->layout->ndata; i++) {
		err = write_file_data(w, w->layout->data_order[i]);
		if (err)
			return err;
	}
	if (w->layout->xip_end && (err = cramfs_xip_finish(w)))
		return err;
	if (w->opts->warnings_fatal &&
	    w->tree->warnings.count > w->warnings_before)
		return cramfs_msg_set(&w->tree->msg, -EINVAL,
				      "warnings are errors: no image written");
	/* Zero-fill to the block size: the target may hold old bytes. */
	end = cramfs_layout_image_size(w->layout);
	while (w->data_pos < end) {
		size_t n = end - w->data_pos < sizeof(zeros) ?
			   (size_t)(end - w->data_pos) : sizeof(zeros);

		err = cramfs_emit_data(w, zeros, n);
		if (err)
			return err;
	}
	return 0;
}

static int writer_init(struct cramfs_writer *w, struct cramfs_tree *tree,
		       const struct cramfs_write_opts *o, int fd)
{
	struct cramfs_layout_opts lo = { .block_size = o->block_size,
					 .pad = o->pad };
	int err;

	memset(w, 0, sizeof(*w));
	w->tree = tree;
	w->opts = o;
	w->fd = fd;
	w->insert_fd = -1;
	/* XIP selection warns about malformed ELF files before any data. */
	w->warnings_before = tree->warnings.count;
	w->endian = cramfs_endian_resolve(o->endian);
	w->flags = CRAMFS_FLAG_FSID_VERSION_2 | CRAMFS_FLAG_SORTED_DIRS;
	w->enc_opts = (struct cramfs_encode_opts){
		.block_size = o->block_size, .holes = o->holes,
		.raw_blocks = o->raw_blocks, .endian = w->endian,
	};
	err = cramfs_insert_open(w, &lo.insert_len);
	if (err)
		return err;
	err = cramfs_deflater_init(&w->deflater, o->level);
	if (err)
		return cramfs_msg_set(&tree->msg, err, "cannot set up zlib: %s",
				      cramfs_strerror(err));
	cramfs_tree_sort(tree);
	err = cramfs_layout_plan(tree, &lo, &w->layout, &tree->msg);
	return err ? err : cramfs_xip_select(w);
}

static void writer_fini(struct cramfs_writer *w)
{
	if (w->insert_fd >= 0)
		close(w->insert_fd);
	cramfs_deflater_end(&w->deflater);
	cramfs_encoded_free(&w->enc);
	cramfs_dedup_free(&w->dedup);
	cramfs_layout_free(w->layout);
	free(w->content);
	free(w->xip_runs);
	free(w->xip_share);
	free(w->xip_note);
	free(w->xip_mask);
	free(w->xip_addr);
}

static void fill_stats(const struct cramfs_writer *w,
		       struct cramfs_write_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->image_size = cramfs_layout_image_size(w->layout);
	st->metadata_size = w->layout->meta_end - w->layout->super_offset -
			    w->layout->insert_len;
	st->files = (uint32_t)w->tree->count;
	st->blocks = w->blocks;
	st->crc = w->crc;
	st->flags = w->flags;
	st->data_bytes = w->data_bytes;
	st->dedup_files = w->dedup_files;
	st->dedup_saved = w->dedup_saved;
	st->xip_files = w->xip_files;
	st->xip_blocks = w->xip_blocks;
	st->xip_padding = w->xip_padding;
	if (w->layout->xip_end)
		st->xip_padding += w->layout->xip_start - w->layout->meta_end;
	st->xip_inline_padding = w->sim_padding;
	st->data_stored = w->layout->data_end - w->layout->meta_end -
			  st->xip_padding;
}

int cramfs_write_fd(struct cramfs_tree *tree,
		    const struct cramfs_write_opts *opts, int fd,
		    struct cramfs_write_stats *stats)
{
	return cramfs_write_named(tree, opts, fd, "image", stats);
}

int cramfs_write_named(struct cramfs_tree *tree,
		       const struct cramfs_write_opts *opts, int fd,
		       const char *name, struct cramfs_write_stats *stats)
{
	struct cramfs_writer w;
	int err;

	cramfs_msg_clear(&tree->msg);
	err = check_opts(tree, opts);
	if (err)
		return err;
	err = writer_init(&w, tree, opts, fd);
	w.out_name = name;
	if (!err)
		err = write_all_data(&w);
	if (!err)
		err = cramfs_write_metadata(&w);
	if (!err && stats)
		fill_stats(&w, stats);
	writer_fini(&w);
	return err;
}
