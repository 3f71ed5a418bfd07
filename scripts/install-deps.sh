#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the workbench needs, only those that are missing.
# The kernel source package is pinned in scripts/lib.sh; if apt no longer
# serves that version, the newest 6.12 is used and a warning says so.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

TOOLS="gcc make git perl python3 bc flex bison libelf-dev libssl-dev
       ccache sparse cpio xz-utils kmod qemu-system-x86 busybox-static
       python3-ply python3-git"

installed_version() {
	dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$1" 2>/dev/null |
		awk '$1 == "ii" { print $2 }'
}

missing=""
for p in $TOOLS; do
	[ -n "$(installed_version "$p")" ] || missing="$missing $p"
done

src=""
have=$(installed_version "$KERNEL_PKG")
if [ "$have" != "$KERNEL_PKG_VERSION" ]; then
	src="$KERNEL_PKG=$KERNEL_PKG_VERSION"
fi

[ -z "$missing$src" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	die "missing packages:$missing $src; run 'make deps' as root (or install them with apt-get)"
fi

note "installing:$missing $src"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || die "apt-get update failed; check the network and /etc/apt/sources.list"
if [ -n "$src" ] && ! apt-cache madison "$KERNEL_PKG" | grep -qF " $KERNEL_PKG_VERSION "; then
	newest=$(apt-cache madison "$KERNEL_PKG" | awk '{ print $3; exit }')
	[ -n "$newest" ] || die "apt serves no $KERNEL_PKG at all; cannot get the kernel base"
	cat >&2 <<MSG
************************************************************************
WARNING: $KERNEL_PKG $KERNEL_PKG_VERSION is no longer served by apt.
WARNING: falling back to $newest. The series was made against
WARNING: $KERNEL_PKG_VERSION and may not apply; update KERNEL_PKG_VERSION
WARNING: in scripts/lib.sh once it does.
************************************************************************
MSG
	src="$KERNEL_PKG=$newest"
fi
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends --allow-downgrades $missing $src >/dev/null ||
	die "apt-get install failed for:$missing $src"
