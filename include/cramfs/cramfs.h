/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libcramfs: build, read, verify and extract cramfs images.
 *
 * Conventions:
 * - Functions returning int return 0 on success or a negative errno;
 *   CRAMFS_ECORRUPT means a corrupt image.
 * - Each handle keeps the message of its last failure: read it with the
 *   handle's _errmsg() accessor. The library never prints and never exits.
 * - _new() hands ownership to the caller; _free(NULL) does nothing.
 *   Strings passed in are copied. Pointers returned by getters stay valid
 *   until the owning handle is freed or changed.
 */
#ifndef CRAMFS_CRAMFS_H
#define CRAMFS_CRAMFS_H

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "export.h"
#include "format.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CRAMFS_VERSION_MAJOR 0
#define CRAMFS_VERSION_MINOR 1
#define CRAMFS_VERSION_PATCH 0
/* major * 10000 + minor * 100 + patch */
#define CRAMFS_VERSION_NUMBER (CRAMFS_VERSION_MAJOR * 10000 + \
			       CRAMFS_VERSION_MINOR * 100 + \
			       CRAMFS_VERSION_PATCH)
#define CRAMFS_VERSION_STRING "0.1.0"

/*
 * Version of the library actually loaded, to compare with the
 * CRAMFS_VERSION_* macros of the headers compiled against. The string is
 * static. Cannot fail.
 */
CRAMFS_API unsigned int cramfs_version_number(void);
CRAMFS_API const char *cramfs_version_string(void);

/*
 * This machine's page size when cramfs can use it as a block size (4096,
 * 16384 or 65536), else 4096: the block size util-linux defaults to.
 * Cannot fail.
 */
CRAMFS_API uint32_t cramfs_host_block_size(void);

/*
 * Length of the valid UTF-8 character at `s` (1 to 4 bytes, at most
 * `len`), or 0 when the bytes there are not valid UTF-8 (overlong forms
 * and surrogates included). Names in images are bytes: front ends use it
 * to escape what a terminal must not see raw. Cannot fail.
 */
CRAMFS_API size_t cramfs_utf8_char_len(const void *s, size_t len);

/* The image is corrupt (the kernel's EFSCORRUPTED). */
#define CRAMFS_ECORRUPT EUCLEAN

/*
 * Text for a negative error code returned by this library (a static
 * string; never NULL). Prefer the handle's _errmsg(), which names the path
 * and the limit.
 */
CRAMFS_API const char *cramfs_strerror(int err);

/* ------------------------------------------------------------------ */
/* Tree: what goes into an image.                                       */
/* ------------------------------------------------------------------ */

struct cramfs_tree;

/* Node id of the root directory; other ids come from cramfs_tree_add(). */
#define CRAMFS_ROOT_ID 0u

struct cramfs_attr {
	uint32_t mode;   /* type and permission bits, as st_mode */
	uint32_t uid;
	uint32_t gid;
	uint64_t size;   /* regular files: checked against the limit; the
			    content and size come from cramfs_tree_set_data() */
	uint32_t rdev_major; /* character and block devices */
	uint32_t rdev_minor;
};

/*
 * A new tree holding only the root directory (mode 0755, owner 0:0). The
 * caller owns *out and frees it with cramfs_tree_free(). Returns -ENOMEM.
 */
CRAMFS_API int cramfs_tree_new(struct cramfs_tree **out);
/* Free the tree and everything it copied. NULL does nothing. */
CRAMFS_API void cramfs_tree_free(struct cramfs_tree *tree);
/*
 * Message of the last failed call on the tree (scan, add, write), naming
 * the path and the limit; "" when there was none. Owned by the tree, valid
 * until its next call or cramfs_tree_free().
 */
CRAMFS_API const char *cramfs_tree_errmsg(const struct cramfs_tree *tree);

/*
 * Add everything below directory `path` under the root (the root takes the
 * directory's own mode and owner). Symlinks are stored, never followed.
 * Errors name the offending path and the limit: -EFBIG (file of 16 MiB or
 * more), -ENAMETOOLONG (name over 252 bytes), -ERANGE (uid, device number),
 * -ELOOP (directory cycle), or the errno of a failed system call.
 */
CRAMFS_API int cramfs_tree_scan_dir(struct cramfs_tree *tree, const char *path);

