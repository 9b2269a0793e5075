// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Device tables in the makedevs format Buildroot and Yocto use, applied to
 * the in-memory tree: devices, FIFOs, directories, and modes and owners
 * for files the build could not chown without root. User and group names
 * are looked up in the tree's own etc/passwd and etc/group, never the
 * host's, so the image does not depend on the build machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devtable.h"

struct devtable {
	struct cramfs_tree *tree;
	const char *file;
	unsigned int line;
	char where[CRAMFS_TREE_PATH_MAX + 64];
	char leaf[CRAMFS_TREE_PATH_MAX];
	char path[CRAMFS_TREE_PATH_MAX];
	char *db[2];          /* etc/passwd and etc/group, loaded on demand */
	size_t dblen[2];
	bool loaded[2];
};

static const char *const db_path[2] = { "etc/passwd", "etc/group" };

/* Numeric field or '-'; `max` bounds it. */
static int parse_num(const char *s, int base, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!strcmp(s, "-")) {
		*out = CRAMFS_DT_UNSET;
		return 0;
	}
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || end == s || *end || *s == '-' || *s == '+' || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int cramfs_devtable_parse(const char *line, struct cramfs_devtable_entry *e,
			  const char **why)
{
	char f[10][CRAMFS_TREE_PATH_MAX];
	uint32_t *nums[5] = { &e->major, &e->minor, &e->start, &e->inc,
			      &e->count };
	const char *p = line;
	int n = 0;

	while (*p) {
		size_t len;

		p += strspn(p, " \t\r\n");
		if (!*p || (n == 0 && *p == '#'))
			break;
		len = strcspn(p, " \t\r\n");
		if (n == 10) {
			*why = "more than 10 fields";
			return -EINVAL;
		}
		if (len >= sizeof(f[0])) {
			*why = "field too long";
			return -EINVAL;
		}
		memcpy(f[n], p, len);
		f[n++][len] = '\0';
		p += len;
	}
	if (n == 0)
		return 1;
	if (n < 5) {
		*why = "expected: name type mode uid gid [major minor start inc count]";
		return -EINVAL;
	}
	for (int i = n; i < 10; i++)
		strcpy(f[i], "-");
	strcpy(e->name, f[0]);
	if (strlen(f[1]) != 1 || !strchr("fFdrcbps", f[1][0])) {
		*why = "unknown type (use f, F, d, r, c, b, p or s)";
		return -EINVAL;
	}
	e->type = f[1][0];
	if (parse_num(f[2], 8, 07777, &e->mode)) {
		*why = "mode must be octal permission bits, at most 7777";
		return -EINVAL;
	}
	if (strlen(f[3]) >= sizeof(e->uid) || strlen(f[4]) >= sizeof(e->gid)) {
		*why = "user or group name too long";
		return -EINVAL;
	}
	strcpy(e->uid, f[3]);
	strcpy(e->gid, f[4]);
	for (int i = 0; i < 5; i++)
		if (parse_num(f[5 + i], 0, UINT32_MAX, nums[i])) {
			*why = "major, minor, start, inc and count must be numbers or '-'";
			return -EINVAL;
		}
	if (e->count == CRAMFS_DT_UNSET)
		e->count = 0;
	if (e->start == CRAMFS_DT_UNSET)
		e->start = 0;
	if (e->inc == CRAMFS_DT_UNSET)
		e->inc = 1;
	if ((e->type == 'c' || e->type == 'b') &&
	    (e->major == CRAMFS_DT_UNSET || e->minor == CRAMFS_DT_UNSET)) {
		*why = "a device needs major and minor numbers";
		return -EINVAL;
	}
	if (e->mode == CRAMFS_DT_UNSET && e->type != 'r') {
		*why = "mode is required (only type r accepts '-')";
		return -EINVAL;
	}
	return 0;
}

/* "FILE:LINE: <what><rest>" */
static int fail(struct devtable *d, int err, const char *what,
		const char *rest)
{
	return cramfs_msg_set(&d->tree->msg, err, "%s:%u: %s%s", d->file,
			      d->line, what, rest);
}

