#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The debug lane ("make check-debug"): build the debug kernel if it is not
# cached (build-kernel.sh), then run "make check" on it, the whole suite
# or the tests matching T, with the fuzzers at full strength.
#
# The VM harness finds kernels as /boot/vmlinuz-<kver> and
# /lib/modules/<kver>.  Rather than installing the debug kernel on the
# host, this script runs "make check" in a private mount namespace where
# /boot and /lib/modules are bind-mounted copies (symlinks) of the host's
# with the debug kernel added: nothing outside changes, and the harness
# runs unmodified with KVER=<the debug kernel's release>.  The fuzzers
# see from `uname -r` (*-clink-debug) that they run on the debug kernel
# and default to 1,000,000 requests and packets.
#
# Usage: check.sh [make variables...], e.g. check.sh T=fuzz
# Environment: TEST_TIMEOUT (default 5400), VM_TIMEOUT (default 6000),
# VM_MEM (default 2G), and those of build-kernel.sh.

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
srctree=$(cd "$here/../.." && pwd)

if [ "$(id -u)" != 0 ]; then
	echo "check-debug: needs root (a private mount namespace)" >&2
	exit 1
fi

if [ "${1:-}" != --inside ]; then
	"$here/build-kernel.sh"
	exec unshare --mount --propagation private "$0" --inside "$@"
fi
shift
dir=$("$here/build-kernel.sh" --print-dir)
kver=$("$here/build-kernel.sh" --print-kver)

shadow=$(mktemp -d /tmp/clink-debug-ns.XXXXXX)
trap 'rm -rf "$shadow"' EXIT
mkdir -p "$shadow/boot" "$shadow/modules"
for f in /boot/*; do
	[ -e "$f" ] && ln -s "$f" "$shadow/boot/"
done
ln -sfn "$dir/bzImage" "$shadow/boot/vmlinuz-$kver"
ln -sfn "$dir/config" "$shadow/boot/config-$kver"
moddir=$(readlink -f /lib/modules)
for d in "$moddir"/*; do
	[ -e "$d" ] && ln -s "$d" "$shadow/modules/"
done
ln -sfn "$dir/lib/modules/$kver" "$shadow/modules/$kver"
mount --bind "$shadow/boot" /boot
mount --bind "$shadow/modules" "$moddir"

export VM_MEM=${VM_MEM:-2G}
make -C "$srctree" --no-print-directory check KVER="$kver" \
	TEST_TIMEOUT="${TEST_TIMEOUT:-5400}" VM_TIMEOUT="${VM_TIMEOUT:-6000}" "$@"
