# The kernel-side proof on Linux 6.12 (Debian's linux-image-6.12.N+deb12):
# kernel/harness/run.sh --kernel 6.12, stock and patched
# (kernel/patches/6.12) cramfs, through tests/cli/kernel_xip.sh.
#
# Skips (77) when the harness can't run here: no QEMU or 6.12 packages
# and not root to install them, not x86-64, ... As root it installs
# linux-image-6.12.N+deb12-amd64-unsigned, its headers and
# linux-source-6.12 with apt-get (first run only; CRAMFS_KERNEL_INSTALL=0
# turns that off). Takes about 50-70 s with TCG once cached.
: "${SRCDIR:?set by ctest}"

CRAMFS_TEST_KERNEL=6.12 exec bash "$SRCDIR/tests/cli/kernel_xip.sh"
