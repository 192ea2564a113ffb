#!/bin/sh
# Runs a test program under valgrind's memcheck, following Criterion's forked
# test workers, and fails if any process reported an error or a definite or
# indirect leak. Criterion reports a worker's valgrind exit code as a passing
# test, so the per-process logs are scanned instead of trusting exit codes.
# Criterion runs one test at a time (CRITERION_JOBS=1, an environment variable
# so that non-Criterion programs such as the fuzz replays see no extra argument).
# usage: valgrind-wrap.sh PROGRAM [ARGS...]   (used as `meson test --wrapper`)
set -u
logdir=$(mktemp -d "${TMPDIR:-/tmp}/povvg.XXXXXX") || exit 2
CRITERION_JOBS=1 valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect \
  --errors-for-leak-kinds=definite,indirect --track-origins=no \
  --trace-children=yes --child-silent-after-fork=no \
  --log-file="$logdir/vg.%p" "$@"
rc=$?
bad=$(grep -l -E 'ERROR SUMMARY: [1-9]|definitely lost: [1-9]|indirectly lost: [1-9]' "$logdir"/vg.* 2>/dev/null)
if [ -n "$bad" ]; then
  for f in $bad; do echo "# valgrind: $f" >&2; cat "$f" >&2; done
  rm -rf "$logdir"
  exit 1
fi
rm -rf "$logdir"
exit $rc
