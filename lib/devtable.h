/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Device tables (makedevs format): one line, parsed. */
#ifndef CRAMFS_DEVTABLE_H
#define CRAMFS_DEVTABLE_H

#include <stdint.h>

#include "tree.h"

/* A field given as '-'. */
#define CRAMFS_DT_UNSET UINT32_MAX

struct cramfs_devtable_entry {
	char name[CRAMFS_TREE_PATH_MAX];
	char type;            /* f F d r c b p s */
	uint32_t mode;        /* permission bits, or CRAMFS_DT_UNSET */
	char uid[64];         /* number or user name; "-" keeps the owner */
	char gid[64];
	uint32_t major, minor;
	uint32_t start, inc, count;
};

/*
 * Parse one line. Returns 1 for a blank or comment line, 0 for an entry,
 * -EINVAL with *why set for anything else.
 */
int cramfs_devtable_parse(const char *line, struct cramfs_devtable_entry *e,
			  const char **why);

#endif /* CRAMFS_DEVTABLE_H */
