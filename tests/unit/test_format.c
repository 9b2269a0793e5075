// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/format.c: inodes, superblocks and integers in both byte orders. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "cramfs/cramfs.h"
#include "cramfs/format.h"

/*
 * A known inode: a regular file 0100644 owned by 0x1234:0x56, 0x0abcde
 * bytes long, with a 12-byte name (namelen 3) and data at 4 * 0x123456.
 */
static const struct cramfs_inode known = {
	.mode = 0100644, .uid = 0x1234, .size = 0x0abcde, .gid = 0x56,
	.namelen = 3, .offset = 0x123456,
};

/*
 * Little endian (bitfields filled from bit 0):
 *   mode | uid << 16       = 0x123481a4
 *   size | gid << 24       = 0x560abcde
 *   namelen | offset << 6  = 0x048d1583
 */
static const uint8_t known_le[CRAMFS_INODE_SIZE] = {
	0xa4, 0x81, 0x34, 0x12,
	0xde, 0xbc, 0x0a, 0x56,
	0x83, 0x15, 0x8d, 0x04,
};

/*
 * Big endian (bitfields filled from bit 31), stored big endian:
 *   mode << 16 | uid       = 0x81a41234
 *   size << 8 | gid        = 0x0abcde56
 *   namelen << 26 | offset = 0x0c123456
 */
static const uint8_t known_be[CRAMFS_INODE_SIZE] = {
	0x81, 0xa4, 0x12, 0x34,
	0x0a, 0xbc, 0xde, 0x56,
	0x0c, 0x12, 0x34, 0x56,
};

static void assert_inode_equal(const struct cramfs_inode *a,
			       const struct cramfs_inode *b)
{
	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->uid, b->uid);
	assert_int_equal(a->size, b->size);
	assert_int_equal(a->gid, b->gid);
	assert_int_equal(a->namelen, b->namelen);
	assert_int_equal(a->offset, b->offset);
}

static void known_inode_encodes_to_exact_little_endian_bytes(void **state)
{
	uint8_t out[CRAMFS_INODE_SIZE];

	(void)state;
	assert_int_equal(cramfs_inode_encode(&known, CRAMFS_ENDIAN_LITTLE, out), 0);
	assert_memory_equal(out, known_le, sizeof(out));
}

static void known_inode_encodes_to_exact_big_endian_bytes(void **state)
{
	uint8_t out[CRAMFS_INODE_SIZE];

	(void)state;
	assert_int_equal(cramfs_inode_encode(&known, CRAMFS_ENDIAN_BIG, out), 0);
	assert_memory_equal(out, known_be, sizeof(out));
}

static void known_bytes_decode_to_the_known_inode_in_both_orders(void **state)
{
	struct cramfs_inode le, be;

	(void)state;
	cramfs_inode_decode(known_le, CRAMFS_ENDIAN_LITTLE, &le);
	cramfs_inode_decode(known_be, CRAMFS_ENDIAN_BIG, &be);
	assert_inode_equal(&le, &known);
	assert_inode_equal(&be, &known);
}

static void host_order_inode_matches_the_resolved_order(void **state)
{
	enum cramfs_endian host = cramfs_endian_resolve(CRAMFS_ENDIAN_HOST);
	uint32_t probe = 1;
	uint8_t out[CRAMFS_INODE_SIZE];

	(void)state;
	assert_int_equal(host, *(uint8_t *)&probe ? CRAMFS_ENDIAN_LITTLE :
						    CRAMFS_ENDIAN_BIG);
	assert_int_equal(cramfs_endian_resolve(CRAMFS_ENDIAN_LITTLE),
			 CRAMFS_ENDIAN_LITTLE);
	assert_int_equal(cramfs_endian_resolve(CRAMFS_ENDIAN_BIG),
			 CRAMFS_ENDIAN_BIG);
	assert_int_equal(cramfs_inode_encode(&known, CRAMFS_ENDIAN_HOST, out), 0);
	assert_memory_equal(out, host == CRAMFS_ENDIAN_BIG ? known_be : known_le,
			    sizeof(out));
}

