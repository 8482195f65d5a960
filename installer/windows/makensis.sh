#!/usr/bin/env bash
# Compiles the Windows installer: the one place makensis gets its defines, used by
# installer/build.sh on Windows and by the tests on Linux (against stand-in programs).
#
#   installer/windows/makensis.sh BUNDLE_DIR OUTFILE [more makensis options...]
#
# The executable names come from app/core/programs.py (`python -m app.core.programs
# win32`), the reminder task's names (current and old) from app/actions/reminder.py, the version from
# app/__version__.py. GRIDCERT_SIGN_COMMAND (optional) signs Uninstall.exe and the
# installer. Test-only overrides: GRIDCERT_NSIS_VERSION (the version to stamp) and
# GRIDCERT_NSIS_PROGRAMS (the sys.platform whose names to use; check_dist.sh compiles
# against the Linux bundle with "linux").
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: $0 BUNDLE_DIR OUTFILE [makensis options...]" >&2; exit 2; }
bundle=$1
out=$2
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

# shellcheck source=installer/python.sh
source installer/python.sh

version=${GRIDCERT_NSIS_VERSION:-$("$python" -c 'from app.__version__ import VERSION; print(VERSION)')}
# "1.2.3rc1" -> "1.2.3.0": the four numbers a Windows version resource holds.
IFS=. read -r -a numbers <<< "$(echo "$version" | sed -E 's/[^0-9.].*$//')"
version_quad="${numbers[0]:-0}.${numbers[1]:-0}.${numbers[2]:-0}.${numbers[3]:-0}"
names=$("$python" -m app.core.programs "${GRIDCERT_NSIS_PROGRAMS:-win32}" | tr -d '\r')
gui=$(sed -n 1p <<< "$names")
cli=$(sed -n 2p <<< "$names")
task=$("$python" -c 'from app.actions.reminder import TASK_NAME; print(TASK_NAME)' | tr -d '\r')
# The name the reminder had before (installations that turned it on then still have it).
old_task=$("$python" -c 'from app.actions.reminder import OLD_TASK_NAMES; print(*OLD_TASK_NAMES, sep="\n")' | head -n 1 | tr -d '\r')
[[ -n "$gui" && -n "$cli" && -n "$task" && -n "$old_task" ]] || { echo "makensis.sh: could not read the names from app/" >&2; exit 2; }

winpath() { cygpath -w "$1" 2>/dev/null || echo "$1"; }
args=(-V2 -WX "-DVERSION=$version" "-DVERSION_QUAD=$version_quad"
      "-DGUI_EXE=$gui" "-DCLI_EXE=$cli" "-DREMINDER_TASK=$task" "-DREMINDER_TASK_OLD=$old_task"
      "-DBUNDLE_DIR=$(winpath "$bundle")" "-DOUTFILE=$(winpath "$out")")
if [[ -n "${GRIDCERT_SIGN_COMMAND:-}" ]]; then
  args+=("-DSIGN_COMMAND=$GRIDCERT_SIGN_COMMAND")
fi
exec makensis "${args[@]}" "$@" installer/windows/gridcert.nsi
