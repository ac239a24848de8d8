#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build clink's debug kernel (KASAN, UBSAN, lockdep, kmemleak, fault
# injection) from Debian's linux-source-6.12 and the config fragment beside
# this script, into a cache outside the repository:
#
#   $CLINK_DEBUG_CACHE/<key>/		(default /var/cache/clink/debug-kernel)
#	linux/			the built source tree: point M= builds here
#	bzImage			the kernel image
#	config			its .config
#	kernelrelease		its release (uname -r)
#	lib/modules/<kver>/	modules.builtin*, modules.dep, and build ->
#				../../../linux (a /lib/modules/<kver> tree)
#	build-time		seconds the cold build took
#	done			written last: the entry is complete
#
# <key> is the sha256 of the fragment, the linux-source package version and
# the recipe version below, so a changed fragment or an upgraded source
# package builds afresh and an unchanged one is not built again.
#
# Usage: build-kernel.sh [--print-dir | --print-kver]
#   --print-dir   print the cache entry's path and exit (builds nothing)
#   --print-kver  print the kernel release of a complete entry, or fail
# Environment:
#   CLINK_DEBUG_CACHE   cache root (default /var/cache/clink/debug-kernel)
#   JOBS                make -j (default 2)
#
# Needs (Debian): linux-source-6.12 build-essential flex bison bc
# libelf-dev libssl-dev cpio kmod xz-utils.

set -euo pipefail

# Bump when a change here changes what is built.
recipe=1

here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/config
pkg=linux-source-6.12
tarball=/usr/src/$pkg.tar.xz
cache=${CLINK_DEBUG_CACHE:-/var/cache/clink/debug-kernel}
jobs=${JOBS:-2}

die() {
	echo "build-kernel: $*" >&2
	exit 1
}

pkgver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
	die "$pkg is not installed (apt-get install $pkg)"
[ -r "$tarball" ] || die "no $tarball"
key=$( { cat "$fragment"; echo "$pkg $pkgver recipe $recipe"; } |
	sha256sum | cut -c1-16)
dir=$cache/$key

case "${1:-}" in
--print-dir)
	echo "$dir"
	exit 0
	;;
--print-kver)
	[ -f "$dir/done" ] || die "no complete debug kernel in $dir"
	cat "$dir/kernelrelease"
	exit 0
	;;
"") ;;
-h | --help) sed -n '22,28s/^# \?//p' "$0"; exit 0 ;;
*) sed -n '22,28s/^# \?//p' "$0" >&2; exit 2 ;;
esac

report() {
	echo "debug kernel $(cat "$dir/kernelrelease") in $dir"
	echo "  image   $dir/bzImage"
	echo "  build   $dir/linux (make -C $dir/linux M=<dir> modules)"
	echo "  modules $dir/lib/modules/$(cat "$dir/kernelrelease")"
}

if [ -f "$dir/done" ]; then
	report
	exit 0
fi

mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
# Another run may have finished it while this one waited.
if [ -f "$dir/done" ]; then
	report
	exit 0
fi

start=$(date +%s)
src=$dir/linux
export ARCH=x86_64

if [ ! -f "$src/.extracted" ]; then
	echo "  EXTRACT $tarball"
	rm -rf "$src" "$dir/extract.tmp"
	mkdir -p "$dir/extract.tmp"
	tar -xJf "$tarball" -C "$dir/extract.tmp"
	mv "$dir/extract.tmp/$pkg" "$src"
	rmdir "$dir/extract.tmp"
	touch "$src/.extracted"
fi

echo "  CONFIG  allnoconfig + ${fragment#"$(dirname "$here")/"}"
(cd "$src" && scripts/kconfig/merge_config.sh -n "$fragment" >"$dir/config.log" 2>&1) ||
	{ cat "$dir/config.log" >&2; die "configuration failed"; }

# merge_config.sh only warns when Kconfig drops a symbol it was given (an
# unmet dependency): check every line of the fragment made it.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF -- "$line" "$src/.config" && continue
		echo "build-kernel: asked for $line, got:" \
			"$(grep -E "^(# )?${line%%=*}[= ]" "$src/.config" || echo 'nothing')" >&2
		missing=$((missing + 1))
		;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		grep -q "^$sym=" "$src/.config" || continue
		echo "build-kernel: asked for $sym off, got: $(grep "^$sym=" "$src/.config")" >&2
		missing=$((missing + 1))
		;;
	esac
done <"$fragment"
[ "$missing" -eq 0 ] || die "$missing option(s) of the fragment not in .config"

echo "  MAKE    -j$jobs (cold: about half an hour on 2 CPUs)"
make -C "$src" -s -j"$jobs" all >"$dir/build.log" 2>&1 ||
	{ tail -n 40 "$dir/build.log" >&2; die "build failed, log in $dir/build.log"; }

kver=$(make -C "$src" -s kernelrelease)
rm -rf "${dir:?}/lib"
make -C "$src" -s INSTALL_MOD_PATH="$dir" modules_install >>"$dir/build.log" 2>&1 ||
	die "modules_install failed, log in $dir/build.log"
ln -sfn ../../../linux "$dir/lib/modules/$kver/build"
cp "$src/arch/x86/boot/bzImage" "$dir/bzImage"
cp "$src/.config" "$dir/config"
echo "$kver" >"$dir/kernelrelease"
echo $(($(date +%s) - start)) >"$dir/build-time"
touch "$dir/done"
echo "  built in $(cat "$dir/build-time")s"
report