/* Each field alone at its maximum: no bits leak into a neighbour. */
static void every_field_at_its_maximum_round_trips_alone(void **state)
{
	static const enum cramfs_endian orders[] = {
		CRAMFS_ENDIAN_LITTLE, CRAMFS_ENDIAN_BIG,
	};

	(void)state;
	for (size_t o = 0; o < 2; o++) {
		for (int f = 0; f < 6; f++) {
			struct cramfs_inode in, out;
			uint8_t buf[CRAMFS_INODE_SIZE];

			memset(&in, 0, sizeof(in));
			switch (f) {
			case 0: in.mode = 0xffff; break;
			case 1: in.uid = 0xffff; break;
			case 2: in.size = 0xffffff; break;
			case 3: in.gid = 0xff; break;
			case 4: in.namelen = 0x3f; break;
			default: in.offset = 0x3ffffff; break;
			}
			assert_int_equal(cramfs_inode_encode(&in, orders[o], buf), 0);
			memset(&out, 0xaa, sizeof(out));
			cramfs_inode_decode(buf, orders[o], &out);
			assert_inode_equal(&out, &in);
		}
	}
}

static void all_fields_at_their_maximum_give_all_ones(void **state)
{
	const struct cramfs_inode max = {
		.mode = 0xffff, .uid = 0xffff, .size = 0xffffff, .gid = 0xff,
		.namelen = 0x3f, .offset = 0x3ffffff,
	};
	uint8_t ones[CRAMFS_INODE_SIZE], le[CRAMFS_INODE_SIZE],
		be[CRAMFS_INODE_SIZE];

	(void)state;
	memset(ones, 0xff, sizeof(ones));
	assert_int_equal(cramfs_inode_encode(&max, CRAMFS_ENDIAN_LITTLE, le), 0);
	assert_int_equal(cramfs_inode_encode(&max, CRAMFS_ENDIAN_BIG, be), 0);
	assert_memory_equal(le, ones, sizeof(ones));
	assert_memory_equal(be, ones, sizeof(ones));
}

static void a_field_one_past_its_maximum_fails_with_erange(void **state)
{
	static const enum cramfs_endian orders[] = {
		CRAMFS_ENDIAN_LITTLE, CRAMFS_ENDIAN_BIG,
	};

	(void)state;
	for (size_t o = 0; o < 2; o++) {
		for (int f = 0; f < 6; f++) {
			struct cramfs_inode in = known;
			uint8_t buf[CRAMFS_INODE_SIZE], untouched[CRAMFS_INODE_SIZE];

			switch (f) {
			case 0: in.mode = 0x10000; break;
			case 1: in.uid = CRAMFS_UID_MAX + 1u; break;
			case 2: in.size = CRAMFS_SIZE_MAX + 1u; break;
			case 3: in.gid = CRAMFS_GID_MAX + 1u; break;
			case 4: in.namelen = 0x40; break;
			default: in.offset = 0x4000000; break;
			}
			memset(buf, 0x5a, sizeof(buf));
			memcpy(untouched, buf, sizeof(buf));
			assert_int_equal(cramfs_inode_encode(&in, orders[o], buf),
					 -ERANGE);
			/* Nothing half-written on failure. */
			assert_memory_equal(buf, untouched, sizeof(buf));
		}
	}
}

static void limits_follow_from_the_field_widths(void **state)
{
	(void)state;
	assert_int_equal(CRAMFS_UID_MAX, 65535);
	assert_int_equal(CRAMFS_GID_MAX, 255);
	assert_int_equal(CRAMFS_SIZE_MAX, 16777215);
	assert_int_equal(CRAMFS_MAXPATHLEN, 252);
	assert_int_equal(CRAMFS_OFFSET_LIMIT, 1u << 28);
	assert_int_equal(CRAMFS_MODE_WIDTH + CRAMFS_UID_WIDTH, 32);
	assert_int_equal(CRAMFS_SIZE_WIDTH + CRAMFS_GID_WIDTH, 32);
	assert_int_equal(CRAMFS_NAMELEN_WIDTH + CRAMFS_OFFSET_WIDTH, 32);
}

