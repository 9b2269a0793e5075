// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xipaudit: the host side of the kernel XIP harness. Built against
 * libcramfs; compares what a kernel did (xipcheck's "F" lines from the
 * guest) with what the image predicts.
 *
 *   xipaudit predict IMAGE
 *       One line per regular file: pages, mappable pages and the pages a
 *       mapping of the whole file gets direct (cramfs_image_xip_audit),
 *       runs, read_bug, and the CRC32 of the content as libcramfs decodes
 *       it.
 *
 *   xipaudit judge --label L --image IMG --guest FILE [--report JSON]
 *                  [--src DIR] [--image-offset OFF] [--kernel stock|fixed]
 *                  [--expect-none | --blockdev]
 *       For every regular file of IMG, with the guest's line for it:
 *       - pages mapped direct one page at a time == mappable_pages, and
 *         the same pages, each at the image offset its block pointer
 *         names (page for page; offsets from the guest are relative to
 *         the flash window, the image sits at OFF in it);
 *       - direct pages of a whole-file mapping == mapped_from_start,
 *         exactly pages 0..n-1; vma kind pf when all pages, mm when some,
 *         none when 0; Rss counts only the copied pages;
 *       - xip_pages in mkcramfs' JSON report == mappable_pages;
 *       - read() and mmap bytes agree with each other, with the file in
 *         DIR and with libcramfs' decoding; no SIGBUS; zero tails.
 *       A file for which the audit predicts read_bug (direct raw last
 *       block, size a page multiple) must show the stock defect with
 *       --kernel stock (read() zeros on the last page, mmap right): it
 *       is reported as "known-defect", not as a failure. With
 *       --kernel fixed it must read right. --expect-none: no page may be
 *       mappable or mapped (an image without XIP). --blockdev: the image
 *       is mounted from a block device, where the kernel maps nothing in
 *       place whatever the image allows: every page must come through
 *       the page cache, with the right bytes.
 *       Prints one "FILE" line per file and an "IMAGE" summary line;
 *       exit 0 when nothing failed, 1 otherwise, 2 on usage errors.
 *
 *   xipaudit craft-outside IMAGE OUT PATH TARGET
 *       Write a copy of IMAGE in which every block pointer of the file
 *       PATH is a direct uncompressed pointer to TARGET + i * page (byte
 *       offsets from the image start, TARGET beyond the image): the
 *       crafted image of the bounds test. The CRC is left stale (the
 *       kernel does not check it).
 *
 *   xipaudit craft-compressed IMAGE OUT PATH TARGET
 *       The same for the compressed-block paths of read_folio: PATH must
 *       have two pages; its first pointer becomes a direct pointer to a
 *       compressed block at TARGET (its length word lies beyond the
 *       image), its second a classic pointer whose block starts where
 *       that one ends (read from the same length word) and ends at
 *       TARGET + 2, an empty block if that length word reads as 0.
 *
 *   xipaudit crc FILE LEN
 *       CRC32 of the first LEN bytes of FILE (as the guest prints it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cramfs/cramfs.h>

#define PAGE 4096u
#define XIP_FLAGS (CRAMFS_BLK_FLAG_DIRECT_PTR | CRAMFS_BLK_FLAG_UNCOMPRESSED)

__attribute__((noreturn, format(printf, 1, 2)))
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("xipaudit: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		die("out of memory");
	return d;
}

static unsigned char *read_all(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	unsigned char *buf;
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		die("out of memory");
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = 0;
	*len = got;
	return buf;
}

/* ---- guest results ------------------------------------------------------ */

struct run {
	long first, count;
	uint64_t off;
};

struct guest_file {
	char *path;
	uint64_t size;
	long pages, direct, whole, idiff, iwdiff, tailnz, sigbus;
	unsigned long rss;
	char kind[8], match[8], rzero[8];
	char *rdiff;
	uint32_t crc_read, crc_mmap;
	struct run *ind, *wmap;
	size_t n_ind, n_wmap;
	bool seen;
};

static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++) {
		unsigned int c;

		if (*s == '%' && sscanf(s + 1, "%2x", &c) == 1) {
			*d++ = (char)c;
			s += 2;
		} else {
			*d++ = *s;
		}
	}
	*d = 0;
}

