// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Build the tree from an archive through libarchive, in one pass: member
 * data goes to an unlinked spool file (holes stay holes), so an archive
 * larger than memory works and nothing needs to be unpacked or owned by
 * root. See cramfs_tree_scan_archive() for the rules on odd members.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tree.h"

struct reader {
	struct cramfs_tree *tree;
	struct archive *a;
	const char *name;
	uint64_t members;       /* identity of each regular member (ino) */
	char where[CRAMFS_TREE_PATH_MAX + 512];
	char leaf[CRAMFS_TREE_PATH_MAX];
};

static int archive_fail(struct reader *r, const char *where)
{
	const char *why = archive_error_string(r->a);
	int err = archive_errno(r->a);

	return cramfs_msg_set(&r->tree->msg, err > 0 ? -err : -EIO, "%s: %s",
			      where, why ? why : "cannot read the archive");
}

static int open_spool(struct cramfs_tree *tree)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	if ((size_t)snprintf(path, sizeof(path), "%s/mkcramfs-spool.XXXXXX",
			     dir) >= sizeof(path))
		return cramfs_msg_set(&tree->msg, -ENAMETOOLONG,
				      "%s: temporary directory name too long", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return cramfs_msg_set(&tree->msg, -errno,
				      "%s: cannot create the spool file: %s",
				      dir, strerror(errno));
	/* Unlinked at once: nothing is left behind, whatever happens. */
	unlink(path);
	tree->spoolfd = fd;
	return 0;
}

