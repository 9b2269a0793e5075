// SPDX-License-Identifier: GPL-2.0-or-later
/* The node model: what goes into an image, with the format's limits. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tree.h"

int cramfs_tree_new(struct cramfs_tree **out)
{
	struct cramfs_tree *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (!t)
		return -ENOMEM;
	t->rootfd = -1;
	t->spoolfd = -1;
	t->force_uid = -1;
	t->force_gid = -1;
	t->nodes = calloc(16, sizeof(*t->nodes));
	if (!t->nodes) {
		free(t);
		return -ENOMEM;
	}
	t->cap = 16;
	t->count = 1;
	t->nodes[0].name = strdup("");
	if (!t->nodes[0].name) {
		free(t->nodes);
		free(t);
		return -ENOMEM;
	}
	t->nodes[0].mode = S_IFDIR | 0755;
	*out = t;
	return 0;
}

void cramfs_tree_free(struct cramfs_tree *tree)
{
	if (!tree)
		return;
	for (size_t i = 0; i < tree->count; i++) {
		free(tree->nodes[i].name);
		free(tree->nodes[i].children);
		free(tree->nodes[i].data);
	}
	free(tree->nodes);
	if (tree->rootfd >= 0)
		close(tree->rootfd);
	if (tree->spoolfd >= 0)
		close(tree->spoolfd);
	cramfs_strlist_free(&tree->warnings);
	free(tree->gids_warned);
	free(tree);
}

const char *cramfs_tree_errmsg(const struct cramfs_tree *tree)
{
	return tree->msg.text;
}

size_t cramfs_tree_count(const struct cramfs_tree *tree)
{
	return tree->count;
}

size_t cramfs_tree_warning_count(const struct cramfs_tree *tree)
{
	return tree->warnings.count;
}

const char *cramfs_tree_warning(const struct cramfs_tree *tree, size_t index)
{
	return index < tree->warnings.count ? tree->warnings.items[index] : NULL;
}

static bool mode_type_known(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: case S_IFDIR: case S_IFLNK: case S_IFCHR:
	case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		return true;
	default:
		return false;
	}
}

static int check_name(struct cramfs_tree *tree, const char *path,
		      const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return cramfs_msg_set(&tree->msg, -EINVAL,
				      "%s: invalid name \"%s\"", path, name);
	if (len > CRAMFS_MAXPATHLEN)
		return cramfs_msg_set(&tree->msg, -ENAMETOOLONG,
				      "%s: name is %zu bytes; cramfs limit is %u",
				      path, len, CRAMFS_MAXPATHLEN);
	return 0;
}

/*
 * A gid over 8 bits is stored truncated. Said once per gid: a tree owned
 * by a build user would otherwise give a line per entry.
 */
static int warn_gid(struct cramfs_tree *tree, const char *path, uint32_t gid)
{
	int err;

	for (size_t i = 0; i < tree->ngids_warned; i++)
		if (tree->gids_warned[i] == gid)
			return 0;
	err = cramfs_grow(&tree->gids_warned, &tree->gids_warned_cap,
			  tree->ngids_warned + 1, sizeof(*tree->gids_warned));
	if (err)
		return err;
	tree->gids_warned[tree->ngids_warned++] = gid;
	return cramfs_strlist_addf(&tree->warnings,
				   "%s: gid %u does not fit the 8 bits cramfs stores; stored as gid %u (other entries of gid %u not listed)",
				   path, gid, gid & CRAMFS_GID_MAX, gid);
}

