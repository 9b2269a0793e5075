// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Directory entries and the superblock, written last: they hold the data
 * offsets. The CRC is computed over the superblock (crc field zero), the
 * inserted file, the entries, and combined with the data region's CRC.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "write.h"

static void node_inode(const struct cramfs_writer *w, uint32_t id,
		       struct cramfs_inode *ino)
{
	const struct cramfs_node *n = &w->tree->nodes[id];
	const struct cramfs_layout *l = w->layout;

	memset(ino, 0, sizeof(*ino));
	ino->mode = n->mode;
	ino->uid = n->uid;
	ino->gid = n->gid & CRAMFS_GID_MAX;
	ino->namelen = (n->namelen + 3u) / 4u;
	if (S_ISDIR(n->mode)) {
		ino->size = l->dir_size[id];
		ino->offset = l->dir_offset[id] >> 2;
	} else if (S_ISREG(n->mode) || S_ISLNK(n->mode)) {
		ino->size = (uint32_t)n->size;
		ino->offset = l->data_offset[id] >> 2;
	} else if (S_ISCHR(n->mode) || S_ISBLK(n->mode)) {
		ino->size = n->rdev;
	}
}

static int encode_entries(const struct cramfs_writer *w, uint8_t *meta)
{
	const struct cramfs_layout *l = w->layout;

	for (uint32_t id = 1; id < w->tree->count; id++) {
		const struct cramfs_node *n = &w->tree->nodes[id];
		uint8_t *p = meta + (l->entry_offset[id] - l->meta_start);
		struct cramfs_inode ino;

		node_inode(w, id, &ino);
		if (cramfs_inode_encode(&ino, w->endian, p))
			return cramfs_msg_set(&w->tree->msg, -ERANGE,
					      "%s: inode field out of range",
					      n->name);
		memcpy(p + CRAMFS_INODE_SIZE, n->name, n->namelen);
	}
	return 0;
}

static int encode_super(struct cramfs_writer *w, uint8_t *out)
{
	const char *name = w->opts->name ? w->opts->name : "Compressed";
	struct cramfs_super sb;

	memset(&sb, 0, sizeof(sb));
	sb.magic = CRAMFS_MAGIC;
	sb.size = (uint32_t)cramfs_layout_image_size(w->layout);
	if (w->insert_size)
		w->flags |= CRAMFS_FLAG_SHIFTED_ROOT_OFFSET;
	sb.flags = w->flags;
	memcpy(sb.signature, CRAMFS_SIGNATURE, CRAMFS_SIGNATURE_LEN);
	sb.fsid.edition = w->opts->edition;
	sb.fsid.blocks = w->blocks;
	sb.fsid.files = (uint32_t)w->tree->count;
	memcpy(sb.name, name, strnlen(name, CRAMFS_NAME_LEN));
	node_inode(w, CRAMFS_ROOT_ID, &sb.root);
	sb.root.offset = w->layout->meta_start >> 2;
	if (cramfs_super_encode(&sb, w->endian, out))
		return cramfs_msg_set(&w->tree->msg, -ERANGE,
				      "root inode field out of range");
	return 0;
}

int cramfs_write_metadata(struct cramfs_writer *w)
{
	const struct cramfs_layout *l = w->layout;
	size_t meta_len = l->meta_end - l->meta_start;
	uint64_t data_start = l->xip_end ? l->xip_end : l->meta_end;
	uint64_t data_len = cramfs_layout_image_size(l) - data_start;
	uint8_t super[CRAMFS_SUPER_SIZE];
	uint8_t *meta = calloc(1, meta_len ? meta_len : 1);
	uint32_t crc;
	int err;

	if (!meta)
		return -ENOMEM;
	err = encode_entries(w, meta);
	if (!err)
		err = encode_super(w, super);
	crc = (uint32_t)crc32(0, super, CRAMFS_SUPER_SIZE);
	if (!err)
		err = cramfs_insert_copy(w, &crc);
	if (!err)
		err = cramfs_pwrite_all(w, meta, meta_len, l->meta_start);
	crc = (uint32_t)crc32(crc, meta, (uInt)meta_len);
	free(meta);
	if (err)
		return err;
	if (l->xip_end)
		crc = (uint32_t)crc32_combine(crc, w->xip_crc,
					      (z_off_t)(l->xip_end - l->meta_end));
	crc = (uint32_t)crc32_combine(crc, w->data_crc, (z_off_t)data_len);
	w->crc = crc;
	cramfs_put32(super + CRAMFS_SUPER_CRC_OFFSET, crc, w->endian);
	if (l->super_offset) {
		uint8_t pad[CRAMFS_PAD_SIZE] = { 0 };

		err = cramfs_pwrite_all(w, pad, sizeof(pad), 0);
		if (err)
			return err;
	}
	return cramfs_pwrite_all(w, super, sizeof(super), l->super_offset);
}

int cramfs_report_file(struct cramfs_writer *w, uint32_t id,
		       uint32_t shared_from, uint64_t xip_padding)
{
	const struct cramfs_node *n = &w->tree->nodes[id];
	struct cramfs_file_report r;

	memset(&r, 0, sizeof(r));
	r.path = w->path;
	r.mode = n->mode;
	r.size = n->size;
	if (shared_from != CRAMFS_DEDUP_NONE) {
		w->dedup_files++;
		w->dedup_saved += n->size;
		if (cramfs_tree_path(w->tree, shared_from, w->other_path,
				     sizeof(w->other_path)))
			return -ENAMETOOLONG;
		r.shared_with = w->other_path;
	} else {
		w->data_bytes += n->size;
		r.stored = w->enc_len + (uint64_t)w->enc.count[CRAMFS_BLOCK_XIP] *
			   w->opts->block_size;
		memcpy(r.blocks, w->enc.count, sizeof(r.blocks));
		r.xip_padding = xip_padding;
	}
	if (w->xip_note)
		r.xip_note = w->xip_note[id];
	if (w->opts->on_file)
		w->opts->on_file(w->opts->arg, &r);
	return 0;
}
