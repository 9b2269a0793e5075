// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Encode and decode the superblock and inodes in either byte order.
 *
 * The kernel declares the inode with C bitfields, so the packing follows the
 * compiler's bitfield order for the target: little-endian targets fill each
 * 32-bit word from bit 0, big-endian targets from bit 31.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cramfs/cramfs.h"
#include "cramfs/format.h"

_Static_assert(CRAMFS_MAXPATHLEN == 252, "names are 1..252 bytes");
_Static_assert(CRAMFS_SUPER_CRC_OFFSET == 4 * 4 + CRAMFS_SIGNATURE_LEN,
	       "crc follows magic, size, flags, future and signature");
_Static_assert(CRAMFS_SUPER_SIZE == 16 + 16 + 16 + 16 + CRAMFS_INODE_SIZE,
	       "superblock is 76 bytes");

uint32_t cramfs_host_block_size(void)
{
	long page = sysconf(_SC_PAGESIZE);

	return page == 16384 || page == 65536 ? (uint32_t)page : 4096u;
}

enum cramfs_endian cramfs_endian_resolve(enum cramfs_endian e)
{
	if (e != CRAMFS_ENDIAN_HOST)
		return e;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return CRAMFS_ENDIAN_BIG;
#else
	return CRAMFS_ENDIAN_LITTLE;
#endif
}

uint32_t cramfs_get32(const uint8_t *p, enum cramfs_endian e)
{
	if (cramfs_endian_resolve(e) == CRAMFS_ENDIAN_BIG)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

uint16_t cramfs_get16(const uint8_t *p, enum cramfs_endian e)
{
	if (cramfs_endian_resolve(e) == CRAMFS_ENDIAN_BIG)
		return (uint16_t)(p[0] << 8 | p[1]);
	return (uint16_t)(p[1] << 8 | p[0]);
}

void cramfs_put16(uint8_t *p, uint16_t v, enum cramfs_endian e)
{
	if (cramfs_endian_resolve(e) == CRAMFS_ENDIAN_BIG) {
		p[0] = (uint8_t)(v >> 8);
		p[1] = (uint8_t)v;
	} else {
		p[0] = (uint8_t)v;
		p[1] = (uint8_t)(v >> 8);
	}
}

void cramfs_put32(uint8_t *p, uint32_t v, enum cramfs_endian e)
{
	if (cramfs_endian_resolve(e) == CRAMFS_ENDIAN_BIG) {
		p[0] = (uint8_t)(v >> 24);
		p[1] = (uint8_t)(v >> 16);
		p[2] = (uint8_t)(v >> 8);
		p[3] = (uint8_t)v;
	} else {
		p[0] = (uint8_t)v;
		p[1] = (uint8_t)(v >> 8);
		p[2] = (uint8_t)(v >> 16);
		p[3] = (uint8_t)(v >> 24);
	}
}

static uint32_t field_mask(unsigned int width)
{
	return width >= 32 ? 0xffffffffu : (1u << width) - 1u;
}

/* Pack the two fields of one 32-bit word, first as declared by the kernel. */
static uint32_t pack_pair(uint32_t first, unsigned int first_width,
			  uint32_t second, enum cramfs_endian e)
{
	if (cramfs_endian_resolve(e) == CRAMFS_ENDIAN_BIG)
		return first << (32 - first_width) | second;
	return first | second << first_width;
}

static void unpack_pair(uint32_t word, unsigned int first_width,
			enum cramfs_endian e, uint32_t *first, uint32_t *second)
{
	unsigned int second_width = 32 - first_width;

	if (cramfs_endian_resolve(e) == CRAMFS_ENDIAN_BIG) {
		*first = word >> second_width;
		*second = word & field_mask(second_width);
	} else {
		*first = word & field_mask(first_width);
		*second = word >> first_width;
	}
}

int cramfs_inode_encode(const struct cramfs_inode *in, enum cramfs_endian e,
			uint8_t out[CRAMFS_INODE_SIZE])
{
	if (in->mode > field_mask(CRAMFS_MODE_WIDTH) ||
	    in->uid > field_mask(CRAMFS_UID_WIDTH) ||
	    in->size > field_mask(CRAMFS_SIZE_WIDTH) ||
	    in->gid > field_mask(CRAMFS_GID_WIDTH) ||
	    in->namelen > field_mask(CRAMFS_NAMELEN_WIDTH) ||
	    in->offset > field_mask(CRAMFS_OFFSET_WIDTH))
		return -ERANGE;
	cramfs_put32(out, pack_pair(in->mode, CRAMFS_MODE_WIDTH, in->uid, e), e);
	cramfs_put32(out + 4, pack_pair(in->size, CRAMFS_SIZE_WIDTH, in->gid, e), e);
	cramfs_put32(out + 8, pack_pair(in->namelen, CRAMFS_NAMELEN_WIDTH,
					in->offset, e), e);
	return 0;
}

void cramfs_inode_decode(const uint8_t in[CRAMFS_INODE_SIZE],
			 enum cramfs_endian e, struct cramfs_inode *out)
{
	unpack_pair(cramfs_get32(in, e), CRAMFS_MODE_WIDTH, e,
		    &out->mode, &out->uid);
	unpack_pair(cramfs_get32(in + 4, e), CRAMFS_SIZE_WIDTH, e,
		    &out->size, &out->gid);
	unpack_pair(cramfs_get32(in + 8, e), CRAMFS_NAMELEN_WIDTH, e,
		    &out->namelen, &out->offset);
}

int cramfs_super_encode(const struct cramfs_super *in, enum cramfs_endian e,
			uint8_t out[CRAMFS_SUPER_SIZE])
{
	cramfs_put32(out, in->magic, e);
	cramfs_put32(out + 4, in->size, e);
	cramfs_put32(out + 8, in->flags, e);
	cramfs_put32(out + 12, in->future, e);
	memcpy(out + 16, in->signature, CRAMFS_SIGNATURE_LEN);
	cramfs_put32(out + 32, in->fsid.crc, e);
	cramfs_put32(out + 36, in->fsid.edition, e);
	cramfs_put32(out + 40, in->fsid.blocks, e);
	cramfs_put32(out + 44, in->fsid.files, e);
	memcpy(out + 48, in->name, CRAMFS_NAME_LEN);
	return cramfs_inode_encode(&in->root, e, out + 64);
}

void cramfs_super_decode(const uint8_t in[CRAMFS_SUPER_SIZE],
			 enum cramfs_endian e, struct cramfs_super *out)
{
	out->magic = cramfs_get32(in, e);
	out->size = cramfs_get32(in + 4, e);
	out->flags = cramfs_get32(in + 8, e);
	out->future = cramfs_get32(in + 12, e);
	memcpy(out->signature, in + 16, CRAMFS_SIGNATURE_LEN);
	out->fsid.crc = cramfs_get32(in + 32, e);
	out->fsid.edition = cramfs_get32(in + 36, e);
	out->fsid.blocks = cramfs_get32(in + 40, e);
	out->fsid.files = cramfs_get32(in + 44, e);
	memcpy(out->name, in + 48, CRAMFS_NAME_LEN);
	cramfs_inode_decode(in + 64, e, &out->root);
}