/*
 * What to do with file capabilities (security.capability) found in the
 * input: cramfs stores no xattrs, so they are lost in the image.
 */
enum cramfs_caps_policy {
	CRAMFS_CAPS_WARN = 0,    /* a warning per file, with the capability text */
	CRAMFS_CAPS_ERROR,       /* the scan fails on the first such file */
	CRAMFS_CAPS_IGNORE,      /* say nothing */
};

/* Set before scanning; the default is CRAMFS_CAPS_WARN. */
CRAMFS_API void cramfs_tree_set_caps_policy(struct cramfs_tree *tree,
					    enum cramfs_caps_policy policy);

/*
 * Build the tree from the archive read from `fd` (not closed): any format
 * and filter libarchive reads (tar, pax, cpio, zip, ...; gzip, xz, zstd,
 * ...) but mtree, detected from the content. `name` is used in messages. Mode, owner,
 * devices, symlinks and hard links come from the member headers; file data
 * is spooled to an unlinked temporary file in $TMPDIR (or /tmp), so memory
 * stays bounded whatever the archive size. Rules: a leading '/' is
 * stripped; a ".." component is an error; a later member of the same path
 * replaces the earlier one (a directory only merges attributes); missing
 * parent directories are created 0755 root:root. A truncated or corrupt
 * archive is an error naming the member.
 */
CRAMFS_API int cramfs_tree_scan_archive(struct cramfs_tree *tree, int fd,
					const char *name);

/*
 * Apply a device table (Buildroot makedevs format) at `path` on top of the
 * tree: one entry per line, "name type mode uid gid major minor start inc
 * count", '#' comments and blank lines skipped. Types: f (existing file),
 * F (file, skipped when missing), d (directory, created with its parents),
 * r (directory and everything below), c, b (devices), p (FIFO), s
 * (socket). uid and gid are numbers, or names looked up in the tree's own
 * etc/passwd and etc/group (never the host's). With count > 0, devices
 * name0..nameN are created with minor + i * inc. Errors name the file and
 * line.
 */
CRAMFS_API int cramfs_tree_apply_devtable(struct cramfs_tree *tree,
					  const char *path);

/*
 * Give every node, root included, owner `uid` and/or group `gid` (a
 * negative value leaves that field to the input), now and for every node
 * added or changed later, until called again with -1 (mkcramfs does so
 * before applying a device table, so the table's owners stand). Call it
 * before scanning so that no warning is given for a gid never stored.
 */
CRAMFS_API int cramfs_tree_force_owner(struct cramfs_tree *tree, int64_t uid,
				       int64_t gid);

/*
 * Set the root directory's mode (the type bits must say directory) and owner.
 * Returns -EINVAL for a non-directory mode, -ERANGE for a uid over 16 bits;
 * a gid over 8 bits is truncated with a warning.
 */
CRAMFS_API int cramfs_tree_set_root(struct cramfs_tree *tree,
				    const struct cramfs_attr *attr);

/*
 * Add one node under directory `parent`. `name` is one path component.
 * Regular files and symlinks start empty and get their bytes (and so their
 * size) from cramfs_tree_set_data().
 * Returns -EEXIST for a duplicate name, -EINVAL for a bad name or type.
 */
CRAMFS_API int cramfs_tree_add(struct cramfs_tree *tree, uint32_t parent,
			       const char *name, const struct cramfs_attr *attr,
			       uint32_t *id);

/*
 * Give a regular file or symlink its contents (copied: the caller keeps
 * `data`); sets its size. Returns -EINVAL for an unknown id or another type,
 * -EFBIG for a file of 16 MiB or more, -ENAMETOOLONG for a symlink target
 * outside 1..4095 bytes, -ENOMEM.
 */
CRAMFS_API int cramfs_tree_set_data(struct cramfs_tree *tree, uint32_t id,
				    const void *data, size_t len);

/* Number of nodes, root included. */
CRAMFS_API size_t cramfs_tree_count(const struct cramfs_tree *tree);

/*
 * Warnings collected while building (a gid that does not fit 8 bits, ...).
 * Front ends print them; mkcramfs -E makes them fatal. Warning `index`
 * (0 .. count-1; NULL beyond) is owned by the tree and valid until it is
 * freed.
 */
CRAMFS_API size_t cramfs_tree_warning_count(const struct cramfs_tree *tree);
CRAMFS_API const char *cramfs_tree_warning(const struct cramfs_tree *tree,
					   size_t index);

