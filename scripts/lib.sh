# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034 # the settings here are used by the scripts that source it
# Shared settings and helpers for the workbench scripts. Source it; do not run it.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# WORKBENCH_BUILD, _PATCHES and _TARBALL are for the harness tests only.
BUILD=${WORKBENCH_BUILD:-$TOP/build}
TREE=$BUILD/linux
# The stock tree and both object directories are laid out so that each
# kernel is compiled from '../linux', with identical command lines. That
# does not let ccache serve one kernel from the other's objects (the
# series adds Kconfig options, so every object sees another autoconf.h:
# 217 hits of 3406 on a fresh machine), but each kernel is served from its
# own earlier builds, wherever the checkout is.
STOCK_TREE=$BUILD/stock/linux
PATCHES=${WORKBENCH_PATCHES:-$TOP/patches}

# The kernel base, pinned in this one place. KERNEL_SUITE names the Debian
# suite that serves it when this machine's own apt sources do not: it is
# then fetched with a private apt configuration (fetch-source.sh) and
# unpacked into build/src, and nothing is installed.
KERNEL_PKG=linux-source-7.3
KERNEL_PKG_VERSION=7.3.4-1~bpo13+1
KERNEL_SUITE=trixie-backports
if [ -n "$KERNEL_SUITE" ]; then
	KERNEL_TARBALL=$BUILD/src/usr/src/$KERNEL_PKG.tar.xz
else
	KERNEL_TARBALL=/usr/src/$KERNEL_PKG.tar.xz
fi
KERNEL_TARBALL=${WORKBENCH_TARBALL:-$KERNEL_TARBALL}
# What the demo and messages call the stock kernel.
KERNEL_NAME='Linux 7.3'

# Messages are compared and parsed (the amdgpu stage compares compiler
# warnings; kunit.py and git are read): never translated.
export LC_ALL=C

# Commits in the work tree are made with this fixed date so that re-applying
# the series gives the same commit ids (and byte-identical exports).
BASE_DATE='2000-01-01T00:00:00+0000'

export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_BASEDIR=$BUILD
export CCACHE_NOHASHDIR=1
# Depend mode: on a miss, compile once instead of preprocessing first.
export CCACHE_DEPEND=1
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
export PYTHONDONTWRITEBYTECODE=1

JOBS=${JOBS:-$(($(nproc) + 1))}

die() {
	echo "error: $*" >&2
	exit 1
}

note() {
	echo ">>> $*"
}

# kernel_source_version: the Debian version of the kernel source in use.
kernel_source_version() {
	if [ -n "$KERNEL_SUITE" ]; then
		cat "$BUILD/src/.version" 2>/dev/null || echo unknown
	else
		dpkg-query -W -f='${Version}' "$KERNEL_PKG" 2>/dev/null || echo unknown
	fi
}

# debian_sources: "URI SUITE COMPONENT" for every Debian archive this
# machine's apt uses, read from apt-cache policy, so that sources.list and
# sources.list.d in either format are covered.
debian_sources() {
	local out
	out=$(apt-cache policy 2>/dev/null) || true
	awk '
		/^ *[0-9]+ (https?|file):/ { uri = $2; split($3, sc, "/"); next }
		/release / && /o=Debian/ && uri != "" {
			if (sc[2] != "") print uri, sc[1], sc[2]
			uri = ""
		}' <<<"$out" | sort -u
}

# debian_mirror: the URI of this machine's Debian main archive (the one
# whose suite has no '-security' and that is not debian-security), so that
# no host name is written into the repository.
debian_mirror() {
	awk '$3 == "main" && $2 !~ /-security$/ { print $1; exit }' <<<"$(debian_sources)"
}

# show_lines N: copy the first N lines of standard input to standard error,
# reading all of it (head would leave the writer to die of SIGPIPE, which
# under 'set -o pipefail' fails the pipeline before the caller's die
# prints anything). Never fails.
show_lines() {
	sed -n "1,${1}p" >&2 || true
}

# ensure_worktree DIR REV: a detached work tree of build/linux at REV in
# DIR. It is created under a temporary name and moved into place, so an
# interrupted checkout is never taken for a finished one; the next run
# removes the leftover and starts again.
ensure_worktree() {
	local dir=$1 rev=$2 tmp="$1.partial"
	[ -d "$dir" ] && return 0
	git -C "$TREE" worktree remove --force "$tmp" >/dev/null 2>&1 || true
	rm -rf "$tmp"
	git -C "$TREE" worktree prune
	mkdir -p "$(dirname "$dir")"
	git -C "$TREE" worktree add -q --detach "$tmp" "$rev"
	git -C "$TREE" worktree move "$tmp" "$dir"
}

# configure_kernel SRC OBJ FRAGMENT: allnoconfig, the fragment merged in,
# then defaults for whatever the fragment made visible (merge_config.sh -m
# + olddefconfig, as kbuild's own fragment targets do). An unchanged
# .config keeps its time stamp, so nothing rebuilds.
configure_kernel() {
	local src=$1 obj=$2 fragment=$3
	mkdir -p "$obj"
	[ -f "$obj/.config" ] && cp -p "$obj/.config" "$obj/.config.prev"
	make -s -C "$src" O="$obj" allnoconfig >/dev/null
	(cd "$obj" && "$src/scripts/kconfig/merge_config.sh" -m -O "$obj" .config "$fragment" >/dev/null)
	make -s -C "$src" O="$obj" olddefconfig >/dev/null
	if [ -f "$obj/.config.prev" ] && cmp -s "$obj/.config" "$obj/.config.prev"; then
		mv "$obj/.config.prev" "$obj/.config"
	fi
	rm -f "$obj/.config.prev"
}

