// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Layout as the kernel and both peer tools expect it:
 *   [pad] superblock [insert file] directory entries file data [zeros]
 * Directory entries: the root's entries first, then each directory's
 * entries in depth-first order (the order of `ls -AUR`), so every
 * directory's entries are contiguous. File data follows the metadata (or
 * the XIP region, when there is one) in depth-first order (the order of
 * `find`).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "layout.h"

static int alloc_arrays(struct cramfs_layout *l, size_t n)
{
	l->nnodes = n;
	l->entry_offset = calloc(n, sizeof(uint32_t));
	l->dir_offset = calloc(n, sizeof(uint32_t));
	l->dir_size = calloc(n, sizeof(uint32_t));
	l->data_offset = calloc(n, sizeof(uint32_t));
	l->data_order = calloc(n, sizeof(uint32_t));
	if (!l->entry_offset || !l->dir_offset || !l->dir_size ||
	    !l->data_offset || !l->data_order)
		return -ENOMEM;
	return 0;
}

static int path_error(const struct cramfs_tree *tree, uint32_t id,
		      struct cramfs_msg *msg, int err, const char *what,
		      uint64_t value, uint64_t limit)
{
	char path[CRAMFS_TREE_PATH_MAX];

	if (cramfs_tree_path(tree, id, path, sizeof(path)))
		strcpy(path, "?");
	return cramfs_msg_set(msg, err, "%s: %s %ju; cramfs limit is %ju",
			      *path ? path : "/", what, (uintmax_t)value,
			      (uintmax_t)limit - 1u);
}

/* Write one directory's entries at *offset; queue its subdirectories. */
static int plan_entries(struct cramfs_layout *l, const struct cramfs_tree *tree,
			uint32_t dir, uint64_t *offset, uint32_t *stack,
			size_t *depth, struct cramfs_msg *msg)
{
	const struct cramfs_node *d = &tree->nodes[dir];
	size_t first = *depth;
	uint64_t start = *offset;

	for (uint32_t i = 0; i < d->nchildren; i++) {
		uint32_t c = d->children[i];
		const struct cramfs_node *n = &tree->nodes[c];

		l->entry_offset[c] = (uint32_t)*offset;
		*offset += cramfs_dirent_size(n->namelen);
		if (*offset >= CRAMFS_OFFSET_LIMIT)
			return path_error(tree, c, msg, -EFBIG,
					  "directory entries end at byte",
					  *offset, CRAMFS_OFFSET_LIMIT);
		if (S_ISDIR(n->mode) && n->nchildren)
			stack[(*depth)++] = c;
	}
	if (*offset - start > CRAMFS_SIZE_MAX)
		return path_error(tree, dir, msg, -EFBIG,
				  "directory entries take bytes",
				  *offset - start, CRAMFS_SIZE_MAX + 1ull);
	l->dir_offset[dir] = d->nchildren ? (uint32_t)start : 0;
	l->dir_size[dir] = (uint32_t)(*offset - start);
	/* Reverse so that popping visits subdirectories in name order. */
	for (size_t lo = first, hi = *depth; lo + 1 < hi; lo++, hi--) {
		uint32_t t = stack[lo];

		stack[lo] = stack[hi - 1];
		stack[hi - 1] = t;
	}
	return 0;
}

static int plan_metadata(struct cramfs_layout *l,
			 const struct cramfs_tree *tree, struct cramfs_msg *msg)
{
	uint32_t *stack = malloc(tree->count * sizeof(*stack));
	uint64_t offset = l->meta_start;
	size_t depth = 0;
	int err;

	if (!stack)
		return -ENOMEM;
	l->entry_offset[CRAMFS_ROOT_ID] = l->super_offset + CRAMFS_SUPER_SIZE -
					  CRAMFS_INODE_SIZE;
	err = plan_entries(l, tree, CRAMFS_ROOT_ID, &offset, stack, &depth, msg);
	while (!err && depth) {
		uint32_t dir = stack[--depth];

		err = plan_entries(l, tree, dir, &offset, stack, &depth, msg);
	}
	/* The kernel checks the root offset even for an empty root. */
	l->dir_offset[CRAMFS_ROOT_ID] = l->meta_start;
	l->meta_end = (uint32_t)offset;
	l->data_end = offset;
	free(stack);
	return err;
}

/* Depth-first, entries in directory order: the order data is written. */
static int plan_data_order(struct cramfs_layout *l,
			   const struct cramfs_tree *tree)
{
	struct frame { uint32_t dir, next; } *stack;
	size_t depth = 0;

	stack = malloc(tree->count * sizeof(*stack));
	if (!stack)
		return -ENOMEM;
	stack[depth++] = (struct frame){ CRAMFS_ROOT_ID, 0 };
	while (depth) {
		struct frame *f = &stack[depth - 1];
		const struct cramfs_node *d = &tree->nodes[f->dir];
		uint32_t c;

		if (f->next == d->nchildren) {
			depth--;
			continue;
		}
		c = d->children[f->next++];
		if (S_ISDIR(tree->nodes[c].mode))
			stack[depth++] = (struct frame){ c, 0 };
		else if (cramfs_node_has_data(&tree->nodes[c]))
			l->data_order[l->ndata++] = c;
	}
	free(stack);
	return 0;
}

