// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xipcheck: runs inside the QEMU guest as a static binary and reports, page
 * by page, which pages of the files of a mounted cramfs image the kernel
 * maps in place (execute in place) from the simulated flash window.
 *
 *   xipcheck files --base PHYS --size LEN DIR
 *       For every regular file below DIR: read() it whole; map it whole
 *       (PROT_READ, MAP_PRIVATE) and touch every page; then map every page
 *       alone (length one page at offset i * page). A page is direct when
 *       its physical address lies in [PHYS, PHYS + LEN): for a VM_PFNMAP
 *       vma ("pf" in VmFlags, the whole vma mapped by remap_pfn_range) the
 *       address comes from the maps offset column, which then holds the
 *       physical address (pagemap reports such pages as not present); for
 *       any other vma from /proc/self/pagemap (root only). SIGBUS and
 *       SIGSEGV are caught per page. Prints one "F" line per file.
 *
 *   xipcheck vmas SMAPS [SUBSTRING]
 *       Summarise a saved /proc/PID/smaps: one "V" line per file-backed
 *       vma (whose path contains SUBSTRING): path, perms, kind (pf, mm or
 *       -), Rss and size in kB.
 *
 * Output of "files", one line per file (the path is %XX-escaped):
 *   F PATH size=N pages=N direct=N whole=N kind=pf|mm|- rss=KB
 *     match=yes|no rdiff=P,.. rzero=yes|no|- idiff=N iwdiff=N tailnz=N
 *     sigbus=N crc_read=X crc_mmap=X ind=RUNS wmap=RUNS
 * direct: pages that are direct when mapped one at a time; whole: direct
 * pages of the whole-file mapping; match: read() and mmap bytes agree;
 * rdiff: pages where they differ; rzero: those pages read back as zeros;
 * idiff/iwdiff: single-page mappings that differ from read() / from the
 * whole mapping; tailnz: non-zero bytes after the end of file in the last
 * mapped page; RUNS: "first+count@offset" runs of direct pages, offset
 * (hex) of the first page from PHYS, or "-".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t page_size;
static uint64_t win_base, win_size;
static int pagemap_fd = -1;
static int failures;

/* ---- CRC32 (IEEE 802.3, reflected, as zlib's crc32()) ---------------- */

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32_buf(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/* ---- helpers ---------------------------------------------------------- */

__attribute__((noreturn, format(printf, 1, 2)))
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("xipcheck: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

__attribute__((format(printf, 1, 2)))
static void warnf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("xipcheck: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failures++;
}

static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c >= 0x7f || c == '%')
			fprintf(f, "%%%02X", c);
		else
			fputc(c, f);
	}
}

