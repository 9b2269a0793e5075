// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Check a whole image and report every problem found.
 *
 * Two walks over the tree: the first checks entries and collects where the
 * metadata lies; the second decodes every block of file data, once per
 * distinct data offset, and checks it does not overlap that metadata.
 * Each block is inflated once, with the handle's z_stream, in place.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "image_internal.h"
#include "verify_ahead.h"
#include "verify_extents.h"

/* Past this many bad blocks a file is surely garbage: say so once. */
#define BAD_BLOCKS_PER_FILE 8u

struct range {
	uint64_t start;
	uint64_t end;
};

struct verify {
	struct cramfs_image *img;
	cramfs_finding_fn fn;
	void *arg;
	struct cramfs_verify_stats *st;
	bool pass2;
	struct cramfs_u32map dirs;  /* directories whose names were checked */
	struct range *meta;
	size_t nmeta;
	size_t meta_cap;
	struct cramfs_u32map data;  /* data offset -> largest file size */
	uint64_t fsid_blocks;       /* blocks of distinct data */
	struct range *tables;       /* block tables of files and symlinks */
	size_t ntables;
	size_t tables_cap;
	struct cramfs_u32map overlap; /* data offset -> a table it overlaps */
	struct cramfs_extents extents; /* tables and blocks, for overlaps */
	unsigned int overlaps;      /* data overlaps reported */
	struct cramfs_ahead ahead;  /* pass 2 entries, blocks inflated ahead */
};

/* Past this many data overlaps the image is garbage: count the rest. */
#define OVERLAPS_REPORTED 16u

static void report(struct verify *v, enum cramfs_severity sev,
		   const char *path, uint64_t offset, const char *fmt, ...)
	CRAMFS_PRINTF(5, 6);