static void parse_runs(const char *s, struct run **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!strcmp(s, "-"))
		return;
	while (*s) {
		struct run r;
		int pos = 0;

		if (sscanf(s, "%ld+%ld@%" SCNx64 "%n", &r.first, &r.count, &r.off,
			   &pos) < 3 || pos == 0)
			die("bad runs in guest output: %s", s);
		*out = realloc(*out, (*n + 1) * sizeof(**out));
		if (!*out)
			die("out of memory");
		(*out)[(*n)++] = r;
		s += pos;
		if (*s == ',')
			s++;
	}
}

static const char *field(char *const *keys, char *const *vals, int n,
			 const char *key)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(keys[i], key))
			return vals[i];
	return NULL;
}

static struct guest_file *load_guest(const char *path, size_t *count)
{
	size_t len;
	char *buf = (char *)read_all(path, &len), *line, *save = NULL;
	struct guest_file *files = NULL;
	size_t n = 0;

	if (!buf)
		die("%s: %s", path, strerror(errno));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *keys[32], *vals[32], *tok, *tsave = NULL;
		int nk = 0;
		struct guest_file g;
		const char *v;

		if (strncmp(line, "F ", 2))
			continue;
		memset(&g, 0, sizeof(g));
		tok = strtok_r(line + 2, " ", &tsave);
		if (!tok)
			continue;
		g.path = xstrdup(tok);
		unescape(g.path);
		while ((tok = strtok_r(NULL, " ", &tsave)) && nk < 32) {
			char *eq = strchr(tok, '=');

			if (!eq)
				continue;
			*eq = 0;
			keys[nk] = tok;
			vals[nk++] = eq + 1;
		}
#define NUM(name, dst) do { v = field(keys, vals, nk, name); \
		if (!v) die("%s: guest line for %s lacks %s", path, g.path, name); \
		dst = (__typeof__(dst))strtoul(v, NULL, 0); } while (0)
#define STR(name, dst) do { v = field(keys, vals, nk, name); \
		if (!v) die("%s: guest line for %s lacks %s", path, g.path, name); \
		snprintf(dst, sizeof(dst), "%s", v); } while (0)
		NUM("size", g.size);
		NUM("pages", g.pages);
		NUM("direct", g.direct);
		NUM("whole", g.whole);
		NUM("rss", g.rss);
		NUM("idiff", g.idiff);
		NUM("iwdiff", g.iwdiff);
		NUM("tailnz", g.tailnz);
		NUM("sigbus", g.sigbus);
		STR("kind", g.kind);
		STR("match", g.match);
		STR("rzero", g.rzero);
		v = field(keys, vals, nk, "crc_read");
		g.crc_read = v ? (uint32_t)strtoul(v, NULL, 16) : 0;
		v = field(keys, vals, nk, "crc_mmap");
		g.crc_mmap = v ? (uint32_t)strtoul(v, NULL, 16) : 0;
		v = field(keys, vals, nk, "rdiff");
		g.rdiff = xstrdup(v ? v : "-");
		v = field(keys, vals, nk, "ind");
		parse_runs(v ? v : "-", &g.ind, &g.n_ind);
		v = field(keys, vals, nk, "wmap");
		parse_runs(v ? v : "-", &g.wmap, &g.n_wmap);
#undef NUM
#undef STR
		files = realloc(files, (n + 1) * sizeof(*files));
		if (!files)
			die("out of memory");
		files[n++] = g;
	}
	free(buf);
	*count = n;
	return files;
}

/* ---- mkcramfs JSON report (one object per line in "files") -------------- */

struct report_entry {
	char *path;
	long xip_pages;
};

static struct report_entry *load_report(const char *path, size_t *count)
{
	size_t len, n = 0;
	char *buf = (char *)read_all(path, &len), *p;
	struct report_entry *r = NULL;

