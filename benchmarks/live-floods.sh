#!/usr/bin/env bash
# The floods of floods.sh (io.netsensor.testkit.pcap.Floods), live: each is replayed with tcpreplay at a bounded
# rate into one end of a veth pair and captured on the other end, in a namespace of its own, by
# `netsensor run --no-attribution` (detectors on, default config and heap cap, a temporary data dir).
# While the flood flows: RSS and anonymous RSS (/proc/PID/status RssAnon: heap and JVM, without the journal's
# memory-mapped pages) every 0.2 s, and `netsensor status` a few times (it answers from DATA_DIR/status.json,
# which the agent rewrites every 10 s: the age of that document says whether the agent keeps up). Then SIGTERM;
# the stop report gives packets, kernel drops and evictions.
#
#   benchmarks/live-floods.sh [--packets N] [--pps RATE] [--kinds "syn dns-one dns-many hosts"] [--status N]
#   (defaults: 2000000 packets per flood, 50000 packets/s, all four floods, 3 status calls per flood)
#
# Columns: sent (tcpreplay), sent/s, captured and dropped (the agent's stop report), peak RSS and peak anon RSS
# (MiB), anon_h1/anon_h2 (peak anon RSS in the first and the second half of the replay: equal when memory is
# flat), evictions (connections, dns queries, fragment sets, detector keys), status (answered/asked, slowest
# call in ms, oldest status.json seen in s), load average at the end of the flood.
# Needs root, iproute2, tcpreplay. Takes /tmp/netsensor-live.lock itself (do not wrap it in flock). Nothing is
# routed: the namespaces have no addresses; the frames are only captured. Every step is bounded in time.
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
PACKETS=2000000 PPS=50000 KINDS="syn dns-one dns-many hosts" STATUS_CALLS=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --packets) PACKETS="$2"; shift 2 ;;
    --pps) PPS="$2"; shift 2 ;;
    --kinds) KINDS="$2"; shift 2 ;;
    --status) STATUS_CALLS="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "live-floods: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in ip tcpreplay timeout; do
  command -v "$tool" >/dev/null || { echo "live-floods: $tool is not installed" >&2; exit 1; }
done
[[ $(id -u) -eq 0 ]] || { echo "live-floods: needs root (namespaces, capture)" >&2; exit 1; }

TX="nsftx-$$" RX="nsfrx-$$" TXIF="vft$$" RXIF="vfr$$"
WORK="$(mktemp -d /tmp/netsensor-live-floods.XXXXXX)"
AGENT_PID="" REPLAY_PID="" PROBE_PID=""
cleanup() {
  for p in "$PROBE_PID" "$REPLAY_PID" "$AGENT_PID"; do [[ -n "$p" ]] && kill -KILL "$p" 2>/dev/null || true; done
  ip netns del "$TX" 2>/dev/null || true
  ip netns del "$RX" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Generated before the lock is taken: only the live part must not overlap other live tests.
cd "$HERE"
# One reactor build: testkit's classpath then names events/target/classes (SNAPSHOTs are not installed in ~/.m2);
# each module writes the file, testkit last.
mvn -B -o -q compile dependency:build-classpath -pl events,testkit -Dmdep.outputFile="$WORK/cp" >"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log" >&2; exit 1; }
cp="testkit/target/classes:events/target/classes:$(cat "$WORK/cp")"
./netsensor --version >/dev/null # builds the agent first if needed, outside the measurements
for kind in $KINDS; do # dnsjava's SLF4J start-up notice to the log
  java -cp "$cp" io.netsensor.testkit.pcap.Floods "$kind" "$WORK/$kind.pcap" "$PACKETS" 2>>"$WORK/build.log" \
    || { tail -5 "$WORK/build.log" >&2; exit 1; }
done

exec 9>>/tmp/netsensor-live.lock
flock 9 # the same lock as `flock /tmp/netsensor-live.lock CMD`
ip netns add "$TX"
ip netns add "$RX"
ip link add "$TXIF" netns "$TX" type veth peer name "$RXIF" netns "$RX"
ip -n "$TX" link set "$TXIF" up
ip -n "$RX" link set "$RXIF" up
# No IPv6: router solicitations of their own would add packets to the capture.
ip netns exec "$RX" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec "$TX" sysctl -qw net.ipv6.conf.all.disable_ipv6=1

now_ms() { date +%s%3N; }
kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null || true; }
wait_for() { # file pattern seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$AGENT_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "live-floods: no '$2' in $1:" >&2; tail -5 "$1" >&2; return 1
}
# `status` a few times, spread over the replay: exit code (0 healthy, 1 unhealthy: both answer), wall time, and
# the age of the status document it read ("written 3s ago").
probe() { # data-dir seconds-of-replay
  local i t0 t1 rc out
  for ((i = 1; i <= STATUS_CALLS; i++)); do
    sleep "$(bc -l <<<"$2 / ($STATUS_CALLS + 1)")"
    t0=$(now_ms)
    rc=0
    out=$(timeout 30 "$HERE/netsensor" status --data-dir "$1" 2>&1) || rc=$?
    t1=$(now_ms)
    age=$(sed -nE 's/.*\(written ([0-9]+)s ago\).*/\1/p' <<<"$out" | head -1)
    echo "$rc $((t1 - t0)) ${age:-?}"
    echo "$out" >>"$WORK/status.out"
  done
}

