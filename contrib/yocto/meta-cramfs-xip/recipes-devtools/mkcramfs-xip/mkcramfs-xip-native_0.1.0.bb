SUMMARY = "mkcramfs-xip: cramfs images whose programs execute in place"
DESCRIPTION = "mkcramfs and cramfsck for cramfs images with execute in place \
(XIP, kernel CONFIG_CRAMFS_MTD): ELF32 and ELF64 of either byte order, \
page-aligned XIP runs, and a checker that audits what the kernel maps."
SECTION = "devel"
LICENSE = "GPL-2.0-or-later"
LIC_FILES_CHKSUM = "file://mkcramfs/main.c;beginline=1;endline=1;md5=7226e442a172bcf25807246d7ef1eba1"

# Built from the checkout this layer belongs to (CRAMFS_XIP_SRCDIR, set in
# conf/layer.conf). For a release, replace these two lines by a SRC_URI.
inherit externalsrc
EXTERNALSRC = "${CRAMFS_XIP_SRCDIR}"
EXTERNALSRC_BUILD = "${B}"

DEPENDS = "zlib-native libarchive-native libcap-native"

inherit cmake pkgconfig native

# No unit tests (they need cmocka), and no mkfs.cramfs/fsck.cramfs names:
# util-linux-native installs those into the same native sysroot.
EXTRA_OECMAKE = "-DBUILD_TESTING=OFF -DCRAMFS_BUILD_TESTS=OFF \
                 -DCRAMFS_UTIL_LINUX_NAMES=OFF"