/* ------------------------------------------------------------------ */
/* Writing an image.                                                    */
/* ------------------------------------------------------------------ */

enum cramfs_block_kind {
	CRAMFS_BLOCK_ZLIB = 0,   /* compressed zlib stream */
	CRAMFS_BLOCK_RAW,        /* stored uncompressed (extended pointer) */
	CRAMFS_BLOCK_HOLE,       /* all zero, stored as an empty block */
	CRAMFS_BLOCK_XIP,        /* uncompressed, direct, mapped in place */
	CRAMFS_BLOCK_SHARED,     /* a direct pointer to a block stored for an
				    earlier file or block (--dedup=block) */
	CRAMFS_BLOCK_KINDS
};

/* One line of mkcramfs -v: what happened to a file or symlink. */
struct cramfs_file_report {
	const char *path;        /* inside the image, no leading '/' */
	uint32_t mode;
	uint64_t size;           /* bytes of content */
	uint64_t stored;         /* bytes of block table and blocks written,
				    XIP blocks included */
	uint32_t blocks[CRAMFS_BLOCK_KINDS]; /* count per kind */
	uint64_t xip_padding;    /* zero bytes after the file's XIP blocks */
	const char *xip_note;    /* why a candidate was not (fully) XIP, or NULL */
	const char *shared_with; /* non-NULL: data shared with this file */
};

#define CRAMFS_THREADS_MAX 256u

/* Block compressor: both write standard zlib streams, which every kernel reads. */
enum cramfs_compressor_kind {
	CRAMFS_COMPRESSOR_LIBDEFLATE = 0, /* levels 0..12: faster, smaller */
	CRAMFS_COMPRESSOR_ZLIB,           /* levels 0..9: level 6 gives
					     util-linux mkfs.cramfs' bytes */
};

/* What identical data shares. */
enum cramfs_dedup_mode {
	CRAMFS_DEDUP_FILES = 0,  /* whole files: every cramfs reader */
	CRAMFS_DEDUP_BLOCKS,     /* single blocks too, through direct
				    pointers (extended block pointers, Linux
				    >= 4.15); implies direct pointers for
				    every file */
};

/* Highest level of a compressor: 12 for libdeflate, 9 for zlib. */
CRAMFS_API int cramfs_compressor_max_level(enum cramfs_compressor_kind kind);

/* Which files get blocks that the kernel maps in place (execute in place). */
enum cramfs_xip_mode {
	CRAMFS_XIP_NONE = 0,
	CRAMFS_XIP_ELF,          /* read-only PT_LOAD segments of ELF files */
	CRAMFS_XIP_ALL,          /* every regular file, whole */
};

struct cramfs_write_opts {
	uint32_t block_size;     /* = target PAGE_SIZE: 4096, 16384, 65536 */
	enum cramfs_endian endian;
	uint32_t edition;        /* fsid.edition */
	const char *name;        /* volume name, at most 16 bytes; NULL: "Compressed" */
	bool pad;                /* 512 zero bytes before the superblock */
	bool holes;              /* all-zero blocks become holes */
	bool raw_blocks;         /* store a block raw when zlib does not shrink it */
	enum cramfs_compressor_kind compressor;
	int level;               /* 0 to the compressor's maximum */
	/* Compression threads, the caller's included; 0: online CPUs. The
	 * image is the same whatever the count. */
	unsigned threads;        /* at most CRAMFS_THREADS_MAX */
	enum cramfs_dedup_mode dedup;
	const char *insert_file; /* -i: file placed after the superblock */
	enum cramfs_xip_mode xip;
	/*
	 * Alignment of XIP runs: 0 = the block size (MMU kernels map pages),
	 * or 8 (no-MMU kernels point into the flash). Power of two, >= 4.
	 */
	uint32_t xip_align;
	/* Shell patterns (fnmatch, FNM_PATHNAME) of image paths without the
	 * leading '/': a pattern without '/' matches the file name alone. */
	const char *const *xip_include; /* whole file XIP, whatever its type */
	size_t xip_include_count;
	const char *const *xip_exclude; /* never XIP */
	size_t xip_exclude_count;
	/*
	 * Map the last block of a file whose size is a multiple of the block
	 * size too. Stock kernels (up to at least 6.12) read such a block as
	 * zeros through read(), so by default it is stored compressed and
	 * only the pages before it map in place.
	 */
	bool xip_map_last_page;
	bool warnings_fatal;     /* a warning while writing fails the write */
	/* Called once per stored file or symlink, in image order. */
	void (*on_file)(void *arg, const struct cramfs_file_report *report);
	/* Called after each file's content is read: files and content bytes
	 * done so far, out of the totals. */
	void (*on_progress)(void *progress_arg, uint64_t files_done,
			    uint64_t files_total, uint64_t bytes_done,
			    uint64_t bytes_total);
	void *progress_arg;
	/*
	 * When set, *cancel is polled between batches of blocks: once it is
	 * non-zero (a signal handler sets it) the write stops with
	 * -ECANCELED and cramfs_write_file() removes its temporary file.
	 */
	volatile sig_atomic_t *cancel;
	void *arg;
};

