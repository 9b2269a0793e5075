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
	CRAMFS_SRC_SPOOL,    /* bytes at `spool_off` in the tree's spool file */
};

/* No such node (lookups). */
#define CRAMFS_NO_NODE UINT32_MAX

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
	uint64_t spool_off;  /* CRAMFS_SRC_SPOOL */
};

struct cramfs_tree {
	struct cramfs_node *nodes;
	size_t count;
	size_t cap;
	int rootfd;          /* CRAMFS_SRC_FILE paths are relative to it */
	int spoolfd;         /* unlinked file holding archive member data */
	uint64_t spool_end;  /* bytes of it in use */
	enum cramfs_caps_policy caps;
	int64_t force_uid;   /* >= 0: every node's owner (--force-uid) */
	int64_t force_gid;
	struct cramfs_msg msg;
	struct cramfs_strlist warnings;
	uint32_t *gids_warned;   /* gids over 8 bits warned about, once each */
	size_t ngids_warned;
	size_t gids_warned_cap;
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

/* The owner a node gets: the forced one, if any, else the attribute's. */
static inline uint32_t cramfs_tree_uid(const struct cramfs_tree *tree,
				       const struct cramfs_attr *attr)
{
	return tree->force_uid >= 0 ? (uint32_t)tree->force_uid : attr->uid;
}

static inline uint32_t cramfs_tree_gid(const struct cramfs_tree *tree,
				       const struct cramfs_attr *attr)
{
	return tree->force_gid >= 0 ? (uint32_t)tree->force_gid : attr->gid;
}

/* Child `name` of directory `parent`, or CRAMFS_NO_NODE. */
uint32_t cramfs_tree_child(const struct cramfs_tree *tree, uint32_t parent,
			   const char *name);

/*
 * lib/tree_path.c: resolve `path` ("a/b/c"; leading '/', "." and empty
 * components ignored, ".." refused) to the directory holding its last
 * component (*parent), that component (*name, into `name` of
 * CRAMFS_TREE_PATH_MAX bytes) and the node already there (*id, or
 * CRAMFS_NO_NODE). A path naming the root gives *parent = CRAMFS_NO_NODE
 * and *id = CRAMFS_ROOT_ID. Missing directories on the way are created
 * 0755 root:root when `make_dirs`, else -ENOENT. Messages start with
 * `where` (the input file and member or line).
 */
int cramfs_tree_resolve(struct cramfs_tree *tree, const char *where,
			const char *path, bool make_dirs, uint32_t *parent,
			char *name, uint32_t *id);

/* Put `where` in front of the message the tree holds; returns `err`. */
int cramfs_tree_msg_prefix(struct cramfs_tree *tree, const char *where,
			   int err);

/*
 * Give an existing node new attributes (a later archive member or device
 * table line for the same path). Its content is dropped; a directory keeps
 * its entries, and only another directory may take the place of a
 * directory that has entries.
 */
int cramfs_tree_replace(struct cramfs_tree *tree, const char *where,
			uint32_t id, const struct cramfs_attr *attr);

/* lib/caps.c: report the file capabilities found on `path` as the policy says. */
int cramfs_caps_found(struct cramfs_tree *tree, const char *path,
		      const void *xattr, size_t len);
/* Look for capabilities on `host_path`, named `path` in the image. */
int cramfs_caps_check_path(struct cramfs_tree *tree, const char *path,
			   const char *host_path);

static inline bool cramfs_node_has_data(const struct cramfs_node *n)
{
	return n->size > 0 && n->src != CRAMFS_SRC_NONE;
}

#endif /* CRAMFS_TREE_H */
