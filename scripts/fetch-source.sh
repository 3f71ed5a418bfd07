#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch the kernel source package from another Debian suite (KERNEL_SUITE in
# lib.sh, e.g. trixie-backports) without changing what this machine
# installs: a private apt configuration and state in build/apt, made from
# the mirror this machine's apt already uses, 'apt-get download' of the
# pinned version, and 'dpkg-deb -x' into build/src. If the pinned version is
# no longer served, the newest one of the same package is taken and a
# warning says so; if none is, it fails saying which suite lacked it.
#
# The unpacking goes to a temporary directory that is renamed into place,
# so an interrupted run leaves nothing half-done behind.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -n "$KERNEL_SUITE" ] || die "fetch-source.sh: no KERNEL_SUITE in lib.sh"
APT=$BUILD/apt
SRC=$BUILD/src

# .wanted is the version asked for, .version the one unpacked (they differ
# after a fallback, which is not fetched again on every run).
if [ -f "$KERNEL_TARBALL" ] && [ "$(cat "$SRC/.wanted" 2>/dev/null)" = "$KERNEL_PKG_VERSION" ]; then
	exit 0
fi

mirror=$(debian_mirror)
[ -n "$mirror" ] ||
	die "this machine's apt has no Debian archive entry to take the mirror from (apt-cache policy)"

mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/etc/preferences.d" "$APT/dl"
echo "deb $mirror $KERNEL_SUITE main" >"$APT/etc/sources.list"
: >"$APT/status"
opts=(-o "Dir::Etc::SourceList=$APT/etc/sources.list" -o "Dir::Etc::SourceParts=-"
      -o "Dir::Etc::Preferences=$APT/etc/preferences"
      -o "Dir::Etc::PreferencesParts=$APT/etc/preferences.d"
      -o "Dir::State::Lists=$APT/lists" -o "Dir::State::Status=$APT/status"
      -o "Dir::Cache=$APT/cache" -o "APT::Sandbox::User=root")

note "fetching $KERNEL_PKG from $KERNEL_SUITE ($mirror)"
apt-get "${opts[@]}" -qq update >"$APT/update.log" 2>&1 || {
	tail -n 5 "$APT/update.log" >&2
	die "apt-get update of $KERNEL_SUITE failed; see ${APT#"$TOP"/}/update.log"
}
out=$(apt-cache "${opts[@]}" madison "$KERNEL_PKG" 2>/dev/null) || true
served=$(awk -F'|' 'NF >= 3 { gsub(/ /, "", $2); print $2 }' <<<"$out")
[ -n "$served" ] || die "$KERNEL_SUITE serves no $KERNEL_PKG at all; cannot get the kernel base"
version=$KERNEL_PKG_VERSION
if ! grep -qxF "$version" <<<"$served"; then
	version=${served%%$'\n'*}
	cat >&2 <<MSG
************************************************************************
WARNING: $KERNEL_PKG $KERNEL_PKG_VERSION is no longer served by $KERNEL_SUITE.
WARNING: falling back to $version. The series was made against
WARNING: $KERNEL_PKG_VERSION and may not apply; update KERNEL_PKG_VERSION
WARNING: in scripts/lib.sh once it does.
************************************************************************
MSG
fi

rm -f "$APT/dl"/*.deb
(cd "$APT/dl" && apt-get "${opts[@]}" -qq download "$KERNEL_PKG=$version") \
	>"$APT/download.log" 2>&1 || {
	tail -n 5 "$APT/download.log" >&2
	die "apt-get download $KERNEL_PKG=$version failed; see ${APT#"$TOP"/}/download.log"
}
deb=$(find "$APT/dl" -maxdepth 1 -name '*.deb' | sed -n 1p)
[ -n "$deb" ] || die "apt-get download left no .deb in ${APT#"$TOP"/}/dl"

rm -rf "$SRC.partial"
mkdir -p "$SRC.partial"
dpkg-deb -x "$deb" "$SRC.partial" || die "cannot unpack $deb"
echo "$version" >"$SRC.partial/.version"
echo "$KERNEL_PKG_VERSION" >"$SRC.partial/.wanted"
rm -rf "$SRC"
mv "$SRC.partial" "$SRC"
[ -f "$KERNEL_TARBALL" ] || die "$deb holds no ${KERNEL_TARBALL#"$SRC"/}"
rm -f "$deb"
note "$KERNEL_PKG $version unpacked into ${SRC#"$TOP"/}"