/* The content of node `id`, whatever its source (at most 16 MiB). */
static int read_node(struct devtable *d, uint32_t id, char **buf, size_t *len)
{
	const struct cramfs_node *n = &d->tree->nodes[id];
	int err = 0, fd;

	*len = (size_t)n->size;
	*buf = malloc(*len + 1);
	if (!*buf)
		return -ENOMEM;
	(*buf)[*len] = '\0';
	if (n->src == CRAMFS_SRC_MEMORY)
		memcpy(*buf, n->data, *len);
	else if (n->src == CRAMFS_SRC_SPOOL)
		err = cramfs_pread_all(d->tree->spoolfd, *buf, *len, n->spool_off);
	else if (n->src == CRAMFS_SRC_FILE) {
		if (cramfs_tree_path(d->tree, id, d->path, sizeof(d->path)))
			return -ENAMETOOLONG;
		fd = openat(d->tree->rootfd, d->path, O_RDONLY | O_CLOEXEC |
			    O_NOFOLLOW | O_NONBLOCK);
		err = fd < 0 ? -errno : cramfs_pread_all(fd, *buf, *len, 0);
		if (fd >= 0)
			close(fd);
	}
	return err;
}

static int load_db(struct devtable *d, int which)
{
	char leaf[CRAMFS_TREE_PATH_MAX];
	uint32_t parent, id;
	int err;

	if (d->loaded[which])
		return 0;
	d->loaded[which] = true;
	err = cramfs_tree_resolve(d->tree, d->file, db_path[which], false,
				  &parent, leaf, &id);
	if (err == -ENOENT || err == -ENOTDIR || (!err && (id == CRAMFS_NO_NODE ||
	    !S_ISREG(d->tree->nodes[id].mode))))
		return 0;
	if (!err)
		err = read_node(d, id, &d->db[which], &d->dblen[which]);
	if (err)
		return cramfs_msg_set(&d->tree->msg, err, "%s: cannot read %s: %s",
				      d->file, db_path[which], strerror(-err));
	return 0;
}

