// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bounds-checked reader of cramfs images.
 *
 * Every byte of the image is hostile: each access goes through
 * cramfs_image_span(), offsets are computed in 64 bits so that no sum of
 * 32-bit fields can wrap, and nothing is allocated from a size read out of
 * the image beyond one block buffer.
 */
#include <errno.h>
#include <libdeflate.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deflate_check.h"
#include "image_internal.h"

#define BLOCK_SIZE_MIN 4096u
#define BLOCK_SIZE_MAX 65536u

/* No image byte lies past what the 32-bit superblock size can describe. */
#define MAP_LEN_MAX ((uint64_t)CRAMFS_IMAGE_SIZE_MAX < (uint64_t)SIZE_MAX ? \
		     (uint64_t)CRAMFS_IMAGE_SIZE_MAX : (uint64_t)SIZE_MAX)

int cramfs_image_new(struct cramfs_image **out)
{
	struct cramfs_image *img;

	if (!out)
		return -EINVAL;
	img = calloc(1, sizeof(*img));
	if (!img)
		return -ENOMEM;
	img->block_size = BLOCK_SIZE_MIN;
	*out = img;
	return 0;
}

static void image_close(struct cramfs_image *img)
{
	if (img->mapped && img->base)
		munmap((void *)img->base, img->map_len);
	img->base = NULL;
	img->mapped = false;
	img->open = false;
	img->map_len = 0;
	img->file_len = 0;
	img->limit = 0;
}

void cramfs_image_free(struct cramfs_image *img)
{
	if (!img)
		return;
	image_close(img);
	if (img->zs_ready)
		inflateEnd(&img->zs);
	if (img->ld)
		libdeflate_free_decompressor(img->ld);
	free(img->block_buf);
	free(img);
}

const char *cramfs_image_errmsg(const struct cramfs_image *img)
{
	return img ? img->msg.text : "no image handle";
}

