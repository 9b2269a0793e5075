// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A program outside the project, built against an installed libcramfs
 * with pkg-config: write a small tree to an image, read it back, check.
 * Usage: consumer IMAGE
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cramfs/cramfs.h>

static const char motd[] = "built by a libcramfs user\n";

struct found {
	char data[256];
	size_t len;
	int entries;
	int link_ok;
};

static int collect(void *arg, const void *buf, size_t len)
{
	struct found *f = arg;

	if (f->len + len > sizeof(f->data))
		return -1;
	memcpy(f->data + f->len, buf, len);
	f->len += len;
	return 0;
}

struct walk_ctx {
	struct cramfs_image *img;
	struct found found;
};

static int visit(void *arg, const struct cramfs_entry *e)
{
	struct walk_ctx *w = arg;

	w->found.entries++;
	if (!strcmp(e->path, "etc/motd"))
		return cramfs_image_read_data(w->img, e, collect, &w->found);
	if (!strcmp(e->path, "motd") && S_ISLNK(e->inode.mode))
		w->found.link_ok = 1;
	return 0;
}

static int build(const char *path)
{
	struct cramfs_attr dir = { .mode = S_IFDIR | 0755 };
	struct cramfs_attr file = { .mode = S_IFREG | 0644 };
	struct cramfs_attr link = { .mode = S_IFLNK | 0777 };
	struct cramfs_write_opts opts;
	struct cramfs_write_stats st;
	struct cramfs_tree *tree;
	uint32_t etc, id;
	int err;

	if (cramfs_tree_new(&tree))
		return -1;
	err = cramfs_tree_add(tree, CRAMFS_ROOT_ID, "etc", &dir, &etc);
	if (!err)
		err = cramfs_tree_add(tree, etc, "motd", &file, &id);
	if (!err)
		err = cramfs_tree_set_data(tree, id, motd, strlen(motd));
	if (!err)
		err = cramfs_tree_add(tree, CRAMFS_ROOT_ID, "motd", &link, &id);
	if (!err)
		err = cramfs_tree_set_data(tree, id, "etc/motd", 8);
	if (!err) {
		cramfs_write_opts_init(&opts);
		opts.endian = CRAMFS_ENDIAN_BIG;
		err = cramfs_write_file(tree, &opts, path, &st);
	}
	if (err)
		fprintf(stderr, "consumer: write: %s\n", cramfs_tree_errmsg(tree));
	cramfs_tree_free(tree);
	return err;
}

static int check(const char *path)
{
	struct cramfs_verify_stats vs;
	struct walk_ctx w = { 0 };
	int err;

	if (cramfs_image_new(&w.img))
		return -1;
	err = cramfs_image_open_file(w.img, path);
	if (!err)
		err = cramfs_image_walk(w.img, visit, &w);
	if (!err)
		err = cramfs_verify(w.img, NULL, NULL, &vs);
	if (err)
		fprintf(stderr, "consumer: read: %s\n", cramfs_image_errmsg(w.img));
	else if (vs.errors || w.found.entries != 4 || !w.found.link_ok ||
		 cramfs_image_endian(w.img) != CRAMFS_ENDIAN_BIG ||
		 w.found.len != strlen(motd) || memcmp(w.found.data, motd, w.found.len)) {
		fprintf(stderr, "consumer: the image does not hold what was written\n");
		err = -1;
	}
	cramfs_image_free(w.img);
	return err;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: consumer IMAGE\n");
		return 2;
	}
	if (cramfs_version_number() != CRAMFS_VERSION_NUMBER) {
		fprintf(stderr, "consumer: header %s, library %s\n",
			CRAMFS_VERSION_STRING, cramfs_version_string());
		return 1;
	}
	if (build(argv[1]) || check(argv[1]))
		return 1;
	printf("consumer: libcramfs %s: wrote and read back %s\n",
	       cramfs_version_string(), argv[1]);
	return 0;
}