struct cramfs_write_stats {
	uint64_t image_size;
	uint64_t metadata_size;  /* superblock, directories and names */
	uint32_t files;          /* fsid.files: every node, root included */
	uint32_t blocks;         /* fsid.blocks */
	uint32_t crc;
	uint32_t flags;          /* superblock flags written */
	uint64_t data_bytes;     /* content of files and symlinks, dedup'd once */
	uint64_t data_stored;    /* block tables and blocks */
	uint32_t dedup_files;    /* files that share another file's data */
	uint64_t dedup_saved;    /* content bytes not stored thanks to that */
	uint32_t dedup_blocks;   /* blocks pointing at an identical stored one */
	uint64_t dedup_block_saved; /* stored bytes that saved */
	uint32_t xip_files;      /* files with blocks mapped in place */
	uint32_t xip_blocks;     /* blocks (pages) mapped in place, each once */
	uint64_t xip_padding;    /* zero bytes the XIP layout added in all */
	/* What cramfs-tools' inline layout (pad before every run) would add,
	 * computed on the same blocks, for comparison. */
	uint64_t xip_inline_padding;
};

/*
 * Fill `opts` with the defaults: 4096-byte blocks, host byte order,
 * libdeflate level 6, threads = online CPUs, no XIP, no callback. Cannot
 * fail. Strings and arrays set in opts afterwards stay the caller's and
 * must outlive the write.
 */
CRAMFS_API void cramfs_write_opts_init(struct cramfs_write_opts *opts);

/*
 * Write the image of `tree` to `fd`, starting at byte 0. The fd must be
 * open for reading and writing (stored data is read back to confirm
 * duplicates). Errors are reported on the tree: -EINVAL for bad options,
 * -EFBIG when the image outgrows what cramfs can address, a failed read or
 * write's errno, and -EINVAL for a warning when opts->warnings_fatal.
 * `stats` may be NULL.
 */
CRAMFS_API int cramfs_write_fd(struct cramfs_tree *tree,
			       const struct cramfs_write_opts *opts, int fd,
			       struct cramfs_write_stats *stats);

/*
 * Write the image to `path` through a temporary file in the same directory,
 * renamed over `path` only on success: a failed run leaves nothing behind and
 * never destroys an existing file. Errors as cramfs_write_fd(), with the
 * path in the message.
 */
CRAMFS_API int cramfs_write_file(struct cramfs_tree *tree,
				 const struct cramfs_write_opts *opts,
				 const char *path,
				 struct cramfs_write_stats *stats);

/* ------------------------------------------------------------------ */
/* Reading an image. Every byte of the image is treated as untrusted.   */
/* ------------------------------------------------------------------ */

struct cramfs_image;

/*
 * A new handle with no image open; the caller owns *out and frees it with
 * cramfs_image_free(). Returns -ENOMEM, or -EINVAL for a NULL `out`.
 */
CRAMFS_API int cramfs_image_new(struct cramfs_image **out);
/* Unmap any open image and free the handle. NULL does nothing. */
CRAMFS_API void cramfs_image_free(struct cramfs_image *img);
/*
 * Message of the last failed call on the handle, naming the entry, offset
 * and limit; "" when there was none. Owned by the handle, valid until its
 * next call or cramfs_image_free().
 */
CRAMFS_API const char *cramfs_image_errmsg(const struct cramfs_image *img);

/*
 * Block size the image was written for (default 4096); set before reading.
 * Returns -EINVAL for anything but 4096, 16384 or 65536.
 */
