#!/bin/sh
# Install missing Debian packages: required ones before "--", optional after.
# As root: apt-get install. Otherwise: print the command to run.
set -eu
required=""
optional=""
seen_sep=0
for p in "$@"; do
	if [ "$p" = "--" ]; then seen_sep=1; continue; fi
	if [ $seen_sep -eq 0 ]; then required="$required $p"; else optional="$optional $p"; fi
done
missing=""
for p in $required $optional; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "Missing packages:$missing" >&2
	echo "Install them with: sudo apt-get install -y$missing" >&2
	for p in $required; do
		case " $missing " in *" $p "*) exit 1 ;; esac
	done
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
