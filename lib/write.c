// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Serialize a tree: plan the metadata, then read, encode and write each
 * file's data in image order, then the directory entries and superblock.
 * The CRC is accumulated as the bytes are produced, region by region, so
 * the image is never read back for it (only to confirm a duplicate).
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
	opts->compressor = CRAMFS_COMPRESSOR_LIBDEFLATE;
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
	if (o->compressor != CRAMFS_COMPRESSOR_LIBDEFLATE &&
	    o->compressor != CRAMFS_COMPRESSOR_ZLIB)
		return cramfs_msg_set(&tree->msg, -EINVAL, "unknown compressor");
	if (o->dedup != CRAMFS_DEDUP_FILES && o->dedup != CRAMFS_DEDUP_BLOCKS)
		return cramfs_msg_set(&tree->msg, -EINVAL, "unknown dedup mode");
	if (o->level < 0 || o->level > cramfs_compressor_max_level(o->compressor))
		return cramfs_msg_set(&tree->msg, -EINVAL,
				      "compression level %d: must be 0 to %d for %s",
				      o->level,
				      cramfs_compressor_max_level(o->compressor),
				      o->compressor == CRAMFS_COMPRESSOR_ZLIB ?
				      "zlib" : "libdeflate");
	if (o->threads > CRAMFS_THREADS_MAX)
		return cramfs_msg_set(&tree->msg, -EINVAL,
				      "%u threads: at most %u", o->threads,
				      CRAMFS_THREADS_MAX);
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

int cramfs_write_cancelled(const struct cramfs_writer *w)
{
	if (!w->opts->cancel || !*w->opts->cancel)
		return 0;
	return cramfs_msg_set(&w->tree->msg, -ECANCELED,
			      "interrupted: no image written");
}

int cramfs_emit_data(struct cramfs_writer *w, const void *buf, size_t len)
{
	int err = cramfs_pwrite_all(w, buf, len, w->data_pos);

	if (err)
		return err;
	w->data_crc = cramfs_crc32(w->data_crc, buf, len);
	w->data_pos += len;
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
	w->src.fd = -1;
	err = cramfs_insert_open(w, &lo.insert_len);
	if (err)
		return err;
	cramfs_tree_sort(tree);
	err = cramfs_layout_plan(tree, &lo, &w->layout, &tree->msg);
	return err ? err : cramfs_xip_select(w);
}

static void writer_fini(struct cramfs_writer *w)
{
	if (w->insert_fd >= 0)
		close(w->insert_fd);
	if (w->src.fd >= 0)
		close(w->src.fd);
	cramfs_workers_free(w);
	cramfs_encoder_free(&w->enc);
	free(w->stage);
	free(w->table);
	free(w->cmp[0]);
	free(w->cmp[1]);
	free(w->block_buf);
	cramfs_block_index_free(&w->block_index);
	cramfs_dedup_free(&w->dedup);
	cramfs_layout_free(w->layout);
	free(w->xip_runs);
	free(w->xip_share);
	free(w->xip_note);
	free(w->xip_include_used);
	free(w->xip_exclude_used);
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
	st->dedup_blocks = w->dedup_blocks;
	st->dedup_block_saved = w->dedup_block_saved;
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
		err = cramfs_write_cancelled(&w);
	if (!err)
		err = cramfs_write_all_data(&w);
	if (!err)
		err = cramfs_write_metadata(&w);
	if (!err && stats)
		fill_stats(&w, stats);
	writer_fini(&w);
	return err;
}
