#!/bin/sh
# Install missing Debian packages: required ones before "--", optional
# (test-only) ones after it. As root: apt-get install; otherwise print the
# command to run. A missing optional package only makes some tests skip.
set -eu
required=""
optional=""
seen_sep=0
for p in "$@"; do
	if [ "$p" = "--" ]; then seen_sep=1; continue; fi
	if [ $seen_sep -eq 0 ]; then required="$required $p"; else optional="$optional $p"; fi
done
missing() {
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			printf ' %s' "$p"
	done
}
need_req=$(missing $required)
need_opt=$(missing $optional)
[ -z "$need_req$need_opt" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "Missing packages:$need_req$need_opt" >&2
	echo "Install them with: sudo apt-get install -y$need_req$need_opt" >&2
	[ -z "$need_req" ]
	exit
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if [ -n "$need_req" ]; then
	apt-get install -y -qq --no-install-recommends $need_req >/dev/null
fi
if [ -n "$need_opt" ]; then
	apt-get install -y -qq --no-install-recommends $need_opt >/dev/null ||
		echo "warning: could not install:$need_opt (the tests that need them skip)" >&2
fi
