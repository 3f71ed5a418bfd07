#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Write the work tree's commits (base..HEAD of build/linux) to patches/.
# Files whose content did not change are not rewritten, so an unchanged
# series exports byte-identically. The cover letter keeps its hand-written
# text; its subject count, shortlog and diffstat are regenerated.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no work tree at build/linux; run 'make tree' first"
if [ -n "$(git -C "$TREE" status --porcelain --untracked-files=no)" ]; then
	git -C "$TREE" status --short --untracked-files=no | show_lines 20 || true
	die "build/linux has uncommitted edits; commit them (git -C build/linux commit) before exporting"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
format_series "$tmp"

changed=0
for f in "$tmp"/*.patch; do
	[ -e "$f" ] || continue
	dst=$PATCHES/$(basename "$f")
	if ! cmp -s "$f" "$dst"; then
		cp "$f" "$dst"
		echo "  wrote   patches/$(basename "$f")"
		changed=1
	fi
done
for f in $(series_files); do
	if [ ! -e "$tmp/$(basename "$f")" ]; then
		rm "$f"
		echo "  removed patches/$(basename "$f")"
		changed=1
	fi
done

"$TOP/scripts/cover-letter.sh" >"$tmp/cover"
if ! cmp -s "$tmp/cover" "$PATCHES/0000-cover-letter.patch"; then
	cp "$tmp/cover" "$PATCHES/0000-cover-letter.patch"
	echo "  wrote   patches/0000-cover-letter.patch"
	changed=1
fi

# Record that the work tree and patches/ agree (see get-kernel.sh).
printf '%s %s\n' "$(series_files | xargs -r cat | sha256sum | cut -d' ' -f1)" \
	"$(git -C "$TREE" rev-parse HEAD)" >"$TREE/.git/movable-bars-state"
[ "$changed" = 1 ] || echo "  patches/ already up to date"