# fragment_missing OBJ FRAGMENT: the option lines of FRAGMENT that
# OBJ/.config lacks (a dependency kept them off), one per line.
fragment_missing() {
	local want
	grep '^CONFIG_' "$2" | while read -r want; do
		grep -qx "$want" "$1/.config" || echo "$want"
	done
}

# kunit_counts LOG: "passed failed skipped" from the last summary line of a
# kunit.py run, "Testing complete. Ran N tests: passed: P, failed: F, ...",
# which names only the counts that are not zero; failed includes crashed
# and errors. Nothing when the log has no summary.
kunit_counts() {
	local summary total n p=0 f=0 s=0
	summary=$(grep -a 'Testing complete' "$1" | tail -n 1) || true
	total=$(sed -n 's/.*Ran \([0-9][0-9]*\) tests.*/\1/p' <<<"$summary")
	[ -n "$total" ] || return 0
	for kind in passed failed crashed skipped errors; do
		n=$(sed -n "s/.*[:,] $kind: \([0-9][0-9]*\).*/\1/p" <<<"$summary")
		n=${n:-0}
		case $kind in
		passed) p=$n ;;
		skipped) s=$n ;;
		*) f=$((f + n)) ;;
		esac
	done
	echo "$p $f $s"
}

# kunit_cases TREE CONFIG...: how many test cases (KUNIT_CASE lines) the
# objects that the options build hold, as the kbuild Makefiles name them,
# with the *_kunit.c files that code of the same directory #includes
# (whatever guards the #include: an over-count fails loudly); "unknown"
# when a suite has parameterised cases.
kunit_cases() {
	local tree=$1 opt mk dir obj c files="" total=0 n
	shift
	for opt in "$@"; do
		while IFS=: read -r mk _; do
			dir=$(dirname "$mk")
			# shellcheck disable=SC2013 # object names are words
			for obj in $(sed -n "s/^obj-\\\$($opt)[[:space:]]*+=\(.*\)/\1/p" "$mk"); do
				[ -f "$dir/${obj%.o}.c" ] || continue
				files="$files $dir/${obj%.o}.c"
				for c in $(sed -n 's/^#include "\(.*_kunit\.c\)"$/\1/p' "$dir"/*.c); do
					files="$files $dir/$c"
				done
			done
		done < <(grep -rl --include=Makefile --exclude-dir=tools --exclude-dir=Documentation \
			"($opt)" "$tree" 2>/dev/null || true)
	done
	for c in $(tr ' ' '\n' <<<"$files" | sort -u); do
		# A parameterised case runs once per parameter: the count is
		# not known from the source.
		if grep -qE 'KUNIT_CASE_PARAM' "$c"; then
			echo "unknown"
			return 0
		fi
		n=$(grep -cE '^[[:space:]]*KUNIT_CASE(_SLOW)?\(' "$c") || true
		total=$((total + n))
	done
	echo "$total"
}

# signed_off_by_author PATCH: print the author 'Name <email>' of a patch
# file; succeed if its commit message has the line 'Signed-off-by: Name
# <email>'. git mailinfo reads the headers as git am does (a From: folded
# over two lines, an encoded name) and splits off the message.
signed_off_by_author() {
	local info name email msg rc=1
	msg=$(mktemp)
	info=$(git mailinfo -k "$msg" /dev/null <"$1" 2>/dev/null) || info=""
	name=$(sed -n 's/^Author: //p' <<<"$info")
	email=$(sed -n 's/^Email: //p' <<<"$info")
	echo "$name <$email>"
	if [ -n "$name" ] && [ -n "$email" ] &&
	   grep -qxF "Signed-off-by: $name <$email>" "$msg"; then
		rc=0
	fi
	rm -f "$msg"
	return "$rc"
}

# The numbered patch files of the series, cover letter excluded.
series_files() {
	find "$PATCHES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
		! -name '0000-*' | sort
}

# Write base..HEAD of the work tree as patch files into $1. --zero-commit
# and --no-signature keep the output independent of commit ids and of the
# git version, so an unchanged series exports byte-identically.
format_series() {
	git -C "$TREE" format-patch -q --zero-commit --no-signature --abbrev=12 \
		--subject-prefix=PATCH -N -o "$1" base..HEAD >/dev/null
	local n
	n=$(git -C "$TREE" rev-list --count base..HEAD)
	[ "$n" -gt 1 ] || return 0
	# Number the subjects [PATCH i/n] as a posted series is.
	local i=0 f
	for f in "$1"/*.patch; do
		i=$((i + 1))
		sed -i "0,/^Subject: \[PATCH\]/s//Subject: [PATCH $(printf '%02d' $i)\/$(printf '%02d' "$n")]/" "$f"
	done
}

# The generated tail of the cover letter: shortlog and diffstat of the series.
cover_tail() {
	git -C "$TREE" shortlog base..HEAD
	git -C "$TREE" diff --stat=72 --summary base..HEAD
}
