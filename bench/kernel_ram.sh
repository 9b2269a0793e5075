#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/kernel_ram.sh BUILD_DIR [NPROC]
#
# How much RAM does execute in place save on a real kernel? Boots the
# Debian 6.1 kernel of the kernel harness (kernel/harness/run.sh: its
# cached kernel, modules, QEMU set-up and flash window) twice with the
# SAME tree: once as a plain cramfs image, once as "mkcramfs -X -X". In
# the guest, with the image mounted with "mount -t cramfs mtd:img", it
# starts NPROC (default 8) long-running shells from the image,
#   chroot /mnt/img /bin/bash -c 'while :; do /bin/sleep 100000; done'
# (so 2 x NPROC processes: bash and its sleep child, dynamic, with libc
# and ld.so from the image), and records /proc/meminfo before and after
# (page cache dropped both times) and Rss/Pss of every workload process
# from /proc/PID/smaps_rollup. Prints a table: plain vs XIP and the saving.
#
# Needs a cache from one successful kernel/harness/run.sh BUILD_DIR run
# (the script runs it once when there is none). Environment: as the
# harness (CRAMFS_KERNEL_WORK, CRAMFS_KERNEL_ACCEL=tcg|kvm,
# CRAMFS_KERNEL_TIMEOUT). Exit status 0, 1 on failure, 77 skip.
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
if [ $# -lt 1 ] || [ $# -gt 2 ]; then echo "usage: $0 BUILD_DIR [NPROC]" >&2; exit 1; fi
BUILD=$(cd "$1" && pwd)
NPROC=${2:-8}
case "$NPROC" in '' | *[!0-9]*) echo "NPROC is a number" >&2; exit 1 ;; esac
MKCRAMFS=$BUILD/mkcramfs
[ -x "$MKCRAMFS" ] || { echo "no $MKCRAMFS: build first" >&2; exit 1; }
if [ "$(id -u)" = 0 ]; then
	WORK=${CRAMFS_KERNEL_WORK:-/var/tmp/cramfs-kernel}
else
	WORK=${CRAMFS_KERNEL_WORK:-/var/tmp/cramfs-kernel-$(id -u)}
fi
ACCEL=${CRAMFS_KERNEL_ACCEL:-tcg}
TIMEOUT=${CRAMFS_KERNEL_TIMEOUT:-300}
WIN_BASE=0x18000000
WIN_MB=64
say() { echo "kernel-ram: $*"; }
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# The harness' cache: newest complete module build (KVER-ID) of the 6.1
# series (the figures in the README; the cache also holds 6.12 builds).
newest_mods() {
	local d best='' t bt=0
	for d in "$WORK"/modules/6.1.0-*/; do
		{ [ -f "$d.done" ] && [ -f "$d/stock/fs/cramfs/cramfs.ko" ]; } || continue
		t=$(stat -c %Y "$d.done")
		[ "$t" -gt "$bt" ] && { bt=$t; best=${d%/}; }
	done
	echo "$best"
}
MODS=$(newest_mods)
if [ -z "$MODS" ]; then
	say "no harness cache in $WORK: running kernel/harness/run.sh once"
	rc=0
	"$REPO/kernel/harness/run.sh" "$BUILD" >"${TMPDIR:-/tmp}/kernel-ram-harness.log" 2>&1 || rc=$?
	[ "$rc" = 77 ] && skip "the kernel harness skips: $(grep '^SKIP' "${TMPDIR:-/tmp}/kernel-ram-harness.log")"
	MODS=$(newest_mods)
	[ -n "$MODS" ] || fail "the kernel harness left no modules (see ${TMPDIR:-/tmp}/kernel-ram-harness.log)"
fi
base=$(basename "$MODS")
KVER=${base%-*}
VMLINUZ=/boot/vmlinuz-$KVER
[ -r "$VMLINUZ" ] || skip "$VMLINUZ is not readable"
# shellcheck disable=SC2012
MTD_KO=$(ls /lib/modules/"$KVER"/kernel/drivers/mtd/mtd.ko* 2>/dev/null | head -1)
[ -n "$MTD_KO" ] || skip "no mtd.ko for $KVER"
command -v qemu-system-x86_64 >/dev/null || skip "no qemu-system-x86_64"

mkdir -p "$WORK"
exec 9>"$WORK/lock"
command -v flock >/dev/null && { flock -w 900 9 || fail "$WORK is locked"; }
RUN=$WORK/ram
rm -rf "$RUN"
mkdir -p "$RUN"
say "kernel $KVER, modules $MODS, $NPROC shells, work dir $RUN"