CRAMFS_API int cramfs_image_set_block_size(struct cramfs_image *img,
					   uint32_t block_size);

/*
 * Open an image: finds the superblock at 0 or 512 in either byte order and
 * checks magic, flags and that the root is a directory. Memory images are
 * borrowed and must outlive the handle; files are mapped read-only.
 * One image per handle: -EBUSY when one is open already. Returns the
 * errno of a failed open or mmap, CRAMFS_ECORRUPT for anything that is not
 * a cramfs image or is cut short.
 */
CRAMFS_API int cramfs_image_open_file(struct cramfs_image *img,
				      const char *path);
CRAMFS_API int cramfs_image_open_memory(struct cramfs_image *img,
					const void *buf, size_t len);

/*
 * Accessors of an open image; they cannot fail. The superblock is decoded
 * to host order and owned by the handle. cramfs_image_endian() says the
 * byte order the image was written in (LITTLE or BIG, never HOST).
 */
CRAMFS_API const struct cramfs_super *
cramfs_image_super(const struct cramfs_image *img);
CRAMFS_API enum cramfs_endian cramfs_image_endian(const struct cramfs_image *img);
/* Where the superblock starts: 0, or 512 for padded images. */
CRAMFS_API uint32_t cramfs_image_super_offset(const struct cramfs_image *img);
/* Bytes available in the mapped file or buffer. */
CRAMFS_API uint64_t cramfs_image_length(const struct cramfs_image *img);

/*
 * CRC32 of the image as the superblock describes it (crc field zeroed), in
 * *crc. CRAMFS_ECORRUPT when the superblock's size exceeds the image.
 */
CRAMFS_API int cramfs_image_compute_crc(struct cramfs_image *img,
					uint32_t *crc);

struct cramfs_entry {
	const char *path;     /* "" for the root, else "dir/name" */
	const char *name;     /* last component ("" for the root) */
	unsigned int depth;   /* 0 for the root */
	uint32_t inode_offset;/* byte offset of the inode in the image */
	struct cramfs_inode inode;
};

/*
 * Visit every entry, parents before children, each directory's entries in
 * stored order. Iterative, depth-bounded, rejects directory cycles
 * (-ELOOP) and entries outside the image (CRAMFS_ECORRUPT). A non-zero
 * return from `fn` stops the walk and is returned. The entry and its
 * strings belong to the walk: copy what `fn` needs to keep.
 */
typedef int (*cramfs_walk_fn)(void *arg, const struct cramfs_entry *entry);
CRAMFS_API int cramfs_image_walk(struct cramfs_image *img, cramfs_walk_fn fn,
				 void *arg);

/*
 * Decode the content of a regular file or symlink block by block, each
 * block bounds-checked and inflated into a buffer of one block; `sink`
 * receives the bytes in order (the buffer is the library's, valid during
 * the call). Fails with CRAMFS_ECORRUPT on any bad pointer, stream or
 * length, -EINVAL for an entry of another type; a non-zero return from
 * `sink` stops the read and is returned.
 */
typedef int (*cramfs_sink_fn)(void *arg, const void *buf, size_t len);
CRAMFS_API int cramfs_image_read_data(struct cramfs_image *img,
				      const struct cramfs_entry *entry,
				      cramfs_sink_fn sink, void *arg);

/*
 * How the kernel (fs/cramfs/inode.c, CONFIG_CRAMFS_MTD) would map a regular
 * file in place with pages of `page_size` bytes (= the image's block
 * size). A page is mappable when its block pointer is DIRECT|UNCOMPRESSED,
 * its address is page aligned (the image is assumed page aligned in flash)
 * and, for a last page that the file fills only in part, the rest of that
 * page is zero.
 */
enum cramfs_xip_state {
	CRAMFS_XIP_STATE_NONE = 0,  /* no page can be mapped in place */
	CRAMFS_XIP_STATE_PARTLY,
	CRAMFS_XIP_STATE_FULLY,     /* every page */
};