int cramfs_image_set_block_size(struct cramfs_image *img, uint32_t block_size)
{
	if (!img)
		return -EINVAL;
	if (block_size < BLOCK_SIZE_MIN || block_size > BLOCK_SIZE_MAX ||
	    (block_size & (block_size - 1)))
		return cramfs_msg_set(&img->msg, -EINVAL,
				      "block size %u: must be a power of two from %u to %u",
				      block_size, BLOCK_SIZE_MIN, BLOCK_SIZE_MAX);
	if (block_size != img->block_size) {
		free(img->block_buf);
		img->block_buf = NULL;
		img->block_size = block_size;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Small shared helpers.                                                */
/* ------------------------------------------------------------------ */

int cramfs_image_span(struct cramfs_image *img, uint64_t off, uint64_t len,
		      const char *what, const uint8_t **p)
{
	*p = NULL;
	/* limit <= map_len <= 4 GiB, so these 64-bit sums cannot wrap. */
	if (off > img->limit || len > img->limit - off)
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "%s at 0x%llx (%llu bytes) extends beyond image end 0x%llx",
				      what, (unsigned long long)off,
				      (unsigned long long)len,
				      (unsigned long long)img->limit);
	*p = img->base + off;
	return 0;
}

int cramfs_msg_prefix(struct cramfs_msg *msg, int err, const char *fmt, ...)
{
	char old[CRAMFS_MSG_MAX];
	char pre[CRAMFS_MSG_MAX];
	va_list ap;

	memcpy(old, msg->text, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	return cramfs_msg_set(msg, err, "%s: %s", pre, old);
}

void cramfs_escape_name(char *out, size_t cap, const uint8_t *name, size_t len)
{
	size_t o = 0;

	if (cap == 0)
		return;
	for (size_t i = 0; i < len; i++) {
		uint8_t c = name[i];
		size_t seq = cramfs_utf8_char_len(name + i, len - i);
		/* Control bytes (C1 too), bytes that are not UTF-8: octal. */
		bool esc = c < 0x20 || c == 0x7f || c == '\\' || c == '"' ||
			   !seq || (c == 0xc2 && name[i + 1] < 0xa0);
		size_t need = esc ? 4 : seq;

		/* Keep room for "..." and the NUL. */
		if (o + need + 4 > cap) {
			if (o + 4 <= cap) {
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		if (esc)
			snprintf(out + o, 5, "\\%03o", c);
		else
			memcpy(out + o, name + i, seq);
		o += need;
		i += esc ? 0 : seq - 1;
	}
	out[o] = '\0';
}

static size_t u32map_slot(uint32_t key, size_t cap)
{
	uint32_t h = key * 0x9e3779b1u;

	return (h ^ (h >> 15)) & (cap - 1);
}

static int u32map_grow(struct cramfs_u32map *map)
{
	size_t ncap = map->cap ? map->cap * 2 : 64;
	uint64_t *slots;
	uint32_t *values;

	if (ncap > SIZE_MAX / sizeof(*slots))
		return -ENOMEM;
	slots = calloc(ncap, sizeof(*slots));
	values = calloc(ncap, sizeof(*values));
	if (!slots || !values) {
		free(slots);
		free(values);
		return -ENOMEM;
	}
	for (size_t i = 0; i < map->cap; i++) {
		size_t j;

		if (!map->slots[i])
			continue;
		j = u32map_slot((uint32_t)(map->slots[i] - 1), ncap);
		while (slots[j])
			j = (j + 1) & (ncap - 1);
		slots[j] = map->slots[i];
		values[j] = map->values[i];
	}
	free(map->slots);
	free(map->values);
	map->slots = slots;
	map->values = values;
	map->cap = ncap;
	return 0;
}

int cramfs_u32map_add(struct cramfs_u32map *map, uint32_t key, uint32_t value,
		      bool *found, uint32_t *stored)
{
	size_t i;

	if ((map->count + 1) * 2 > map->cap && u32map_grow(map))
		return -ENOMEM;
	i = u32map_slot(key, map->cap);
	while (map->slots[i] && map->slots[i] != (uint64_t)key + 1)
		i = (i + 1) & (map->cap - 1);
	*found = map->slots[i] != 0;
	if (!*found) {
		map->slots[i] = (uint64_t)key + 1;
		map->values[i] = value;
		map->count++;
	}
	if (stored)
		*stored = map->values[i];
	return 0;
}

uint32_t *cramfs_u32map_find(struct cramfs_u32map *map, uint32_t key)
{
	size_t i;

	if (!map->cap)
		return NULL;
	i = u32map_slot(key, map->cap);
	while (map->slots[i]) {
		if (map->slots[i] == (uint64_t)key + 1)
			return &map->values[i];
		i = (i + 1) & (map->cap - 1);
	}
	return NULL;
}

void cramfs_u32map_free(struct cramfs_u32map *map)
{
	free(map->slots);
	free(map->values);
	memset(map, 0, sizeof(*map));
}

/* ------------------------------------------------------------------ */
/* Opening.                                                             */
/* ------------------------------------------------------------------ */

/* Try one candidate superblock position; 1 if it holds the magic. */
static int probe_magic(struct cramfs_image *img, uint32_t off)
{
	uint32_t magic;

	if (img->map_len < (uint64_t)off + CRAMFS_SUPER_SIZE)
		return 0;
	magic = cramfs_get32(img->base + off, CRAMFS_ENDIAN_LITTLE);
	if (magic == CRAMFS_MAGIC)
		img->endian = CRAMFS_ENDIAN_LITTLE;
	else if (magic == CRAMFS_MAGIC_WEND)
		img->endian = CRAMFS_ENDIAN_BIG;
	else
		return 0;
	img->super_off = off;
	return 1;
}

/* Reads stop at the size the superblock claims, when it is plausible. */
static uint64_t read_limit(const struct cramfs_image *img)
{
	uint64_t size = img->super.size;

	if ((img->super.flags & CRAMFS_FLAG_FSID_VERSION_2) &&
	    size >= (uint64_t)img->super_off + CRAMFS_SUPER_SIZE &&
	    size < img->map_len)
		return size;
	return img->map_len;
}

static int parse_super(struct cramfs_image *img)
{
	struct cramfs_super *sb = &img->super;

	if (img->map_len < CRAMFS_SUPER_SIZE)
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "image is %llu bytes, too small for a cramfs superblock",
				      (unsigned long long)img->map_len);
	if (!probe_magic(img, 0) && !probe_magic(img, CRAMFS_PAD_SIZE))
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "no cramfs magic at offset 0 or %u: not a cramfs image",
				      CRAMFS_PAD_SIZE);
	cramfs_super_decode(img->base + img->super_off, img->endian, sb);
	if (sb->flags & ~CRAMFS_SUPPORTED_FLAGS)
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "superblock at 0x%x: unsupported flags 0x%x (known: 0x%x)",
				      img->super_off,
				      sb->flags & ~CRAMFS_SUPPORTED_FLAGS,
				      CRAMFS_SUPPORTED_FLAGS);
	if (!S_ISDIR(sb->root.mode))
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "superblock at 0x%x: root inode mode 0%o is not a directory",
				      img->super_off, sb->root.mode);
	img->limit = read_limit(img);
	img->open = true;
	return 0;
}

