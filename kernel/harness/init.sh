#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# /init of the harness' initramfs (busybox sh, runs as PID 1 in the guest).
#
# Kernel command line (set by run.sh):
#   xipwin=BASE:SIZE          the reserved "flash" window (memmap=SIZE$BASE)
#   xipimgs=L:ADDR:LEN,...    images loaded into the window by QEMU
#   xipvariants=stock[,fixed] cramfs modules to try, in /lib/modules/VARIANT
#   xipblk=L,...              images also mounted from a block device, as
#                             label L-blk: a copy read from /dev/mtdN on a
#                             loop device (not /dev/mtdblockN: cramfs
#                             mounts that as the MTD device itself)
#   xipdebug=1                cramfs dynamic debug (very verbose)
#
# Results go to the second serial port (ttyS1), one record per line:
#   K ...                 guest facts
#   M VAR:L ok|fail ...   mount result
#   R VAR:L F ...         xipcheck's line for one file
#   W VAR:L ...           xipcheck's complaints
#   C VAR:L rc=N          xipcheck's exit code
#   X VAR:L WHAT ...      programs executed from the image
#   D ...                 kernel messages about cramfs, mtd, phram
# between "@@XIP-BEGIN@@" and "@@XIP-END@@".

/bin/busybox mkdir -p /proc /sys /dev /tmp /mnt /usr/bin /usr/sbin /sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

if [ -c /dev/ttyS1 ]; then
	stty -F /dev/ttyS1 raw -echo 2>/dev/null
	exec 3>/dev/ttyS1
else
	exec 3>/dev/console
fi
say() { echo "$*" >&3; }

WIN='' IMGS='' VARIANTS=stock DEBUG='' BLKIMGS=''
# shellcheck disable=SC2013 # words, not lines
for w in $(cat /proc/cmdline); do
	case "$w" in
	xipwin=*) WIN=${w#xipwin=} ;;
	xipimgs=*) IMGS=$(echo "${w#xipimgs=}" | tr , ' ') ;;
	xipvariants=*) VARIANTS=$(echo "${w#xipvariants=}" | tr , ' ') ;;
	xipblk=*) BLKIMGS=$(echo "${w#xipblk=}" | tr , ' ') ;;
	xipdebug=*) DEBUG=${w#xipdebug=} ;;
	esac
done
WBASE=${WIN%%:*}
WSIZE=${WIN#*:}

say "@@XIP-BEGIN@@"
say "K release=$(uname -r) machine=$(uname -m) pagesize=$(getconf PAGESIZE 2>/dev/null || echo 4096)"

insmod /lib/modules/mtd.ko || say "K error=insmod_mtd"
args=
for spec in $IMGS; do
	label=${spec%%:*}
	rest=${spec#*:}
	args="$args phram=$label,${rest%%:*},${rest#*:}"
done
# shellcheck disable=SC2086
insmod /lib/modules/phram.ko $args || say "K error=insmod_phram"
if [ -n "$BLKIMGS" ]; then
	insmod /lib/modules/loop.ko || say "K error=insmod_loop"
	for label in $BLKIMGS; do
		n=$(sed -n "s/^mtd\([0-9]*\): .* \"$label\"\$/\1/p" /proc/mtd)
		cat "/dev/mtd$n" >"/tmp/$label.img" || say "K error=copy_$label"
	done
fi

exec_checks() {
	v=$1 label=$2 m=/mnt/$label
	if [ -f "$m/bin/busybox" ]; then
		out=$("$m/bin/busybox" echo ok 2>&1)
		say "X $v:$label busybox-echo $out"
		"$m/bin/busybox" cat /proc/self/smaps >/tmp/smaps 2>/dev/null
		xipcheck vmas /tmp/smaps "$m/" | sed "s|^|X $v:$label busybox-vma |" >&3
	fi
	if [ -f "$m/bin/ls" ] && [ -d "$m/proc" ]; then
		mount -t proc proc "$m/proc"
		out=$(chroot "$m" /bin/ls / 2>&1 | tr '\n' ' ')
		say "X $v:$label chroot-ls $out"
		if [ -f "$m/bin/cat" ]; then
			chroot "$m" /bin/cat /proc/self/smaps >/tmp/smaps 2>/dev/null
			xipcheck vmas /tmp/smaps | sed "s|^|X $v:$label cat-vma |" >&3
		fi
		umount "$m/proc"
	fi
}

# check_mount VARIANT LABEL DEVICE [OPTION]: mount DEVICE on /mnt/LABEL
# (with -o ro,OPTION), check it.
check_mount() {
	v=$1 label=$2
	mkdir -p "/mnt/$label"
	if ! mount -t cramfs -o "ro${4:+,$4}" "$3" "/mnt/$label" 2>/tmp/err; then
		say "M $v:$label fail $3: $(tr '\n' ' ' </tmp/err)"
		return
	fi
	say "M $v:$label ok $3 $(grep " /mnt/$label " /proc/mounts | cut -d' ' -f1)"
	xipcheck files --base "$WBASE" --size "$WSIZE" "/mnt/$label" \
		>/tmp/out 2>/tmp/err
	rc=$?
	sed "s|^|R $v:$label |" /tmp/out >&3
	sed "s|^|W $v:$label |" /tmp/err >&3
	say "C $v:$label rc=$rc"
	exec_checks "$v" "$label"
	umount "/mnt/$label" || say "K error=umount_$label"
}

for v in $VARIANTS; do
	dyn=
	[ "$DEBUG" = 1 ] && dyn="dyndbg=+p"
	# shellcheck disable=SC2086
	if ! insmod "/lib/modules/$v/cramfs.ko" $dyn; then
		say "K error=insmod_cramfs_$v"
		continue
	fi
	for spec in $IMGS; do
		label=${spec%%:*}
		check_mount "$v" "$label" "mtd:$label"
	done
	# The same images through the block layer: nothing may map in place.
	for label in $BLKIMGS; do
		check_mount "$v" "$label-blk" "/tmp/$label.img" loop
	done
	rmmod cramfs || say "K error=rmmod_cramfs_$v"
done

dmesg | grep -iE 'cramfs|phram|mtd|BUG|Oops|WARNING' | sed 's|^|D |' >&3
say "@@XIP-END@@"
sync
poweroff -f
