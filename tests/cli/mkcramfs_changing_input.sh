# Input that changes between the scan and the read: mkcramfs must fail
# (exit 8, the path and what changed) and write nothing. The peers mmap by
# the scanned size (SIGBUS) or write a corrupt image and exit 0.
#
# To be deterministic, the change is made by a small LD_PRELOAD library at
# the exact moment mkcramfs opens (or first reads) the file, not by a race.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

CC=${CC:-cc}
have "$CC" || skip "no C compiler ($CC) to build the LD_PRELOAD helper"

cat > change.c <<'EOF'
/*
 * LD_PRELOAD helper: when the program opens a file whose last path
 * component is $CHANGE_FILE for reading, change that file as $CHANGE_HOW
 * says, once:
 *   grow, shrink, replace, delete,  just before the open
 *   fifo, symlink, directory        (the last three replace the file)
 *   late-grow, late-shrink          after the open, at the first read
 * Creates $CHANGE_MARK once the change is made.
 */
#undef _FORTIFY_SOURCE
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static int done;
static int late_fd = -1;

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

/* Tell the test that the change was made. */
static void announce(void)
{
	const char *mark = getenv("CHANGE_MARK");

	if (mark)
		close(REAL(openat)(AT_FDCWD, mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
}

static int wanted(const char *path, int flags)
{
	const char *want = getenv("CHANGE_FILE");
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return !done && want && (flags & O_ACCMODE) == O_RDONLY &&
	       !(flags & O_DIRECTORY) && strcmp(base, want) == 0;
}

static void change_path(int dirfd, const char *path, const char *how)
{
	int fd;

	if (!strcmp(how, "grow")) {
		fd = openat(dirfd, path, O_WRONLY | O_APPEND | O_CLOEXEC);
		if (fd >= 0 && write(fd, "more", 4) != 4)
			abort();
		close(fd);
	} else if (!strcmp(how, "shrink")) {
		fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || ftruncate(fd, 1) < 0)
			abort();
		close(fd);
	} else if (!strcmp(how, "replace")) {
		/* Same size, another inode. */
		char tmp[4096];
		char buf[65536];
		int in = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
		ssize_t n;

		snprintf(tmp, sizeof(tmp), "%s.new", path);
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (in < 0 || fd < 0)
			abort();
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(fd, buf, (size_t)n) != n)
				abort();
		close(in);
		close(fd);
		if (renameat(dirfd, tmp, dirfd, path) < 0)
			abort();
	} else if (!strcmp(how, "delete")) {
		if (unlinkat(dirfd, path, 0) < 0)
			abort();
	} else if (!strcmp(how, "fifo")) {
		if (unlinkat(dirfd, path, 0) < 0 || mkfifoat(dirfd, path, 0644) < 0)
			abort();
	} else if (!strcmp(how, "symlink")) {
		if (unlinkat(dirfd, path, 0) < 0 || symlinkat("/dev/zero", dirfd, path) < 0)
			abort();
	} else if (!strcmp(how, "directory")) {
		if (unlinkat(dirfd, path, 0) < 0 || mkdirat(dirfd, path, 0755) < 0)
			abort();
	}
}

/* Returns 1 when the change is due at the first read of the new fd. */
static int before_open(int dirfd, const char *path, int flags)
{
	const char *how = getenv("CHANGE_HOW");

	if (!how || !wanted(path, flags))
		return 0;
	if (!strncmp(how, "late-", 5))
		return 1;
	done = 1;
	change_path(dirfd, path, how);
	announce();
	return 0;
}


static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ?
	       (mode_t)va_arg(ap, int) : 0;
}

