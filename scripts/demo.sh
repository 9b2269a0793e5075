#!/bin/sh
# make demo: build a small sample tree, write a plain and an XIP image,
# verify and list them.
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
echo "+ mkcramfs -X -X --report demo/rootfs demo/demo-xip.img"
"$build/mkcramfs" -X -X --report demo/rootfs demo/demo-xip.img
echo "+ cramfsck -v demo/demo-xip.img"
"$build/cramfsck" -v demo/demo-xip.img
