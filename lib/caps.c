// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * File capabilities in the input. cramfs stores no xattrs, so a setcap
 * binary (ping with cap_net_raw) would silently lose its privilege: say
 * so per file, with the capability text, or fail, as the policy says.
 */
#include <errno.h>
#include <string.h>
#include <sys/capability.h>

#include "tree.h"

void cramfs_tree_set_caps_policy(struct cramfs_tree *tree,
				 enum cramfs_caps_policy policy)
{
	tree->caps = policy;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void set_bits(cap_t caps, cap_flag_t flag, uint32_t bits, int base)
{
	for (int i = 0; i < 32; i++) {
		cap_value_t v = base + i;

		if (bits & (1u << i))
			cap_set_flag(caps, flag, 1, &v, CAP_SET);
	}
}

/*
 * libcap reads xattrs only from files: decode an archive's raw value
 * (struct vfs_cap_data, little endian, revision 1, 2 or 3).
 */
static cap_t decode(const uint8_t *p, size_t len)
{
	uint32_t magic;
	size_t words;
	cap_t caps;

	if (len < 12)
		return NULL;
	magic = le32(p);
	words = (magic & VFS_CAP_REVISION_MASK) == VFS_CAP_REVISION_1 ? 1 : 2;
	if (len < 4 + words * 8 || !(caps = cap_init()))
		return NULL;
	for (size_t w = 0; w < words; w++) {
		uint32_t permitted = le32(p + 4 + w * 8);

		set_bits(caps, CAP_PERMITTED, permitted, (int)w * 32);
		set_bits(caps, CAP_INHERITABLE, le32(p + 8 + w * 8), (int)w * 32);
		if (magic & VFS_CAP_FLAGS_EFFECTIVE)
			set_bits(caps, CAP_EFFECTIVE, permitted, (int)w * 32);
	}
	return caps;
}

static int report(struct cramfs_tree *tree, const char *path, cap_t caps)
{
	char *text = caps ? cap_to_text(caps, NULL) : NULL;
	const char *shown = text ? text : "(unreadable)";
	int err = 0;

	if (tree->caps == CRAMFS_CAPS_ERROR)
		err = cramfs_msg_set(&tree->msg, -ENOTSUP,
				     "%s: has file capabilities %s, which cramfs cannot store",
				     path, shown);
	else if (cramfs_strlist_addf(&tree->warnings,
				     "%s: file capabilities %s are not stored (cramfs has no xattrs); the file loses them",
				     path, shown))
		err = -ENOMEM;
	cap_free(text);
	return err;
}

int cramfs_caps_found(struct cramfs_tree *tree, const char *path,
		      const void *xattr, size_t len)
{
	cap_t caps;
	int err;

	if (tree->caps == CRAMFS_CAPS_IGNORE)
		return 0;
	caps = decode(xattr, len);
	err = report(tree, path, caps);
	cap_free(caps);
	return err;
}

int cramfs_caps_check_path(struct cramfs_tree *tree, const char *path,
			    const char *host_path)
{
	cap_t caps;
	int err;

	if (tree->caps == CRAMFS_CAPS_IGNORE)
		return 0;
	caps = cap_get_file(host_path);
	if (!caps)
		return 0; /* none (ENODATA), or xattrs not supported here */
	err = report(tree, path, caps);
	cap_free(caps);
	return err;
}