int cramfs_image_open_memory(struct cramfs_image *img, const void *buf,
			     size_t len)
{
	int ret;

	if (!img)
		return -EINVAL;
	if (img->open)
		return cramfs_msg_set(&img->msg, -EBUSY, "an image is already open");
	if (!buf && len)
		return cramfs_msg_set(&img->msg, -EINVAL, "no buffer");
	cramfs_msg_clear(&img->msg);
	img->base = buf;
	img->file_len = len;
	img->map_len = (uint64_t)len > MAP_LEN_MAX ? (size_t)MAP_LEN_MAX : len;
	ret = parse_super(img);
	if (ret)
		image_close(img);
	return ret;
}

static int file_length(struct cramfs_image *img, int fd, uint64_t *len)
{
	struct stat st;

	if (fstat(fd, &st))
		return cramfs_msg_set(&img->msg, -errno, "cannot stat: %s",
				      strerror(errno));
	if (S_ISREG(st.st_mode)) {
		*len = (uint64_t)st.st_size;
		return 0;
	}
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, len))
			return cramfs_msg_set(&img->msg, -errno,
					      "cannot get block device size: %s",
					      strerror(errno));
		return 0;
	}
	return cramfs_msg_set(&img->msg, -EINVAL,
			      "not a regular file or block device");
}

