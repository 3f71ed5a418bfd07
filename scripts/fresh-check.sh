#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The README's promise, tried as a new user would: a fresh Debian 12 root
# (debootstrap, default package set), the one line that installs git and
# make, a git clone of HEAD into a long path, then 'make check' and 'make
# demo', each timed. Nothing from this machine goes in but the apt sources:
# no git identity, no compiler cache, no packages.
#
# The mirror and suites are the Debian entries of this machine's own apt
# configuration; no host name is written here. The root is made anew in
# build/fresh/root on every run and left there for inspection (the next
# run or 'make clean' removes it). Needs root.
#
# /proc, /sys and /dev are mounted in a private mount namespace of each
# command run in the root (unshare): they are gone when it ends, however
# it ends, and never show on the host, so nothing is ever removed through
# a mount.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SUITE=bookworm
FRESH=$BUILD/fresh
ROOT=$FRESH/root
# Longer than the 107 bytes an AF_UNIX socket path may have, once the
# workbench's own build directories are added: sockets must not live there.
CLONE=/root/a-checkout-path-long-enough-to-break-unix-socket-paths/movable-bars

[ "$(id -u)" = 0 ] || die "fresh-check needs root (debootstrap, chroot)"

# mounted_below DIR: is anything mounted below DIR (resolved)?
mounted_below() {
	findmnt -rn -o TARGET | grep -qF "$(realpath "$1")/"
}

elapsed() {
	echo $(($(date +%s) - $1))
}

head=$(git -C "$TOP" rev-parse HEAD)
short=$(git -C "$TOP" rev-parse --short HEAD)
sources=$(debian_sources)
mirror=$(awk -v s="$SUITE" '$2 == s && $3 == "main" { print $1; exit }' <<<"$sources")
[ -n "$mirror" ] || die "this machine's apt has no Debian '$SUITE main' entry to take the mirror from"

if ! command -v debootstrap >/dev/null; then
	note "installing debootstrap"
	{ apt-get update -qq && apt-get install -y -qq debootstrap; } >/dev/null ||
		die "cannot install debootstrap"
fi

mkdir -p "$FRESH"
exec 9>"$FRESH/.lock"
flock -n 9 || die "another fresh-check is running"
if [ -d "$ROOT" ]; then
	note "removing the previous fresh root"
	! mounted_below "$ROOT" ||
		die "something is mounted below ${ROOT#"$TOP"/}; not removing it"
	rm -rf --one-file-system "$ROOT"
fi

t0=$(date +%s)
note "debootstrap $SUITE into ${ROOT#"$TOP"/} (log: ${FRESH#"$TOP"/}/debootstrap.log)"
t=$(date +%s)
if ! debootstrap "$SUITE" "$ROOT" "$mirror" >"$FRESH/debootstrap.log" 2>&1; then
	tail -n 20 "$FRESH/debootstrap.log" >&2
	die "debootstrap failed; see ${FRESH#"$TOP"/}/debootstrap.log"
fi
t_boot=$(elapsed "$t")

# debootstrap writes the main suite only; a Debian 12 machine also has
# -updates and -security (linux-source-6.12, the base before 7.3, is in -security).
awk -v s="$SUITE" '$2 == s || $2 == s "-updates" || $2 == s "-security" {
	print "deb", $1, $2, $3 }' <<<"$sources" >"$ROOT/etc/apt/sources.list"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"

# in_root COMMAND: run COMMAND in the root, with a clean environment, in a
# mount namespace of its own that has /proc, /sys and /dev.
in_root() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount --propagation private /bin/bash -c '
		set -e
		mount -t proc proc "$1/proc"
		mount -t sysfs sys "$1/sys"
		mount --rbind /dev "$1/dev"
		exec env -i HOME=/root TERM=dumb PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			chroot "$1" /bin/bash -c "$2"' in_root "$ROOT" "$1"
}

note "the README's first line: apt-get install git make"
t=$(date +%s)
in_root 'apt-get update -qq && apt-get install -y -qq git make' >"$FRESH/git-make.log" 2>&1 ||
	die "installing git and make failed; see ${FRESH#"$TOP"/}/git-make.log"
t_gitmake=$(elapsed "$t")

note "git clone of $short into $CLONE"
mkdir -p "$ROOT$(dirname "$CLONE")"
git clone -q --no-hardlinks "$TOP" "$ROOT$CLONE"
git -C "$ROOT$CLONE" checkout -q --detach "$head"
dirty=$(git -C "$TOP" status --porcelain --untracked-files=no)
[ -z "$dirty" ] || note "warning: the checkout has uncommitted changes; the clone has HEAD only"

note "make check (log: ${FRESH#"$TOP"/}/make-check.log)"
t=$(date +%s)
rc_check=0
in_root "cd $CLONE && make check" >"$FRESH/make-check.log" 2>&1 || rc_check=$?
t_check=$(elapsed "$t")
tail -n 3 "$FRESH/make-check.log"

note "make demo (log: ${FRESH#"$TOP"/}/make-demo.log)"
t=$(date +%s)
rc_demo=0
in_root "cd $CLONE && make demo" >"$FRESH/make-demo.log" 2>&1 || rc_demo=$?
t_demo=$(elapsed "$t")
sed -n '/#### summary/,$p' "$FRESH/make-demo.log"

echo
echo "fresh-check of $short:"
echo "  debootstrap $SUITE:        ${t_boot}s"
echo "  apt-get install git make:  ${t_gitmake}s"
echo "  make check:                ${t_check}s (exit $rc_check), stages:"
grep -aE '^=== [a-z0-9-]+: (ok|FAILED)' "$FRESH/make-check.log" | sed 's/^=== /    /' || true
echo "    $(grep -aE '^[0-9]+ passed, [0-9]+ failed' "$FRESH/make-check.log" | tail -n 1)"
echo "  make demo:                 ${t_demo}s (exit $rc_demo)"
echo "  total:                     $(elapsed "$t0")s"
[ "$rc_check" = 0 ] && [ "$rc_demo" = 0 ]