# The tree: bash, sleep and ls with every library they load, at the
# paths the loader wants.
TREE=$RUN/tree
mkdir -p "$TREE/bin" "$TREE/proc" "$TREE/tmp"
for prog in bash sleep ls; do
	path=$(command -v "$prog")
	cp -L "$path" "$TREE/bin/$prog"
	for lib in $(ldd "$path" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		mkdir -p "$TREE$(dirname "$lib")"
		[ -f "$TREE$lib" ] || cp -L "$lib" "$TREE$lib"
	done
done

# Guest init: mount the one image, measure, start the workload, measure.
cat >"$RUN/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp /mnt/img /usr/bin /usr/sbin /sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1
say() { echo "$*" >&3; }
for w in $(cat /proc/cmdline); do
	case "$w" in
	ramimg=*) IMG=${w#ramimg=} ;;
	ramn=*) N=${w#ramn=} ;;
	esac
done
say "@@RAM-BEGIN@@"
insmod /lib/modules/mtd.ko || say "E insmod_mtd"
insmod /lib/modules/phram.ko "phram=img,$IMG" || say "E insmod_phram"
insmod /lib/modules/cramfs.ko || say "E insmod_cramfs"
mount -t cramfs -o ro mtd:img /mnt/img || say "E mount"
mount -t proc proc /mnt/img/proc
# meminfo WHEN: three samples, each after dropping the clean page cache
# (mapped pages stay), the median of each field.
meminfo() {
	for s in 1 2 3; do
		sync
		echo 3 >/proc/sys/vm/drop_caches
		sleep 1
		cat /proc/meminfo >"/tmp/mem.$s"
	done
	for k in MemFree MemAvailable Cached Mapped AnonPages; do
		v=$(grep -h "^$k:" /tmp/mem.1 /tmp/mem.2 /tmp/mem.3 | awk '{ print $2 }' | sort -n | sed -n 2p)
		say "MEM $1 $k: $v"
	done
}
# Warm up once (first exec from the image), then measure the idle state.
chroot /mnt/img /bin/ls / >/dev/null 2>&1 || say "E chroot_ls"
meminfo before
i=0
while [ $i -lt "$N" ]; do
	chroot /mnt/img /bin/bash -c 'while :; do /bin/sleep 100000; done' \
		</dev/null >/dev/null 2>&1 &
	i=$((i + 1))
done
# Wait until all 2N processes (bash and sleep) run.
want=$((2 * N)) t=0
while :; do
	pids=
	n=0
	for d in /proc/[0-9]*; do
		e=$(readlink "$d/exe" 2>/dev/null) || continue
		case "$e" in /mnt/img/*) pids="$pids ${d#/proc/}"; n=$((n + 1)) ;; esac
	done
	[ "$n" -ge "$want" ] && break
	t=$((t + 1))
	[ "$t" -gt 120 ] && { say "E only $n of $want processes"; break; }
	sleep 1
done
meminfo after
for p in $pids; do
	e=$(readlink "/proc/$p/exe")
	awk -v p="$p" -v e="${e#/mnt/img}" '/^Rss:/ { r = $2 } /^Pss:/ { s = $2 }
		END { printf "P %s %s rss=%s pss=%s\n", p, e, r, s }' "/proc/$p/smaps_rollup" >&3
	grep -E ' r-xp .*/mnt/img/' "/proc/$p/maps" | head -1 | sed "s|^|V $p |" >&3
done
say "@@RAM-END@@"
sync
poweroff -f
EOF

INITRD_DIR=$RUN/initramfs
mkdir -p "$INITRD_DIR/bin" "$INITRD_DIR/lib/modules"
cp /bin/busybox "$INITRD_DIR/bin/busybox"
cp "$RUN/init" "$INITRD_DIR/init"
chmod 755 "$INITRD_DIR/init"
case "$MTD_KO" in
*.xz) xz -dc "$MTD_KO" >"$INITRD_DIR/lib/modules/mtd.ko" ;;
*.zst) zstd -dqc "$MTD_KO" >"$INITRD_DIR/lib/modules/mtd.ko" ;;
*) cp "$MTD_KO" "$INITRD_DIR/lib/modules/mtd.ko" ;;
esac
cp "$MODS/stock/drivers/mtd/devices/phram.ko" "$INITRD_DIR/lib/modules/"
cp "$MODS/stock/fs/cramfs/cramfs.ko" "$INITRD_DIR/lib/modules/"
(cd "$INITRD_DIR" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$RUN/initramfs.cpio" ||
	fail "cannot build the initramfs"

accel=(-accel tcg)
[ "$ACCEL" = kvm ] && accel=(-accel kvm -cpu host)

# run LABEL MKCRAMFS-OPTIONS...: build the image, boot, keep the records.
run() {
	local label=$1 size len rc=0
	shift
	"$MKCRAMFS" -q "$@" "$TREE" "$RUN/$label.img" >"$RUN/$label.mkcramfs.log" 2>&1 ||
		{ cat "$RUN/$label.mkcramfs.log"; fail "mkcramfs failed for $label"; }
	size=$(stat -c %s "$RUN/$label.img")
	len=$(( (size + 4095) / 4096 * 4096 ))
	[ "$len" -le $((WIN_MB * 1024 * 1024)) ] || fail "image too large for the window"
	say "booting $label image ($size bytes)"
	{ timeout -k 10 "$TIMEOUT" qemu-system-x86_64 "${accel[@]}" -m 1G -smp 1 \
		-nographic -no-reboot -no-user-config -nic none -monitor none \
		-serial "file:$RUN/$label.console.raw" -serial "file:$RUN/$label.results.raw" \
		-kernel "$VMLINUZ" -initrd "$RUN/initramfs.cpio" \
		-append "console=ttyS0 memmap=${WIN_MB}M\$$WIN_BASE quiet loglevel=4 panic=-1 ramimg=$WIN_BASE,$(printf '0x%x' "$len") ramn=$NPROC" \
		-device "loader,file=$RUN/$label.img,addr=$WIN_BASE,force-raw=on" \
		</dev/null; } >>"$RUN/qemu.log" 2>&1 || rc=$?
	sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[()][A-Za-z0-9]//g' \
		-e 's/\x1b[=>c]//g' -e 's/\r//g' "$RUN/$label.results.raw" >"$RUN/$label.txt" 2>/dev/null || :
	grep -q '^@@RAM-END@@' "$RUN/$label.txt" ||
		{ tail -30 "$RUN/$label.console.raw"; fail "the $label guest did not finish (qemu exit $rc)"; }
	if grep '^E ' "$RUN/$label.txt"; then fail "the $label guest reported errors"; fi
}
run plain
run xip -X -X

# kB figures of one run: meminfo deltas and process sums.
figures() {
	awk '
	$1 == "MEM" { sub(/:$/, "", $3); m[$2, $3] = $4 }
	$1 == "P" { n++; sub(/^rss=/, "", $4); sub(/^pss=/, "", $5); rss += $4; pss += $5 }
	END {
		printf "procs=%d free=%d avail=%d cached=%d mapped=%d anon=%d filanon=%d rss=%d pss=%d\n", n,
			m["before", "MemFree"] - m["after", "MemFree"],
			m["before", "MemAvailable"] - m["after", "MemAvailable"],
			m["after", "Cached"] - m["before", "Cached"],
			m["after", "Mapped"] - m["before", "Mapped"],
			m["after", "AnonPages"] - m["before", "AnonPages"],
			m["after", "AnonPages"] - m["before", "AnonPages"] + m["after", "Cached"] - m["before", "Cached"],
			rss, pss }' "$RUN/$1.txt"
}
P=$(figures plain)
X=$(figures xip)
{
	echo "==== cramfs XIP RAM benchmark: $KVER, $NPROC x (bash + sleep) from the image ===="
	echo "plain: $P"
	echo "xip:   $X"
	printf '%-34s %10s %10s %12s %9s\n' "RAM used by the workload (MiB)" plain xip "saved (MiB)" "saved %"
	for row in "free:MemFree drop (meminfo)" "avail:MemAvailable drop (meminfo)" \
		"cached:Cached growth (meminfo)" "mapped:Mapped growth (meminfo)" \
		"anon:AnonPages growth (meminfo)" "filanon:Cached + AnonPages growth" \
		"rss:sum of Rss (smaps_rollup)" \
		"pss:sum of Pss (smaps_rollup)"; do
		k=${row%%:*}
		a=$(echo "$P" | tr ' ' '\n' | sed -n "s/^$k=//p")
		b=$(echo "$X" | tr ' ' '\n' | sed -n "s/^$k=//p")
		awk -v n="${row#*:}" -v a="$a" -v b="$b" 'BEGIN {
			a /= 1024; b /= 1024
			printf "%-34s %10.2f %10.2f %12.2f %8.1f%%\n", n, a, b, a - b, (a > 0 ? 100 * (a - b) / a : 0) }'
	done
	echo "processes: plain ${P%% *}, xip ${X%% *}; records in $RUN/plain.txt and $RUN/xip.txt"
} | tee "$RUN/result.txt"