int cramfs_image_open_file(struct cramfs_image *img, const char *path)
{
	uint64_t len = 0;
	void *map;
	int fd, ret;

	if (!img || !path)
		return -EINVAL;
	if (img->open)
		return cramfs_msg_set(&img->msg, -EBUSY, "an image is already open");
	cramfs_msg_clear(&img->msg);
	/* O_NONBLOCK: a fifo given as the image must not wait for a writer. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return cramfs_msg_set(&img->msg, -errno, "cannot open: %s",
				      strerror(errno));
	ret = file_length(img, fd, &len);
	if (!ret && len == 0)
		ret = cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				     "empty file: not a cramfs image");
	if (ret) {
		close(fd);
		return ret;
	}
	img->map_len = len > MAP_LEN_MAX ? (size_t)MAP_LEN_MAX : (size_t)len;
	map = mmap(NULL, img->map_len, PROT_READ, MAP_SHARED, fd, 0);
	ret = map == MAP_FAILED ? -errno : 0;
	close(fd);
	if (ret) {
		img->map_len = 0;
		return cramfs_msg_set(&img->msg, ret, "cannot map: %s",
				      strerror(-ret));
	}
	img->base = map;
	img->mapped = true;
	img->file_len = len;
	ret = parse_super(img);
	if (ret)
		image_close(img);
	return ret;
}

const struct cramfs_super *cramfs_image_super(const struct cramfs_image *img)
{
	return img && img->open ? &img->super : NULL;
}

enum cramfs_endian cramfs_image_endian(const struct cramfs_image *img)
{
	return img && img->open ? img->endian : CRAMFS_ENDIAN_HOST;
}

uint32_t cramfs_image_super_offset(const struct cramfs_image *img)
{
	return img && img->open ? img->super_off : 0;
}

uint64_t cramfs_image_length(const struct cramfs_image *img)
{
	return img && img->open ? img->file_len : 0;
}

int cramfs_image_compute_crc(struct cramfs_image *img, uint32_t *crc)
{
	static const uint8_t zero[4];
	uint64_t end, pos;
	const uint8_t *p;
	uint32_t c;

	if (!img || !crc || !img->open)
		return -EINVAL;
	end = img->map_len;
	if (img->super.flags & CRAMFS_FLAG_FSID_VERSION_2)
		end = img->super.size;
	if (end > img->map_len)
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "superblock size 0x%llx is beyond the end of the image (0x%llx bytes)",
				      (unsigned long long)end,
				      (unsigned long long)img->map_len);
	if (end < (uint64_t)img->super_off + CRAMFS_SUPER_SIZE)
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "superblock size 0x%llx ends inside the superblock",
				      (unsigned long long)end);
	p = img->base + img->super_off;
	c = cramfs_crc32(0, p, CRAMFS_SUPER_CRC_OFFSET);
	c = cramfs_crc32(c, zero, sizeof(zero));
	pos = img->super_off + CRAMFS_SUPER_CRC_OFFSET + sizeof(zero);
	*crc = cramfs_crc32(c, img->base + pos, (size_t)(end - pos));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Tree walk.                                                           */
/* ------------------------------------------------------------------ */

struct walk_frame {
	uint64_t pos;            /* next entry */
	uint64_t end;            /* end of this directory's entries */
	uint32_t start;          /* first entry: identifies the directory */
	size_t path_len;         /* this directory's path in walk.path */
};

struct walk {
	struct cramfs_image *img;
	cramfs_walk_fn fn;
	cramfs_walk_problem_fn problem;
	void *arg;
	struct walk_frame *stack;
	unsigned int depth;      /* frames in use */
	char *path;
	struct cramfs_u32map visited;
};

/* Deepest path: one name and a '/' per level, plus the NUL. */
#define WALK_PATH_MAX (CRAMFS_WALK_MAX_DEPTH * (CRAMFS_MAXPATHLEN + 1) + 1)

static int walk_problem(struct walk *w, enum cramfs_walk_problem kind,
			const char *path, uint64_t off, int err)
{
	int ret;

	if (!w->problem)
		return err;
	ret = w->problem(w->arg, kind, path, off, err);
	return ret > 0 ? -ret : ret;
}

/* The path of frame f's directory ("" for the root), valid until the next entry. */
static const char *frame_path(struct walk *w, const struct walk_frame *f)
{
	w->path[f->path_len] = '\0';
	return w->path;
}

/* Refuse a directory whose entries are already on the way down or seen. */
static int walk_check_seen(struct walk *w, uint32_t start)
{
	const char *anc;
	bool found;
	int ret;

	for (unsigned int i = 0; i < w->depth; i++) {
		if (w->stack[i].start != start)
			continue;
		/* Only the path prefix is cut; the entry's own path survives. */
		anc = w->stack[i].path_len ? w->path : "/";
		return cramfs_msg_set(&w->img->msg, -ELOOP,
				      "directory cycle: entries at 0x%x are those of ancestor %.*s",
				      start, (int)(w->stack[i].path_len ?
						   w->stack[i].path_len : 1), anc);
	}
	ret = cramfs_u32map_add(&w->visited, start, 0, &found, NULL);
	if (ret)
		return cramfs_msg_set(&w->img->msg, ret, "out of memory");
	if (found)
		return cramfs_msg_set(&w->img->msg, -ELOOP,
				      "directory entries at 0x%x are shared with another directory",
				      start);
	return 0;
}

static int walk_check_dir(struct walk *w, const struct cramfs_entry *e)
{
	struct cramfs_image *img = w->img;
	uint64_t start = (uint64_t)e->inode.offset << 2;
	uint64_t size = e->inode.size;

	if (e->depth >= CRAMFS_WALK_MAX_DEPTH)
		return cramfs_msg_set(&img->msg, -ELOOP,
				      "directory nested deeper than %u levels",
				      CRAMFS_WALK_MAX_DEPTH);
	if (start < (uint64_t)img->super_off + CRAMFS_SUPER_SIZE)
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "directory entries at 0x%llx overlap the superblock",
				      (unsigned long long)start);
	if (start > img->limit || size > img->limit - start)
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "directory entries at 0x%llx (%llu bytes) extend beyond image end 0x%llx",
				      (unsigned long long)start,
				      (unsigned long long)size,
				      (unsigned long long)img->limit);
	return walk_check_seen(w, (uint32_t)start);
}

/* Push a directory so that its entries come next. */
static int walk_enter(struct walk *w, const struct cramfs_entry *e)
{
	struct walk_frame *f;
	int ret;

	if (e->inode.size == 0)
		return 0;
	ret = walk_check_dir(w, e);
	if (ret)
		return walk_problem(w, CRAMFS_WALK_BAD_DIR, e->path,
				    e->inode_offset, ret);
	f = &w->stack[w->depth++];
	f->start = e->inode.offset << 2;
	f->pos = f->start;
	f->end = f->pos + e->inode.size;
	f->path_len = strlen(e->path);
	return 0;
}