int cramfs_tree_check(struct cramfs_tree *tree, const char *path,
		      const char *name, const struct cramfs_attr *attr)
{
	uint32_t uid = cramfs_tree_uid(tree, attr);
	uint32_t gid = cramfs_tree_gid(tree, attr);
	int err = check_name(tree, path, name);

	if (err)
		return err;
	if (!mode_type_known(attr->mode) || attr->mode > 0xffffu)
		return cramfs_msg_set(&tree->msg, -EINVAL,
				      "%s: unsupported file type (mode 0%o)",
				      path, attr->mode);
	if (uid > CRAMFS_UID_MAX)
		return cramfs_msg_set(&tree->msg, -ERANGE,
				      "%s: uid %u does not fit; cramfs limit is %u",
				      path, uid, CRAMFS_UID_MAX);
	if (S_ISREG(attr->mode) && attr->size > CRAMFS_SIZE_MAX)
		return cramfs_msg_set(&tree->msg, -EFBIG,
				      "%s: file is %ju bytes; cramfs limit is %u",
				      path, (uintmax_t)attr->size,
				      CRAMFS_SIZE_MAX);
	/* The kernel decodes devices with old_decode_dev(): 8-bit numbers. */
	if ((S_ISCHR(attr->mode) || S_ISBLK(attr->mode)) &&
	    (attr->rdev_major > 255 || attr->rdev_minor > 255))
		return cramfs_msg_set(&tree->msg, -ERANGE,
				      "%s: device %u:%u does not fit; cramfs limit is 255:255",
				      path, attr->rdev_major, attr->rdev_minor);
	return gid > CRAMFS_GID_MAX ? warn_gid(tree, path, gid) : 0;
}

static int add_child(struct cramfs_node *dir, uint32_t id)
{
	size_t cap = dir->capchildren;
	int err = cramfs_grow(&dir->children, &cap, dir->nchildren + 1u,
			      sizeof(*dir->children));

	if (err)
		return err;
	dir->capchildren = (uint32_t)cap;
	dir->children[dir->nchildren++] = id;
	return 0;
}

int cramfs_tree_add_checked(struct cramfs_tree *tree, uint32_t parent,
			    const char *name, const struct cramfs_attr *attr,
			    uint32_t *id)
{
	struct cramfs_node *n;
	uint32_t nid;
	int err;

	if (tree->count >= UINT32_MAX)
		return -ENOSPC;
	err = cramfs_grow(&tree->nodes, &tree->cap, tree->count + 1,
			  sizeof(*tree->nodes));
	if (err)
		return err;
	nid = (uint32_t)tree->count;
	n = &tree->nodes[nid];
	memset(n, 0, sizeof(*n));
	n->name = strdup(name);
	if (!n->name)
		return -ENOMEM;
	err = add_child(&tree->nodes[parent], nid);
	if (err) {
		free(n->name);
		return err;
	}
	tree->count++;
	n->namelen = (uint32_t)strlen(name);
	n->parent = parent;
	n->mode = attr->mode;
	n->uid = cramfs_tree_uid(tree, attr);
	n->gid = cramfs_tree_gid(tree, attr);
	if (S_ISREG(attr->mode))
		n->size = attr->size;
	if (S_ISCHR(attr->mode) || S_ISBLK(attr->mode))
		n->rdev = attr->rdev_major << 8 | attr->rdev_minor;
	if (id)
		*id = nid;
	return 0;
}

uint32_t cramfs_tree_child(const struct cramfs_tree *tree, uint32_t parent,
			   const char *name)
{
	const struct cramfs_node *dir = &tree->nodes[parent];

	for (uint32_t i = 0; i < dir->nchildren; i++)
		if (!strcmp(tree->nodes[dir->children[i]].name, name))
			return dir->children[i];
	return CRAMFS_NO_NODE;
}

int cramfs_tree_add(struct cramfs_tree *tree, uint32_t parent,
		    const char *name, const struct cramfs_attr *attr,
		    uint32_t *id)
{
	char path[CRAMFS_TREE_PATH_MAX];
	uint32_t nid;
	size_t len;
	int err;

	if (parent >= tree->count || !S_ISDIR(tree->nodes[parent].mode))
		return cramfs_msg_set(&tree->msg, -EINVAL,
				      "node %u is not a directory", parent);
	err = cramfs_tree_path(tree, parent, path, sizeof(path));
	len = strlen(path);
	if (err || len + 2 + strlen(name) > sizeof(path))
		return cramfs_msg_set(&tree->msg, -ENAMETOOLONG,
				      "%s/%s: path too long", path, name);
	if (len)
		path[len++] = '/';
	strcpy(path + len, name);
	err = cramfs_tree_check(tree, path, name, attr);
	if (err)
		return err;
	if (cramfs_tree_child(tree, parent, name) != CRAMFS_NO_NODE)
		return cramfs_msg_set(&tree->msg, -EEXIST,
				      "%s: duplicate name", path);
	err = cramfs_tree_add_checked(tree, parent, name, attr, &nid);
	if (err)
		return cramfs_msg_set(&tree->msg, err, "%s: %s", path,
				      cramfs_strerror(err));
	/* Content, and so the size, comes only from cramfs_tree_set_data(). */
	tree->nodes[nid].size = 0;
	if (id)
		*id = nid;
	return 0;
}