static int spool_write(struct reader *r, const void *buf, size_t len,
		       uint64_t off)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = pwrite(r->tree->spoolfd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return cramfs_msg_set(&r->tree->msg, -errno,
					      "%s: cannot spool member data: %s",
					      r->where, strerror(errno));
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/* Copy the current member's data to the spool; sets *size. */
static int spool_data(struct reader *r, struct archive_entry *e,
		      uint64_t base, uint64_t *size)
{
	uint64_t end = 0;
	const void *buf;
	la_int64_t off;
	size_t len;
	int ret, err;

	for (;;) {
		ret = archive_read_data_block(r->a, &buf, &len, &off);
		if (ret == ARCHIVE_EOF)
			break;
		if (ret < ARCHIVE_WARN)
			return archive_fail(r, r->where);
		if (off < 0 || (uint64_t)off + len > CRAMFS_SIZE_MAX)
			return cramfs_msg_set(&r->tree->msg, -EFBIG,
					      "%s: data beyond the cramfs file size limit %u",
					      r->where, CRAMFS_SIZE_MAX);
		if (len && (err = spool_write(r, buf, len, base + (uint64_t)off)))
			return err;
		if ((uint64_t)off + len > end)
			end = (uint64_t)off + len;
	}
	*size = archive_entry_size_is_set(e) ?
		(uint64_t)archive_entry_size(e) : end;
	if (end > *size)
		return cramfs_msg_set(&r->tree->msg, -EINVAL,
				      "%s: more data than the header's size %ju",
				      r->where, (uintmax_t)*size);
	/* A trailing hole of a sparse member: extend without writing. */
	if (end < *size && ftruncate(r->tree->spoolfd, (off_t)(base + *size)))
		return cramfs_msg_set(&r->tree->msg, -errno,
				      "%s: cannot spool member data: %s",
				      r->where, strerror(errno));
	r->tree->spool_end = base + *size;
	return 0;
}

static void set_spooled(struct cramfs_node *n, uint64_t base, uint64_t size)
{
	n->src = size ? CRAMFS_SRC_SPOOL : CRAMFS_SRC_NONE;
	n->spool_off = base;
	n->size = size;
}

/* Give node `id`, and the nodes linked to it, the data just spooled. */
static int set_file_data(struct reader *r, struct archive_entry *e,
			 uint32_t id)
{
	uint64_t base = r->tree->spool_end, size = 0;
	const struct cramfs_node *n = &r->tree->nodes[id];
	int err = spool_data(r, e, base, &size);

	if (err)
		return err;
	if (size > CRAMFS_SIZE_MAX)
		return cramfs_msg_set(&r->tree->msg, -EFBIG,
				      "%s: file is %ju bytes; cramfs limit is %u",
				      r->where, (uintmax_t)size, CRAMFS_SIZE_MAX);
	if (n->nlink < 2) {
		set_spooled(&r->tree->nodes[id], base, size);
		return 0;
	}
	/* Rare (cpio's last link carries the data): worth a walk. */
	for (size_t i = 0; i < r->tree->count; i++)
		if (S_ISREG(r->tree->nodes[i].mode) &&
		    r->tree->nodes[i].ino == n->ino)
			set_spooled(&r->tree->nodes[i], base, size);
	return 0;
}

static int attr_from_entry(struct reader *r, struct archive_entry *e,
			   struct cramfs_attr *attr)
{
	la_int64_t uid = archive_entry_uid(e), gid = archive_entry_gid(e);

	memset(attr, 0, sizeof(*attr));
	if (uid < 0 || uid > UINT32_MAX || gid < 0 || gid > UINT32_MAX)
		return cramfs_msg_set(&r->tree->msg, -ERANGE,
				      "%s: owner %jd:%jd out of range", r->where,
				      (intmax_t)uid, (intmax_t)gid);
	attr->mode = archive_entry_mode(e);
	attr->uid = (uint32_t)uid;
	attr->gid = (uint32_t)gid;
	if (S_ISREG(attr->mode) && archive_entry_size_is_set(e) &&
	    archive_entry_size(e) > 0)
		attr->size = (uint64_t)archive_entry_size(e);
	attr->rdev_major = (uint32_t)archive_entry_rdevmajor(e);
	attr->rdev_minor = (uint32_t)archive_entry_rdevminor(e);
	return 0;
}

/* Add the node for `path`, or give an existing one the new attributes. */
static int place(struct reader *r, const char *path,
		 const struct cramfs_attr *attr, uint32_t *id)
{
	uint32_t parent;
	int err = cramfs_tree_resolve(r->tree, r->name, path, true, &parent,
				      r->leaf, id);

	if (err)
		return err;
	if (*id != CRAMFS_NO_NODE)
		return cramfs_tree_replace(r->tree, r->name, *id, attr);
	err = cramfs_tree_add(r->tree, parent, r->leaf, attr, id);
	return err ? cramfs_tree_msg_prefix(r->tree, r->name, err) : 0;
}

static int add_hard_link(struct reader *r, struct archive_entry *e,
			 const char *path, const char *target)
{
	struct cramfs_attr attr = { 0 };
	struct cramfs_node *t, *n;
	uint32_t parent, tid, id;
	int err = cramfs_tree_resolve(r->tree, r->name, target, false,
				      &parent, r->leaf, &tid);

	if (err == -ENOENT || err == -ENOTDIR)
		tid = CRAMFS_NO_NODE;
	else if (err)
		return err;
	if (tid == CRAMFS_NO_NODE || parent == CRAMFS_NO_NODE ||
	    S_ISDIR(r->tree->nodes[tid].mode))
		return cramfs_msg_set(&r->tree->msg, -ENOENT,
				      "%s: hard link to %s, which is not a file earlier in the archive",
				      r->where, target);
	t = &r->tree->nodes[tid];
	attr.mode = t->mode;
	attr.uid = t->uid;
	attr.gid = t->gid;
	attr.rdev_major = t->rdev >> 8;
	attr.rdev_minor = t->rdev & 0xff;
	err = place(r, path, &attr, &id);
	if (err)
		return err;
	t = &r->tree->nodes[tid];
	if (id == tid)
		return 0;
	if (S_ISLNK(t->mode))
		return cramfs_tree_set_data(r->tree, id, t->data, (size_t)t->size);
	if (!S_ISREG(t->mode))
		return 0;
	/* Links share one identity, so XIP lays their data out once. */
	t->nlink = 2;
	n = &r->tree->nodes[id];
	n->size = t->size;
	n->src = t->src;
	n->spool_off = t->spool_off;
	n->ino = t->ino;
	n->nlink = 2;
	/* cpio newc: the data comes with the last link. */
	if (archive_entry_size_is_set(e) && archive_entry_size(e) > 0)
		return set_file_data(r, e, id);
	return 0;
}

static int add_xattrs(struct reader *r, struct archive_entry *e, uint32_t id)
{
	const char *name;
	const void *value;
	size_t size;
	char path[CRAMFS_TREE_PATH_MAX];

	if (cramfs_tree_path(r->tree, id, path, sizeof(path)))
		return -ENAMETOOLONG;

	archive_entry_xattr_reset(e);
	while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK)
		if (!strcmp(name, "security.capability")) {
			int err = cramfs_caps_found(r->tree, path, value, size);

			if (err)
				return cramfs_tree_msg_prefix(r->tree, r->name, err);
		}
	return 0;
}

