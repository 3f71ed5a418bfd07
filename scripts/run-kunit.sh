#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the series' KUnit suites (configs/kunit.config) with kunit.py under QEMU.
#
#   run-kunit.sh [x86_64|i386|mutant]
#
# mutant runs the x86_64 suites on build/mutant/linux, the series with one
# mutant applied (tests/mutants.py), in build/mutant/kunit-obj.
#
# i386 builds with a 32-bit resource_size_t and phys_addr_t (no PAE), so
# that address arithmetic that only works in 64 bits fails there. i386
# has no KASAN: the KASAN options are left out of its configuration.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

arch=${1:-x86_64}
case $arch in
x86_64) name=kunit; obj=$BUILD/kunit-obj ;;
i386)   name=kunit-i386; obj=$BUILD/kunit-i386 ;;
mutant) name=kunit-mutant; obj=$BUILD/mutant/kunit-obj; arch=x86_64
	TREE=$BUILD/mutant/linux ;;
*) die "usage: run-kunit.sh [x86_64|i386|mutant]" ;;
esac
[ -e "$TREE/.git" ] || die "no work tree at ${TREE#"$TOP"/}; run 'make tree'"
log=$BUILD/logs/$name.log
mkdir -p "$(dirname "$log")"

# A suite listed in configs/kunit.config that the series does not define
# yet is skipped by name, so the rest still run.
config=$obj/kunit.config
mkdir -p "$(dirname "$config")"
: >"$config"
missing=0
while read -r line; do
	if [ "$arch" = i386 ] && [[ $line == CONFIG_KASAN* ]]; then
		continue
	fi
	opt=$(echo "$line" | sed -n 's/^CONFIG_\([A-Z0-9_]*_KUNIT_TEST\)=y$/\1/p')
	if [ -n "$opt" ] && ! grep -rqs --include='Kconfig*' "^config $opt\$" "$TREE"; then
		echo "ok - CONFIG_$opt # SKIP the series does not define CONFIG_$opt yet"
		missing=$((missing + 1))
		continue
	fi
	echo "$line" >>"$config"
done <"$TOP/configs/kunit.config"
if ! grep -q '_KUNIT_TEST=y' "$config"; then
	echo "# $name: 0 passed, 0 failed, $missing skipped"
	exit 0
fi
# kunit.py asks QEMU for KVM first, where /dev/kvm exists; KVM guests
# hang on the machines this runs on (a KUnit kernel printed nothing in
# ten minutes), so QEMU is called through a wrapper that drops kunit.py's
# -accel options and asks for TCG only.
qemu=qemu-system-$arch
real=$(command -v "$qemu") || die "$qemu missing; run 'make deps'"
mkdir -p "$obj/bin"
cat >"$obj/bin/$qemu" <<WRAPPER
#!/bin/bash
args=()
while [ \$# -gt 0 ]; do
	if [ "\$1" = -accel ]; then shift 2; continue; fi
	args+=("\$1")
	shift
done
exec "$real" -accel tcg "\${args[@]}"
WRAPPER
chmod +x "$obj/bin/$qemu"
export PATH="$obj/bin:$PATH"

rm -f "$obj/test.log"
(cd "$TREE" && python3 tools/testing/kunit/kunit.py run --arch="$arch" \
	--kunitconfig="$config" \
	--build_dir="$obj" --jobs="$JOBS" \
	--make_options CC="ccache gcc" --timeout=600) 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# The cases the configured suites define: fewer results means a suite did
# not build or the run stopped early, whatever kunit.py's summary says.
# shellcheck disable=SC2046 # option names are words
expected=$(kunit_cases "$TREE" $(sed -n 's/^\(CONFIG_[A-Z0-9_]*_KUNIT_TEST\)=y$/\1/p' "$config"))
read -r passed failed skipped <<<"$(kunit_counts "$log")" || true
if [ -z "${passed:-}" ]; then
	passed=0 failed=1 skipped=0
	echo "$name: kunit.py gave no summary (see ${log#"$TOP"/})"
elif [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
	failed=1
	echo "$name: kunit.py exited $rc"
fi
if [ "$expected" = unknown ]; then
	echo "$name: a suite has parameterised cases; the number of results is not checked"
elif [ "$((passed + failed + skipped))" -lt "$expected" ]; then
	echo "$name: $((passed + failed + skipped)) results, but the suites define $expected cases"
	failed=$((failed + expected - passed - failed - skipped))
fi
# kunit.py judges the test results only: a lockdep, KASAN or UBSAN report
# or a WARNING on the console of the test kernel fails the stage too.
if [ -f "$obj/test.log" ] &&
   ! "$TOP/tests/vmtest.py" scan-log "$obj/test.log"; then
	echo "$name: the test kernel reported the above"
	failed=$((failed + 1))
fi
# Each skipped case with its reason, for make check's count of reasons.
if [ -f "$obj/test.log" ]; then
	grep -a '# SKIP' "$obj/test.log" | sed 's/^\[[ 0-9.]*\] *//' || true
fi
echo "# $name: $passed passed, $failed failed, $((skipped + missing)) skipped"
[ "$failed" = 0 ]
