#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the workbench needs, only those that are missing.
# The kernel source package is pinned in scripts/lib.sh; if apt no longer
# serves that version, the newest one apt serves is used and a warning says
# so. With nothing missing, it runs no apt command at all.
#
# Every query here is written so that 'set -euo pipefail' cannot end the
# script silently: a command that may exit non-zero (dpkg-query for a
# package that is not installed) is captured with '|| true', and no pipeline
# ends in a reader that stops early (grep -q, awk's exit), which would kill
# the writer with SIGPIPE and make the pipeline "fail".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

TOOLS="gcc make git perl python3 bc flex bison libelf-dev libssl-dev
       ccache sparse cpio xz-utils kmod qemu-system-x86 busybox-static
       python3-ply python3-git shellcheck"

# installed_version PKG: the installed version of PKG, or nothing.
installed_version() {
	local out
	out=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}\n' "$1" 2>/dev/null) || true
	awk '$1 == "ii" { print $2 }' <<<"$out"
}

# served_versions PKG: the versions apt serves of PKG, newest first.
served_versions() {
	local out
	out=$(apt-cache madison "$1" 2>/dev/null) || true
	awk -F'|' 'NF >= 3 { gsub(/ /, "", $2); print $2 }' <<<"$out"
}

missing=""
for p in $TOOLS; do
	[ -n "$(installed_version "$p")" ] || missing="$missing $p"
done

src=""
if [ -z "$KERNEL_SUITE" ] &&
   [ "$(installed_version "$KERNEL_PKG")" != "$KERNEL_PKG_VERSION" ]; then
	src="$KERNEL_PKG=$KERNEL_PKG_VERSION"
fi

# The kernel source from another suite is fetched, not installed.
fetch() {
	[ -z "$KERNEL_SUITE" ] || "$TOP/scripts/fetch-source.sh"
}

if [ -z "$missing$src" ]; then
	fetch
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	die "missing packages:$missing${src:+ $src}; run 'make deps' as root (or install them with apt-get)"
fi

note "installing:$missing${src:+ $src}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || die "apt-get update failed; check the network and /etc/apt/sources.list"
if [ -n "$src" ]; then
	served=$(served_versions "$KERNEL_PKG")
	[ -n "$served" ] || die "apt serves no $KERNEL_PKG at all; cannot get the kernel base"
	if ! grep -qxF "$KERNEL_PKG_VERSION" <<<"$served"; then
		newest=${served%%$'\n'*}
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
fi
log=$BUILD/logs/install-deps.log
mkdir -p "$(dirname "$log")"
# shellcheck disable=SC2086
if ! apt-get install -y -qq --no-install-recommends --allow-downgrades \
		$missing $src >"$log" 2>&1; then
	tail -n 20 "$log" >&2
	die "apt-get install failed for:$missing${src:+ $src}; see ${log#"$TOP"/}"
fi
note "installed:$missing${src:+ $src}"
fetch