static int add_member(struct reader *r, struct archive_entry *e)
{
	const char *path = archive_entry_pathname(e);
	const char *link = archive_entry_hardlink(e);
	struct cramfs_attr attr;
	uint32_t id;
	int err;

	if (!path)
		return cramfs_msg_set(&r->tree->msg, -EINVAL,
				      "%s: member without a name", r->name);
	snprintf(r->where, sizeof(r->where), "%s: %s", r->name, path);
	if (link)
		return add_hard_link(r, e, path, link);
	err = attr_from_entry(r, e, &attr);
	if (!err)
		err = place(r, path, &attr, &id);
	if (err)
		return err;
	if (S_ISLNK(attr.mode)) {
		const char *target = archive_entry_symlink(e);

		err = cramfs_tree_set_data(r->tree, id, target ? target : "",
					   target ? strlen(target) : 0);
		if (err)
			return cramfs_tree_msg_prefix(r->tree, r->name, err);
	}
	if (S_ISREG(attr.mode)) {
		r->tree->nodes[id].ino = ++r->members;
		err = set_file_data(r, e, id);
		if (!err)
			err = add_xattrs(r, e, id);
	}
	return err;
}

int cramfs_tree_scan_archive(struct cramfs_tree *tree, int fd,
			     const char *name)
{
	struct reader r = { .tree = tree, .name = name };
	struct archive_entry *e;
	int ret, err;

	if (tree->rootfd >= 0 || tree->spoolfd >= 0 || tree->count > 1)
		return cramfs_msg_set(&tree->msg, -EBUSY,
				      "%s: the tree already has content", name);
	err = open_spool(tree);
	if (err)
		return err;
	r.a = archive_read_new();
	if (!r.a)
		return -ENOMEM;
	archive_read_support_filter_all(r.a);
	/*
	 * Every archive format but mtree (it takes plain text for a
	 * manifest and pulls in host files) and raw and empty (anything,
	 * or nothing, would be "an archive"). Tar first: registered after
	 * iso9660, libarchive 3.6 reads a tar cut inside a header as
	 * complete.
	 */
	archive_read_support_format_tar(r.a);
	archive_read_support_format_cpio(r.a);
	archive_read_support_format_7zip(r.a);
	archive_read_support_format_ar(r.a);
	archive_read_support_format_cab(r.a);
	archive_read_support_format_iso9660(r.a);
	archive_read_support_format_lha(r.a);
	archive_read_support_format_rar(r.a);
	archive_read_support_format_rar5(r.a);
	archive_read_support_format_warc(r.a);
	archive_read_support_format_xar(r.a);
	archive_read_support_format_zip(r.a);
	if (archive_read_open_fd(r.a, fd, 65536) != ARCHIVE_OK)
		err = cramfs_msg_set(&tree->msg, -EINVAL,
				     "%s: not a directory or an archive (%s)",
				     name, archive_error_string(r.a));
	while (!err) {
		ret = archive_read_next_header(r.a, &e);
		if (ret == ARCHIVE_EOF)
			break;
		if (ret < ARCHIVE_WARN) {
			err = archive_fail(&r, name);
			break;
		}
		err = add_member(&r, e);
		/* A warning (a name not in the locale's charset) keeps the bytes. */
		if (!err && ret == ARCHIVE_WARN &&
		    cramfs_strlist_addf(&tree->warnings, "%s: %s", r.where,
					archive_error_string(r.a)))
			err = -ENOMEM;
	}
	archive_read_free(r.a);
	return err;
}