seconds=$(((PACKETS + PPS - 1) / PPS))
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg); $PACKETS packets per flood at $PPS packets/s"
fmt='%-8s %8s %7s %8s %7s %5s %5s %5s %5s %8s %8s %5s %8s %-13s %s\n'
printf "$fmt" flood sent sent/s captured dropped rss anon anon_h1 anon_h2 conn_ev dns_ev frag_ev det_ev status load
for kind in $KINDS; do
  data="$WORK/data-$kind"
  rm -rf "$data"
  ip netns exec "$RX" "$HERE/netsensor" run -i "$RXIF" --no-attribution --data-dir "$data" \
    >"$WORK/agent.out" 2>"$WORK/agent.err" &
  AGENT_PID=$! # ip netns exec and the launcher exec: this is the JVM
  wait_for "$WORK/agent.err" "capturing on" 120
  sleep 2 # the first sample and the start-up JIT are not part of the flood
  ip netns exec "$TX" timeout $((seconds * 3 + 60)) tcpreplay -i "$TXIF" --pps="$PPS" "$WORK/$kind.pcap" \
    >"$WORK/replay.out" 2>&1 &
  REPLAY_PID=$!
  probe "$data" "$seconds" >"$WORK/probe" &
  PROBE_PID=$!
  t0=$(now_ms)
  : >"$WORK/samples" # ms-since-start rss anon
  while kill -0 "$REPLAY_PID" 2>/dev/null; do
    echo "$(($(now_ms) - t0)) $(kb "$AGENT_PID" VmRSS) $(kb "$AGENT_PID" RssAnon)" >>"$WORK/samples"
    sleep 0.2
  done
  replay_ok=0
  wait "$REPLAY_PID" || replay_ok=$?
  REPLAY_PID=""
  t_end=$(($(now_ms) - t0))
  for _ in 1 2 3 4 5; do # the last blocks reach the agent
    echo "$(($(now_ms) - t0)) $(kb "$AGENT_PID" VmRSS) $(kb "$AGENT_PID" RssAnon)" >>"$WORK/samples"
    sleep 0.2
  done
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  timeout 60 tail --pid="$PROBE_PID" -f /dev/null || kill -KILL "$PROBE_PID" 2>/dev/null || true
  wait "$PROBE_PID" 2>/dev/null || true
  PROBE_PID=""
  kill -TERM "$AGENT_PID" 2>/dev/null || true
  timeout 60 tail --pid="$AGENT_PID" -f /dev/null || { echo "live-floods: agent did not stop in 60 s, killed" >&2; kill -KILL "$AGENT_PID"; }
  wait "$AGENT_PID" 2>/dev/null || true
  AGENT_PID=""

  [[ $replay_ok -eq 0 ]] || { echo "live-floods: tcpreplay of $kind failed ($replay_ok):" >&2; tail -3 "$WORK/replay.out" >&2; }
  sent=$(sed -nE 's/^Actual: ([0-9]+) packets.*/\1/p' "$WORK/replay.out" | head -1)
  rate=$(sed -nE 's/.*Rated: [0-9.]+ Bps, [0-9.]+ Mbps, ([0-9.]+) pps.*/\1/p' "$WORK/replay.out" | head -1)
  cap=$(sed -nE 's/^  capture: ([0-9]+) packets, ([0-9]+) dropped by the kernel.*/\1 \2/p' "$WORK/agent.err" | head -1)
  read -r pkts drops <<<"${cap:-? ?}"
  [[ -n "$cap" ]] || { echo "live-floods: no stop report from the agent ($kind):" >&2; tail -5 "$WORK/agent.err" >&2; }
  ev=$(grep -m1 '  evicted (tables full): ' "$WORK/agent.err" || true)
  count() { local n; n=$(sed -nE "s/.*[:,] ([0-9]+) $1.*/\\1/p" <<<"$ev" | head -1); echo "${n:-0}"; }
  mem=$(awk -v half=$((t_end / 2)) '
      {rss = $2 > rss ? $2 : rss; anon = $3 > anon ? $3 : anon
       if ($1 <= half) h1 = $3 > h1 ? $3 : h1; else h2 = $3 > h2 ? $3 : h2}
      END {printf "%d %d %d %d", rss / 1024, anon / 1024, h1 / 1024, h2 / 1024}' "$WORK/samples")
  read -r rss anon h1 h2 <<<"$mem"
  st=$(awk '$1 == 0 || $1 == 1 {ok++} {n++; ms = $2 > ms ? $2 : ms; if ($3 != "?" && $3 > age) age = $3}
      END {printf "%d/%d,%dms,%ds", ok, n, ms, age}' "$WORK/probe")
  printf "$fmt" "$kind" "${sent:-?}" "${rate%.*}" "$pkts" "$drops" "$rss" "$anon" "$h1" "$h2" \
    "$(count connections)" "$(count 'dns queries')" "$(count 'fragment sets')" "$(count 'detector keys')" "$st" "$load"
  grep -E '^  (journal|evicted)' "$WORK/agent.err" | sed "s/^/#   $kind /" || true
  rm -rf "$data" "$WORK/$kind.pcap"
done
