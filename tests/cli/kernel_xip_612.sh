# The kernel-side proof on Linux 6.12 (Debian's linux-image-6.12.N+deb12):
# kernel/harness/run.sh --kernel 6.12, stock and patched
# (kernel/patches/6.12) cramfs; see tests/cli/kernel_xip.sh for 6.1.
#
# Skips (77) when the harness can't run here: no QEMU or 6.12 packages
# and not root to install them, not x86-64, ... As root it installs
# linux-image-6.12.N+deb12-amd64-unsigned, its headers and
# linux-source-6.12 with apt-get (first run only; CRAMFS_KERNEL_INSTALL=0
# turns that off). Takes about 30-40 s with TCG once cached.
set -u

: "${MKCRAMFS:?set by ctest}"
: "${SRCDIR:?set by ctest}"

BUILD_DIR=$(cd "$(dirname "$MKCRAMFS")" && pwd)
HARNESS=$SRCDIR/kernel/harness/run.sh
[ -f "$HARNESS" ] || { echo "SKIP: $HARNESS is missing"; exit 77; }

bash "$HARNESS" --kernel 6.12 "$BUILD_DIR"
rc=$?
case $rc in
0 | 77) exit $rc ;;
*) exit 1 ;;
esac
