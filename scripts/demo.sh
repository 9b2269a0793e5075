#!/bin/sh
# make demo: build a small sample tree, write an image, verify and list it.
set -eu
build=${1:-build}
rm -rf demo
mkdir -p demo/rootfs/bin demo/rootfs/etc demo/rootfs/lib demo/rootfs/dev
printf 'root:x:0:0:root:/root:/bin/sh\n' > demo/rootfs/etc/passwd
printf 'Welcome to mkcramfs-xip\n' > demo/rootfs/etc/motd
cp "$build/mkcramfs" demo/rootfs/bin/
cp "$build/cramfsck" demo/rootfs/bin/
cp "$build"/libcramfs.so.* demo/rootfs/lib/ 2>/dev/null || true
ln -s motd demo/rootfs/etc/issue
cp demo/rootfs/etc/motd demo/rootfs/etc/motd.copy
mkfifo demo/rootfs/dev/initctl
echo "+ mkcramfs -v demo/rootfs demo/demo.img"
"$build/mkcramfs" -v demo/rootfs demo/demo.img
echo "+ cramfsck -v demo/demo.img"
"$build/cramfsck" -v demo/demo.img
