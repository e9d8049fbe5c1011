#!/usr/bin/env bash
# Idle CPU of `netsensor run`: the real agent captures on one end of a veth pair that carries no traffic
# (IPv6 off on both ends, so not even neighbour discovery), and its CPU time (utime + stime of the whole JVM,
# /proc/PID/stat) is counted over SECONDS once it has settled (SETTLE seconds after "capturing on").
# Prints % of one core. Target: <= 1 %. The journal's tailers (detection, the stdout and stderr printers,
# each sink) used to park a fixed 200 us when idle (6.5-6.8 % of a core); they now back off to 4 ms.
#
# Needs root (veth, capture). Run under the live-test lock, as every live test:
#   flock /tmp/netsensor-live.lock benchmarks/idle-cpu.sh [--seconds 30] [--settle 10] [--runs 1] [--cmd "java ... -jar OLD.jar"] [-- RUN-ARGS...]
#   --cmd  the agent command to measure (default: this checkout's ./netsensor), e.g. an older build to compare
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
SECS=30 SETTLE=10 RUNS=1 CMD="$HERE/netsensor"
EXTRA=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) SECS="$2"; shift 2 ;;
    --settle) SETTLE="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --cmd) CMD="$2"; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "idle-cpu: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $(id -u) -eq 0 ]] || { echo "idle-cpu: needs root (veth pair, capture)" >&2; exit 1; }
WORK="$(mktemp -d /tmp/netsensor-idle-XXXXXX)"
A=nsidle0 B=nsidle1
cleanup() {
  [[ -n "${PID:-}" ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  ip link del "$A" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
ip link del "$A" 2>/dev/null || true
ip link add "$A" type veth peer name "$B"
for i in "$A" "$B"; do
  sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1"
  ip link set "$i" up
done
tick=$(getconf CLK_TCK)
for run in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/data"
  # shellcheck disable=SC2086
  $CMD run -i "$A" --data-dir "$WORK/data" "${EXTRA[@]}" >"$WORK/out" 2>"$WORK/err" &
  PID=$!
  for _ in $(seq 1 600); do grep -q "capturing on" "$WORK/err" 2>/dev/null && break; sleep 0.1; done
  grep -q "capturing on" "$WORK/err" || { cat "$WORK/err" >&2; echo "idle-cpu: the agent did not start" >&2; exit 1; }
  sleep "$SETTLE"
  cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
  c0=$(cpu); t0=$(date +%s.%N)
  sleep "$SECS"
  c1=$(cpu); t1=$(date +%s.%N)
  kill -TERM "$PID"; wait "$PID" || true; PID=
  awk -v c="$((c1 - c0))" -v t0="$t0" -v t1="$t1" -v hz="$tick" -v run="$run" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" \
    'BEGIN { printf "idle-cpu: run %d: %.2f %% of a core over %.1f s (load average %s)\n", run, 100 * c / hz / (t1 - t0), t1 - t0, load }'
done
