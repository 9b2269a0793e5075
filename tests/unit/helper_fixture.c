// SPDX-License-Identifier: GPL-2.0-or-later
/* Shared fixtures for the unit tests; see helper_fixture.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "helper_fixture.h"
#include "tree.h"

int64_t fx_tree_find(const struct cramfs_tree *tree, const char *path)
{
	uint32_t id = CRAMFS_ROOT_ID;
	const char *p = path;

	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		const struct cramfs_node *dir = &tree->nodes[id];
		uint32_t i;

		for (i = 0; i < dir->nchildren; i++) {
			const struct cramfs_node *c = &tree->nodes[dir->children[i]];

			if (c->namelen == len && !memcmp(c->name, p, len))
				break;
		}
		if (i == dir->nchildren)
			return -ENOENT;
		id = dir->children[i];
		p += len;
		if (*p == '/')
			p++;
	}
	return id;
}

int fx_tree_add(struct cramfs_tree *tree, const struct fx_node *node,
		uint32_t *id)
{
	const char *slash = strrchr(node->path, '/');
	struct cramfs_attr attr;
	char parent_path[CRAMFS_TREE_PATH_MAX];
	int64_t parent = CRAMFS_ROOT_ID;
	uint32_t nid;
	int err;

	if (slash) {
		size_t plen = (size_t)(slash - node->path);

		if (plen >= sizeof(parent_path))
			return -ENAMETOOLONG;
		memcpy(parent_path, node->path, plen);
		parent_path[plen] = '\0';
		parent = fx_tree_find(tree, parent_path);
		if (parent < 0)
			return (int)parent;
	}
	memset(&attr, 0, sizeof(attr));
	attr.mode = node->mode;
	attr.uid = node->uid;
	attr.gid = node->gid;
	attr.size = node->len;
	attr.rdev_major = node->rdev_major;
	attr.rdev_minor = node->rdev_minor;
	err = cramfs_tree_add(tree, (uint32_t)parent,
			      slash ? slash + 1 : node->path, &attr, &nid);
	if (err)
		return err;
	if ((S_ISREG(node->mode) || S_ISLNK(node->mode)) && node->len) {
		err = cramfs_tree_set_data(tree, nid, node->data, node->len);
		if (err)
			return err;
	}
	if (id)
		*id = nid;
	return 0;
}

int fx_tree_build(const struct fx_node *nodes, size_t n,
		  struct cramfs_tree **out)
{
	struct cramfs_tree *tree;
	int err = cramfs_tree_new(&tree);

	*out = NULL;
	if (err)
		return err;
	for (size_t i = 0; i < n; i++) {
		err = fx_tree_add(tree, &nodes[i], NULL);
		if (err) {
			cramfs_tree_free(tree);
			return err;
		}
	}
	*out = tree;
	return 0;
}

static int read_fd(int fd, uint8_t **buf, size_t *len)
{
	struct stat st;
	uint8_t *b;
	size_t got = 0;

	*buf = NULL;
	*len = 0;
	if (fstat(fd, &st) < 0)
		return -errno;
	b = malloc((size_t)st.st_size ? (size_t)st.st_size : 1u);
	if (!b)
		return -ENOMEM;
	while (got < (size_t)st.st_size) {
		ssize_t n = pread(fd, b + got, (size_t)st.st_size - got,
				  (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? -errno : -EIO;

			free(b);
			return err;
		}
		got += (size_t)n;
	}
	*buf = b;
	*len = got;
	return 0;
}

int fx_write_image(struct cramfs_tree *tree,
		   const struct cramfs_write_opts *opts, uint8_t **buf,
		   size_t *len, struct cramfs_write_stats *stats)
{
	int fd = memfd_create("cramfs-unit", MFD_CLOEXEC);
	int err;

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return -errno;
	err = cramfs_write_fd(tree, opts, fd, stats);
	if (!err)
		err = read_fd(fd, buf, len);
	close(fd);
	return err;
}

int fx_slurp(const char *path, uint8_t **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err;

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return -errno;
	err = read_fd(fd, buf, len);
	close(fd);
	return err;
}

int fx_image_open(struct fx_image *img, const uint8_t *buf, size_t len,
		  enum cramfs_endian endian, uint32_t super_offset,
		  uint32_t block_size)
{
	memset(img, 0, sizeof(*img));
	if ((size_t)super_offset + CRAMFS_SUPER_SIZE > len)
		return -EINVAL;
	img->buf = buf;
	img->len = len;
	img->endian = cramfs_endian_resolve(endian);
	img->super_offset = super_offset;
	img->block_size = block_size;
	cramfs_super_decode(buf + super_offset, img->endian, &img->super);
	if (img->super.magic != CRAMFS_MAGIC || img->super.size > len ||
	    img->super.size < super_offset + CRAMFS_SUPER_SIZE)
		return -EINVAL;
	return 0;
}

/* Length of a NUL-padded name field. */
static size_t padded_name_len(const uint8_t *name, size_t field)
{
	while (field && name[field - 1] == '\0')
		field--;
	return field;
}

int fx_image_lookup(const struct fx_image *img, const char *path,
		    struct cramfs_inode *inode, uint32_t *inode_offset)
{
	struct cramfs_inode cur = img->super.root;
	uint32_t cur_off = img->super_offset + CRAMFS_SUPER_SIZE -
			   CRAMFS_INODE_SIZE;
	const char *p = path;