/* Why a raw name is unusable, or NULL; *len gets it without padding. */
static const char *name_problem(const uint8_t *raw, size_t cap, size_t *len)
{
	size_t n = cap;

	while (n && !raw[n - 1])
		n--;
	*len = n;
	if (n == 0)
		return "empty name";
	if (memchr(raw, '\0', n))
		return "NUL byte inside the name";
	if (memchr(raw, '/', n))
		return "'/' in the name";
	if ((n == 1 && raw[0] == '.') ||
	    (n == 2 && raw[0] == '.' && raw[1] == '.'))
		return "reserved name";
	return NULL;
}

static int walk_bad_entry(struct walk *w, struct walk_frame *f, int err)
{
	int ret = walk_problem(w, CRAMFS_WALK_BAD_ENTRY, frame_path(w, f),
			       f->pos, err);

	f->pos = f->end;
	return ret ? ret : 1;
}

static int walk_name(struct walk *w, struct walk_frame *f, uint64_t pos,
		     const uint8_t *raw, size_t cap, struct cramfs_entry *e)
{
	char shown[4 * 64 + 8];
	const char *why;
	size_t len;
	char *out;
	int ret;

	why = name_problem(raw, cap, &len);
	if (why) {
		cramfs_escape_name(shown, sizeof(shown), raw, len);
		ret = cramfs_msg_set(&w->img->msg, -CRAMFS_ECORRUPT,
				     "entry at 0x%llx: invalid name \"%s\": %s",
				     (unsigned long long)pos, shown, why);
		ret = walk_problem(w, CRAMFS_WALK_BAD_NAME, frame_path(w, f),
				   pos, ret);
		return ret ? ret : 1;
	}
	out = w->path + f->path_len;
	if (f->path_len)
		*out++ = '/';
	memcpy(out, raw, len);
	out[len] = '\0';
	e->path = w->path;
	e->name = out;
	return 0;
}

/* Read the entry at the frame's cursor: 0 ready, 1 skipped, <0 stop. */
static int walk_next(struct walk *w, struct walk_frame *f,
		     struct cramfs_entry *e)
{
	struct cramfs_image *img = w->img;
	uint64_t pos = f->pos;
	const uint8_t *p;
	uint32_t nlen;
	int ret;

	if (f->end - pos < CRAMFS_INODE_SIZE) {
		ret = cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				     "entry at 0x%llx crosses the end of its directory at 0x%llx",
				     (unsigned long long)pos,
				     (unsigned long long)f->end);
		return walk_bad_entry(w, f, ret);
	}
	ret = cramfs_image_span(img, pos, CRAMFS_INODE_SIZE, "directory entry", &p);
	if (ret)
		return walk_bad_entry(w, f, ret);
	cramfs_inode_decode(p, img->endian, &e->inode);
	nlen = e->inode.namelen << 2;
	if (f->end - pos - CRAMFS_INODE_SIZE < nlen) {
		ret = cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				     "name of entry at 0x%llx crosses the end of its directory at 0x%llx",
				     (unsigned long long)pos,
				     (unsigned long long)f->end);
		return walk_bad_entry(w, f, ret);
	}
	ret = cramfs_image_span(img, pos + CRAMFS_INODE_SIZE, nlen, "name", &p);
	if (ret)
		return walk_bad_entry(w, f, ret);
	f->pos = pos + CRAMFS_INODE_SIZE + nlen;
	e->inode_offset = (uint32_t)pos;
	return walk_name(w, f, pos, p, nlen, e);
}

static int walk_run(struct walk *w)
{
	struct cramfs_image *img = w->img;
	struct cramfs_entry e = {
		.path = "", .name = "", .depth = 0,
		.inode_offset = img->super_off + CRAMFS_SUPER_SIZE - CRAMFS_INODE_SIZE,
		.inode = img->super.root,
	};
	int ret;

	ret = w->fn(w->arg, &e);
	if (!ret)
		ret = walk_enter(w, &e);
	while (!ret && w->depth) {
		struct walk_frame *f = &w->stack[w->depth - 1];

		if (f->pos >= f->end) {
			w->depth--;
			continue;
		}
		ret = walk_next(w, f, &e);
		if (ret > 0) {
			ret = 0;
			continue;
		}
		if (ret)
			break;
		e.depth = w->depth;
		ret = w->fn(w->arg, &e);
		if (!ret && S_ISDIR(e.inode.mode))
			ret = walk_enter(w, &e);
	}
	return ret;
}

