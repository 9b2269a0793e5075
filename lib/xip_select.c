// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which blocks of which files are mapped in place. For ELF files: the
 * blocks overlapping a PT_LOAD segment that is readable or executable and
 * not writable (a writable mapping is never mapped direct by the kernel).
 * User patterns can force whole files in or keep files out. Hard links are
 * laid out once. The result is a list of runs for the layout planner.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf.h"
#include "write.h"

struct source {
	const struct cramfs_node *node;
	int fd;
	uint64_t base;       /* where the content starts in fd */
};

static int read_at(void *arg, uint64_t off, void *buf, size_t len)
{
	struct source *s = arg;
	int err;

	if (off > s->node->size || len > s->node->size - off)
		return -EIO;
	if (s->node->src == CRAMFS_SRC_MEMORY) {
		memcpy(buf, s->node->data + off, len);
		return 0;
	}
	err = cramfs_pread_all(s->fd, buf, len, s->base + off);
	/* Shorter than at the scan: not ELF as far as XIP goes. */
	return err == -ENODATA ? -ESTALE : err;
}

/* Whether `path` matches one of the patterns; each match is noted in used[]. */
static bool matches(const char *path, const char *const *pats, size_t n,
		    bool *used)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		/* A leading '/' anchors at the root, like any other '/'. */
		bool whole = strchr(pats[i], '/') != NULL;
		const char *p = pats[i][0] == '/' ? pats[i] + 1 : pats[i];

		if (!fnmatch(p, whole ? path : base, FNM_PATHNAME))
			any = used[i] = true;
	}
	return any;
}

/* A pattern that selects nothing is most likely a typo: say so. */
static int warn_unused(struct cramfs_writer *w, const char *option,
		       const char *const *pats, size_t n, const bool *used)
{
	for (size_t i = 0; i < n; i++)
		if (!used[i] &&
		    cramfs_strlist_addf(&w->tree->warnings,
					"%s: pattern '%s' matches no file with content",
					option, pats[i]))
			return -ENOMEM;
	return 0;
}

/* The read-only ELF ranges of node `id`, or none with a note. */
static int elf_ranges(struct cramfs_writer *w, uint32_t id,
		      struct cramfs_range *r, size_t *count)
{
	struct source s = { &w->tree->nodes[id], -1, 0 };
	bool own_fd = s.node->src == CRAMFS_SRC_FILE;
	const char *why;
	int err;