	if (!buf)
		die("%s: %s", path, strerror(errno));
	for (p = buf; (p = strstr(p, "{\"path\": \"")); ) {
		char name[4096];
		size_t k = 0;
		char *x;

		p += strlen("{\"path\": \"");
		while (*p && *p != '"' && k + 1 < sizeof(name)) {
			if (*p == '\\' && p[1] == 'u') {
				unsigned int c;

				if (sscanf(p + 2, "%4x", &c) != 1 || c > 0xff)
					die("%s: unsupported escape in a path", path);
				name[k++] = (char)c;
				p += 6;
			} else if (*p == '\\' && p[1]) {
				char c = p[1];

				name[k++] = c == 'n' ? '\n' : c == 't' ? '\t' :
					    c == 'r' ? '\r' : c == 'b' ? '\b' :
					    c == 'f' ? '\f' : c;
				p += 2;
			} else {
				name[k++] = *p++;
			}
		}
		name[k] = 0;
		x = strstr(p, "\"xip_pages\": ");
		if (!x || (strchr(p, '\n') && x > strchr(p, '\n')))
			die("%s: no xip_pages for %s", path, name);
		r = realloc(r, (n + 1) * sizeof(*r));
		if (!r)
			die("out of memory");
		r[n].path = xstrdup(name);
		r[n].xip_pages = strtol(x + strlen("\"xip_pages\": "), NULL, 10);
		n++;
		p = x;
	}
	free(buf);
	*count = n;
	return r;
}

/* ---- the image ---------------------------------------------------------- */

struct ctx {
	struct cramfs_image *img;
	const unsigned char *raw; /* the image file's bytes */
	size_t raw_len;
	/* judge */
	const char *label, *src, *kernel;
	uint64_t image_offset;
	bool expect_none, blockdev, predict_only;
	struct guest_file *guest;
	size_t n_guest;
	struct report_entry *report;
	size_t n_report;
	long files, ok, defects, failed;
	long sum_pages, sum_mappable, sum_direct, sum_whole, sum_report;
};

static int crc_sink(void *arg, const void *buf, size_t len)
{
	uLong *crc = arg;

	*crc = crc32(*crc, buf, (uInt)len);
	return 0;
}

static uint32_t ptr_at(const struct ctx *c, const struct cramfs_entry *e,
		       uint32_t page, bool *ok)
{
	uint64_t at = ((uint64_t)e->inode.offset << 2) + (uint64_t)page * 4u;
	uint32_t v;

	*ok = at + 4 <= c->raw_len;
	if (!*ok)
		return 0;
	memcpy(&v, c->raw + at, 4); /* host byte order: x86 guest */
	return v;
}

/*
 * Page for page: is page `i` mappable by a mapping that starts at it,
 * and where is it in the image? Restates cramfs_physmem_mmap() for one
 * page, independently of libcramfs' audit.
 */
static bool page_alone(const struct ctx *c, const struct cramfs_entry *e,
		       uint32_t i, uint32_t pages, uint64_t *addr)
{
	bool ok;
	uint32_t ptr = ptr_at(c, e, i, &ok);
	uint32_t partial = e->inode.size % PAGE;

	if (!ok || (ptr & XIP_FLAGS) != XIP_FLAGS)
		return false;
	*addr = (uint64_t)(ptr & ~CRAMFS_BLK_FLAGS) << CRAMFS_BLK_DIRECT_PTR_SHIFT;
	if (*addr == 0 || *addr % PAGE || *addr + PAGE > c->raw_len)
		return false;
	if (i == pages - 1 && partial) {
		for (uint32_t k = partial; k < PAGE; k++)
			if (c->raw[*addr + k])
				return false;
	}
	return true;
}

static struct guest_file *find_guest(struct ctx *c, const char *path)
{
	for (size_t i = 0; i < c->n_guest; i++)
		if (!strcmp(c->guest[i].path, path))
			return &c->guest[i];
	return NULL;
}

static long find_report(struct ctx *c, const char *path)
{
	for (size_t i = 0; i < c->n_report; i++)
		if (!strcmp(c->report[i].path, path))
			return c->report[i].xip_pages;
	return -1;
}

struct reasons {
	char buf[2048];
	size_t len;
};