int cramfs_layout_plan(const struct cramfs_tree *tree,
		       const struct cramfs_layout_opts *opts,
		       struct cramfs_layout **out, struct cramfs_msg *msg)
{
	struct cramfs_layout *l = calloc(1, sizeof(*l));
	int err;

	*out = NULL;
	if (!l)
		return -ENOMEM;
	err = alloc_arrays(l, tree->count);
	if (err)
		goto fail;
	l->block_size = opts->block_size;
	l->super_offset = opts->pad ? CRAMFS_PAD_SIZE : 0;
	l->insert_offset = l->super_offset + CRAMFS_SUPER_SIZE;
	l->insert_len = (opts->insert_len + 3u) & ~3u;
	if ((uint64_t)l->insert_offset + l->insert_len >= CRAMFS_OFFSET_LIMIT) {
		err = cramfs_msg_set(msg, -EFBIG,
				     "inserted file is %u bytes; the root directory must start below %u",
				     opts->insert_len, CRAMFS_OFFSET_LIMIT);
		goto fail;
	}
	l->meta_start = l->insert_offset + l->insert_len;
	err = plan_metadata(l, tree, msg);
	if (!err)
		err = plan_data_order(l, tree);
	if (err)
		goto fail;
	*out = l;
	return 0;
fail:
	cramfs_layout_free(l);
	return err;
}

int cramfs_layout_place(struct cramfs_layout *l, const struct cramfs_tree *tree,
			uint32_t id, uint64_t stored_len, struct cramfs_msg *msg)
{
	uint64_t start = l->data_end;

	/* The inode's offset field holds 26 bits of 4-byte units. */
	if (start >= CRAMFS_OFFSET_LIMIT)
		return path_error(tree, id, msg, -EFBIG,
				  "data would start at byte", start,
				  CRAMFS_OFFSET_LIMIT);
	/* Block pointers keep their top two bits for flags. */
	if (start + stored_len >= CRAMFS_BLK_FLAG_DIRECT_PTR)
		return path_error(tree, id, msg, -EFBIG,
				  "data would end at byte", start + stored_len,
				  CRAMFS_BLK_FLAG_DIRECT_PTR);
	l->data_offset[id] = (uint32_t)start;
	l->data_end = cramfs_align_up(start + stored_len, 4);
	return 0;
}

int cramfs_layout_plan_xip(struct cramfs_layout *l,
			   const struct cramfs_tree *tree,
			   struct cramfs_xip_run *runs, size_t nruns,
			   uint32_t align, struct cramfs_msg *msg)
{
	uint64_t pos;

	free(l->xip_runs);
	l->xip_runs = runs;
	l->nxip_runs = nruns;
	if (!nruns)
		return 0;
	pos = cramfs_align_up(l->meta_end, align);
	l->xip_start = (uint32_t)pos;
	for (size_t i = 0; i < nruns; i++) {
		struct cramfs_xip_run *r = &runs[i];
		uint64_t len = (uint64_t)r->nblocks * l->block_size;

		if (r->tail && align < l->block_size)
			len -= l->block_size - r->tail;
		/* Direct pointers hold 30 bits of 4-byte units; data follows. */
		if (pos + len >= CRAMFS_OFFSET_LIMIT)
			return path_error(tree, r->node, msg, -EFBIG,
					  "XIP blocks would end at byte",
					  pos + len, CRAMFS_OFFSET_LIMIT);
		r->addr = (uint32_t)pos;
		/* The gap to the next aligned run is this run's padding too. */
		r->reserved = (uint32_t)(cramfs_align_up(pos + len, align) - pos);
		pos += r->reserved;
	}
	l->xip_end = (uint32_t)pos;
	l->data_end = pos;
	return 0;
}

void cramfs_layout_share(struct cramfs_layout *l, uint32_t id, uint32_t from)
{
	l->data_offset[id] = l->data_offset[from];
}

uint64_t cramfs_layout_image_size(const struct cramfs_layout *l)
{
	uint64_t end = l->data_end;

	/*
	 * The kernel reads every directory entry as 12 + 252 bytes, and from
	 * MTD it reads zeros for a range past the image end: keep the last
	 * entry's whole read inside the image.
	 */
	if (l->meta_end > l->meta_start &&
	    end < (uint64_t)l->meta_end + CRAMFS_MAXPATHLEN)
		end = (uint64_t)l->meta_end + CRAMFS_MAXPATHLEN;
	return cramfs_align_up(end, l->block_size);
}

void cramfs_layout_free(struct cramfs_layout *l)
{
	if (!l)
		return;
	free(l->entry_offset);
	free(l->dir_offset);
	free(l->dir_size);
	free(l->data_offset);
	free(l->data_order);
	free(l->xip_runs);
	free(l);
}
