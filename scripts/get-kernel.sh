#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make build/linux: the pristine kernel source as commit 'base', with the
# series from patches/ applied on top with 'git am'.
#
# Re-running is cheap. It re-applies the series only when patches/ changed
# since it was last applied or exported, and refuses to touch a work tree
# that holds edits or commits not yet exported to patches/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

STATE=$TREE/.git/movable-bars-state

# Commits made here are never exported (format-patch takes the author from
# each patch), but git needs a committer: the configured identity when there
# is one, else a name for the work tree itself, so a fresh machine needs no
# git configuration.
GIT_NAME=$(git config user.name || true)
GIT_EMAIL=$(git config user.email || true)
git_tree() {
	git -C "$TREE" -c user.name="${GIT_NAME:-workbench}" \
		-c user.email="${GIT_EMAIL:-workbench@localhost}" "$@"
}

series_hash() {
	series_files | xargs -r cat | sha256sum | cut -d' ' -f1
}

record_state() {
	printf '%s %s\n' "$(series_hash)" "$(git -C "$TREE" rev-parse HEAD)" >"$STATE"
}

# make_base: the pristine tree as commit 'base' in build/linux. All of it
# happens in a temporary directory that is renamed into place at the end,
# so an interrupted run (Ctrl-C, a killed job, a full disk) leaves no
# build/linux, and running the same command again starts over.
make_base() {
	[ -f "$KERNEL_TARBALL" ] || die "$KERNEL_TARBALL missing; run 'make deps'"
	note "extracting $(basename "$KERNEL_TARBALL") into ${TREE#"$TOP"/}"
	local tmp=$BUILD/.extract src ver
	rm -rf "$tmp"
	mkdir -p "$tmp"
	tar -C "$tmp" -xf "$KERNEL_TARBALL" || die "cannot extract $KERNEL_TARBALL"
	src=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d)
	if [ -z "$src" ] || [ "$(wc -l <<<"$src")" != 1 ]; then
		die "$KERNEL_TARBALL does not hold one top directory"
	fi
	ver=$(kernel_source_version)
	# Debian's top-level .gitignore ends in '/*', which ignores everything:
	# add with -f so the base commit really is the whole pristine tree.
	git -C "$src" init -q -b series
	# No automatic gc: repacking 80,000 files would eat a core for minutes.
	git -C "$src" config gc.auto 0
	git -C "$src" config core.abbrev 12
	git -C "$src" add -f -A .
	GIT_AUTHOR_DATE=$BASE_DATE GIT_COMMITTER_DATE=$BASE_DATE \
		git -C "$src" -c user.name=base -c user.email=base@localhost \
		commit -q -m "base: Debian $KERNEL_PKG $ver, pristine"
	git -C "$src" tag base
	# The series is not applied yet (see apply_series).
	echo applying >"$src/.git/movable-bars-state"
	mv "$src" "$TREE"
	rmdir "$tmp"
}

# A work tree that is a git repository of its own with no commit at all is
# what an older, interrupted extraction left: it holds nobody's work, so
# start over. Anything else that git cannot read, or that has commits but
# no 'base', is left for a person to look at.
if [ -d "$TREE" ]; then
	[ -d "$TREE/.git" ] ||
		die "${TREE#"$TOP"/} is not a git repository; move it away or remove it"
	gitdir=$(git -C "$TREE" rev-parse --absolute-git-dir 2>&1) ||
		die "git cannot read ${TREE#"$TOP"/}: $gitdir"
	[ "$gitdir" = "$(cd "$TREE/.git" && pwd -P)" ] ||
		die "${TREE#"$TOP"/} is not a repository of its own ($gitdir)"
	if [ -z "$(git -C "$TREE" rev-list -n 1 --all 2>/dev/null)" ]; then
		note "${TREE#"$TOP"/} is an unfinished extraction (no commit at all); removing it"
		rm -rf "$TREE"
	elif ! git -C "$TREE" rev-parse -q --verify 'base^{commit}' >/dev/null; then
		die "${TREE#"$TOP"/} has commits but no 'base' tag; move it away or remove it"
	fi
fi

apply_series() {
	# Until the series is applied, the state file says so: an interrupted
	# 'git am' is then redone rather than taken for unexported work.
	echo applying >"$STATE"
	git_tree am --abort >/dev/null 2>&1 || true
	git_tree reset -q --hard base
	local n
	n=$(series_files | wc -l)
	note "applying $n patches from patches/"
	[ "$n" = 0 ] && { record_state; return; }
	# shellcheck disable=SC2046
	if ! git_tree am -q --committer-date-is-author-date $(series_files) \
			>"$BUILD/git-am.log" 2>&1; then
		local bad
		bad=$(sed -n 's/^Patch failed at [0-9]* \(.*\)/\1/p' "$BUILD/git-am.log")
		git_tree am --abort >/dev/null 2>&1 || true
		git_tree reset -q --hard base
		echo failed >"$STATE"
		die "patch does not apply: '${bad:-see $BUILD/git-am.log}'; fix it in patches/ (the tree is left at base)"
	fi
	record_state
}

mkdir -p "$BUILD"
if [ ! -d "$TREE" ]; then
	make_base
	apply_series
	exit 0
fi
# After an interrupted or failed 'git am', apply again, but only while what
# the tree holds came from patches/: an am still in progress, or nothing
# beyond 'base' and no edits. Work committed by hand after a failure is
# never reset away.
state=$(cat "$STATE" 2>/dev/null || true)
if [ "$state" = applying ] || [ "$state" = failed ]; then
	if [ -d "$TREE/.git/rebase-apply" ] ||
	   { [ "$(git -C "$TREE" rev-parse HEAD)" = "$(git -C "$TREE" rev-parse base)" ] &&
	     [ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ]; }; then
		note "the last 'git am' of the series did not finish; applying it again"
		apply_series
		exit 0
	fi
	die "build/linux has work on top of a series that did not apply: export it ('make export') or reset it to 'base' yourself"
fi

if [ -n "$(git -C "$TREE" status --porcelain --untracked-files=no)" ]; then
	if [ -f "$STATE" ] && [ "$(cut -d' ' -f1 "$STATE")" = "$(series_hash)" ]; then
		note "build/linux has uncommitted edits; leaving it as it is"
		exit 0
	fi
	die "build/linux has uncommitted edits and patches/ changed: commit and 'make export', or discard them"
fi

head=$(git -C "$TREE" rev-parse HEAD)
read -r rec_hash rec_head <"$STATE" 2>/dev/null || { rec_hash=; rec_head=; }

if [ "$rec_hash" = "$(series_hash)" ]; then
	[ "$rec_head" = "$head" ] || note "build/linux has commits not exported yet; leaving them (run 'make export')"
	exit 0
fi
if [ "$rec_head" != "$head" ]; then
	die "build/linux has commits that are not in patches/, and patches/ changed too: export or drop them first ('make series-check' lists them)"
fi
note "patches/ changed; re-applying the series"
apply_series