__attribute__((format(printf, 2, 3)))
static void why(struct reasons *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->len + 2 >= sizeof(r->buf))
		return;
	if (r->len)
		r->buf[r->len++] = ';';
	va_start(ap, fmt);
	n = vsnprintf(r->buf + r->len, sizeof(r->buf) - r->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->len += (size_t)n < sizeof(r->buf) - r->len ? (size_t)n :
			  sizeof(r->buf) - r->len - 1;
	for (char *p = r->buf; *p; p++)
		if (*p == ' ')
			*p = '_';
}

static bool src_crc(const char *src, const char *path, uint32_t *crc,
		    uint64_t *size)
{
	char *full;
	size_t len;
	unsigned char *buf;

	if (asprintf(&full, "%s/%s", src, path) < 0)
		die("out of memory");
	buf = read_all(full, &len);
	free(full);
	if (!buf)
		return false;
	*crc = (uint32_t)crc32(crc32(0, Z_NULL, 0), buf, (uInt)len);
	*size = len;
	free(buf);
	return true;
}

/* Does the run list cover exactly the pages in `want` (bitmap) at `addr`? */
static void check_runs(struct reasons *r, const char *what,
		       const struct run *runs, size_t n, const bool *want,
		       const uint64_t *addr, uint32_t pages, uint64_t img_off)
{
	long seen = 0, expected = 0;

	for (uint32_t i = 0; i < pages; i++)
		expected += want[i];
	for (size_t k = 0; k < n; k++) {
		for (long j = 0; j < runs[k].count; j++) {
			long page = runs[k].first + j;
			uint64_t off = runs[k].off + (uint64_t)j * PAGE;

			seen++;
			if (page < 0 || (uint32_t)page >= pages || !want[page]) {
				why(r, "%s: page %ld direct but not predicted", what, page);
				continue;
			}
			if (off < img_off || off - img_off != addr[page])
				why(r, "%s: page %ld mapped from image offset %#" PRIx64
				    " but its pointer says %#" PRIx64, what, page,
				    off - img_off, addr[page]);
		}
	}
	if (seen != expected)
		why(r, "%s: %ld pages direct, %ld predicted", what, seen, expected);
}

