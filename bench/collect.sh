#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract the results of a benchmark run from the VM's console log.
#
# Usage: bench/collect.sh [--rst] LOGFILE [OUT]
#   OUT defaults to build/bench/results.json.  bench/run prints its JSON
#   between "#### clink: BENCH JSON BEGIN" and "#### clink: BENCH JSON END";
#   the last such block of LOGFILE is written to OUT (checked with jq when
#   it is installed).  Exits 1 when the log holds no results.
#   --rst also prints the results as the reStructuredText table that
#   Documentation/performance.rst shows (needs jq).

set -euo pipefail

rst=0
if [ "${1:-}" = --rst ]; then
	rst=1
	shift
fi
[ $# -ge 1 ] || { echo "usage: $0 [--rst] LOGFILE [OUT]" >&2; exit 2; }
log=$1
srctree=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-$srctree/build/bench/results.json}

json=$(tr -d '\r' <"$log" | awk '
	/^#### clink: BENCH JSON BEGIN/ { buf = ""; on = 1; next }
	/^#### clink: BENCH JSON END/ { last = buf; on = 0; next }
	on { buf = buf $0 "\n" }
	END { printf "%s", last }')
if [ -z "$json" ]; then
	echo "collect: no benchmark results in $log" >&2
	exit 1
fi
if command -v jq >/dev/null && ! jq -e . <<<"$json" >/dev/null; then
	echo "collect: the results in $log are not valid JSON" >&2
	exit 1
fi
mkdir -p "$(dirname "$out")"
printf '%s' "$json" >"$out"
echo "collect: $out"
[ $rst = 1 ] || exit 0

jq -r '
	def h: if . == null then "-"
		elif . >= 1e6 then "\(. / 1e4 | round / 100)M"
		elif . >= 1e4 then "\(. / 100 | round / 10)k"
		else "\(. | round)" end;
	def side: "\(.median | h) [\(.min | h)..\(.max | h)]";
	def tgt: if .kind == "higher" or .kind == "scale" then ">= \(.value)"
		elif .kind == "lower" then "<= \(.value)" else "" end;
	"Kernel \(.kernel); \(.machine); \(.runs) runs of \(.secs_per_run) s per side; \(.date).",
	"",
	".. csv-table::",
	"   :header: measurement, unit, clink [min..max], reference [min..max], ratio, target, met",
	"   :widths: auto",
	"",
	(.results[] | "   \"\(.name)\", \(.unit), \"\(.clink | side)\", \"\(if .reference then "\(.reference.name) \(.reference | side)" else "" end)\", \(if .ratio then (.ratio * 1000 | round / 1000) else "" end), \"\(.target | tgt)\", \(if .met == true then "yes" elif .met == false then "**no**" else "" end)")
' "$out"
