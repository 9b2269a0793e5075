// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the image reader and the verifier.
 *
 * The input is an image in memory. It is opened, verified, walked, and the
 * content of every file and symlink is decoded into a sink. No file is
 * written and nothing survives from one input to the next.
 *
 * The library never stops at a CRC mismatch (cramfs_verify() reports it and
 * goes on), so mutated inputs reach the tree without a CRC switch.
 *
 * Besides the sanitizers, the target checks the API's promises and aborts
 * when one is broken: a failure leaves a message on the handle, every entry
 * has a sane path and depth, the decoded length equals the inode size, and
 * the verifier's counts match the findings it delivered.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cramfs/cramfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Decoding budget per input: one file of the largest size. Many entries may
 * share one table of 16 MiB of holes; past this many bytes the remaining
 * files are skipped so that one input cannot take minutes.
 */
#define OUTPUT_BUDGET (16ull << 20)

/* Deepest entry the walk hands out: its depth limit plus one level. */
#define DEPTH_MAX 257u

struct run {
	struct cramfs_image *img;
	uint64_t out;            /* bytes decoded for this input */
	uint64_t entry_out;      /* bytes decoded for the current entry */
	uint32_t marked;         /* decoded blocks holding a 0x5a byte */
	struct cramfs_verify_stats seen;
};

static void broken(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_image: broken promise: %s (%s)\n", what,
		detail ? detail : "");
	abort();
}

static void check_failure(const struct run *r, int ret, const char *call)
{
	const char *msg = cramfs_image_errmsg(r->img);

	if (ret >= 0)
		return;
	if (!msg || !*msg)
		broken("failure without a message", call);
}

static void on_finding(void *arg, const struct cramfs_finding *f)
{
	struct run *r = arg;

	if (!f->message || !*f->message)
		broken("finding without a message", f->path);
	switch (f->severity) {
	case CRAMFS_SEV_ERROR:
		r->seen.errors++;
		break;
	case CRAMFS_SEV_WARNING:
		r->seen.warnings++;
		break;
	case CRAMFS_SEV_INFO:
		break;
	default:
		broken("finding with an unknown severity", f->message);
	}
}

static int sink(void *arg, const void *buf, size_t len)
{
	struct run *r = arg;
	const uint8_t *p = buf;

	/* memchr() reads every byte, and ASan checks the whole range. */
	if (len && memchr(p, 0x5a, len))
		r->marked++;
	r->out += len;
	r->entry_out += len;
	return 0;
}

static void check_entry(const struct cramfs_entry *e)
{
	size_t plen, nlen;

	if (!e->path || !e->name)
		broken("entry without a path or name", NULL);
	plen = strlen(e->path);
	nlen = strlen(e->name);
	if (e->depth > DEPTH_MAX)
		broken("entry deeper than the walk allows", e->path);
	if ((e->depth == 0) != (plen == 0) || (e->depth == 0) != (nlen == 0))
		broken("root and empty path disagree", e->path);
	if (nlen > CRAMFS_MAXPATHLEN || nlen > plen ||
	    strcmp(e->path + plen - nlen, e->name))
		broken("name is not the end of the path", e->path);
	if (e->depth && (strchr(e->name, '/') || !strcmp(e->name, ".") ||
			 !strcmp(e->name, "..")))
		broken("unsafe name handed out", e->path);
}

static int on_entry(void *arg, const struct cramfs_entry *e)
{
	struct run *r = arg;
	int ret;

	check_entry(e);
	if (!S_ISREG(e->inode.mode) && !S_ISLNK(e->inode.mode))
		return 0;
	if (r->out > OUTPUT_BUDGET)
		return 0;
	r->entry_out = 0;
	ret = cramfs_image_read_data(r->img, e, sink, r);
	check_failure(r, ret, e->path);
	if (!ret && r->entry_out != e->inode.size)
		broken("decoded length differs from the inode size", e->path);
	/* A broken file does not stop the others. */
	return 0;
}

/* The block size comes from fsid.edition, which reading ignores. */
static uint32_t pick_block_size(const struct cramfs_image *img)
{
	static const uint32_t sizes[4] = { 4096, 16384, 65536, 4096 };

	return sizes[cramfs_image_super(img)->fsid.edition & 3u];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cramfs_verify_stats st;
	struct run r;
	uint32_t crc;
	int ret;

	memset(&r, 0, sizeof(r));
	if (cramfs_image_new(&r.img))
		return 0;
	ret = cramfs_image_open_memory(r.img, data, size);
	check_failure(&r, ret, "open");
	if (ret)
		goto out;
	if (cramfs_image_set_block_size(r.img, pick_block_size(r.img)))
		broken("block size refused", cramfs_image_errmsg(r.img));
	if (cramfs_image_length(r.img) != size)
		broken("length differs from the buffer", NULL);
	check_failure(&r, cramfs_image_compute_crc(r.img, &crc), "crc");

	ret = cramfs_verify(r.img, on_finding, &r, &st);
	check_failure(&r, ret, "verify");
	if (!ret && (st.errors != r.seen.errors ||
		     st.warnings != r.seen.warnings))
		broken("verify counts differ from the findings", NULL);

	ret = cramfs_image_walk(r.img, on_entry, &r);
	check_failure(&r, ret, "walk");
out:
	cramfs_image_free(r.img);
	return 0;
}
