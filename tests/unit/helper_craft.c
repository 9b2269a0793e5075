// SPDX-License-Identifier: GPL-2.0-or-later
/* Crafting hostile images for the reader tests; see helper_craft.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helper_craft.h"

int hc_make(const struct fx_node *nodes, size_t n,
	    const struct cramfs_write_opts *opts, struct hc_image *img)
{
	struct cramfs_write_opts local;
	struct cramfs_tree *tree;
	int err;

	memset(img, 0, sizeof(*img));
	if (!opts) {
		cramfs_write_opts_init(&local);
		local.endian = CRAMFS_ENDIAN_LITTLE;
		opts = &local;
	}
	err = fx_tree_build(nodes, n, &tree);
	if (err)
		return err;
	err = fx_write_image(tree, opts, &img->buf, &img->len, &img->stats);
	cramfs_tree_free(tree);
	if (err)
		return err;
	err = fx_image_open(&img->fx, img->buf, img->len, opts->endian,
			    opts->pad ? CRAMFS_PAD_SIZE : 0, opts->block_size);
	if (err)
		hc_free(img);
	return err;
}

void hc_free(struct hc_image *img)
{
	free(img->buf);
	memset(img, 0, sizeof(*img));
}

enum cramfs_endian hc_endian(const struct hc_image *img)
{
	return img->fx.endian;
}

uint32_t hc_get32(const struct hc_image *img, uint64_t off)
{
	return cramfs_get32(img->buf + off, img->fx.endian);
}

static void redecode_super(struct hc_image *img)
{
	cramfs_super_decode(img->buf + img->fx.super_offset, img->fx.endian,
			    &img->fx.super);
}

void hc_put32(struct hc_image *img, uint64_t off, uint32_t v)
{
	cramfs_put32(img->buf + off, v, img->fx.endian);
	if (off < (uint64_t)img->fx.super_offset + CRAMFS_SUPER_SIZE)
		redecode_super(img);
}

int hc_inode(const struct hc_image *img, const char *path,
	     struct cramfs_inode *ino, uint32_t *off)
{
	return fx_image_lookup(&img->fx, path, ino, off);
}

int hc_set_inode(struct hc_image *img, uint32_t off,
		 const struct cramfs_inode *ino)
{
	int err;

	if ((uint64_t)off + CRAMFS_INODE_SIZE > img->len)
		return -EINVAL;
	err = cramfs_inode_encode(ino, img->fx.endian, img->buf + off);
	if (!err)
		redecode_super(img);
	return err;
}

int hc_rename(struct hc_image *img, const char *path, const char *name)
{
	struct cramfs_inode ino;
	size_t field, len = strlen(name);
	uint32_t off;
	int err;

	err = hc_inode(img, path, &ino, &off);
	if (err)
		return err;
	field = (size_t)ino.namelen << 2;
	if (len > field)
		return -ENAMETOOLONG;
	memset(img->buf + off + CRAMFS_INODE_SIZE, 0, field);
	memcpy(img->buf + off + CRAMFS_INODE_SIZE, name, len);
	return 0;
}

int hc_ptr_offset(const struct hc_image *img, const char *path,
		  uint32_t index, uint32_t *off)
{
	struct cramfs_inode ino;
	int err;

	err = hc_inode(img, path, &ino, NULL);
	if (err)
		return err;
	if ((uint64_t)index * img->fx.block_size >= ino.size)
		return -EINVAL;
	*off = (ino.offset << 2) + 4u * index;
	return 0;
}

void hc_fix_crc(struct hc_image *img)
{
	hc_put32(img, img->fx.super_offset + CRAMFS_SUPER_CRC_OFFSET,
		 fx_image_crc(&img->fx));
}

uint8_t *hc_prefix(const struct hc_image *img, size_t len)
{
	uint8_t *p = malloc(len ? len : 1u);

	if (p && len)
		memcpy(p, img->buf, len);
	return p;
}