	if (s.node->src == CRAMFS_SRC_SPOOL) {
		s.fd = w->tree->spoolfd;
		s.base = s.node->spool_off;
	}
	if (own_fd) {
		s.fd = openat(w->tree->rootfd, w->path, O_RDONLY | O_NOFOLLOW |
			      O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (s.fd < 0)
			return cramfs_msg_set(&w->tree->msg, -errno,
					      "%s: cannot open: %s", w->path,
					      strerror(errno));
	}
	err = cramfs_elf_ro_ranges(read_at, &s, s.node->size, r, count, &why);
	if (own_fd)
		close(s.fd);
	if (err == -ENOEXEC || err == -ESTALE) {
		*count = 0;
		return 0;
	}
	if (err == -EUCLEAN) {
		*count = 0;
		return cramfs_strlist_addf(&w->tree->warnings,
					   "%s: malformed ELF (%s); stored without XIP",
					   w->path, why) ? -ENOMEM : 0;
	}
	if (err)
		return cramfs_msg_set(&w->tree->msg, err, "%s: cannot read: %s",
				      w->path, strerror(-err));
	return 0;
}

static int compare_ranges(const void *a, const void *b)
{
	const struct cramfs_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int add_run(struct cramfs_writer *w, uint32_t id, uint32_t first,
		   uint32_t end)
{
	const struct cramfs_node *n = &w->tree->nodes[id];
	uint32_t bs = w->opts->block_size;
	uint32_t nblocks = (uint32_t)((n->size + bs - 1) / bs);
	struct cramfs_xip_run *r;
	int err;

	/* Stock kernels read a direct last block of a page-multiple file as zeros. */
	if (end == nblocks && n->size % bs == 0 && !w->opts->xip_map_last_page) {
		end--;
		/*
		 * A 64 KiB block that does not compress into 65535 bytes is
		 * stored raw with a classic pointer, right after the block
		 * before it, which must then not be XIP either.
		 */
		if (bs > 0xffffu - 64u && end == nblocks - 1 && end > first)
			end--;
		w->xip_note[id] = "last page kept out of XIP (stock kernel read() bug; see --xip-map-last-page)";
	}
	if (end <= first)
		return 0;
	err = cramfs_grow(&w->xip_runs, &w->xip_cap, w->nxip_runs + 1,
			  sizeof(*w->xip_runs));
	if (err)
		return err;
	r = &w->xip_runs[w->nxip_runs++];
	memset(r, 0, sizeof(*r));
	r->node = id;
	r->first_block = first;
	r->nblocks = end - first;
	r->tail = end == nblocks ? (uint32_t)(n->size % bs) : 0;
	return 0;
}

/* Widen byte ranges to blocks and merge overlapping or touching runs. */
static int add_runs(struct cramfs_writer *w, uint32_t id,
		    struct cramfs_range *r, size_t count)
{
	uint32_t bs = w->opts->block_size;
	uint32_t first = 0, end = 0;
	int err;

	qsort(r, count, sizeof(*r), compare_ranges);
	for (size_t i = 0; i < count; i++) {
		uint32_t s = (uint32_t)(r[i].start / bs);
		uint32_t e = (uint32_t)((r[i].end + bs - 1) / bs);

		if (end > first && s <= end) {
			end = e > end ? e : end;
			continue;
		}
		if (end > first && (err = add_run(w, id, first, end)))
			return err;
		first = s;
		end = e;
	}
	return end > first ? add_run(w, id, first, end) : 0;
}

/* Hard links: one inode on disk, or one member's data in the spool. */
static bool same_inode(const struct cramfs_node *a, const struct cramfs_node *b)
{
	if (a->src != b->src)
		return false;
	if (a->src == CRAMFS_SRC_FILE)
		return a->dev == b->dev && a->ino == b->ino;
	return a->src == CRAMFS_SRC_SPOOL && a->spool_off == b->spool_off;
}

/* A hard link to a file already laid out for XIP shares its data. */
static uint32_t hard_link_of(const struct cramfs_writer *w, uint32_t id)
{
	const struct cramfs_node *n = &w->tree->nodes[id];

	if (n->nlink < 2)
		return CRAMFS_DEDUP_NONE;
	for (size_t i = w->nxip_runs; i-- > 0;) {
		const struct cramfs_node *o = &w->tree->nodes[w->xip_runs[i].node];

		if (o != n && same_inode(o, n) && o->mode == n->mode && o->uid == n->uid &&
		    o->gid == n->gid && o->size == n->size)
			return w->xip_runs[i].node;
	}
	return CRAMFS_DEDUP_NONE;
}

static int select_file(struct cramfs_writer *w, uint32_t id)
{
	const struct cramfs_write_opts *o = w->opts;
	const struct cramfs_node *n = &w->tree->nodes[id];
	struct cramfs_range r[CRAMFS_ELF_MAX_RANGES];
	size_t count = 0;
	int err;

	if (!S_ISREG(n->mode))
		return 0;
	if (cramfs_tree_path(w->tree, id, w->path, sizeof(w->path)))
		return cramfs_msg_set(&w->tree->msg, -ENAMETOOLONG,
				      "%s: path too long", n->name);
	if (matches(w->path, o->xip_exclude, o->xip_exclude_count,
		    w->xip_exclude_used))
		return 0;
	if (matches(w->path, o->xip_include, o->xip_include_count,
		    w->xip_include_used) || o->xip == CRAMFS_XIP_ALL) {
		r[0] = (struct cramfs_range){ 0, n->size };
		count = 1;
	} else if (o->xip == CRAMFS_XIP_ELF) {
		err = elf_ranges(w, id, r, &count);
		if (err)
			return err;
	}
	if (!count)
		return 0;
	w->xip_share[id] = hard_link_of(w, id);
	if (w->xip_share[id] != CRAMFS_DEDUP_NONE)
		return 0;
	return add_runs(w, id, r, count);
}

int cramfs_xip_select(struct cramfs_writer *w)
{
	const struct cramfs_write_opts *o = w->opts;
	uint32_t align = o->xip_align ? o->xip_align : o->block_size;
	struct cramfs_layout *l = w->layout;
	int err;

	if (o->xip == CRAMFS_XIP_NONE && !o->xip_include_count)
		return 0;
	w->xip_share = malloc(w->tree->count * sizeof(*w->xip_share));
	w->xip_note = calloc(w->tree->count, sizeof(*w->xip_note));
	if (!w->xip_share || !w->xip_note)
		return -ENOMEM;
	memset(w->xip_share, 0xff, w->tree->count * sizeof(*w->xip_share));
	w->xip_include_used = calloc(o->xip_include_count + 1, sizeof(bool));
	w->xip_exclude_used = calloc(o->xip_exclude_count + 1, sizeof(bool));
	if (!w->xip_include_used || !w->xip_exclude_used)
		return -ENOMEM;
	for (size_t i = 0; i < l->ndata; i++) {
		err = select_file(w, l->data_order[i]);
		if (err)
			return err;
	}
	err = warn_unused(w, "--xip-list", o->xip_include,
			  o->xip_include_count, w->xip_include_used);
	if (!err)
		err = warn_unused(w, "--no-xip-list", o->xip_exclude,
				  o->xip_exclude_count, w->xip_exclude_used);
	if (err)
		return err;
	err = cramfs_layout_plan_xip(l, w->tree, w->xip_runs, w->nxip_runs,
				     align, &w->tree->msg);
	w->xip_runs = NULL;
	w->xip_cap = 0;
	return err;
}