int cramfs_tree_set_root(struct cramfs_tree *tree,
			 const struct cramfs_attr *attr)
{
	struct cramfs_node *root = &tree->nodes[CRAMFS_ROOT_ID];
	uint32_t uid = cramfs_tree_uid(tree, attr);
	uint32_t gid = cramfs_tree_gid(tree, attr);

	if (!S_ISDIR(attr->mode) || attr->mode > 0xffffu)
		return cramfs_msg_set(&tree->msg, -EINVAL,
				      "root must be a directory (mode 0%o)",
				      attr->mode);
	if (uid > CRAMFS_UID_MAX)
		return cramfs_msg_set(&tree->msg, -ERANGE,
				      "/: uid %u does not fit; cramfs limit is %u",
				      uid, CRAMFS_UID_MAX);
	if (gid > CRAMFS_GID_MAX && warn_gid(tree, "/", gid))
		return -ENOMEM;
	root->mode = attr->mode;
	root->uid = uid;
	root->gid = gid;
	return 0;
}

int cramfs_tree_set_data(struct cramfs_tree *tree, uint32_t id,
			 const void *data, size_t len)
{
	char path[CRAMFS_TREE_PATH_MAX];
	struct cramfs_node *n;
	uint8_t *copy = NULL;

	if (id >= tree->count)
		return cramfs_msg_set(&tree->msg, -EINVAL, "no node %u", id);
	n = &tree->nodes[id];
	if (cramfs_tree_path(tree, id, path, sizeof(path)))
		strcpy(path, n->name);
	if (!S_ISREG(n->mode) && !S_ISLNK(n->mode))
		return cramfs_msg_set(&tree->msg, -EINVAL,
				      "%s: only files and symlinks hold data",
				      *path ? path : "/");
	if (len > CRAMFS_SIZE_MAX)
		return cramfs_msg_set(&tree->msg, -EFBIG,
				      "%s: %zu bytes; cramfs limit is %u",
				      path, len, CRAMFS_SIZE_MAX);
	/* The kernel reads a symlink's first page only; Linux allows 4095. */
	if (S_ISLNK(n->mode) && (len == 0 || len > CRAMFS_SYMLINK_MAX))
		return cramfs_msg_set(&tree->msg, -ENAMETOOLONG,
				      "%s: symlink target of %zu bytes; limit is 1 to %u",
				      path, len, CRAMFS_SYMLINK_MAX);
	if (len) {
		copy = malloc(len);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, data, len);
	}
	free(n->data);
	n->data = copy;
	n->size = len;
	n->src = len ? CRAMFS_SRC_MEMORY : CRAMFS_SRC_NONE;
	return 0;
}

int cramfs_tree_path(const struct cramfs_tree *tree, uint32_t id, char *buf,
		     size_t cap)
{
	size_t pos = cap - 1;

	buf[pos] = '\0';
	while (id != CRAMFS_ROOT_ID) {
		const struct cramfs_node *n = &tree->nodes[id];
		size_t need = n->namelen + (pos < cap - 1 ? 1u : 0u);

		if (need > pos)
			return -ENAMETOOLONG;
		if (pos < cap - 1)
			buf[--pos] = '/';
		pos -= n->namelen;
		memcpy(buf + pos, n->name, n->namelen);
		id = n->parent;
	}
	memmove(buf, buf + pos, cap - pos);
	return 0;
}

static int compare_names(const void *a, const void *b, void *arg)
{
	const struct cramfs_tree *tree = arg;
	const struct cramfs_node *na = &tree->nodes[*(const uint32_t *)a];
	const struct cramfs_node *nb = &tree->nodes[*(const uint32_t *)b];

	return strcmp(na->name, nb->name);
}

void cramfs_tree_sort(struct cramfs_tree *tree)
{
	for (size_t i = 0; i < tree->count; i++)
		if (tree->nodes[i].nchildren > 1)
			qsort_r(tree->nodes[i].children, tree->nodes[i].nchildren,
				sizeof(uint32_t), compare_names, tree);
}
