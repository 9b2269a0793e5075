/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The cramfs on-disk format, described once.
 *
 * Field and flag names follow the kernel (include/uapi/linux/cramfs_fs.h).
 * Every multi-byte field is in the byte order of the target; nothing here
 * uses C bitfields: inodes and superblocks are encoded and decoded with
 * explicit shifts by lib/format.c.
 */
#ifndef CRAMFS_FORMAT_H
#define CRAMFS_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CRAMFS_MAGIC            0x28cd3d45u
#define CRAMFS_MAGIC_WEND       0x453dcd28u /* magic read in the other byte order */
#define CRAMFS_SIGNATURE        "Compressed ROMFS"
#define CRAMFS_SIGNATURE_LEN    16u
#define CRAMFS_NAME_LEN         16u

/* Boot loader pad in front of the superblock (mkcramfs -p). */
#define CRAMFS_PAD_SIZE         512u

#define CRAMFS_SUPER_SIZE       76u
#define CRAMFS_INODE_SIZE       12u

/* Widths of the packed inode fields. */
#define CRAMFS_MODE_WIDTH       16u
#define CRAMFS_UID_WIDTH        16u
#define CRAMFS_SIZE_WIDTH       24u
#define CRAMFS_GID_WIDTH        8u
#define CRAMFS_NAMELEN_WIDTH    6u
#define CRAMFS_OFFSET_WIDTH     26u

#define CRAMFS_UID_MAX          ((1u << CRAMFS_UID_WIDTH) - 1u)
#define CRAMFS_GID_MAX          ((1u << CRAMFS_GID_WIDTH) - 1u)
#define CRAMFS_SIZE_MAX         ((1u << CRAMFS_SIZE_WIDTH) - 1u)
/* namelen counts 4-byte units: names are 1..252 bytes. */
#define CRAMFS_MAXPATHLEN       (((1u << CRAMFS_NAMELEN_WIDTH) - 1u) << 2)
/* offset counts 4-byte units: metadata and block tables start below 256 MiB. */
#define CRAMFS_OFFSET_LIMIT     (1u << (CRAMFS_OFFSET_WIDTH + 2u))

/* Superblock flags. 0x00-0xff work with every kernel. */
#define CRAMFS_FLAG_FSID_VERSION_2      0x00000001u
#define CRAMFS_FLAG_SORTED_DIRS         0x00000002u
#define CRAMFS_FLAG_HOLES               0x00000100u
#define CRAMFS_FLAG_WRONG_SIGNATURE     0x00000200u
#define CRAMFS_FLAG_SHIFTED_ROOT_OFFSET 0x00000400u
#define CRAMFS_FLAG_EXT_BLOCK_POINTERS  0x00000800u

/* The kernel refuses to mount with any other flag set. */
#define CRAMFS_SUPPORTED_FLAGS  (0x000000ffu | CRAMFS_FLAG_HOLES | \
				 CRAMFS_FLAG_WRONG_SIGNATURE | \
				 CRAMFS_FLAG_SHIFTED_ROOT_OFFSET | \
				 CRAMFS_FLAG_EXT_BLOCK_POINTERS)

/*
 * Block pointer flags (meaningful with CRAMFS_FLAG_EXT_BLOCK_POINTERS).
 * Unsigned: the kernel header's (1 << 31) is undefined behaviour in C.
 */
#define CRAMFS_BLK_FLAG_UNCOMPRESSED    (1u << 31)
#define CRAMFS_BLK_FLAG_DIRECT_PTR      (1u << 30)
#define CRAMFS_BLK_FLAGS        (CRAMFS_BLK_FLAG_UNCOMPRESSED | \
				 CRAMFS_BLK_FLAG_DIRECT_PTR)
#define CRAMFS_BLK_DIRECT_PTR_SHIFT     2u

/* The kernel rejects a compressed block longer than two pages. */
#define CRAMFS_BLK_MAX_STORED(blksz)    (2u * (blksz))

/* Largest image the 32-bit superblock size field can describe. */
#define CRAMFS_IMAGE_SIZE_MAX   0xffffffffu

enum cramfs_endian {
	CRAMFS_ENDIAN_HOST = 0,
	CRAMFS_ENDIAN_LITTLE,
	CRAMFS_ENDIAN_BIG,
};

/* One directory entry's fixed part, decoded. */
struct cramfs_inode {
	uint32_t mode;     /* 16 bits */
	uint32_t uid;      /* 16 bits */
	uint32_t size;     /* 24 bits; rdev for devices */
	uint32_t gid;      /* 8 bits */
	uint32_t namelen;  /* 6 bits, in 4-byte units */
	uint32_t offset;   /* 26 bits, in 4-byte units */
};

struct cramfs_info {
	uint32_t crc;
	uint32_t edition;
	uint32_t blocks;
	uint32_t files;
};

/* The superblock, decoded. */
struct cramfs_super {
	uint32_t magic;
	uint32_t size;
	uint32_t flags;
	uint32_t future;
	uint8_t signature[CRAMFS_SIGNATURE_LEN];
	struct cramfs_info fsid;
	uint8_t name[CRAMFS_NAME_LEN];
	struct cramfs_inode root;
};

/* Byte offset of fsid.crc inside the superblock. */
#define CRAMFS_SUPER_CRC_OFFSET 32u

/* Resolve CRAMFS_ENDIAN_HOST to the byte order of this machine. */
CRAMFS_API enum cramfs_endian cramfs_endian_resolve(enum cramfs_endian e);

/*
 * Read or write a 16- or 32-bit field at `p` in byte order `e` (HOST is
 * resolved). The caller guarantees the bytes are there. Cannot fail.
 */
CRAMFS_API uint32_t cramfs_get32(const uint8_t *p, enum cramfs_endian e);
CRAMFS_API void cramfs_put32(uint8_t *p, uint32_t v, enum cramfs_endian e);
CRAMFS_API uint16_t cramfs_get16(const uint8_t *p, enum cramfs_endian e);
CRAMFS_API void cramfs_put16(uint8_t *p, uint16_t v, enum cramfs_endian e);

/*
 * Encode fails with -ERANGE when a field does not fit its width; decode
 * cannot fail. Both take a resolved or host byte order.
 */
CRAMFS_API int cramfs_inode_encode(const struct cramfs_inode *in, enum cramfs_endian e,
			uint8_t out[CRAMFS_INODE_SIZE]);
CRAMFS_API void cramfs_inode_decode(const uint8_t in[CRAMFS_INODE_SIZE],
			 enum cramfs_endian e, struct cramfs_inode *out);
CRAMFS_API int cramfs_super_encode(const struct cramfs_super *in, enum cramfs_endian e,
			uint8_t out[CRAMFS_SUPER_SIZE]);
CRAMFS_API void cramfs_super_decode(const uint8_t in[CRAMFS_SUPER_SIZE],
			 enum cramfs_endian e, struct cramfs_super *out);

/* Bytes a directory entry takes: inode plus the name padded to 4. */
static inline uint32_t cramfs_dirent_size(size_t namelen)
{
	return CRAMFS_INODE_SIZE + (uint32_t)((namelen + 3u) & ~(size_t)3u);
}

#ifdef __cplusplus
}
#endif

#endif /* CRAMFS_FORMAT_H */