/* Read a whole (proc) file into a growing buffer; NUL terminated. */
static char *slurp(const char *path, size_t *len)
{
	static char *buf;
	static size_t cap;
	size_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	for (;;) {
		ssize_t r;

		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf)
				die("out of memory");
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

/* ---- smaps ------------------------------------------------------------ */

struct vma_info {
	unsigned long start, end;
	unsigned long long offset;
	char perms[8];
	char path[512];
	bool pfnmap, mixedmap;
	unsigned long rss_kb;
};

/* A vma header: "start-end perms offset dev inode [path]". */
static bool parse_vma_header(const char *line, struct vma_info *vi)
{
	int pos = 0;

	memset(vi, 0, sizeof(*vi));
	if (sscanf(line, "%lx-%lx %7s %llx %*x:%*x %*u%n", &vi->start,
		   &vi->end, vi->perms, &vi->offset, &pos) < 4 || pos == 0)
		return false;
	line += pos;
	while (*line == ' ')
		line++;
	snprintf(vi->path, sizeof(vi->path), "%.*s",
		 (int)strcspn(line, "\n"), line);
	return true;
}

/* Apply one key line of an smaps block to `vi`. */
static void parse_vma_key(const char *line, struct vma_info *vi)
{
	if (!strncmp(line, "Rss:", 4)) {
		vi->rss_kb = strtoul(line + 4, NULL, 10);
	} else if (!strncmp(line, "VmFlags:", 8)) {
		const char *p = line + 8;

		while (*p && *p != '\n') {
			while (*p == ' ')
				p++;
			if (!strncmp(p, "pf", 2) && (p[2] == ' ' || p[2] == '\n' || !p[2]))
				vi->pfnmap = true;
			if (!strncmp(p, "mm", 2) && (p[2] == ' ' || p[2] == '\n' || !p[2]))
				vi->mixedmap = true;
			while (*p && *p != ' ' && *p != '\n')
				p++;
		}
	}
}

/* Find the vma that starts at `addr` in /proc/self/smaps. */
static bool vma_lookup(unsigned long addr, struct vma_info *out)
{
	char *buf = slurp("/proc/self/smaps", NULL);
	bool in = false;

	if (!buf)
		die("cannot read /proc/self/smaps: %s", strerror(errno));
	for (char *line = buf; *line;) {
		char *nl = strchr(line, '\n');
		struct vma_info vi;

		if (nl)
			*nl = 0;
		if (parse_vma_header(line, &vi)) {
			if (in)
				return true;
			if (vi.start == addr) {
				*out = vi;
				in = true;
			}
		} else if (in) {
			parse_vma_key(line, out);
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	return in;
}

/* ---- page probing ------------------------------------------------------ */

static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_armed;

static void on_fault(int sig)
{
	if (fault_armed)
		siglongjmp(fault_jmp, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Copy one page from a mapping; false on SIGBUS/SIGSEGV. */
static bool copy_guarded(void *dst, const volatile unsigned char *src, size_t n)
{
	if (sigsetjmp(fault_jmp, 1)) {
		fault_armed = 0;
		return false;
	}
	fault_armed = 1;
	for (size_t i = 0; i < n; i++)
		((unsigned char *)dst)[i] = src[i];
	fault_armed = 0;
	return true;
}

/* Physical address of the page at `addr` from pagemap, or 0. */
static uint64_t pagemap_phys(unsigned long addr)
{
	uint64_t e;

	if (pagemap_fd < 0)
		return 0;
	if (pread(pagemap_fd, &e, sizeof(e), (off_t)(addr / page_size) * 8) !=
	    (ssize_t)sizeof(e))
		return 0;
	if (!(e >> 63 & 1))
		return 0;
	return (e & ((1ull << 55) - 1)) * page_size;
}

static bool in_window(uint64_t phys)
{
	return phys >= win_base && phys - win_base < win_size;
}

/*
 * Offset into the window of the page at `addr` of the vma `vi`, or -1 when
 * the page does not come from the window.
 */
static int64_t page_direct(const struct vma_info *vi, unsigned long addr)
{
	uint64_t phys;

	if (vi->pfnmap)
		phys = vi->offset + (addr - vi->start);
	else
		phys = pagemap_phys(addr);
	if (phys && in_window(phys))
		return (int64_t)(phys - win_base);
	return -1;
}

/* Runs of direct pages: "first+count@offset,...". */
struct runs {
	char *s;
	size_t len, cap;
	long first, count;
	int64_t off;
};

static void runs_flush(struct runs *r)
{
	char tmp[80];
	int n;

	if (r->count == 0)
		return;
	n = snprintf(tmp, sizeof(tmp), "%s%ld+%ld@%" PRIx64, r->len ? "," : "",
		     r->first, r->count, r->off);
	if (r->len + (size_t)n + 1 > r->cap) {
		r->cap = (r->cap + (size_t)n + 1) * 2;
		r->s = realloc(r->s, r->cap);
		if (!r->s)
			die("out of memory");
	}
	memcpy(r->s + r->len, tmp, (size_t)n + 1);
	r->len += (size_t)n;
	r->count = 0;
}

static void runs_add(struct runs *r, long page, int64_t off)
{
	if (r->count && page == r->first + r->count &&
	    off == r->off + (int64_t)(r->count * (long)page_size)) {
		r->count++;
		return;
	}
	runs_flush(r);
	r->first = page;
	r->count = 1;
	r->off = off;
}

static const char *runs_str(struct runs *r)
{
	runs_flush(r);
	return r->len ? r->s : "-";
}

static bool all_zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static void check_file(const char *path, const char *rel)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	unsigned char *rbuf = NULL, *mbuf = NULL, *pbuf;
	size_t size, pages, got = 0;
	long direct = 0, whole = 0, idiff = 0, iwdiff = 0, tailnz = 0;
	long sigbus = 0;
	struct runs ind = { 0 }, wmap = { 0 };
	struct vma_info wvi = { 0 };
	const char *kind = "-";
	bool match = true, rzero = true, any_rdiff = false;
	char *rdiff = NULL;
	size_t rdiff_len = 0;

	if (fd < 0 || fstat(fd, &st) < 0) {
		warnf("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	size = (size_t)st.st_size;
	pages = (size + page_size - 1) / page_size;
	rbuf = calloc(pages ? pages : 1, page_size);
	mbuf = calloc(pages ? pages : 1, page_size);
	pbuf = malloc(page_size);
	if (!rbuf || !mbuf || !pbuf)
		die("out of memory");

	/* read() through the page cache (cramfs_read_folio). */
	while (got < size) {
		ssize_t r = read(fd, rbuf + got, size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			warnf("%s: read: %s", path, r < 0 ? strerror(errno) : "short");
			match = false;
			break;
		}
		got += (size_t)r;
	}

	if (pages) {
		/* The whole file, as a loader maps read-only text. */
		unsigned char *m = mmap(NULL, pages * page_size, PROT_READ,
					MAP_PRIVATE, fd, 0);

		if (m == MAP_FAILED) {
			warnf("%s: mmap: %s", path, strerror(errno));
			match = false;
		} else {
			for (size_t i = 0; i < pages; i++)
				if (!copy_guarded(mbuf + i * page_size,
						  m + i * page_size, page_size)) {
					sigbus++;
					match = false;
				}
			if (!vma_lookup((unsigned long)m, &wvi))
				warnf("%s: no vma at %p", path, (void *)m);
			kind = wvi.pfnmap ? "pf" : wvi.mixedmap ? "mm" : "-";
			for (size_t i = 0; i < pages; i++) {
				int64_t off = page_direct(&wvi, (unsigned long)m + i * page_size);

				if (off >= 0) {
					whole++;
					runs_add(&wmap, (long)i, off);
				}
			}
			munmap(m, pages * page_size);
		}
		if (!all_zero(mbuf + size, pages * page_size - size))
			tailnz++;

		/* read() against mmap, page by page. */
		for (size_t i = 0; i < pages; i++) {
			size_t n = i + 1 < pages ? page_size : size - i * page_size;
			char tmp[32];
			int tn;

			if (!memcmp(rbuf + i * page_size, mbuf + i * page_size, n))
				continue;
			match = false;
			if (!all_zero(rbuf + i * page_size, n))
				rzero = false;
			tn = snprintf(tmp, sizeof(tmp), "%s%zu", any_rdiff ? "," : "", i);
			rdiff = realloc(rdiff, rdiff_len + (size_t)tn + 1);
			if (!rdiff)
				die("out of memory");
			memcpy(rdiff + rdiff_len, tmp, (size_t)tn + 1);
			rdiff_len += (size_t)tn;
			any_rdiff = true;
		}

		/* Every page alone: which pages can be direct at all. */
		for (size_t i = 0; i < pages; i++) {
			size_t n = i + 1 < pages ? page_size : size - i * page_size;
			unsigned char *p = mmap(NULL, page_size, PROT_READ,
						MAP_PRIVATE, fd,
						(off_t)(i * page_size));
			struct vma_info vi;
			int64_t off;

			if (p == MAP_FAILED) {
				warnf("%s: mmap page %zu: %s", path, i, strerror(errno));
				continue;
			}
			if (!copy_guarded(pbuf, p, page_size)) {
				sigbus++;
				munmap(p, page_size);
				continue;
			}
			if (memcmp(pbuf, rbuf + i * page_size, n))
				idiff++;
			if (memcmp(pbuf, mbuf + i * page_size, page_size))
				iwdiff++;
			if (!vma_lookup((unsigned long)p, &vi)) {
				warnf("%s: no vma at %p", path, (void *)p);
				munmap(p, page_size);
				continue;
			}
			off = page_direct(&vi, (unsigned long)p);
			if (off >= 0) {
				direct++;
				runs_add(&ind, (long)i, off);
			}
			munmap(p, page_size);
		}
	}

	printf("F ");
	put_escaped(stdout, rel);
	printf(" size=%zu pages=%zu direct=%ld whole=%ld kind=%s rss=%lu"
	       " match=%s rdiff=%s rzero=%s idiff=%ld iwdiff=%ld tailnz=%ld"
	       " sigbus=%ld crc_read=%08x crc_mmap=%08x",
	       size, pages, direct, whole, kind, wvi.rss_kb,
	       match ? "yes" : "no", any_rdiff ? rdiff : "-",
	       any_rdiff ? (rzero ? "yes" : "no") : "-", idiff, iwdiff, tailnz,
	       sigbus, crc32_buf(rbuf, size), crc32_buf(mbuf, size));
	printf(" ind=%s", runs_str(&ind));
	printf(" wmap=%s\n", runs_str(&wmap));
	fflush(stdout);

	free(ind.s);
	free(wmap.s);
	free(rdiff);
	free(rbuf);
	free(mbuf);
	free(pbuf);
	close(fd);
}

static void walk(const char *dir, const char *rel)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d) {
		warnf("%s: %s", dir, strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		char *path, *sub;
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0 ||
		    asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name) < 0)
			die("out of memory");
		if (lstat(path, &st) < 0)
			warnf("%s: %s", path, strerror(errno));
		else if (S_ISDIR(st.st_mode))
			walk(path, sub);
		else if (S_ISREG(st.st_mode))
			check_file(path, sub);
		free(path);
		free(sub);
	}
	closedir(d);
}

static int cmd_files(int argc, char **argv)
{
	struct sigaction sa;
	const char *dir = NULL;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--base") && i + 1 < argc)
			win_base = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--size") && i + 1 < argc)
			win_size = strtoull(argv[++i], NULL, 0);
		else if (!dir)
			dir = argv[i];
		else
			die("unexpected argument %s", argv[i]);
	}
	if (!dir || !win_size)
		die("usage: xipcheck files --base PHYS --size LEN DIR");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);

	pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (pagemap_fd < 0)
		warnf("/proc/self/pagemap: %s", strerror(errno));
	walk(dir, "");
	return failures ? 1 : 0;
}

static void print_vma(const struct vma_info *vi, const char *want)
{
	if (vi->path[0] != '/' || (want && !strstr(vi->path, want)))
		return;
	printf("V ");
	put_escaped(stdout, vi->path);
	printf(" perms=%s kind=%s rss=%lu size=%lu\n", vi->perms,
	       vi->pfnmap ? "pf" : vi->mixedmap ? "mm" : "-", vi->rss_kb,
	       (vi->end - vi->start) / 1024);
}

static int cmd_vmas(int argc, char **argv)
{
	char *buf, *line;
	struct vma_info vi;
	bool have = false;
	const char *want = argc > 1 ? argv[1] : NULL;

	if (argc < 1)
		die("usage: xipcheck vmas SMAPS [SUBSTRING]");
	buf = slurp(argv[0], NULL);
	if (!buf)
		die("%s: %s", argv[0], strerror(errno));
	for (line = buf;;) {
		char *nl = strchr(line, '\n');
		struct vma_info next;

		if (nl)
			*nl = 0;
		if (*line && parse_vma_header(line, &next)) {
			if (have)
				print_vma(&vi, want);
			vi = next;
			have = true;
		} else if (have) {
			parse_vma_key(line, &vi);
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	if (have)
		print_vma(&vi, want);
	return 0;
}

int main(int argc, char **argv)
{
	page_size = (size_t)sysconf(_SC_PAGESIZE);
	crc_init();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "files"))
		return cmd_files(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "vmas"))
		return cmd_vmas(argc - 2, argv + 2);
	fprintf(stderr, "usage: xipcheck files --base PHYS --size LEN DIR\n"
			"       xipcheck vmas SMAPS [SUBSTRING]\n");
	return 2;
}