static void dirent_size_pads_the_name_to_four_bytes(void **state)
{
	(void)state;
	assert_int_equal(cramfs_dirent_size(1), 16);
	assert_int_equal(cramfs_dirent_size(3), 16);
	assert_int_equal(cramfs_dirent_size(4), 16);
	assert_int_equal(cramfs_dirent_size(5), 20);
	assert_int_equal(cramfs_dirent_size(8), 20);
	assert_int_equal(cramfs_dirent_size(252), 264);
}

static void fill_super(struct cramfs_super *sb)
{
	memset(sb, 0, sizeof(*sb));
	sb->magic = CRAMFS_MAGIC;
	sb->size = 0x00123000;
	sb->flags = CRAMFS_FLAG_FSID_VERSION_2 | CRAMFS_FLAG_SORTED_DIRS |
		    CRAMFS_FLAG_HOLES;
	sb->future = 0x0badf00d;
	memcpy(sb->signature, CRAMFS_SIGNATURE, CRAMFS_SIGNATURE_LEN);
	sb->fsid.crc = 0xdeadbeef;
	sb->fsid.edition = 7;
	sb->fsid.blocks = 0x01020304;
	sb->fsid.files = 0x0a0b0c0d;
	memcpy(sb->name, "volume-name-16by", CRAMFS_NAME_LEN);
	sb->root = known;
	sb->root.mode = S_IFDIR | 0755;
}

static void superblock_fields_sit_at_their_kernel_offsets(void **state)
{
	static const enum cramfs_endian orders[] = {
		CRAMFS_ENDIAN_LITTLE, CRAMFS_ENDIAN_BIG,
	};
	struct cramfs_super sb;

	(void)state;
	fill_super(&sb);
	for (size_t o = 0; o < 2; o++) {
		enum cramfs_endian e = orders[o];
		uint8_t out[CRAMFS_SUPER_SIZE], root[CRAMFS_INODE_SIZE];

		memset(out, 0x77, sizeof(out));
		assert_int_equal(cramfs_super_encode(&sb, e, out), 0);
		assert_int_equal(cramfs_get32(out + 0, e), CRAMFS_MAGIC);
		assert_int_equal(cramfs_get32(out + 4, e), 0x00123000);
		assert_int_equal(cramfs_get32(out + 8, e), sb.flags);
		assert_int_equal(cramfs_get32(out + 12, e), 0x0badf00d);
		assert_memory_equal(out + 16, CRAMFS_SIGNATURE, 16);
		assert_int_equal(CRAMFS_SUPER_CRC_OFFSET, 32);
		assert_int_equal(cramfs_get32(out + CRAMFS_SUPER_CRC_OFFSET, e),
				 0xdeadbeef);
		assert_int_equal(cramfs_get32(out + 36, e), 7);
		assert_int_equal(cramfs_get32(out + 40, e), 0x01020304);
		assert_int_equal(cramfs_get32(out + 44, e), 0x0a0b0c0d);
		assert_memory_equal(out + 48, "volume-name-16by", 16);
		assert_int_equal(cramfs_inode_encode(&sb.root, e, root), 0);
		assert_memory_equal(out + 64, root, CRAMFS_INODE_SIZE);
	}
}

static void little_endian_magic_is_stored_as_45_3d_cd_28(void **state)
{
	struct cramfs_super sb;
	uint8_t le[CRAMFS_SUPER_SIZE], be[CRAMFS_SUPER_SIZE];
	static const uint8_t magic_le[4] = { 0x45, 0x3d, 0xcd, 0x28 };
	static const uint8_t magic_be[4] = { 0x28, 0xcd, 0x3d, 0x45 };

	(void)state;
	fill_super(&sb);
	assert_int_equal(cramfs_super_encode(&sb, CRAMFS_ENDIAN_LITTLE, le), 0);
	assert_int_equal(cramfs_super_encode(&sb, CRAMFS_ENDIAN_BIG, be), 0);
	assert_memory_equal(le, magic_le, 4);
	assert_memory_equal(be, magic_be, 4);
	/* Read in the wrong order, the magic shows up byte-swapped. */
	assert_int_equal(cramfs_get32(be, CRAMFS_ENDIAN_LITTLE), CRAMFS_MAGIC_WEND);
}

