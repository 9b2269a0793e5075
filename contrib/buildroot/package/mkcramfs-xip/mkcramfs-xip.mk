################################################################################
#
# mkcramfs-xip
#
################################################################################

# This tree sits in contrib/buildroot of the mkcramfs-xip sources: build
# that checkout (override with MKCRAMFS_XIP_OVERRIDE_SRCDIR in local.mk).
MKCRAMFS_XIP_VERSION = local
MKCRAMFS_XIP_SITE = $(BR2_EXTERNAL_MKCRAMFS_XIP_PATH)/../..
MKCRAMFS_XIP_SITE_METHOD = local
MKCRAMFS_XIP_LICENSE = GPL-2.0+

HOST_MKCRAMFS_XIP_DEPENDENCIES = \
	host-pkgconf host-zlib host-libarchive host-libcap
# No tests (they need cmocka), and no mkfs.cramfs/fsck.cramfs names:
# host-util-linux may install those.
HOST_MKCRAMFS_XIP_CONF_OPTS = \
	-DBUILD_TESTING=OFF \
	-DCRAMFS_BUILD_TESTS=OFF \
	-DCRAMFS_UTIL_LINUX_NAMES=OFF

$(eval $(host-cmake-package))