int cramfs_image_walk_ext(struct cramfs_image *img, cramfs_walk_fn fn,
			  cramfs_walk_problem_fn problem, void *arg)
{
	struct walk w = {
		.img = img, .fn = fn, .problem = problem, .arg = arg,
	};
	int ret;

	if (!img || !fn)
		return -EINVAL;
	if (!img->open)
		return cramfs_msg_set(&img->msg, -EINVAL, "no image open");
	w.stack = calloc(CRAMFS_WALK_MAX_DEPTH + 1, sizeof(*w.stack));
	w.path = malloc(WALK_PATH_MAX);
	if (!w.stack || !w.path) {
		ret = cramfs_msg_set(&img->msg, -ENOMEM, "out of memory");
	} else {
		w.path[0] = '\0';
		ret = walk_run(&w);
	}
	cramfs_u32map_free(&w.visited);
	free(w.path);
	free(w.stack);
	return ret;
}

int cramfs_image_walk(struct cramfs_image *img, cramfs_walk_fn fn, void *arg)
{
	return cramfs_image_walk_ext(img, fn, NULL, arg);
}

/* ------------------------------------------------------------------ */
/* File data.                                                           */
/* ------------------------------------------------------------------ */

uint32_t cramfs_image_block_count(const struct cramfs_image *img,
				  const struct cramfs_inode *ino)
{
	return (uint32_t)(((uint64_t)ino->size + img->block_size - 1) /
			  img->block_size);
}

static int read_u32(struct cramfs_image *img, uint64_t off, const char *what,
		    uint32_t *v)
{
	const uint8_t *p;
	int ret = cramfs_image_span(img, off, 4, what, &p);

	if (!ret)
		*v = cramfs_get32(p, img->endian);
	return ret;
}

static int read_u16(struct cramfs_image *img, uint64_t off, const char *what,
		    uint32_t *v)
{
	const uint8_t *p;
	int ret = cramfs_image_span(img, off, 2, what, &p);

	if (!ret)
		*v = cramfs_get16(p, img->endian);
	return ret;
}

/* A direct pointer holds the block start; compressed ones lead with a length. */
static int locate_direct(struct cramfs_image *img, struct cramfs_block *blk)
{
	uint32_t len16;
	int ret;

	blk->direct = true;
	blk->start = (uint64_t)(blk->ptr & ~CRAMFS_BLK_FLAGS) <<
		     CRAMFS_BLK_DIRECT_PTR_SHIFT;
	if (blk->ptr & CRAMFS_BLK_FLAG_UNCOMPRESSED) {
		blk->kind = CRAMFS_BLOCK_RAW;
		blk->len = blk->out_len;
		return 0;
	}
	ret = read_u16(img, blk->start, "length of direct block", &len16);
	if (ret)
		return ret;
	blk->start += 2;
	blk->len = len16;
	blk->kind = CRAMFS_BLOCK_ZLIB;
	return 0;
}

/* A classic block starts where the previous one ended, or after the table. */
static int classic_start(struct cramfs_image *img, uint64_t table,
			 uint32_t index, uint32_t count, uint64_t *start)
{
	uint32_t prev, len16;
	uint64_t pstart;
	int ret;

	if (index == 0) {
		*start = table + 4ull * count;
		return 0;
	}
	ret = read_u32(img, table + 4ull * (index - 1), "block pointer", &prev);
	if (ret)
		return ret;
	if (!(prev & CRAMFS_BLK_FLAG_DIRECT_PTR)) {
		*start = prev & ~CRAMFS_BLK_FLAGS;
		return 0;
	}
	pstart = (uint64_t)(prev & ~CRAMFS_BLK_FLAGS) << CRAMFS_BLK_DIRECT_PTR_SHIFT;
	if (prev & CRAMFS_BLK_FLAG_UNCOMPRESSED) {
		/* Not the last block, so the direct block was a whole one. */
		*start = pstart + img->block_size;
		return 0;
	}
	ret = read_u16(img, pstart, "length of direct block", &len16);
	if (!ret)
		*start = pstart + 2 + len16;
	return ret;
}