/* A decimal id ended by ':' or the end of the line. */
static int parse_num_prefix(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || (*end != ':' && *end != '\n' && *end) ||
	    *s == '-' || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* Field 3 (the id) of the line of etc/passwd or etc/group for `name`. */
static int lookup(struct devtable *d, int which, const char *name,
		  uint32_t *id)
{
	size_t nlen = strlen(name);
	char why[256];
	int err = load_db(d, which);

	if (err)
		return err;
	for (const char *p = d->db[which]; p && *p;) {
		const char *eol = strchr(p, '\n');
		const char *end = eol ? eol : p + strlen(p);
		const char *f;

		/* name:password:id:... */
		if (!strncmp(p, name, nlen) && p[nlen] == ':' &&
		    (f = memchr(p + nlen + 1, ':', (size_t)(end - p) - nlen - 1)) &&
		    !parse_num_prefix(f + 1, id))
			return 0;
		p = eol ? eol + 1 : NULL;
	}
	snprintf(why, sizeof(why), "%s '%.64s' is not in the tree's %s",
		 which ? "group" : "user", name, db_path[which]);
	return fail(d, -ENOENT, why, "");
}

/* uid or gid field: a number, a name, or '-' (keep, 0 for new nodes). */
static int owner(struct devtable *d, int which, const char *field,
		 uint32_t keep, uint32_t *out)
{
	if (!strcmp(field, "-")) {
		*out = keep;
		return 0;
	}
	if (!parse_num(field, 10, UINT32_MAX, out) && *out != CRAMFS_DT_UNSET)
		return 0;
	return lookup(d, which, field, out);
}

static int fill_attr(struct devtable *d, const struct cramfs_devtable_entry *e,
		     uint32_t id, uint32_t type, struct cramfs_attr *attr)
{
	const struct cramfs_node *n = id != CRAMFS_NO_NODE ?
				      &d->tree->nodes[id] : NULL;
	int err;

	memset(attr, 0, sizeof(*attr));
	attr->mode = type | (e->mode != CRAMFS_DT_UNSET ? e->mode :
			     n ? n->mode & 07777 : 0755);
	err = owner(d, 0, e->uid, n ? n->uid : 0, &attr->uid);
	if (!err)
		err = owner(d, 1, e->gid, n ? n->gid : 0, &attr->gid);
	return err;
}

/* New mode bits and owner for an existing node, content kept. */
static int set_attr(struct devtable *d, uint32_t id,
		    const struct cramfs_attr *attr)
{
	struct cramfs_node *n = &d->tree->nodes[id];
	struct cramfs_attr full = *attr;
	int err;

	if (id == CRAMFS_ROOT_ID)
		err = cramfs_tree_set_root(d->tree, attr);
	else if (cramfs_tree_path(d->tree, id, d->path, sizeof(d->path)))
		err = -ENAMETOOLONG;
	else {
		full.size = S_ISREG(n->mode) ? n->size : 0;
		err = cramfs_tree_check(d->tree, d->path, n->name, &full);
	}
	if (err)
		return cramfs_tree_msg_prefix(d->tree, d->where, err);
	n->mode = attr->mode;
	n->uid = cramfs_tree_uid(d->tree, attr);
	n->gid = cramfs_tree_gid(d->tree, attr);
	return 0;
}

static int resolve(struct devtable *d, const char *name, bool make_dirs,
		   uint32_t *parent, uint32_t *id)
{
	snprintf(d->where, sizeof(d->where), "%s:%u", d->file, d->line);
	return cramfs_tree_resolve(d->tree, d->where, name, make_dirs, parent,
				   d->leaf, id);
}

/* f and F: a regular file already in the tree. */
static int apply_file(struct devtable *d, const struct cramfs_devtable_entry *e)
{
	struct cramfs_attr attr;
	uint32_t parent, id;
	int err = resolve(d, e->name, false, &parent, &id);

	if (err == -ENOENT || (!err && id == CRAMFS_NO_NODE))
		return e->type == 'F' ? 0 :
		       fail(d, -ENOENT, e->name, ": no such file in the tree");
	if (err)
		return err;
	if (!S_ISREG(d->tree->nodes[id].mode))
		return fail(d, -EINVAL, e->name, ": not a regular file");
	err = fill_attr(d, e, id, S_IFREG, &attr);
	return err ? err : set_attr(d, id, &attr);
}

/* d: a directory, created with its parents when missing. */
static int apply_dir(struct devtable *d, const struct cramfs_devtable_entry *e)
{
	struct cramfs_attr attr;
	uint32_t parent, id;
	int err = resolve(d, e->name, true, &parent, &id);

	if (err)
		return err;
	if (id != CRAMFS_NO_NODE && !S_ISDIR(d->tree->nodes[id].mode))
		return fail(d, -ENOTDIR, e->name, ": exists and is not a directory");
	err = fill_attr(d, e, id, S_IFDIR, &attr);
	if (err)
		return err;
	if (id != CRAMFS_NO_NODE)
		return set_attr(d, id, &attr);
	err = cramfs_tree_add(d->tree, parent, d->leaf, &attr, NULL);
	return err ? cramfs_tree_msg_prefix(d->tree, d->where, err) : 0;
}

static bool below(const struct cramfs_tree *tree, uint32_t id, uint32_t top)
{
	while (id != top && id != CRAMFS_ROOT_ID)
		id = tree->nodes[id].parent;
	return id == top;
}

/* r: a directory and everything below it. */
static int apply_recursive(struct devtable *d,
			   const struct cramfs_devtable_entry *e)
{
	uint32_t parent, top;
	int err = resolve(d, e->name, false, &parent, &top);

	if (!err && (top == CRAMFS_NO_NODE || !S_ISDIR(d->tree->nodes[top].mode)))
		return fail(d, -ENOTDIR, e->name, ": no such directory in the tree");
	for (uint32_t id = 0; !err && id < d->tree->count; id++) {
		const struct cramfs_node *n = &d->tree->nodes[id];
		struct cramfs_devtable_entry one = *e;
		struct cramfs_attr attr;

		if (!below(d->tree, id, top))
			continue;
		/* Symlinks have no mode of their own. */
		if (S_ISLNK(n->mode))
			one.mode = CRAMFS_DT_UNSET;
		err = fill_attr(d, &one, id, n->mode & S_IFMT, &attr);
		if (!err)
			err = set_attr(d, id, &attr);
	}
	return err;
}

/* c, b, p, s: one node, or `count` numbered ones. */
static int apply_special(struct devtable *d,
			 const struct cramfs_devtable_entry *e)
{
	uint32_t type = e->type == 'c' ? S_IFCHR : e->type == 'b' ? S_IFBLK :
			e->type == 'p' ? S_IFIFO : S_IFSOCK;
	uint32_t n = e->count ? e->count : 1;
	char name[CRAMFS_TREE_PATH_MAX + 16];
	int err = 0;

	for (uint32_t i = 0; !err && i < n; i++) {
		uint64_t minor = e->type == 'c' || e->type == 'b' ?
				 (uint64_t)e->minor + (uint64_t)i * e->inc : 0;
		struct cramfs_attr attr;
		uint32_t parent, id;

		if (e->count)
			snprintf(name, sizeof(name), "%s%ju", e->name,
				 (uintmax_t)e->start + i);
		else
			snprintf(name, sizeof(name), "%s", e->name);
		err = resolve(d, name, true, &parent, &id);
		if (!err && parent == CRAMFS_NO_NODE)
			err = fail(d, -EINVAL, name, ": the root cannot be a device");
		if (!err && id != CRAMFS_NO_NODE &&
		    (d->tree->nodes[id].mode & S_IFMT) != type)
			err = fail(d, -EEXIST, name, ": exists as another type");
		if (!err)
			err = fill_attr(d, e, id, type, &attr);
		if (err)
			break;
		attr.rdev_major = e->type == 'c' || e->type == 'b' ? e->major : 0;
		attr.rdev_minor = minor > UINT32_MAX ? UINT32_MAX : (uint32_t)minor;
		if (id != CRAMFS_NO_NODE)
			err = cramfs_tree_replace(d->tree, d->where, id, &attr);
		else if ((err = cramfs_tree_add(d->tree, parent, d->leaf, &attr,
						NULL)))
			err = cramfs_tree_msg_prefix(d->tree, d->where, err);
	}
	return err;
}

static int apply(struct devtable *d, const struct cramfs_devtable_entry *e)
{
	switch (e->type) {
	case 'f': case 'F': return apply_file(d, e);
	case 'd': return apply_dir(d, e);
	case 'r': return apply_recursive(d, e);
	default: return apply_special(d, e);
	}
}

int cramfs_tree_apply_devtable(struct cramfs_tree *tree, const char *path)
{
	struct devtable *d = calloc(1, sizeof(*d));
	struct cramfs_devtable_entry *e = malloc(sizeof(*e));
	char *line = NULL;
	size_t cap = 0;
	int err = 0, ret;
	FILE *f;

	if (!d || !e) {
		free(d);
		free(e);
		return -ENOMEM;
	}
	d->tree = tree;
	d->file = path;
	f = fopen(path, "re");
	if (!f)
		err = cramfs_msg_set(&tree->msg, -errno, "device table %s: %s",
				     path, strerror(errno));
	while (!err && getline(&line, &cap, f) >= 0) {
		const char *why = NULL;

		d->line++;
		ret = cramfs_devtable_parse(line, e, &why);
		if (ret < 0)
			err = fail(d, ret, why, "");
		else if (ret == 0)
			err = apply(d, e);
	}
	if (!err && f && ferror(f))
		err = cramfs_msg_set(&tree->msg, -EIO, "%s: read error", path);
	if (f)
		fclose(f);
	free(line);
	free(d->db[0]);
	free(d->db[1]);
	free(d);
	free(e);
	return err;
}
