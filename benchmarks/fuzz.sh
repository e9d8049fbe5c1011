#!/usr/bin/env bash
# Runs the Jazzer fuzz targets one after the other for SECONDS each (default 600) and prints a table:
# target, inputs executed, seconds, inputs/s, findings. Findings are written by Jazzer as crash-<sha1> into
# the target's inputs directory (src/test/resources/.../<Target>Inputs/<method>/), where the next `mvn verify`
# replays them as regression tests; the corpus it grows is kept in <module>/.cifuzz-corpus/ (git-ignored),
# so a second run goes on from where the first stopped.
#
#   benchmarks/fuzz.sh [SECONDS] [TARGET...]     e.g. benchmarks/fuzz.sh 3600 FrameDecoderFuzzTest
#
# Targets: FrameDecoderFuzzTest DnsParserFuzzTest PcapFileFuzzTest (capture), JournalReaderFuzzTest
# (journal), SettingsLoaderFuzzTest (config). Runs under nice; one target at a time (Jazzer fuzzes a single
# test per JVM). Logs in target/fuzz-logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
shift || true
declare -A module=([FrameDecoderFuzzTest]=capture [DnsParserFuzzTest]=capture [PcapFileFuzzTest]=capture
                   [JournalReaderFuzzTest]=journal [SettingsLoaderFuzzTest]=config)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FrameDecoderFuzzTest DnsParserFuzzTest PcapFileFuzzTest JournalReaderFuzzTest SettingsLoaderFuzzTest)
logs=target/fuzz-logs
mkdir -p "$logs"
# each target runs in a reactor of its module and the modules it needs (-am), so every class is this
# checkout's (not another build's in ~/.m2); -Dtest selects the one target among them
printf '%-24s %12s %8s %10s %9s  %s\n' target inputs seconds inputs/s findings load
for t in "${targets[@]}"; do
  m=${module[$t]:?unknown target $t}
  log="$logs/$t.log"
  before=$(find "$m/src/test/resources" -path "*${t}Inputs*" -name 'crash-*' 2>/dev/null | wc -l)
  rc=0
  JAZZER_FUZZ=1 nice -n 10 mvn -B -o test -pl "$m" -am -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.max_duration="${secs}s" >"$log" 2>&1 || rc=$?
  after=$(find "$m/src/test/resources" -path "*${t}Inputs*" -name 'crash-*' 2>/dev/null | wc -l)
  done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
  runs=$(sed -E 's/^Done ([0-9]+) runs in ([0-9]+).*/\1/' <<<"$done_line")
  took=$(sed -E 's/^Done ([0-9]+) runs in ([0-9]+).*/\2/' <<<"$done_line")
  if [ -z "$done_line" ]; then # stopped by a finding: the last status line has the count
    runs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true); took=$secs
  fi
  rate=$(( ${took:-0} > 0 ? ${runs:-0} / took : 0 ))
  printf '%-24s %12s %8s %10s %9s  %s\n' "$t" "${runs:-?}" "${took:-?}" "$rate" "$((after - before))$([ $rc -ne 0 ] && echo ' (FAILED)')" \
      "$(cut -d' ' -f1-3 /proc/loadavg)"
done
