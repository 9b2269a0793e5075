# The kernel-side proof of execute in place: kernel/harness/run.sh boots a
# Debian 6.1 kernel in QEMU with images of this build loaded into a
# simulated flash window, mounts them with "mount -t cramfs mtd:NAME" and
# checks page for page that the kernel maps in place exactly the pages
# libcramfs and mkcramfs' report predict (see kernel/README.md).
#
# Skips (77) when the harness can't run here: no QEMU or kernel packages
# and not root to install them, not x86-64, ... As root it installs what
# it needs with apt-get (first run only; CRAMFS_KERNEL_INSTALL=0 turns
# that off). Takes about 40 s with TCG once the packages and modules are
# cached (CRAMFS_KERNEL_WORK, default /var/tmp/cramfs-kernel).
set -u

: "${MKCRAMFS:?set by ctest}"
: "${SRCDIR:?set by ctest}"

BUILD_DIR=$(cd "$(dirname "$MKCRAMFS")" && pwd)
HARNESS=$SRCDIR/kernel/harness/run.sh
[ -f "$HARNESS" ] || { echo "SKIP: $HARNESS is missing"; exit 77; }

# tests/cli/kernel_xip_612.sh runs this script for Linux 6.12.
bash "$HARNESS" --kernel "${CRAMFS_TEST_KERNEL:-6.1}" "$BUILD_DIR"
rc=$?
case $rc in
0 | 77) exit $rc ;;
*) exit 1 ;;
esac