static int visit(void *arg, const struct cramfs_entry *e)
{
	struct ctx *c = arg;
	struct cramfs_xip_audit a;
	struct guest_file *g;
	struct reasons r = { .len = 0 };
	uLong icrc = crc32(0, Z_NULL, 0);
	uint32_t scrc = 0, pages, want_alone, want_whole;
	uint64_t ssize = 0;
	bool *alone, *fromstart, have_src = false, defect = false;
	uint64_t *addr;
	long report_pages, alone_count = 0;
	const char *kind_want;
	int err;

	if (!S_ISREG(e->inode.mode))
		return 0;
	err = cramfs_image_xip_audit(c->img, e, PAGE, &a);
	if (err)
		die("%s: audit: %s", e->path, cramfs_image_errmsg(c->img));
	err = cramfs_image_read_data(c->img, e, crc_sink, &icrc);
	if (err)
		die("%s: read: %s", e->path, cramfs_image_errmsg(c->img));

	if (c->predict_only) {
		printf("P %s pages=%u mappable=%u from_start=%u runs=%u"
		       " last_page_shared=%d read_bug=%d crc=%08lx\n", e->path,
		       a.pages, a.mappable_pages, a.mapped_from_start, a.runs,
		       a.last_page_shared, a.read_bug, icrc);
		return 0;
	}

	c->files++;
	pages = a.pages;
	alone = calloc(pages + 1, sizeof(*alone));
	fromstart = calloc(pages + 1, sizeof(*fromstart));
	addr = calloc(pages + 1, sizeof(*addr));
	if (!alone || !fromstart || !addr)
		die("out of memory");
	for (uint32_t i = 0; i < pages; i++) {
		alone[i] = page_alone(c, e, i, pages, &addr[i]);
		alone_count += alone[i];
	}
	/* What the kernel may map: nothing from a block device. */
	want_alone = c->blockdev ? 0 : a.mappable_pages;
	want_whole = c->blockdev ? 0 : a.mapped_from_start;
	for (uint32_t i = 0; i < pages; i++)
		alone[i] = alone[i] && !c->blockdev;
	for (uint32_t i = 0; i < want_whole && i < pages; i++)
		fromstart[i] = true;

	/* The prediction itself: libcramfs' audit against the page rule. */
	if (alone_count != (long)a.mappable_pages)
		why(&r, "audit says %u mappable, page rule %ld", a.mappable_pages,
		    alone_count);
	report_pages = find_report(c, e->path);
	if (c->n_report && report_pages != (long)a.mappable_pages)
		why(&r, "report xip_pages %ld != mappable %u", report_pages,
		    a.mappable_pages);
	if (c->expect_none && (a.mappable_pages || report_pages > 0))
		why(&r, "non-XIP image has %u mappable pages", a.mappable_pages);
	if (c->src) {
		have_src = src_crc(c->src, e->path, &scrc, &ssize);
		if (!have_src)
			why(&r, "missing in the source tree");
		else if (scrc != (uint32_t)icrc || ssize != e->inode.size)
			why(&r, "libcramfs decodes other bytes than the source");
	} else {
		scrc = (uint32_t)icrc;
	}

	g = find_guest(c, e->path);
	if (!g) {
		why(&r, "not seen in the guest");
		goto out;
	}
	g->seen = true;
	if (g->size != e->inode.size || g->pages != (long)pages)
		why(&r, "guest size %" PRIu64 " pages %ld", g->size, g->pages);
	if (g->direct != (long)want_alone)
		why(&r, "direct %ld, expected %u", g->direct, want_alone);
	if (g->whole != (long)want_whole)
		why(&r, "whole %ld, expected %u", g->whole, want_whole);
	check_runs(&r, "single", g->ind, g->n_ind, alone, addr, pages,
		   c->image_offset);
	check_runs(&r, "whole", g->wmap, g->n_wmap, fromstart, addr, pages,
		   c->image_offset);
	kind_want = !pages || !want_whole ? "-" :
		    want_whole == pages ? "pf" : "mm";
	if (strcmp(g->kind, kind_want))
		why(&r, "vma %s, expected %s", g->kind, kind_want);
	if (g->rss != (unsigned long)(pages - want_whole) * (PAGE / 1024))
		why(&r, "rss %lu kB, expected %u", g->rss,
		    (pages - want_whole) * (PAGE / 1024));
	if (g->sigbus)
		why(&r, "%ld faults", g->sigbus);
	if (g->tailnz)
		why(&r, "non-zero bytes after the end of file");
	if (g->crc_mmap != scrc && !(a.read_bug && !fromstart[pages - 1]))
		why(&r, "mmap bytes differ from the source");

	if (a.read_bug && !strcmp(c->kernel, "stock")) {
		/* The stock read_folio() defect: last page reads as zeros. */
		char last[32];

		snprintf(last, sizeof(last), "%u", pages - 1);
		if (fromstart[pages - 1])
			/* whole mapping direct: mmap right, read() zeros */
			defect = !strcmp(g->match, "no") &&
				 !strcmp(g->rdiff, last) &&
				 !strcmp(g->rzero, "yes") && g->idiff == 1 &&
				 g->iwdiff == 0 && g->crc_mmap == scrc;
		else
			/* last page through the page cache in both */
			defect = !strcmp(g->match, "yes") && g->crc_read != scrc &&
				 g->idiff == alone[pages - 1] &&
				 g->iwdiff == alone[pages - 1];
		if (!defect)
			why(&r, "predicted stock read() defect not seen (match=%s rdiff=%s)",
			    g->match, g->rdiff);
	} else {
		if (strcmp(g->match, "yes"))
			why(&r, "read and mmap differ on pages %s (read zeros: %s)",
			    g->rdiff, g->rzero);
		if (g->crc_read != scrc)
			why(&r, "read bytes differ from the source");
		if (g->idiff || g->iwdiff)
			why(&r, "single-page mappings differ (%ld from read, %ld from whole)",
			    g->idiff, g->iwdiff);
	}

out:
	c->sum_pages += pages;
	c->sum_mappable += a.mappable_pages;
	c->sum_report += report_pages > 0 ? report_pages : 0;
	if (g) {
		c->sum_direct += g->direct;
		c->sum_whole += g->whole;
	}
	if (r.len)
		c->failed++;
	else if (defect)
		c->defects++;
	else
		c->ok++;
	printf("FILE %s %s pages=%u report=%ld mappable=%u direct=%ld"
	       " from_start=%u whole=%ld kind=%s rss=%lu read=%s verdict=%s%s%s\n",
	       c->label, e->path, pages, report_pages, a.mappable_pages,
	       g ? g->direct : -1L, a.mapped_from_start, g ? g->whole : -1L,
	       g ? g->kind : "?", g ? g->rss : 0UL,
	       !g ? "?" : defect ? "zeros" : !strcmp(g->match, "yes") ? "same" : "differs",
	       r.len ? "FAIL" : defect ? "known-defect" : "ok",
	       r.len ? " why=" : "", r.len ? r.buf : "");
	free(alone);
	free(fromstart);
	free(addr);
	return 0;
}