static int locate_classic(struct cramfs_image *img, uint64_t table,
			  uint32_t count, struct cramfs_block *blk)
{
	uint64_t end = blk->ptr & ~CRAMFS_BLK_FLAGS;
	int ret;

	ret = classic_start(img, table, blk->index, count, &blk->start);
	if (ret)
		return ret;
	if (end > img->limit)
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "pointer 0x%08x beyond image end 0x%llx",
				      blk->ptr, (unsigned long long)img->limit);
	if (end < blk->start)
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "pointer 0x%08x is below the block start 0x%llx (pointers must not decrease)",
				      blk->ptr, (unsigned long long)blk->start);
	blk->len = end - blk->start;
	blk->kind = blk->ptr & CRAMFS_BLK_FLAG_UNCOMPRESSED ?
		    CRAMFS_BLOCK_RAW : CRAMFS_BLOCK_ZLIB;
	return 0;
}

/* The rules every located block obeys, whatever its pointer looked like. */
static int check_block(struct cramfs_image *img, struct cramfs_block *blk)
{
	uint32_t bs = img->block_size;

	if (blk->len == 0) {
		blk->kind = CRAMFS_BLOCK_HOLE;
		if (!(img->super.flags & CRAMFS_FLAG_HOLES))
			return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
					      "empty block (hole) at 0x%llx but the image lacks CRAMFS_FLAG_HOLES",
					      (unsigned long long)blk->start);
		return 0;
	}
	if (blk->kind == CRAMFS_BLOCK_RAW && blk->len != blk->out_len)
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "uncompressed block at 0x%llx is %llu bytes, expected %u",
				      (unsigned long long)blk->start,
				      (unsigned long long)blk->len, blk->out_len);
	if (blk->kind == CRAMFS_BLOCK_ZLIB && blk->len > CRAMFS_BLK_MAX_STORED(bs))
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "compressed block at 0x%llx is %llu bytes, more than twice the block size %u",
				      (unsigned long long)blk->start,
				      (unsigned long long)blk->len, bs);
	if (blk->start > img->limit || blk->len > img->limit - blk->start)
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "block at 0x%llx (%llu bytes) extends beyond image end 0x%llx",
				      (unsigned long long)blk->start,
				      (unsigned long long)blk->len,
				      (unsigned long long)img->limit);
	return 0;
}

static int locate_block(struct cramfs_image *img, const struct cramfs_inode *ino,
			struct cramfs_block *blk)
{
	uint64_t table = (uint64_t)ino->offset << 2;
	uint32_t count = cramfs_image_block_count(img, ino);
	int ret;

	if (table == 0)
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "%u bytes of data but data offset 0",
				      ino->size);
	blk->ptr_offset = table + 4ull * blk->index;
	ret = read_u32(img, blk->ptr_offset, "block pointer", &blk->ptr);
	if (ret)
		return ret;
	if ((blk->ptr & CRAMFS_BLK_FLAGS) &&
	    !(img->super.flags & CRAMFS_FLAG_EXT_BLOCK_POINTERS))
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "pointer 0x%08x has flag bits but the image lacks CRAMFS_FLAG_EXT_BLOCK_POINTERS",
				      blk->ptr);
	if (blk->ptr & CRAMFS_BLK_FLAG_DIRECT_PTR)
		ret = locate_direct(img, blk);
	else
		ret = locate_classic(img, table, count, blk);
	return ret ? ret : check_block(img, blk);
}

int cramfs_image_block(struct cramfs_image *img, const struct cramfs_inode *ino,
		       uint32_t index, struct cramfs_block *blk)
{
	uint64_t done = (uint64_t)index * img->block_size;
	int ret;

	memset(blk, 0, sizeof(*blk));
	blk->index = index;
	if (index >= cramfs_image_block_count(img, ino))
		return cramfs_msg_set(&img->msg, -EINVAL,
				      "block %u: no such block", index);
	blk->out_len = ino->size - done < img->block_size ?
		       (uint32_t)(ino->size - done) : img->block_size;
	ret = locate_block(img, ino, blk);
	if (ret)
		return cramfs_msg_prefix(&img->msg, ret, "block %u", index);
	return 0;
}

/*
 * libdeflate inflates a block in about half zlib's time, but accepts some
 * bad headers zlib (the kernel's inflate) refuses: it judges only streams
 * on which the two agree. It tells only that a stream is bad, not how:
 * zlib then decides and says why.
 */
static int inflate_fast(struct cramfs_image *img, const struct cramfs_block *blk,
			const uint8_t *in, uint64_t *unused)
{
	size_t used;

	if (!img->ld && !(img->ld = libdeflate_alloc_decompressor()))
		return -ENOMEM;
	if (!cramfs_inflate_plain(img->ld, in, blk->len, img->block_buf,
				  img->block_size, blk->out_len, &used))
		return -EIO;
	if (unused)
		*unused = blk->len - used;
	return 0;
}

