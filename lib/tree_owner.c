// SPDX-License-Identifier: GPL-2.0-or-later
/* --all-root, --force-uid, --force-gid: one owner for every node. */
#include <errno.h>

#include "tree.h"

int cramfs_tree_force_owner(struct cramfs_tree *tree, int64_t uid, int64_t gid)
{
	if (uid > (int64_t)CRAMFS_UID_MAX)
		return cramfs_msg_set(&tree->msg, -ERANGE,
				      "uid %jd does not fit; cramfs limit is %u",
				      (intmax_t)uid, CRAMFS_UID_MAX);
	if (gid > (int64_t)CRAMFS_GID_MAX)
		return cramfs_msg_set(&tree->msg, -ERANGE,
				      "gid %jd does not fit; cramfs limit is %u",
				      (intmax_t)gid, CRAMFS_GID_MAX);
	tree->force_uid = uid < 0 ? -1 : uid;
	tree->force_gid = gid < 0 ? -1 : gid;
	for (size_t i = 0; i < tree->count; i++) {
		if (uid >= 0)
			tree->nodes[i].uid = (uint32_t)uid;
		if (gid >= 0)
			tree->nodes[i].gid = (uint32_t)gid;
	}
	return 0;
}