static void open_image(struct ctx *c, const char *path)
{
	int err = cramfs_image_new(&c->img);

	if (err)
		die("cramfs_image_new: %s", cramfs_strerror(err));
	err = cramfs_image_open_file(c->img, path);
	if (err)
		die("%s: %s", path, cramfs_image_errmsg(c->img));
	c->raw = read_all(path, &c->raw_len);
	if (!c->raw)
		die("%s: %s", path, strerror(errno));
}

struct craft {
	const char *path;
	struct cramfs_entry found;
	bool have;
};

static int find_entry(void *arg, const struct cramfs_entry *e)
{
	struct craft *cr = arg;

	if (!strcmp(e->path, cr->path) && S_ISREG(e->inode.mode)) {
		cr->found = *e;
		cr->have = true;
		return 1;
	}
	return 0;
}

/*
 * The pointers of a crafted file: page i of PAGES. "outside": direct
 * uncompressed pages at TARGET; "compressed": see craft-compressed.
 */
static uint32_t crafted_ptr(bool compressed, uint64_t target, uint32_t i)
{
	if (!compressed)
		return (uint32_t)((target + (uint64_t)i * PAGE) >>
				  CRAMFS_BLK_DIRECT_PTR_SHIFT) | XIP_FLAGS;
	if (i == 0)
		return (uint32_t)(target >> CRAMFS_BLK_DIRECT_PTR_SHIFT) |
		       CRAMFS_BLK_FLAG_DIRECT_PTR;
	return (uint32_t)(target + 2);
}

static int craft(bool compressed, const char *image, const char *out,
		 const char *path, uint64_t target)
{
	struct ctx c = { 0 };
	struct craft cr = { .path = path };
	unsigned char *copy;
	uint32_t pages;
	FILE *f;

	open_image(&c, image);
	if (cramfs_image_walk(c.img, find_entry, &cr) < 0 || !cr.have)
		die("%s: no regular file %s", image, path);
	pages = (cr.found.inode.size + PAGE - 1) / PAGE;
	/* Classic pointers are 30-bit byte offsets, direct ones 30-bit words. */
	if (target % PAGE || target < c.raw_len ||
	    target + (uint64_t)pages * PAGE > (compressed ? 1ull << 30 : 1ull << 32))
		die("target %#" PRIx64 " must be page aligned, beyond the image"
		    " and below %s", target, compressed ? "1 GiB" : "4 GiB");
	if (compressed && pages != 2)
		die("%s: %u pages, craft-compressed needs 2", path, pages);
	copy = malloc(c.raw_len);
	if (!copy)
		die("out of memory");
	memcpy(copy, c.raw, c.raw_len);
	for (uint32_t i = 0; i < pages; i++) {
		uint64_t at = ((uint64_t)cr.found.inode.offset << 2) + (uint64_t)i * 4;
		uint32_t ptr = crafted_ptr(compressed, target, i);

		if (at + 4 > c.raw_len)
			die("%s: block pointers outside the image", path);
		memcpy(copy + at, &ptr, 4);
	}
	f = fopen(out, "wb");
	if (!f || fwrite(copy, 1, c.raw_len, f) != c.raw_len || fclose(f))
		die("%s: %s", out, strerror(errno));
	printf("%s: %u %s pointers of %s now point at %#" PRIx64 "..%#" PRIx64
	       " (image size %zu)\n", out, pages,
	       compressed ? "compressed" : "direct", path, target,
	       target + (compressed ? 2 : (uint64_t)pages * PAGE), c.raw_len);
	free(copy);
	cramfs_image_free(c.img);
	return 0;
}