static int do_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	int late = before_open(dirfd, path, flags);
	int fd = REAL(openat)(dirfd, path, flags, mode);

	if (late && fd >= 0)
		late_fd = fd;
	return fd;
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return do_openat(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return do_openat(dirfd, path, flags, mode);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return do_openat(AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return do_openat(AT_FDCWD, path, flags, mode);
}

int __openat_2(int dirfd, const char *path, int flags)
{
	return do_openat(dirfd, path, flags, 0);
}

int __open_2(const char *path, int flags)
{
	return do_openat(AT_FDCWD, path, flags, 0);
}

static void before_read(int fd)
{
	const char *how = getenv("CHANGE_HOW");
	char proc[64];
	int w;

	if (done || fd != late_fd)
		return;
	done = 1;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (!strcmp(how, "late-grow")) {
		w = REAL(openat)(AT_FDCWD, proc, O_WRONLY | O_APPEND | O_CLOEXEC);
		if (w < 0 || write(w, "more", 4) != 4)
			abort();
	} else {
		w = REAL(openat)(AT_FDCWD, proc, O_WRONLY | O_CLOEXEC);
		if (w < 0 || ftruncate(w, 1) < 0)
			abort();
	}
	close(w);
	announce();
}

ssize_t read(int fd, void *buf, size_t len)
{
	before_read(fd);
	return REAL(read)(fd, buf, len);
}

ssize_t __read_chk(int fd, void *buf, size_t len, size_t buflen);
ssize_t __read_chk(int fd, void *buf, size_t len, size_t buflen)
{
	(void)buflen;
	before_read(fd);
	return REAL(read)(fd, buf, len);
}
EOF
"$CC" -shared -fPIC -O1 -o change.so change.c -ldl 2>cc.err ||
	{ cat cc.err; skip "cannot build the LD_PRELOAD helper"; }

# An AddressSanitizer build refuses a preloaded library ahead of its own.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

# with_change FILE HOW CMD...: run CMD with FILE changed as HOW says.
with_change() {
	local file=$1 how=$2
	shift 2
	rm -f changed
	run env LD_PRELOAD="$TMP/change.so" CHANGE_FILE="$file" CHANGE_HOW="$how" \
		CHANGE_MARK="$TMP/changed" "$@"
	[ "$file" = no-such-file ] || [ -e changed ] ||
		skip "LD_PRELOAD has no effect on $MKCRAMFS (static or setuid?)"
}

# make_tree: a fresh tree with the file to change deep inside.
make_tree() {
	rm -rf in
	mkdir -p in/usr/lib
	yes "contents of the victim" | head -c 50000 > in/usr/lib/victim
	yes "a bystander" | head -c 9000 > in/usr/bystander
	echo hi > in/zz_last
}

# err_text: stderr without the warnings for our own gid when it does not
# fit 8 bits (unprivileged runs): those are right and not tested here.
err_text() { grep -v "^mkcramfs: warning: .*: gid $(id -g) does not fit the 8 bits" "$TMP/err" || :; }

# expect_changed WHY: exit 8, one message, no image, no temporary file.
expect_changed() {
	expect_rc 8
	[ "$(err_text)" = "mkcramfs: usr/lib/victim: $1" ] ||
		{ cat "$TMP/err"; fail "expected: mkcramfs: usr/lib/victim: $1"; }
	[ ! -s "$TMP/out" ] || { cat "$TMP/out"; fail "stdout not empty"; }
	[ ! -e img/new.img ] || fail "an image was written"
	cmp -s img/old.img old.copy || fail "the existing image was modified"
	[ -z "$(find img -name '.*' -type f)" ] || fail "temporary file left: $(find img -name '.*' -type f)"
}

mkdir img
head -c 2000 /dev/urandom > img/old.img
cp img/old.img old.copy

# Control: the helper loaded, nothing changed: the build succeeds and the
# image equals one made without the helper.
make_tree
run "$MKCRAMFS" -q in plain.img
expect_rc 0
with_change no-such-file grow "$MKCRAMFS" -q in img/control.img
expect_rc 0
cmp plain.img img/control.img || fail "the helper alone changed the image"
rm img/control.img

for target in new old; do
	make_tree
	with_change victim grow "$MKCRAMFS" in "img/$target.img"
	[ "$(stat -c %s in/usr/lib/victim)" -eq 50004 ] || fail "the helper did not grow the file"
	expect_changed "file changed during the build (size differs from the scan)"

	make_tree
	with_change victim shrink "$MKCRAMFS" in "img/$target.img"
	[ "$(stat -c %s in/usr/lib/victim)" -eq 1 ] || fail "the helper did not shrink the file"
	expect_changed "file changed during the build (size differs from the scan)"

	make_tree
	ino=$(stat -c %i in/usr/lib/victim)
	with_change victim replace "$MKCRAMFS" in "img/$target.img"
	[ "$(stat -c %i in/usr/lib/victim)" != "$ino" ] || fail "the helper did not replace the file"
	expect_changed "file changed during the build (replaced by another file)"

	make_tree
	with_change victim delete "$MKCRAMFS" in "img/$target.img"
	[ ! -e in/usr/lib/victim ] || fail "the helper did not delete the file"
	expect_changed "cannot open: No such file or directory"

	# Something else in the file's place: never opened through a symlink,
	# and a FIFO must not block the build (timeout turns a hang into 124).
	make_tree
	with_change victim fifo timeout 60 "$MKCRAMFS" in "img/$target.img"
	[ -p in/usr/lib/victim ] || fail "the helper did not put a FIFO in place"
	expect_changed "file changed during the build (replaced by another file)"

	make_tree
	with_change victim symlink "$MKCRAMFS" in "img/$target.img"
	[ -L in/usr/lib/victim ] || fail "the helper did not put a symlink in place"
	expect_changed "cannot open: Too many levels of symbolic links"

	make_tree
	with_change victim directory "$MKCRAMFS" in "img/$target.img"
	[ -d in/usr/lib/victim ] || fail "the helper did not put a directory in place"
	expect_changed "file changed during the build (replaced by another file)"

	# Changes after mkcramfs checked the size, while it reads.
	make_tree
	with_change victim late-grow "$MKCRAMFS" in "img/$target.img"
	[ "$(stat -c %s in/usr/lib/victim)" -eq 50004 ] || fail "the helper did not grow the file"
	expect_changed "file changed during the build (longer than at the scan)"

	make_tree
	with_change victim late-shrink "$MKCRAMFS" in "img/$target.img"
	[ "$(stat -c %s in/usr/lib/victim)" -eq 1 ] || fail "the helper did not shrink the file"
	expect_changed "file changed during the build (shorter than at the scan)"
done