static void superblock_round_trips_in_both_orders(void **state)
{
	static const enum cramfs_endian orders[] = {
		CRAMFS_ENDIAN_LITTLE, CRAMFS_ENDIAN_BIG,
	};
	struct cramfs_super sb;

	(void)state;
	fill_super(&sb);
	for (size_t o = 0; o < 2; o++) {
		struct cramfs_super back;
		uint8_t out[CRAMFS_SUPER_SIZE];

		assert_int_equal(cramfs_super_encode(&sb, orders[o], out), 0);
		memset(&back, 0x33, sizeof(back));
		cramfs_super_decode(out, orders[o], &back);
		assert_int_equal(back.magic, sb.magic);
		assert_int_equal(back.size, sb.size);
		assert_int_equal(back.flags, sb.flags);
		assert_int_equal(back.future, sb.future);
		assert_memory_equal(back.signature, sb.signature, 16);
		assert_int_equal(back.fsid.crc, sb.fsid.crc);
		assert_int_equal(back.fsid.edition, sb.fsid.edition);
		assert_int_equal(back.fsid.blocks, sb.fsid.blocks);
		assert_int_equal(back.fsid.files, sb.fsid.files);
		assert_memory_equal(back.name, sb.name, 16);
		assert_inode_equal(&back.root, &sb.root);
	}
}

static void superblock_with_an_oversized_root_field_fails_with_erange(void **state)
{
	struct cramfs_super sb;
	uint8_t out[CRAMFS_SUPER_SIZE];

	(void)state;
	fill_super(&sb);
	sb.root.offset = 1u << CRAMFS_OFFSET_WIDTH;
	assert_int_equal(cramfs_super_encode(&sb, CRAMFS_ENDIAN_LITTLE, out),
			 -ERANGE);
	fill_super(&sb);
	sb.root.size = CRAMFS_SIZE_MAX + 1u;
	assert_int_equal(cramfs_super_encode(&sb, CRAMFS_ENDIAN_BIG, out),
			 -ERANGE);
}

static void get32_and_put32_use_the_requested_order(void **state)
{
	static const uint8_t bytes[4] = { 0x01, 0x02, 0x03, 0x84 };
	uint8_t out[4];

	(void)state;
	assert_int_equal(cramfs_get32(bytes, CRAMFS_ENDIAN_LITTLE), 0x84030201u);
	assert_int_equal(cramfs_get32(bytes, CRAMFS_ENDIAN_BIG), 0x01020384u);

	cramfs_put32(out, 0x84030201u, CRAMFS_ENDIAN_LITTLE);
	assert_memory_equal(out, bytes, 4);
	cramfs_put32(out, 0x01020384u, CRAMFS_ENDIAN_BIG);
	assert_memory_equal(out, bytes, 4);
}

static void put32_in_host_order_matches_native_memory(void **state)
{
	uint32_t native;
	uint8_t out[4];

	(void)state;
	cramfs_put32(out, 0xc0ffee11u, CRAMFS_ENDIAN_HOST);
	memcpy(&native, out, 4);
	assert_int_equal(native, 0xc0ffee11u);
	assert_int_equal(cramfs_get32(out, CRAMFS_ENDIAN_HOST), 0xc0ffee11u);
}

static void get16_uses_the_requested_order(void **state)
{
	static const uint8_t bytes[2] = { 0x12, 0xf4 };
	uint16_t native;

	(void)state;
	assert_int_equal(cramfs_get16(bytes, CRAMFS_ENDIAN_LITTLE), 0xf412);
	assert_int_equal(cramfs_get16(bytes, CRAMFS_ENDIAN_BIG), 0x12f4);
	memcpy(&native, bytes, 2);
	assert_int_equal(cramfs_get16(bytes, CRAMFS_ENDIAN_HOST), native);
}