int main(int argc, char **argv)
{
	struct ctx c = { .kernel = "stock", .label = "image" };
	const char *image = NULL, *guest = NULL, *report = NULL;
	int err;

	if (argc == 6 && (!strcmp(argv[1], "craft-outside") ||
			  !strcmp(argv[1], "craft-compressed")))
		return craft(!strcmp(argv[1], "craft-compressed"), argv[2],
			     argv[3], argv[4], strtoull(argv[5], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "crc")) {
		size_t len;
		unsigned char *buf = read_all(argv[2], &len);
		size_t want = strtoull(argv[3], NULL, 0);

		if (!buf || len < want)
			die("%s: cannot read %zu bytes", argv[2], want);
		printf("%08lx\n", crc32(crc32(0, Z_NULL, 0), buf, (uInt)want));
		return 0;
	}

	if (argc == 3 && !strcmp(argv[1], "predict")) {
		c.predict_only = true;
		open_image(&c, argv[2]);
		err = cramfs_image_walk(c.img, visit, &c);
		if (err)
			die("%s: %s", argv[2], cramfs_image_errmsg(c.img));
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "judge"))
		die("usage: xipaudit predict IMAGE | xipaudit judge --label L"
		    " --image IMG --guest FILE [--report JSON] [--src DIR]"
		    " [--image-offset OFF] [--kernel stock|fixed]"
		    " [--expect-none | --blockdev]"
		    " | xipaudit craft-outside|craft-compressed IMAGE OUT PATH TARGET"
		    " | xipaudit crc FILE LEN");
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--expect-none")) {
			c.expect_none = true;
			continue;
		}
		if (!strcmp(a, "--blockdev")) {
			c.blockdev = true;
			continue;
		}
		if (!v)
			die("%s needs a value", a);
		i++;
		if (!strcmp(a, "--label"))
			c.label = v;
		else if (!strcmp(a, "--image"))
			image = v;
		else if (!strcmp(a, "--guest"))
			guest = v;
		else if (!strcmp(a, "--report"))
			report = v;
		else if (!strcmp(a, "--src"))
			c.src = v;
		else if (!strcmp(a, "--image-offset"))
			c.image_offset = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--kernel"))
			c.kernel = v;
		else
			die("unknown option %s", a);
	}
	if (!image || !guest)
		die("judge needs --image and --guest");
	if (strcmp(c.kernel, "stock") && strcmp(c.kernel, "fixed"))
		die("--kernel is stock or fixed");
	open_image(&c, image);
	c.guest = load_guest(guest, &c.n_guest);
	if (report)
		c.report = load_report(report, &c.n_report);
	err = cramfs_image_walk(c.img, visit, &c);
	if (err)
		die("%s: %s", image, cramfs_image_errmsg(c.img));
	for (size_t i = 0; i < c.n_guest; i++) {
		if (c.guest[i].seen)
			continue;
		printf("FILE %s %s verdict=FAIL why=in_the_guest_but_not_in_the_image\n",
		       c.label, c.guest[i].path);
		c.failed++;
	}
	if (!c.files) {
		printf("FILE %s - verdict=FAIL why=no_regular_files\n", c.label);
		c.failed++;
	}
	printf("IMAGE %s kernel=%s files=%ld ok=%ld known_defect=%ld fail=%ld"
	       " pages=%ld report=%ld mappable=%ld direct=%ld whole=%ld\n",
	       c.label, c.kernel, c.files, c.ok, c.defects, c.failed, c.sum_pages,
	       c.sum_report, c.sum_mappable, c.sum_direct, c.sum_whole);
	cramfs_image_free(c.img);
	return c.failed ? 1 : 0;
}
