// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Paths into the in-memory tree, for inputs that name entries by path
 * (archive members, device table lines) rather than by walking a
 * directory: resolve, create missing parents, replace an entry.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tree.h"

int cramfs_tree_msg_prefix(struct cramfs_tree *tree, const char *where,
			   int err)
{
	char text[CRAMFS_MSG_MAX];

	memcpy(text, tree->msg.text, sizeof(text));
	return cramfs_msg_set(&tree->msg, err, "%s: %s", where, text);
}

static int make_dir(struct cramfs_tree *tree, const char *where,
		    uint32_t parent, const char *name, uint32_t *id)
{
	const struct cramfs_attr attr = { .mode = S_IFDIR | 0755 };
	int err = cramfs_tree_add(tree, parent, name, &attr, id);

	return err ? cramfs_tree_msg_prefix(tree, where, err) : 0;
}

int cramfs_tree_resolve(struct cramfs_tree *tree, const char *where,
			const char *path, bool make_dirs, uint32_t *parent,
			char *name, uint32_t *id)
{
	uint32_t dir = CRAMFS_ROOT_ID, cur = CRAMFS_ROOT_ID;
	bool have = false;
	const char *p = path;
	int err;

	while (*p) {
		size_t len = strcspn(p, "/");
		const char *next = p + len + (p[len] == '/');

		if (len == 0 || (len == 1 && p[0] == '.')) {
			p = next;
			continue;
		}
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return cramfs_msg_set(&tree->msg, -EINVAL,
					      "%s: \"..\" in path %s", where, path);
		if (len > CRAMFS_MAXPATHLEN)
			return cramfs_msg_set(&tree->msg, -ENAMETOOLONG,
					      "%s: a name in %s is %zu bytes; cramfs limit is %u",
					      where, path, len, CRAMFS_MAXPATHLEN);
		if (have) {
			if (cur == CRAMFS_NO_NODE && !make_dirs)
				return cramfs_msg_set(&tree->msg, -ENOENT,
						      "%s: %s: parent directory %s does not exist",
						      where, path, name);
			if (cur == CRAMFS_NO_NODE &&
			    (err = make_dir(tree, where, dir, name, &cur)))
				return err;
			if (!S_ISDIR(tree->nodes[cur].mode))
				return cramfs_msg_set(&tree->msg, -ENOTDIR,
						      "%s: %s: %s is not a directory",
						      where, path, name);
			dir = cur;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		have = true;
		cur = cramfs_tree_child(tree, dir, name);
		p = next;
	}
	*parent = have ? dir : CRAMFS_NO_NODE;
	*id = cur;
	return 0;
}

int cramfs_tree_replace(struct cramfs_tree *tree, const char *where,
			uint32_t id, const struct cramfs_attr *attr)
{
	struct cramfs_node *n = &tree->nodes[id];
	char path[CRAMFS_TREE_PATH_MAX];
	int err;

	if (cramfs_tree_path(tree, id, path, sizeof(path)))
		return cramfs_msg_set(&tree->msg, -ENAMETOOLONG,
				      "%s: path too long", where);
	if (S_ISDIR(n->mode) && n->nchildren && !S_ISDIR(attr->mode))
		return cramfs_msg_set(&tree->msg, -ENOTEMPTY,
				      "%s: %s: cannot replace a directory that has entries",
				      where, path);
	err = id == CRAMFS_ROOT_ID ? cramfs_tree_set_root(tree, attr) :
	      cramfs_tree_check(tree, path, n->name, attr);
	if (err)
		return cramfs_tree_msg_prefix(tree, where, err);
	free(n->data);
	n->data = NULL;
	n->src = CRAMFS_SRC_NONE;
	n->size = 0;
	n->nlink = 0;
	n->mode = attr->mode;
	n->uid = cramfs_tree_uid(tree, attr);
	n->gid = cramfs_tree_gid(tree, attr);
	n->rdev = S_ISCHR(attr->mode) || S_ISBLK(attr->mode) ?
		  attr->rdev_major << 8 | attr->rdev_minor : 0;
	return 0;
}