struct cramfs_xip_audit {
	uint32_t pages;            /* pages of the file */
	uint32_t mappable_pages;   /* pages a mapping that covers them maps direct */
	uint32_t mapped_from_start;/* pages a read-only mapping of the whole file
				      from offset 0 gets direct (one run) */
	uint32_t runs;             /* runs of physically contiguous mappable pages */
	uint32_t misaligned;       /* direct raw blocks that are not page aligned */
	bool last_page_shared;     /* the last page holds other data: not mapped */
	bool read_bug;             /* direct raw last block of a file whose size is
				      a page multiple: stock read() gives zeros */
	enum cramfs_xip_state state;
};

/*
 * Audit one regular file into *audit; CRAMFS_ECORRUPT for pointers outside
 * the image, -EINVAL for another type or a page size that is not a power
 * of two.
 */
CRAMFS_API int cramfs_image_xip_audit(struct cramfs_image *img,
				      const struct cramfs_entry *entry,
				      uint32_t page_size,
				      struct cramfs_xip_audit *audit);

/* ------------------------------------------------------------------ */
/* Verifying an image.                                                  */
/* ------------------------------------------------------------------ */

enum cramfs_severity {
	CRAMFS_SEV_INFO = 0,
	CRAMFS_SEV_WARNING,
	CRAMFS_SEV_ERROR,
};

struct cramfs_finding {
	enum cramfs_severity severity;
	const char *path;     /* inside the image; NULL for image-wide facts */
	uint64_t offset;      /* byte offset the finding is about */
	const char *message;
};

struct cramfs_verify_stats {
	uint32_t entries;
	uint32_t files;       /* regular files */
	uint32_t blocks;      /* blocks decoded */
	uint32_t errors;
	uint32_t warnings;
	/* XIP audit (images with extended block pointers), data counted once */
	uint32_t xip_fully;   /* files every page of which maps in place */
	uint32_t xip_partly;
	uint32_t xip_pages;   /* pages that map in place */
};

typedef void (*cramfs_finding_fn)(void *arg, const struct cramfs_finding *f);

/*
 * Check superblock, CRC, every entry and every block, and for images with
 * extended block pointers audit every regular file against the kernel's
 * XIP rule (cramfs_image_xip_audit, page size = the block size): a last
 * page the kernel cannot map or reads wrong is a warning. Report each problem
 * through `fn` (may be NULL; the finding's strings are valid during the
 * call only) and count them in `stats`. Returns 0 when the checks ran (look
 * at stats->errors), a negative errno when they could not (-ENOMEM).
 */
CRAMFS_API int cramfs_verify(struct cramfs_image *img, cramfs_finding_fn fn,
			     void *arg, struct cramfs_verify_stats *stats);

/* ------------------------------------------------------------------ */
/* Extracting an image.                                                 */
/* ------------------------------------------------------------------ */

struct cramfs_extract_opts {
	bool restore_owner;   /* chown entries (needs CAP_CHOWN) */
	bool create_devices;  /* mknod devices (needs CAP_MKNOD) */
	/* Told about each entry not restored in full (may be NULL). */
	void (*on_skip)(void *arg, const char *path, const char *why);
	void *arg;
};

/*
 * Recreate the tree under `dir` (created if missing, must be empty).
 * Never writes outside `dir`: every entry is created relative to its
 * parent's descriptor, with O_NOFOLLOW and O_EXCL, and names containing
 * '/' or equal to "." or ".." are refused. `opts` may be NULL (nothing
 * restored that needs privileges). Returns -ENOTEMPTY for a non-empty
 * `dir`, CRAMFS_ECORRUPT for a bad image or unsafe name, or the errno of
 * the failed system call, named in the message. On failure what was
 * already written stays.
 */
CRAMFS_API int cramfs_extract(struct cramfs_image *img, const char *dir,
			      const struct cramfs_extract_opts *opts);

/*
 * Write the tree to `fd` as a pax tar archive: entries "./" and "./PATH"
 * in walk order with the stored mode and owner and mtime 0; devices with
 * major and minor as the kernel decodes them; symlinks with their targets.
 * File data is streamed block by block. Sockets (tar has no type for them)
 * and symlinks tar cannot hold are told to opts->on_skip and left out;
 * restore_owner and create_devices are ignored. `fd` is not closed.
 * Returns CRAMFS_ECORRUPT for a bad image, or the errno of a failed write
 * (-EIO for a libarchive failure), named in the message.
 */
CRAMFS_API int cramfs_extract_tar(struct cramfs_image *img, int fd,
				  const struct cramfs_extract_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* CRAMFS_CRAMFS_H */
