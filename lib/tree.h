/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The in-memory tree: lib-private view of struct cramfs_tree. */
#ifndef CRAMFS_TREE_H
#define CRAMFS_TREE_H

#include <stdbool.h>
#include <stdint.h>

#include "private.h"

enum cramfs_source {
	CRAMFS_SRC_NONE = 0, /* no content: directories, devices, empty files */
	CRAMFS_SRC_MEMORY,   /* bytes held by the node */
	CRAMFS_SRC_FILE,     /* a file below the scanned directory */
};

struct cramfs_node {
	char *name;          /* one component; "" for the root */
	uint32_t namelen;
	uint32_t parent;
	uint32_t mode;
	uint32_t uid;
	uint32_t gid;        /* as given; stored modulo 256 (warned) */
	uint64_t size;       /* content bytes of files and symlinks */
	uint32_t rdev;       /* devices: major << 8 | minor */
	uint32_t *children;
	uint32_t nchildren;
	uint32_t capchildren;
	enum cramfs_source src;
	uint8_t *data;       /* CRAMFS_SRC_MEMORY */
	uint64_t dev;        /* CRAMFS_SRC_FILE and directories: identity */
	uint64_t ino;
	uint32_t nlink;      /* CRAMFS_SRC_FILE: links to the same inode */
};

struct cramfs_tree {
	struct cramfs_node *nodes;
	size_t count;
	size_t cap;
	int rootfd;          /* CRAMFS_SRC_FILE paths are relative to it */
	struct cramfs_msg msg;
	struct cramfs_strlist warnings;
};

/* Longest symlink target: Linux's PATH_MAX less the NUL. */
#define CRAMFS_SYMLINK_MAX 4095u

/* Longest path inside an image we build (components are <= 252 bytes). */
#define CRAMFS_TREE_PATH_MAX 4096u

/* "dir/name" of a node, relative to the root; "" for the root. */
int cramfs_tree_path(const struct cramfs_tree *tree, uint32_t id, char *buf,
		     size_t cap);

/* Sort every directory's children by name (byte order, as strcmp). */
void cramfs_tree_sort(struct cramfs_tree *tree);

/* Add a node whose attributes were already validated by the caller. */
int cramfs_tree_add_checked(struct cramfs_tree *tree, uint32_t parent,
			    const char *name, const struct cramfs_attr *attr,
			    uint32_t *id);

/* Validate attributes and name of a node about to be added at `path`. */
int cramfs_tree_check(struct cramfs_tree *tree, const char *path,
		      const char *name, const struct cramfs_attr *attr);

static inline bool cramfs_node_has_data(const struct cramfs_node *n)
{
	return n->size > 0 && n->src != CRAMFS_SRC_NONE;
}

#endif /* CRAMFS_TREE_H */