static void report(struct verify *v, enum cramfs_severity sev,
		   const char *path, uint64_t offset, const char *fmt, ...)
{
	struct cramfs_finding f = { sev, path, offset, NULL };
	char text[CRAMFS_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	f.message = text;
	if (sev == CRAMFS_SEV_ERROR)
		v->st->errors++;
	else if (sev == CRAMFS_SEV_WARNING)
		v->st->warnings++;
	if (v->fn)
		v->fn(v->arg, &f);
}

/* ------------------------------------------------------------------ */
/* Superblock.                                                          */
/* ------------------------------------------------------------------ */

static void check_size_and_crc(struct verify *v)
{
	struct cramfs_image *img = v->img;
	uint64_t size = img->super.size;
	uint64_t min = (uint64_t)img->super_off + CRAMFS_SUPER_SIZE;
	uint32_t crc;

	if (size < min) {
		report(v, CRAMFS_SEV_ERROR, NULL, img->super_off + 4,
		       "superblock size %llu ends inside the superblock",
		       (unsigned long long)size);
		return;
	}
	if (size > img->file_len) {
		report(v, CRAMFS_SEV_ERROR, NULL, img->file_len,
		       "image is truncated: superblock size is %llu bytes, only %llu available",
		       (unsigned long long)size,
		       (unsigned long long)img->file_len);
		return;
	}
	if (size < img->file_len)
		report(v, CRAMFS_SEV_INFO, NULL, size,
		       "image followed by %llu bytes of padding",
		       (unsigned long long)(img->file_len - size));
	if (cramfs_image_compute_crc(img, &crc))
		report(v, CRAMFS_SEV_ERROR, NULL, img->super_off,
		       "%s", img->msg.text);
	else if (crc != img->super.fsid.crc)
		report(v, CRAMFS_SEV_ERROR, NULL,
		       img->super_off + CRAMFS_SUPER_CRC_OFFSET,
		       "CRC mismatch: superblock says 0x%08x, image gives 0x%08x",
		       img->super.fsid.crc, crc);
}

static void check_root(struct verify *v)
{
	const struct cramfs_super *sb = &v->img->super;
	uint64_t root = (uint64_t)sb->root.offset << 2;
	uint64_t where = v->img->super_off + CRAMFS_SUPER_SIZE - CRAMFS_INODE_SIZE;

	if (root == 0) {
		if (sb->root.size)
			report(v, CRAMFS_SEV_ERROR, "", where,
			       "root directory has %u bytes of entries at offset 0",
			       sb->root.size);
		return;
	}
	if (!(sb->flags & CRAMFS_FLAG_SHIFTED_ROOT_OFFSET) &&
	    root != CRAMFS_SUPER_SIZE && root != CRAMFS_PAD_SIZE + CRAMFS_SUPER_SIZE)
		report(v, CRAMFS_SEV_ERROR, "", where,
		       "root entries at 0x%llx: the kernel wants 0x%x or 0x%x without CRAMFS_FLAG_SHIFTED_ROOT_OFFSET",
		       (unsigned long long)root, CRAMFS_SUPER_SIZE,
		       CRAMFS_PAD_SIZE + CRAMFS_SUPER_SIZE);
}

static void check_super(struct verify *v)
{
	const struct cramfs_super *sb = &v->img->super;
	uint32_t off = v->img->super_off;

	if (memcmp(sb->signature, CRAMFS_SIGNATURE, CRAMFS_SIGNATURE_LEN) &&
	    !(sb->flags & CRAMFS_FLAG_WRONG_SIGNATURE))
		report(v, CRAMFS_SEV_WARNING, NULL, off + 16,
		       "signature is not \"%s\"", CRAMFS_SIGNATURE);
	if (sb->future)
		report(v, CRAMFS_SEV_WARNING, NULL, off + 12,
		       "reserved superblock field is 0x%x, not 0", sb->future);
	if (sb->flags & CRAMFS_FLAG_FSID_VERSION_2)
		check_size_and_crc(v);
	else
		report(v, CRAMFS_SEV_WARNING, NULL, off + 8,
		       "old format without CRAMFS_FLAG_FSID_VERSION_2: no size, CRC or counts to check");
	check_root(v);
}

/* ------------------------------------------------------------------ */
/* Pass 1: entries.                                                     */
/* ------------------------------------------------------------------ */

static int add_meta(struct verify *v, uint64_t start, uint64_t end)
{
	if (cramfs_grow(&v->meta, &v->meta_cap, v->nmeta + 1, sizeof(*v->meta)))
		return -ENOMEM;
	v->meta[v->nmeta].start = start;
	v->meta[v->nmeta].end = end;
	v->nmeta++;
	return 0;
}

static void check_type(struct verify *v, const struct cramfs_entry *e)
{
	const struct cramfs_inode *in = &e->inode;

	switch (in->mode & S_IFMT) {
	case S_IFREG:
		v->st->files++;
		break;
	case S_IFDIR:
		break;
	case S_IFLNK:
		if (in->size == 0)
			report(v, CRAMFS_SEV_WARNING, e->path, e->inode_offset,
			       "symlink with an empty target");
		else if (in->size > 4095)
			report(v, CRAMFS_SEV_WARNING, e->path, e->inode_offset,
			       "symlink target of %u bytes (Linux allows 4095)",
			       in->size);
		break;
	case S_IFCHR:
	case S_IFBLK:
		if (in->size > 0xffff)
			report(v, CRAMFS_SEV_WARNING, e->path, e->inode_offset,
			       "device number 0x%x does not fit 16 bits; the kernel sees %u,%u",
			       in->size, (in->size >> 8) & 0xff, in->size & 0xff);
		break;
	case S_IFIFO:
	case S_IFSOCK:
		if (in->size)
			report(v, CRAMFS_SEV_ERROR, e->path, e->inode_offset,
			       "%s with size %u (must be 0)",
			       S_ISFIFO(in->mode) ? "fifo" : "socket", in->size);
		break;
	default:
		report(v, CRAMFS_SEV_ERROR, e->path, e->inode_offset,
		       "unknown file type in mode 0%o", in->mode);
	}
}

struct dir_name {
	const uint8_t *name;
	size_t len;
};

static int name_cmp(const struct dir_name *a, const struct dir_name *b)
{
	int c = memcmp(a->name, b->name, a->len < b->len ? a->len : b->len);

	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

static int name_qsort_cmp(const void *a, const void *b)
{
	return name_cmp(a, b);
}

/*
 * The names of the directory's entries, as far as they parse; the walk
 * reports whatever stops the parse. Returns the count, or -ENOMEM.
 */
static long collect_names(struct verify *v, uint64_t pos, uint64_t end,
			  struct dir_name **out)
{
	struct dir_name *names = NULL;
	size_t count = 0, cap = 0;
	struct cramfs_inode in;
	const uint8_t *p;

	while (end - pos >= CRAMFS_INODE_SIZE &&
	       !cramfs_image_span(v->img, pos, CRAMFS_INODE_SIZE, "entry", &p)) {
		size_t n;

		cramfs_inode_decode(p, v->img->endian, &in);
		n = (size_t)in.namelen << 2;
		if (end - pos - CRAMFS_INODE_SIZE < n)
			break;
		p += CRAMFS_INODE_SIZE;
		pos += CRAMFS_INODE_SIZE + n;
		while (n && !p[n - 1])
			n--;
		if (cramfs_grow(&names, &cap, count + 1, sizeof(*names))) {
			free(names);
			return -ENOMEM;
		}
		names[count].name = p;
		names[count++].len = n;
	}
	*out = names;
	return (long)count;
}

static void report_unsorted(struct verify *v, const struct cramfs_entry *e,
			    const struct dir_name *names, size_t count)
{
	char shown[2][4 * 64 + 8];
	size_t first = 0, bad = 0;

	for (size_t i = 1; i < count; i++) {
		if (name_cmp(&names[i - 1], &names[i]) <= 0)
			continue;
		if (!bad++)
			first = i;
	}
	if (!bad)
		return;
	cramfs_escape_name(shown[0], sizeof(shown[0]), names[first].name,
			   names[first].len);
	cramfs_escape_name(shown[1], sizeof(shown[1]), names[first - 1].name,
			   names[first - 1].len);
	report(v, CRAMFS_SEV_ERROR, e->path, (uint64_t)e->inode.offset << 2,
	       "entries not sorted: \"%s\" follows \"%s\" (%zu out of order)",
	       shown[0], shown[1], bad);
}

static void report_duplicates(struct verify *v, const struct cramfs_entry *e,
			      struct dir_name *names, size_t count)
{
	char shown[4 * 64 + 8];

	if (count < 2)
		return;
	qsort(names, count, sizeof(*names), name_qsort_cmp);
	for (size_t i = 1; i < count; i++) {
		if (name_cmp(&names[i - 1], &names[i]) ||
		    (i > 1 && !name_cmp(&names[i - 2], &names[i])))
			continue;
		cramfs_escape_name(shown, sizeof(shown), names[i].name,
				   names[i].len);
		report(v, CRAMFS_SEV_ERROR, e->path,
		       (uint64_t)e->inode.offset << 2,
		       "duplicate name \"%s\" in directory", shown);
	}
}

/* Order and uniqueness of a directory's names, checked once per directory. */
static int check_dir_names(struct verify *v, const struct cramfs_entry *e)
{
	uint64_t start = (uint64_t)e->inode.offset << 2;
	uint64_t end = start + e->inode.size;
	struct dir_name *names;
	bool found;
	long count;

	/* Out of place or seen before: the walk reports it. */
	if (!e->inode.size || start < (uint64_t)v->img->super_off + CRAMFS_SUPER_SIZE ||
	    end > v->img->limit)
		return 0;
	if (cramfs_u32map_add(&v->dirs, (uint32_t)start, 0, &found, NULL))
		return -ENOMEM;
	if (found)
		return 0;
	count = collect_names(v, start, end, &names);
	if (count < 0)
		return (int)count;
	if (v->img->super.flags & CRAMFS_FLAG_SORTED_DIRS)
		report_unsorted(v, e, names, (size_t)count);
	report_duplicates(v, e, names, (size_t)count);
	free(names);
	return 0;
}

/* The kernel's lookup compares padded lengths: more than 3 NULs hide it. */
static void check_padding(struct verify *v, const struct cramfs_entry *e)
{
	uint32_t pad = (e->inode.namelen << 2) - (uint32_t)strlen(e->name);

	if (pad > 3)
		report(v, CRAMFS_SEV_ERROR, e->path, e->inode_offset,
		       "name padded with %u NUL bytes (at most 3): the kernel cannot look it up",
		       pad);
}

static int add_table(struct verify *v, const struct cramfs_entry *e)
{
	uint64_t start = (uint64_t)e->inode.offset << 2;
	uint32_t count = cramfs_image_block_count(v->img, &e->inode);

	if (cramfs_grow(&v->tables, &v->tables_cap, v->ntables + 1,
			sizeof(*v->tables)))
		return -ENOMEM;
	v->tables[v->ntables].start = start;
	v->tables[v->ntables].end = start + 4ull * count;
	v->ntables++;
	if (cramfs_extents_owner(&v->extents, e->path) ||
	    cramfs_extents_add(&v->extents, start, 4ull * count,
			       CRAMFS_EXTENT_TABLE, 0))
		return -ENOMEM;
	return 0;
}

/*
 * The kernel reads each directory entry as 12 + 252 bytes whatever its
 * name length; mounted from MTD, a read past the image end gives zeros,
 * so such an entry cannot be listed or looked up.
 */
static void check_entry_read(struct verify *v, const struct cramfs_entry *e)
{
	const struct cramfs_super *sb = &v->img->super;
	uint64_t end = (uint64_t)e->inode_offset + CRAMFS_INODE_SIZE +
		       CRAMFS_MAXPATHLEN;

	if ((sb->flags & CRAMFS_FLAG_FSID_VERSION_2) && end > sb->size)
		report(v, CRAMFS_SEV_WARNING, e->path, e->inode_offset,
		       "entry lies within %u bytes of the image end 0x%x: a kernel mounting from MTD reads it as zeros",
		       CRAMFS_INODE_SIZE + CRAMFS_MAXPATHLEN, sb->size);
}

static int pass1_entry(void *arg, const struct cramfs_entry *e)
{
	struct verify *v = arg;
	uint64_t start = (uint64_t)e->inode.offset << 2;

	v->st->entries++;
	check_type(v, e);
	if (e->depth) {
		check_padding(v, e);
		check_entry_read(v, e);
	}
	if ((S_ISREG(e->inode.mode) || S_ISLNK(e->inode.mode)) &&
	    e->inode.size && e->inode.offset)
		return add_table(v, e);
	if (!S_ISDIR(e->inode.mode) || !e->inode.size)
		return 0;
	if (add_meta(v, start, start + e->inode.size))
		return -ENOMEM;
	return check_dir_names(v, e);
}

static int walk_problem(void *arg, enum cramfs_walk_problem kind,
			const char *path, uint64_t offset, int err)
{
	struct verify *v = arg;

	if (err == -ENOMEM)
		return err;
	if (v->pass2)
		return 0;
	if (kind == CRAMFS_WALK_BAD_NAME)
		v->st->entries++;
	/* pass1_entry() just recorded the range of the directory refused. */
	if (kind == CRAMFS_WALK_BAD_DIR && v->nmeta)
		v->nmeta--;
	report(v, CRAMFS_SEV_ERROR, path, offset, "%s", v->img->msg.text);
	return 0;
}

static int range_cmp(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* Sort and merge the metadata ranges, reporting directories that overlap. */
static void merge_meta(struct verify *v)
{
	size_t out = 0;

	qsort(v->meta, v->nmeta, sizeof(*v->meta), range_cmp);
	for (size_t i = 0; i < v->nmeta; i++) {
		struct range *r = &v->meta[i];

		if (out && r->start < v->meta[out - 1].end) {
			report(v, CRAMFS_SEV_ERROR, NULL, r->start,
			       "directory entries at 0x%llx overlap other metadata ending at 0x%llx",
			       (unsigned long long)r->start,
			       (unsigned long long)v->meta[out - 1].end);
			if (r->end > v->meta[out - 1].end)
				v->meta[out - 1].end = r->end;
			continue;
		}
		v->meta[out++] = *r;
	}
	v->nmeta = out;
}

static int mark_overlap(struct verify *v, uint64_t table, uint64_t other)
{
	bool found;

	return cramfs_u32map_add(&v->overlap, (uint32_t)(table >> 2),
				 (uint32_t)(other >> 2), &found, NULL);
}

/*
 * Block tables of different files never overlap in a sound image; files
 * sharing data share the whole table, from the same offset. Mark every
 * table that overlaps another: pass 2 reports it and decodes none of its
 * blocks. The tables left are disjoint, so the blocks decoded stay below a
 * quarter of the image size, however many entries point into them.
 */
static int find_overlapping_tables(struct verify *v)
{
	struct range reach = { 0, 0 };  /* the table reaching furthest so far */

	if (!v->ntables)
		return 0;
	qsort(v->tables, v->ntables, sizeof(*v->tables), range_cmp);
	for (size_t i = 0; i < v->ntables; i++) {
		const struct range *r = &v->tables[i];

		if (r->start != reach.start && r->start < reach.end &&
		    (mark_overlap(v, r->start, reach.start) ||
		     mark_overlap(v, reach.start, r->start)))
			return -ENOMEM;
		if (r->end > reach.end)
			reach = *r;
	}
	return 0;
}

/* The metadata range overlapping [start, end), or NULL. */
static const struct range *meta_overlap(const struct verify *v, uint64_t start,
					uint64_t end)
{
	size_t lo = 0, hi = v->nmeta;

	/* First range ending after start. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->meta[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < v->nmeta && v->meta[lo].start < end && start < end)
		return &v->meta[lo];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Pass 2: file data.                                                   */
/* ------------------------------------------------------------------ */

static void check_meta_overlap(struct verify *v, const struct cramfs_entry *e,
			       const char *what, uint64_t start, uint64_t end)
{
	const struct range *m = meta_overlap(v, start, end);

	if (m)
		report(v, CRAMFS_SEV_ERROR, e->path, start,
		       "%s at 0x%llx..0x%llx overlaps metadata at 0x%llx..0x%llx",
		       what, (unsigned long long)start, (unsigned long long)end,
		       (unsigned long long)m->start, (unsigned long long)m->end);
}

static bool check_table(struct verify *v, const struct cramfs_entry *e,
			uint32_t count)
{
	uint64_t table = (uint64_t)e->inode.offset << 2;
	const uint8_t *p;

	if (table == 0) {
		report(v, CRAMFS_SEV_ERROR, e->path, e->inode_offset,
		       "%u bytes of data but data offset 0", e->inode.size);
		return false;
	}
	if (cramfs_image_span(v->img, table, 4ull * count, "block pointer table",
			      &p)) {
		report(v, CRAMFS_SEV_ERROR, e->path, table, "%s",
		       v->img->msg.text);
		return false;
	}
	check_meta_overlap(v, e, "block pointer table", table,
			   table + 4ull * count);
	return true;
}

static int check_block(struct verify *v, const struct cramfs_entry *e,
		       uint32_t index)
{
	struct cramfs_image *img = v->img;
	struct cramfs_block blk;
	const uint8_t *out;
	uint64_t unused, lo;
	char what[32];
	int ret;

	ret = cramfs_image_block(img, &e->inode, index, &blk);
	if (ret) {
		report(v, CRAMFS_SEV_ERROR, e->path, blk.ptr_offset, "%s",
		       img->msg.text);
		return ret;
	}
	/* A compressed direct block owns the u16 length in front of it. */
	lo = blk.direct && !(blk.ptr & CRAMFS_BLK_FLAG_UNCOMPRESSED) ?
	     blk.start - 2 : blk.start;
	snprintf(what, sizeof(what), "block %u", index);
	check_meta_overlap(v, e, what, lo, blk.start + blk.len);
	if ((lo < blk.start &&
	     cramfs_extents_add(&v->extents, lo, blk.start - lo,
				CRAMFS_EXTENT_LENGTH, index)) ||
	    cramfs_extents_add(&v->extents, blk.start, blk.len,
			       CRAMFS_EXTENT_BLOCK, index))
		return -ENOMEM;
	if (blk.kind == CRAMFS_BLOCK_ZLIB && cramfs_ahead_good(&v->ahead, &blk)) {
		ret = 0;
		out = NULL; /* only symlinks look at the bytes */
		unused = 0;
	} else {
		ret = cramfs_image_decode(img, &blk, &out, &unused);
	}
	if (ret) {
		if (ret != -ENOMEM)
			report(v, CRAMFS_SEV_ERROR, e->path, blk.start, "%s",
			       img->msg.text);
		return ret;
	}
	v->st->blocks++;
	/* Kernels through 6.12 compute this block's length as size % PAGE_SIZE. */
	if (blk.direct && blk.kind == CRAMFS_BLOCK_RAW &&
	    index + 1 == cramfs_image_block_count(img, &e->inode) &&
	    e->inode.size % img->block_size == 0)
		report(v, CRAMFS_SEV_WARNING, e->path, blk.ptr_offset,
		       "block %u: last block is uncompressed and direct in a file of whole blocks; Linux read() returns zeros for it",
		       index);
	if (S_ISLNK(e->inode.mode) && memchr(out, '\0', blk.out_len))
		report(v, CRAMFS_SEV_WARNING, e->path, blk.start,
		       "symlink target contains a NUL byte");
	if (unused)
		report(v, CRAMFS_SEV_WARNING, e->path, blk.start + blk.len - unused,
		       "block %u: %llu bytes after the end of its zlib stream",
		       index, (unsigned long long)unused);
	return 0;
}

static int check_blocks(struct verify *v, const struct cramfs_entry *e,
			uint32_t first, uint32_t count)
{
	unsigned int bad = 0;
	int ret;

	for (uint32_t i = first; i < count; i++) {
		ret = check_block(v, e, i);
		if (ret == -ENOMEM)
			return ret;
		if (ret && ++bad == BAD_BLOCKS_PER_FILE && i + 1 < count) {
			report(v, CRAMFS_SEV_ERROR, e->path, e->inode_offset,
			       "%u bad blocks: the remaining %u not checked",
			       bad, count - i - 1);
			break;
		}
	}
	return 0;
}

/*
 * Which blocks of an entry sharing data with a bigger or smaller one still
 * need checking. Whole blocks common to both sizes decode the same and were
 * checked already, except block 0 when the tables differ in length (it
 * starts right after the table). Checking them again for every entry would
 * let a small image with many such entries keep the verifier busy for hours.
 */
static uint32_t first_unchecked(const struct verify *v, uint32_t stored,
				uint32_t size, bool *block0)
{
	const struct cramfs_inode prev = { .size = stored };
	const struct cramfs_inode cur = { .size = size };
	uint32_t count = cramfs_image_block_count(v->img, &cur);
	uint32_t first = (stored < size ? stored : size) / v->img->block_size;

	/* The last block is always checked: its length follows the size. */
	if (first >= count)
		first = count - 1;
	*block0 = first > 0 && cramfs_image_block_count(v->img, &prev) != count;
	return first;
}

/* Would the kernel map this file in place as the layout intends? */
static void audit_xip(struct verify *v, const struct cramfs_entry *e)
{
	uint32_t page = v->img->block_size;
	struct cramfs_xip_audit a;

	if (!(v->img->super.flags & CRAMFS_FLAG_EXT_BLOCK_POINTERS) ||
	    !S_ISREG(e->inode.mode))
		return;
	/* Pointers outside the image were reported by the block checks. */
	if (cramfs_image_xip_audit(v->img, e, page, &a))
		return;
	v->st->xip_pages += a.mappable_pages;
	v->st->xip_fully += a.state == CRAMFS_XIP_STATE_FULLY;
	v->st->xip_partly += a.state == CRAMFS_XIP_STATE_PARTLY;
	/* a.read_bug is reported by the block checks already. */
	if (a.last_page_shared)
		report(v, CRAMFS_SEV_WARNING, e->path, (uint64_t)e->inode.offset << 2,
		       "last page holds other data after the end of the file: the kernel does not map it");
	/* Raw direct blocks beside mappable pages are just raw blocks. */
	if (a.misaligned && !a.mappable_pages)
		report(v, CRAMFS_SEV_INFO, e->path, (uint64_t)e->inode.offset << 2,
		       "%u direct uncompressed blocks are not aligned to %u bytes: only a no-MMU kernel maps them",
		       a.misaligned, page);
}

static int pass2_entry(void *arg, const struct cramfs_entry *e)
{
	struct verify *v = arg;
	uint32_t count, stored, first = 0, *other;
	bool found, block0 = false;
	int ret;

	if (!(S_ISREG(e->inode.mode) || S_ISLNK(e->inode.mode)) ||
	    e->inode.size == 0)
		return 0;
	count = cramfs_image_block_count(v->img, &e->inode);
	/* The map keeps the largest size checked for each data offset. */
	if (cramfs_u32map_add(&v->data, e->inode.offset, e->inode.size, &found,
			      &stored))
		return -ENOMEM;
	/* Shared data (deduplicated files) is checked and counted once. */
	if (found && stored == e->inode.size)
		return 0;
	if (found) {
		report(v, CRAMFS_SEV_WARNING, e->path, e->inode_offset,
		       "shares data at 0x%llx with an entry of %u bytes, not %u",
		       (unsigned long long)e->inode.offset << 2, stored,
		       e->inode.size);
		first = first_unchecked(v, stored, e->inode.size, &block0);
		if (stored < e->inode.size)
			*cramfs_u32map_find(&v->data, e->inode.offset) =
				e->inode.size;
	} else {
		v->fsid_blocks += count;
	}
	other = cramfs_u32map_find(&v->overlap, e->inode.offset);
	if (other) {
		report(v, CRAMFS_SEV_ERROR, e->path, (uint64_t)e->inode.offset << 2,
		       "block pointer table at 0x%llx overlaps the table at 0x%llx of another file; its blocks are not checked",
		       (unsigned long long)e->inode.offset << 2,
		       (unsigned long long)*other << 2);
		return 0;
	}
	if (!check_table(v, e, count))
		return 0;
	if (cramfs_extents_owner(&v->extents, e->path))
		return -ENOMEM;
	if (block0) {
		ret = check_blocks(v, e, 0, 1);
		if (ret)
			return ret;
	}
	ret = check_blocks(v, e, first, count);
	if (!ret && !found)
		audit_xip(v, e);
	return ret;
}

/* Check the queued entries, in walk order, their blocks inflated ahead. */
static int run_queue(struct verify *v)
{
	struct cramfs_ahead *a = &v->ahead;
	int ret = 0;

	cramfs_ahead_decode(a);
	for (size_t i = 0; i < a->nentries && !ret; i++) {
		a->current = &a->entries[i];
		a->cursor = a->entries[i].first_job;
		ret = pass2_entry(v, &a->entries[i].e);
	}
	cramfs_ahead_clear(a);
	return ret;
}

static int pass2_queue(void *arg, const struct cramfs_entry *e)
{
	struct verify *v = arg;
	bool full;
	int ret;

	if (!(S_ISREG(e->inode.mode) || S_ISLNK(e->inode.mode)) ||
	    e->inode.size == 0)
		return 0;
	/* A table overlapping another is reported, its blocks never decoded. */
	ret = cramfs_ahead_queue(&v->ahead, e,
				 !cramfs_u32map_find(&v->overlap, e->inode.offset),
				 &full);
	if (!ret && full)
		ret = run_queue(v);
	return ret;
}

static void check_counts(struct verify *v, bool blocks)
{
	const struct cramfs_super *sb = &v->img->super;
	uint32_t off = v->img->super_off;

	if (!(sb->flags & CRAMFS_FLAG_FSID_VERSION_2))
		return;
	if (!blocks && sb->fsid.files != v->st->entries)
		report(v, CRAMFS_SEV_WARNING, NULL, off + 44,
		       "superblock counts %u entries (fsid.files), the tree has %u",
		       sb->fsid.files, v->st->entries);
	if (blocks && sb->fsid.blocks != v->fsid_blocks)
		report(v, CRAMFS_SEV_WARNING, NULL, off + 40,
		       "superblock counts %u blocks (fsid.blocks), the files have %llu",
		       sb->fsid.blocks, (unsigned long long)v->fsid_blocks);
}

static const char *const extent_names[] = {
	[CRAMFS_EXTENT_TABLE] = "block pointer table",
	[CRAMFS_EXTENT_LENGTH] = "length of block",
	[CRAMFS_EXTENT_BLOCK] = "block",
};

static void describe(char *buf, size_t len, const struct cramfs_extent *x)
{
	if (x->kind == CRAMFS_EXTENT_TABLE)
		snprintf(buf, len, "%s", extent_names[x->kind]);
	else
		snprintf(buf, len, "%s %u", extent_names[x->kind], x->block);
}

/*
 * Data that is not shared whole: two files (or two blocks of one) whose
 * bytes overlap, where a reader of either would see the other's data.
 * Blocks shared through direct pointers are the same extent, not this.
 */
static void overlap_found(void *arg, const struct cramfs_extent *bad,
			  const struct cramfs_extent *other)
{
	struct verify *v = arg;
	char what[2][48];

	if (++v->overlaps > OVERLAPS_REPORTED)
		return;
	describe(what[0], sizeof(what[0]), bad);
	describe(what[1], sizeof(what[1]), other);
	report(v, CRAMFS_SEV_ERROR, cramfs_extent_owner(&v->extents, bad), bad->lo,
	       "%s at 0x%x..0x%llx overlaps %s of %s at 0x%x..0x%llx without being the same block",
	       what[0], bad->lo, (unsigned long long)bad->lo + bad->len,
	       what[1], cramfs_extent_owner(&v->extents, other), other->lo,
	       (unsigned long long)other->lo + other->len);
}

static void check_data_overlaps(struct verify *v)
{
	cramfs_extents_check(&v->extents, overlap_found, v);
	if (v->overlaps > OVERLAPS_REPORTED)
		report(v, CRAMFS_SEV_ERROR, NULL, 0,
		       "%u more overlapping data ranges not shown",
		       v->overlaps - OVERLAPS_REPORTED);
	if (v->extents.full)
		report(v, CRAMFS_SEV_INFO, NULL, 0,
		       "more than %zu data ranges: only the first were checked for overlaps",
		       v->extents.limit);
}

static int verify_run(struct verify *v)
{
	struct cramfs_image *img = v->img;
	int ret;

	check_super(v);
	if (add_meta(v, 0, (uint64_t)img->super_off + CRAMFS_SUPER_SIZE))
		return -ENOMEM;
	ret = cramfs_image_walk_ext(img, pass1_entry, walk_problem, v);
	if (ret)
		return ret;
	check_counts(v, false);
	merge_meta(v);
	if (find_overlapping_tables(v))
		return -ENOMEM;
	v->pass2 = true;
	ret = cramfs_ahead_init(&v->ahead, img);
	if (!ret)
		ret = cramfs_image_walk_ext(img, pass2_queue, walk_problem, v);
	if (!ret)
		ret = run_queue(v);
	if (ret)
		return ret;
	check_data_overlaps(v);
	check_counts(v, true);
	return 0;
}

int cramfs_verify(struct cramfs_image *img, cramfs_finding_fn fn, void *arg,
		  struct cramfs_verify_stats *stats)
{
	struct cramfs_verify_stats local;
	struct verify *v;
	int ret;

	if (!img)
		return -EINVAL;
	if (!img->open)
		return cramfs_msg_set(&img->msg, -EINVAL, "no image open");
	v = calloc(1, sizeof(*v));
	if (!v)
		return cramfs_msg_set(&img->msg, -ENOMEM, "out of memory");
	v->img = img;
	v->fn = fn;
	v->arg = arg;
	v->st = stats ? stats : &local;
	memset(v->st, 0, sizeof(*v->st));
	/* Every extent takes at least a byte; this only stops hostile images. */
	v->extents.limit = (size_t)(img->file_len / 8u) + 1024u;
	ret = verify_run(v);
	if (ret == -ENOMEM)
		cramfs_msg_set(&img->msg, ret, "out of memory");
	free(v->meta);
	free(v->tables);
	cramfs_u32map_free(&v->overlap);
	cramfs_extents_free(&v->extents);
	cramfs_ahead_free(&v->ahead);
	cramfs_u32map_free(&v->dirs);
	cramfs_u32map_free(&v->data);
	free(v);
	return ret;
}