static int inflate_block(struct cramfs_image *img, const struct cramfs_block *blk,
			 const uint8_t *in, uint64_t *unused)
{
	z_stream *zs = &img->zs;
	uInt produced;
	int zr;

	if (inflate_fast(img, blk, in, unused) == 0)
		return 0;
	zr = img->zs_ready ? inflateReset(zs) : inflateInit(zs);
	if (zr != Z_OK)
		return cramfs_msg_set(&img->msg, zr == Z_MEM_ERROR ? -ENOMEM : -EIO,
				      "cannot set up zlib: %s", zError(zr));
	img->zs_ready = true;
	zs->next_in = (Bytef *)in;
	zs->avail_in = (uInt)blk->len;
	zs->next_out = img->block_buf;
	zs->avail_out = img->block_size;
	zr = inflate(zs, Z_FINISH);
	produced = img->block_size - zs->avail_out;
	if (zr == Z_STREAM_END && produced == blk->out_len) {
		if (unused)
			*unused = zs->avail_in;
		return 0;
	}
	if (zr == Z_STREAM_END)
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "zlib stream at 0x%llx inflates to %u bytes, expected %u",
				      (unsigned long long)blk->start, produced,
				      blk->out_len);
	if (zr == Z_MEM_ERROR)
		return cramfs_msg_set(&img->msg, -ENOMEM, "out of memory");
	if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT)
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "bad zlib stream at 0x%llx: %s",
				      (unsigned long long)blk->start,
				      zs->msg ? zs->msg : "invalid data");
	if (zs->avail_out == 0)
		return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
				      "zlib stream at 0x%llx inflates to more than %u bytes",
				      (unsigned long long)blk->start, blk->out_len);
	return cramfs_msg_set(&img->msg, -CRAMFS_ECORRUPT,
			      "zlib stream at 0x%llx (%llu bytes) is truncated",
			      (unsigned long long)blk->start,
			      (unsigned long long)blk->len);
}

int cramfs_image_decode(struct cramfs_image *img, const struct cramfs_block *blk,
			const uint8_t **out, uint64_t *unused)
{
	const uint8_t *in;
	int ret;

	if (unused)
		*unused = 0;
	if (!img->block_buf) {
		img->block_buf = malloc(img->block_size);
		if (!img->block_buf)
			return cramfs_msg_set(&img->msg, -ENOMEM, "out of memory");
	}
	if (blk->kind == CRAMFS_BLOCK_HOLE) {
		memset(img->block_buf, 0, blk->out_len);
		*out = img->block_buf;
		return 0;
	}
	ret = cramfs_image_span(img, blk->start, blk->len, "block", &in);
	if (!ret && blk->kind == CRAMFS_BLOCK_RAW)
		*out = in;
	else if (!ret)
		ret = inflate_block(img, blk, in, unused);
	if (ret)
		return cramfs_msg_prefix(&img->msg, ret, "block %u", blk->index);
	if (blk->kind == CRAMFS_BLOCK_ZLIB)
		*out = img->block_buf;
	return 0;
}

int cramfs_image_read_data(struct cramfs_image *img,
			   const struct cramfs_entry *entry,
			   cramfs_sink_fn sink, void *arg)
{
	struct cramfs_block blk;
	const uint8_t *out = NULL;
	uint32_t count;
	int ret = 0;

	if (!img || !entry || !sink)
		return -EINVAL;
	if (!img->open)
		return cramfs_msg_set(&img->msg, -EINVAL, "no image open");
	if (!S_ISREG(entry->inode.mode) && !S_ISLNK(entry->inode.mode))
		return cramfs_msg_set(&img->msg, -EINVAL,
				      "%s: not a regular file or symlink",
				      entry->path);
	count = cramfs_image_block_count(img, &entry->inode);
	for (uint32_t i = 0; i < count && !ret; i++) {
		ret = cramfs_image_block(img, &entry->inode, i, &blk);
		if (!ret)
			ret = cramfs_image_decode(img, &blk, &out, NULL);
		if (ret)
			return cramfs_msg_prefix(&img->msg, ret, "%s",
						 entry->path);
		ret = sink(arg, out, blk.out_len);
	}
	return ret;
}