	while (*p) {
		const char *slash = strchr(p, '/');
		size_t want = slash ? (size_t)(slash - p) : strlen(p);
		uint64_t pos = (uint64_t)cur.offset << 2;
		uint64_t end = pos + cur.size;
		bool found = false;

		if (!S_ISDIR(cur.mode))
			return -ENOTDIR;
		if (end > img->len)
			return -EIO;
		while (pos < end) {
			struct cramfs_inode e;
			size_t field, nlen;

			if (pos + CRAMFS_INODE_SIZE > end)
				return -EIO;
			cramfs_inode_decode(img->buf + pos, img->endian, &e);
			field = (size_t)e.namelen << 2;
			if (pos + CRAMFS_INODE_SIZE + field > end || !field)
				return -EIO;
			nlen = padded_name_len(img->buf + pos + CRAMFS_INODE_SIZE,
					       field);
			if (nlen == want &&
			    !memcmp(img->buf + pos + CRAMFS_INODE_SIZE, p, want)) {
				cur = e;
				cur_off = (uint32_t)pos;
				found = true;
				break;
			}
			pos += CRAMFS_INODE_SIZE + field;
		}
		if (!found)
			return -ENOENT;
		p += want;
		if (*p == '/')
			p++;
	}
	*inode = cur;
	if (inode_offset)
		*inode_offset = cur_off;
	return 0;
}

static uint32_t nblocks_of(const struct fx_image *img,
			   const struct cramfs_inode *inode)
{
	return (inode->size + img->block_size - 1) / img->block_size;
}

int fx_image_block_ptr(const struct fx_image *img,
		       const struct cramfs_inode *inode, uint32_t i,
		       uint32_t *ptr)
{
	uint64_t at = ((uint64_t)inode->offset << 2) + (uint64_t)i * 4u;

	if (i >= nblocks_of(img, inode) || at + 4 > img->len)
		return -EINVAL;
	*ptr = cramfs_get32(img->buf + at, img->endian);
	return 0;
}

int fx_image_read(const struct fx_image *img, const struct cramfs_inode *inode,
		  uint8_t **out, size_t *len)
{
	uint32_t nblocks = nblocks_of(img, inode);
	uint64_t table = (uint64_t)inode->offset << 2;
	uint64_t start = table + (uint64_t)nblocks * 4u;
	uint8_t *buf;

	*out = NULL;
	*len = 0;
	if (start > img->len)
		return -EIO;
	buf = calloc(1, inode->size ? inode->size : 1u);
	if (!buf)
		return -ENOMEM;
	for (uint32_t i = 0; i < nblocks; i++) {
		uint32_t ptr = cramfs_get32(img->buf + table + i * 4u, img->endian);
		uint32_t end = ptr & ~CRAMFS_BLK_FLAGS;
		size_t want = inode->size - (size_t)i * img->block_size;
		uint8_t *dst = buf + (size_t)i * img->block_size;

		if (want > img->block_size)
			want = img->block_size;
		if ((ptr & CRAMFS_BLK_FLAG_DIRECT_PTR) || end < start ||
		    end > img->len)
			goto corrupt;
		if (end == start) {
			/* A hole: the calloc'd bytes are already zero. */
		} else if (ptr & CRAMFS_BLK_FLAG_UNCOMPRESSED) {
			if (end - start != want)
				goto corrupt;
			memcpy(dst, img->buf + start, want);
		} else {
			uLongf dlen = (uLongf)want;

			if (uncompress(dst, &dlen, img->buf + start,
				       (uLong)(end - start)) != Z_OK ||
			    dlen != want)
				goto corrupt;
		}
		start = end;
	}
	*out = buf;
	*len = inode->size;
	return 0;
corrupt:
	free(buf);
	return -EIO;
}

uint32_t fx_image_crc(const struct fx_image *img)
{
	size_t n = img->super.size - img->super_offset;
	uint8_t *copy = malloc(n);
	uint32_t crc;

	if (!copy)
		return 0;
	memcpy(copy, img->buf + img->super_offset, n);
	memset(copy + CRAMFS_SUPER_CRC_OFFSET, 0, 4);
	crc = (uint32_t)crc32(crc32(0, NULL, 0), copy, (uInt)n);
	free(copy);
	return crc;
}

static uint32_t xorshift(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

void fx_fill_random(uint8_t *buf, size_t len, uint32_t seed)
{
	uint32_t s = seed * 2654435761u + 1u;

	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(xorshift(&s) >> 24);
}

void fx_fill_text(uint8_t *buf, size_t len, uint32_t seed)
{
	static const char *const words[] = {
		"cramfs ", "block ", "inode ", "kernel ", "flash ", "page ",
		"zlib ", "image ", "root ", "data\n",
	};
	uint32_t s = seed * 2654435761u + 1u;
	size_t i = 0;

	while (i < len) {
		const char *w = words[xorshift(&s) % 10u];

		for (; *w && i < len; w++)
			buf[i++] = (uint8_t)*w;
	}
}

int fx_tempdir(char *dir, size_t cap)
{
	const char *base = getenv("TMPDIR");

	if (!base || !*base)
		base = "/tmp";
	if ((size_t)snprintf(dir, cap, "%s/cramfs-unit.XXXXXX", base) >= cap)
		return -ENAMETOOLONG;
	return mkdtemp(dir) ? 0 : -errno;
}

int fx_put_file(const char *dir, const char *rel, const void *data,
		size_t len)
{
	char path[4096];
	const uint8_t *p = data;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, rel) >=
	    sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? -errno : -EIO;

			close(fd);
			return err;
		}
		p += n;
		len -= (size_t)n;
	}
	return close(fd) < 0 ? -errno : 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

int fx_rm_rf(const char *path)
{
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0 ? -errno : 0;
}

int fx_count_prefixed(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, prefix, strlen(prefix)))
			n++;
	closedir(d);
	return n;
}
