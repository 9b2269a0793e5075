// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's rule for mapping a cramfs file in place, restated for an
 * image on disk: cramfs_get_block_range() wants, from the first page of a
 * mapping on, pointers that equal (first + i * PAGE_SIZE) >> 2 with
 * DIRECT_PTR | UNCOMPRESSED; cramfs_physmem_mmap() wants the first address
 * page aligned; cramfs_last_page_is_shared() drops a last page whose bytes
 * after the end of file are not all zero.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "image_internal.h"

#define XIP_FLAGS (CRAMFS_BLK_FLAG_DIRECT_PTR | CRAMFS_BLK_FLAG_UNCOMPRESSED)

static uint64_t block_addr(uint32_t ptr)
{
	return (uint64_t)(ptr & ~CRAMFS_BLK_FLAGS) << CRAMFS_BLK_DIRECT_PTR_SHIFT;
}

static int last_page_shared(struct cramfs_image *img, uint64_t addr,
			    uint32_t used, uint32_t page, bool *shared)
{
	const uint8_t *p;
	int err = cramfs_image_span(img, addr + used, page - used,
				    "bytes after the end of an XIP file", &p);

	if (err)
		return err;
	*shared = used && (p[0] || memcmp(p, p + 1, page - used - 1));
	return 0;
}

/* Is page i mappable on its own (a mapping that starts there maps it)? */
static int page_mappable(struct cramfs_image *img, const uint8_t *table,
			 uint32_t i, const struct cramfs_inode *ino,
			 uint32_t page, struct cramfs_xip_audit *a, bool *ok)
{
	uint32_t ptr = cramfs_get32(table + (size_t)i * 4u, img->endian);
	uint64_t addr = block_addr(ptr);
	uint32_t used = ino->size - i * page < page ? ino->size - i * page : 0;
	const uint8_t *bytes;
	int err;

	*ok = false;
	if ((ptr & XIP_FLAGS) != XIP_FLAGS)
		return 0;
	if (addr == 0 || addr % page) {
		a->misaligned++;
		return 0;
	}
	err = cramfs_image_span(img, addr, used ? used : page, "XIP block",
				&bytes);
	if (err)
		return err;
	if (i + 1 == a->pages && !used)
		a->read_bug = true;
	if (i + 1 == a->pages && used) {
		err = last_page_shared(img, addr, used, page, &a->last_page_shared);
		if (err || a->last_page_shared)
			return err;
	}
	*ok = true;
	return 0;
}

/* Pages a whole-file read-only mapping from offset 0 maps direct. */
static uint32_t from_start(struct cramfs_image *img, const uint8_t *table,
			   uint32_t page, const struct cramfs_xip_audit *a,
			   bool first_ok)
{
	uint32_t first = cramfs_get32(table, img->endian) & ~CRAMFS_BLK_FLAGS;
	uint32_t n = 0;

	if (!first_ok)
		return 0;
	while (n < a->pages &&
	       cramfs_get32(table + (size_t)n * 4u, img->endian) ==
	       ((first + n * (page >> CRAMFS_BLK_DIRECT_PTR_SHIFT)) | XIP_FLAGS))
		n++;
	if (n == a->pages && a->last_page_shared)
		n--;
	return n;
}

int cramfs_image_xip_audit(struct cramfs_image *img,
			   const struct cramfs_entry *entry, uint32_t page_size,
			   struct cramfs_xip_audit *a)
{
	const struct cramfs_inode *ino = &entry->inode;
	const uint8_t *table;
	uint32_t prev = 0;
	bool ok, first_ok = false, prev_ok = false;
	int err;

	memset(a, 0, sizeof(*a));
	if (!S_ISREG(ino->mode) || page_size < 4096 || (page_size & (page_size - 1)))
		return cramfs_msg_set(&img->msg, -EINVAL,
				      "%s: not a regular file or bad page size",
				      entry->path);
	a->pages = (uint32_t)(((uint64_t)ino->size + page_size - 1) / page_size);
	if (!a->pages)
		return 0;
	err = cramfs_image_span(img, (uint64_t)ino->offset << 2,
				(uint64_t)a->pages * 4u, "block pointer table",
				&table);
	for (uint32_t i = 0; !err && i < a->pages; i++) {
		uint32_t ptr = cramfs_get32(table + (size_t)i * 4u, img->endian);

		err = page_mappable(img, table, i, ino, page_size, a, &ok);
		if (err || !ok) {
			prev_ok = false;
			continue;
		}
		first_ok |= i == 0;
		a->mappable_pages++;
		if (!prev_ok || ptr != prev + (page_size >> CRAMFS_BLK_DIRECT_PTR_SHIFT))
			a->runs++;
		prev = ptr;
		prev_ok = true;
	}
	if (err)
		return cramfs_msg_prefix(&img->msg, err, "%s", entry->path);
	a->mapped_from_start = from_start(img, table, page_size, a, first_ok);
	a->state = a->mappable_pages == a->pages ? CRAMFS_XIP_STATE_FULLY :
		   a->mappable_pages ? CRAMFS_XIP_STATE_PARTLY :
				       CRAMFS_XIP_STATE_NONE;
	return 0;
}
