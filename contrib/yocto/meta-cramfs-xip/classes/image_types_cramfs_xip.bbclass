# Image type "cramfs-xip": a cramfs root filesystem whose ELF programs and
# libraries execute in place from directly mapped flash (kernel
# CONFIG_CRAMFS_MTD), made by mkcramfs-xip's mkcramfs -X -X.
#
# In local.conf or the image recipe:
#   IMAGE_CLASSES += "image_types_cramfs_xip"
#   IMAGE_FSTYPES += "cramfs-xip"
# The machine configuration sets what the image must match:
#   CRAMFS_XIP_PAGE_SIZE  the kernel's PAGE_SIZE: 4096, 16384 or 65536
#   CRAMFS_XIP_OPTS       "-X -X" (MMU, the default) or "-X" (no-MMU)
# The byte order follows the target (SITEINFO_ENDIANNESS); set
# CRAMFS_XIP_ENDIAN to "big" or "little" to force it.

inherit siteinfo

CRAMFS_XIP_PAGE_SIZE ??= "4096"
CRAMFS_XIP_OPTS ??= "-X -X"
CRAMFS_XIP_ENDIAN ??= "${@'big' if d.getVar('SITEINFO_ENDIANNESS') == 'be' else 'little'}"
EXTRA_IMAGECMD:cramfs-xip ??= ""

IMAGE_TYPES += "cramfs-xip"
IMAGE_CMD:cramfs-xip = "mkcramfs -q ${CRAMFS_XIP_OPTS} -b ${CRAMFS_XIP_PAGE_SIZE} -N ${CRAMFS_XIP_ENDIAN} ${EXTRA_IMAGECMD} ${IMAGE_ROOTFS} ${IMGDEPLOYDIR}/${IMAGE_NAME}.cramfs-xip"
do_image_cramfs_xip[depends] += "mkcramfs-xip-native:do_populate_sysroot"