static void block_pointer_flags_are_unsigned_top_bits(void **state)
{
	(void)state;
	/* (1 << 31) as a signed int would be negative (and undefined). */
	assert_int_equal(_Generic(CRAMFS_BLK_FLAG_UNCOMPRESSED,
				  unsigned int: 1, default: 0), 1);
	assert_int_equal(_Generic(CRAMFS_BLK_FLAGS, unsigned int: 1, default: 0), 1);
	assert_true((uint64_t)CRAMFS_BLK_FLAG_UNCOMPRESSED == 0x80000000ull);
	assert_true((int64_t)CRAMFS_BLK_FLAG_UNCOMPRESSED > 0);
	assert_true((uint64_t)CRAMFS_BLK_FLAG_DIRECT_PTR == 0x40000000ull);
	assert_true((uint64_t)CRAMFS_BLK_FLAGS == 0xc0000000ull);
	assert_true((uint64_t)~CRAMFS_BLK_FLAGS == 0x3fffffffull);
}

static void supported_flags_are_what_the_kernel_accepts(void **state)
{
	(void)state;
	assert_int_equal(CRAMFS_SUPPORTED_FLAGS, 0x00000fffu);
	assert_int_equal(CRAMFS_FLAG_HOLES, 0x100);
	assert_int_equal(CRAMFS_FLAG_SHIFTED_ROOT_OFFSET, 0x400);
	assert_int_equal(CRAMFS_FLAG_EXT_BLOCK_POINTERS, 0x800);
}

/* Names are bytes; only valid UTF-8 may reach a terminal unescaped. */
static void utf8_char_len_accepts_only_valid_utf8(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		size_t want;
	} cases[] = {
		{ "a", 1, 1 },
		{ "\303\251", 2, 2 },             /* U+00E9 */
		{ "\342\202\254", 3, 3 },         /* U+20AC */
		{ "\360\237\230\200", 4, 4 },     /* U+1F600 */
		{ "\303", 1, 0 },                 /* cut short */
		{ "\303a", 2, 0 },                /* no continuation byte */
		{ "\300\200", 2, 0 },             /* overlong NUL */
		{ "\340\200\200", 3, 0 },         /* overlong */
		{ "\355\240\200", 3, 0 },         /* surrogate U+D800 */
		{ "\364\220\200\200", 4, 0 },     /* past U+10FFFF */
		{ "\377", 1, 0 },
		{ "\200", 1, 0 },                 /* lone continuation */
		{ "", 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(cramfs_utf8_char_len(cases[i].s, cases[i].len),
				 cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_inode_encodes_to_exact_little_endian_bytes),
		cmocka_unit_test(known_inode_encodes_to_exact_big_endian_bytes),
		cmocka_unit_test(known_bytes_decode_to_the_known_inode_in_both_orders),
		cmocka_unit_test(host_order_inode_matches_the_resolved_order),
		cmocka_unit_test(every_field_at_its_maximum_round_trips_alone),
		cmocka_unit_test(all_fields_at_their_maximum_give_all_ones),
		cmocka_unit_test(a_field_one_past_its_maximum_fails_with_erange),
		cmocka_unit_test(limits_follow_from_the_field_widths),
		cmocka_unit_test(dirent_size_pads_the_name_to_four_bytes),
		cmocka_unit_test(superblock_fields_sit_at_their_kernel_offsets),
		cmocka_unit_test(little_endian_magic_is_stored_as_45_3d_cd_28),
		cmocka_unit_test(superblock_round_trips_in_both_orders),
		cmocka_unit_test(superblock_with_an_oversized_root_field_fails_with_erange),
		cmocka_unit_test(get32_and_put32_use_the_requested_order),
		cmocka_unit_test(put32_in_host_order_matches_native_memory),
		cmocka_unit_test(get16_uses_the_requested_order),
		cmocka_unit_test(block_pointer_flags_are_unsigned_top_bits),
		cmocka_unit_test(supported_flags_are_what_the_kernel_accepts),
		cmocka_unit_test(utf8_char_len_accepts_only_valid_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
