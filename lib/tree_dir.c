// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Build the tree from a directory. Iterative (no recursion), never follows
 * symlinks below the root, opens every directory relative to the root's
 * descriptor, and rejects directory cycles (bind mounts).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "tree.h"

struct scan {
	struct cramfs_tree *tree;
	const char *root;    /* the directory as given */
	uint32_t *stack;
	size_t depth;
	size_t cap;
	char path[CRAMFS_TREE_PATH_MAX];
	char name_path[CRAMFS_TREE_PATH_MAX];
};

static void attr_from_stat(const struct stat *st, struct cramfs_attr *attr)
{
	memset(attr, 0, sizeof(*attr));
	attr->mode = st->st_mode;
	attr->uid = st->st_uid;
	attr->gid = st->st_gid;
	attr->size = (uint64_t)st->st_size;
	attr->rdev_major = major(st->st_rdev);
	attr->rdev_minor = minor(st->st_rdev);
}

/* A directory already on the path from the root means a cycle. */
static int check_cycle(struct scan *s, uint32_t parent, const struct stat *st)
{
	const struct cramfs_tree *t = s->tree;
	uint32_t id = parent;

	for (;;) {
		const struct cramfs_node *n = &t->nodes[id];

		if (n->dev == (uint64_t)st->st_dev && n->ino == (uint64_t)st->st_ino)
			return cramfs_msg_set(&s->tree->msg, -ELOOP,
					      "%s: directory cycle (same directory as %s)",
					      s->name_path, id ? n->name : "the root");
		if (id == CRAMFS_ROOT_ID)
			return 0;
		id = n->parent;
	}
}

static int read_symlink(struct scan *s, int dirfd, const char *name,
			const struct stat *st, uint32_t id)
{
	char target[CRAMFS_TREE_PATH_MAX + 1];
	ssize_t len = readlinkat(dirfd, name, target, sizeof(target));

	if (len < 0)
		return cramfs_msg_set(&s->tree->msg, -errno,
				      "%s: cannot read symlink: %s", s->name_path,
				      strerror(errno));
	if ((size_t)len > CRAMFS_TREE_PATH_MAX || len != st->st_size)
		return cramfs_msg_set(&s->tree->msg, -ESTALE,
				      "%s: symlink changed or is too long while scanning",
				      s->name_path);
	if (len == 0)
		return cramfs_msg_set(&s->tree->msg, -EINVAL,
				      "%s: empty symlink", s->name_path);
	return cramfs_tree_set_data(s->tree, id, target, (size_t)len);
}

/*
 * security.capability of a regular file, read by path (no open(): the
 * write is the one place that opens and reads files).
 */
static int check_caps(struct scan *s)
{
	char path[2 * CRAMFS_TREE_PATH_MAX + 2];

	if (s->tree->caps == CRAMFS_CAPS_IGNORE)
		return 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", s->root,
			     s->name_path) >= sizeof(path))
		return cramfs_msg_set(&s->tree->msg, -ENAMETOOLONG,
				      "%s: path too long", s->name_path);
	return cramfs_caps_check_path(s->tree, s->name_path, path);
}

static int push_dir(struct scan *s, uint32_t id)
{
	int err = cramfs_grow(&s->stack, &s->cap, s->depth + 1, sizeof(*s->stack));

	if (err)
		return err;
	s->stack[s->depth++] = id;
	return 0;
}

static int add_entry(struct scan *s, int dirfd, uint32_t parent,
		     const char *name)
{
	struct cramfs_attr attr;
	struct cramfs_node *n;
	struct stat st;
	uint32_t id;
	int err;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return cramfs_msg_set(&s->tree->msg, -errno, "%s: %s",
				      s->name_path, strerror(errno));
	attr_from_stat(&st, &attr);
	err = cramfs_tree_check(s->tree, s->name_path, name, &attr);
	if (!err && S_ISDIR(st.st_mode))
		err = check_cycle(s, parent, &st);
	if (!err)
		err = cramfs_tree_add_checked(s->tree, parent, name, &attr, &id);
	if (err)
		return err;
	n = &s->tree->nodes[id];
	n->dev = (uint64_t)st.st_dev;
	n->ino = (uint64_t)st.st_ino;
	n->nlink = (uint32_t)st.st_nlink;
	if (S_ISLNK(st.st_mode))
		return read_symlink(s, dirfd, name, &st, id);
	if (S_ISREG(st.st_mode) && st.st_size > 0)
		n->src = CRAMFS_SRC_FILE;
	if (S_ISREG(st.st_mode))
		return check_caps(s);
	if (S_ISDIR(st.st_mode))
		return push_dir(s, id);
	return 0;
}

static int set_name_path(struct scan *s, const char *name)
{
	size_t len = strlen(s->path);

	if (len + strlen(name) + 2 > sizeof(s->name_path))
		return cramfs_msg_set(&s->tree->msg, -ENAMETOOLONG,
				      "%s/%s: path too long", s->path, name);
	memcpy(s->name_path, s->path, len);
	if (len)
		s->name_path[len++] = '/';
	strcpy(s->name_path + len, name);
	return 0;
}

static int scan_one_dir(struct scan *s, uint32_t id)
{
	struct dirent *de;
	int dirfd, err = 0;
	DIR *d;

	if (cramfs_tree_path(s->tree, id, s->path, sizeof(s->path)))
		return cramfs_msg_set(&s->tree->msg, -ENAMETOOLONG,
				      "path too long below %s",
				      s->tree->nodes[id].name);
	dirfd = openat(s->tree->rootfd, id ? s->path : ".",
		       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0)
		return cramfs_msg_set(&s->tree->msg, -errno,
				      "%s: cannot open directory: %s",
				      id ? s->path : ".", strerror(errno));
	d = fdopendir(dirfd);
	if (!d) {
		err = -errno;
		close(dirfd);
		return cramfs_msg_set(&s->tree->msg, err, "%s: %s", s->path,
				      strerror(-err));
	}
	while (!err) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				err = cramfs_msg_set(&s->tree->msg, -errno,
						     "%s: cannot read directory: %s",
						     s->path, strerror(errno));
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		err = set_name_path(s, de->d_name);
		if (!err)
			err = add_entry(s, dirfd, id, de->d_name);
	}
	closedir(d);
	return err;
}

static int open_root(struct cramfs_tree *tree, const char *path)
{
	struct cramfs_attr attr;
	struct stat st;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return cramfs_msg_set(&tree->msg, -errno, "%s: %s", path,
				      strerror(errno));
	if (fstat(fd, &st) < 0) {
		int err = -errno;

		close(fd);
		return cramfs_msg_set(&tree->msg, err, "%s: %s", path,
				      strerror(-err));
	}
	attr_from_stat(&st, &attr);
	tree->rootfd = fd;
	tree->nodes[CRAMFS_ROOT_ID].dev = (uint64_t)st.st_dev;
	tree->nodes[CRAMFS_ROOT_ID].ino = (uint64_t)st.st_ino;
	return cramfs_tree_set_root(tree, &attr);
}

int cramfs_tree_scan_dir(struct cramfs_tree *tree, const char *path)
{
	struct scan *s;
	int err;

	if (tree->rootfd >= 0 || tree->count > 1)
		return cramfs_msg_set(&tree->msg, -EBUSY,
				      "%s: the tree already has content", path);
	err = open_root(tree, path);
	if (err)
		return err;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->tree = tree;
	s->root = path;
	err = push_dir(s, CRAMFS_ROOT_ID);
	while (!err && s->depth)
		err = scan_one_dir(s, s->stack[--s->depth]);
	free(s->stack);
	free(s);
	return err;
}
