#!/usr/bin/env bash
# Soak: the real agent runs live for MINUTES at a steady load with sinks attached, then idles; every SAMPLE
# seconds it records what grows when something leaks, and at the end says whether each holds:
#
#   heap after GC   `jcmd PID GC.run` then GC.heap_info's used heap: must not grow from the first third of the
#                   run to the last (a leak grows it; caches that fill and stay bounded do not)
#   RSS             /proc/PID/status VmRSS (printed; journal pages and JIT code make it move, so no verdict)
#   open files      /proc/PID/fd: must end where it was after warm-up (a descriptor leak grows it)
#   journal         du of the data dir's journal: within journal.max_bytes
#   CPU             utime+stime of the agent per second of load, and per second of the idle phase that
#                   follows (goal: idle <= 1 % of a core)
#
# The load, inside a network namespace the script creates (no route out): every 1/RATE s one short TCP
# connection (bash /dev/tcp) to a server in the namespace, and every 10th a DNS query (dig) answered by
# dnsmasq there; plus one beacon every 5 s. Sinks: a file sink (rotating JSON lines, alerts and telemetry)
# and the stdout printer into /dev/null.
#
# Needs root (namespace, capture), iproute2, perl, dnsmasq, dig, jcmd (the JDK). Bounded: MINUTES of load
# (default 10) plus IDLE seconds (default 60).
# Usage: benchmarks/soak.sh [--minutes M] [--idle S] [--rate N] [--sample S] [--keep]
set -euo pipefail

MINUTES=10 IDLE=60 RATE=20 SAMPLE=30 KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) MINUTES="$2"; shift 2 ;;
    --idle) IDLE="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --sample) SAMPLE="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "soak: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
die() { echo "soak: $*" >&2; exit 1; }
[[ "$(id -u)" == 0 ]] || die "needs root (a network namespace, live capture)"
for tool in ip perl dnsmasq dig jcmd awk; do command -v "$tool" >/dev/null || die "$tool not installed"; done
(( MINUTES >= 1 && MINUTES <= 240 )) || die "--minutes must be 1..240"
(( RATE >= 1 && RATE <= 500 )) || die "--rate must be 1..500 connections per second"

HERE="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
WORK="$(mktemp -d /tmp/netsensor-soak.XXXXXX)"
TAG="$(printf '%05x' $((RANDOM * 32 + RANDOM % 32)))"
NS="nssoak-$TAG" HOSTIF="vns$TAG" PEERIF="vnp$TAG"
HZ="$(getconf CLK_TCK)"
AGENT="" PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [[ -n "$AGENT" ]]; then kill -TERM "$AGENT" 2>/dev/null || true; wait "$AGENT" 2>/dev/null || true; fi
  ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip link del "$HOSTIF" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  if [[ "$KEEP" == 1 ]]; then echo "work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT INT TERM

# A /24 no address or route of this host is in.
used="$(ip -o addr; ip route show table all)"
N=""
for _ in $(seq 50); do c=$((RANDOM % 254 + 1)); if ! grep -q "10\.214\.$c\." <<<"$used"; then N=$c; break; fi; done
[[ -n "$N" ]] || die "no free 10.214.N.0/24 for the test network"
HOST_IP="10.214.$N.1" PEER_IP="10.214.$N.2"
ip netns add "$NS"
ip link add "$HOSTIF" type veth peer name "$PEERIF"
ip link set "$PEERIF" netns "$NS"
ip addr add "$HOST_IP/24" dev "$HOSTIF"
ip link set "$HOSTIF" up
ip netns exec "$NS" ip addr add "$PEER_IP/24" dev "$PEERIF"
ip netns exec "$NS" ip link set "$PEERIF" up
ip netns exec "$NS" ip link set lo up

ip netns exec "$NS" perl -MIO::Socket::INET -e "my \$s = IO::Socket::INET->new(LocalAddr => '$PEER_IP', LocalPort => 8080,
  Listen => 1024, ReuseAddr => 1) or die \$!; while (my \$c = \$s->accept) { close \$c }" >"$WORK/server.log" 2>&1 &
PIDS+=($!)
ip netns exec "$NS" perl -MIO::Socket::INET -e "my \$s = IO::Socket::INET->new(LocalAddr => '$PEER_IP', LocalPort => 8443,
  Listen => 64, ReuseAddr => 1) or die \$!; while (my \$c = \$s->accept) { close \$c }" >"$WORK/beacon-server.log" 2>&1 &
PIDS+=($!)
ip netns exec "$NS" dnsmasq --no-daemon --no-resolv --no-hosts --bind-interfaces --listen-address="$PEER_IP" \
  --except-interface=lo --local=/test/ --address=/app.test/198.51.100.7 --pid-file="$WORK/dnsmasq.pid" --user=root \
  --log-facility=- >"$WORK/dnsmasq.log" 2>&1 &
PIDS+=($!)
sleep 1

cat >"$WORK/netsensor.yml" <<EOF
journal:
  max_bytes: 256MiB
telemetry:
  interval: 60s
sinks:
  - name: local
    type: file
    path: $WORK/alerts.json
    kinds: [alerts, telemetry]
    max_bytes: 20MiB
    max_files: 3
EOF

"$HERE/netsensor" run -i "$HOSTIF" -c "$WORK/netsensor.yml" --data-dir "$WORK/data" --events >/dev/null 2>"$WORK/agent.err" &
AGENT=$!
for _ in $(seq 300); do grep -q "capturing on" "$WORK/agent.err" && break; kill -0 "$AGENT" 2>/dev/null || break; sleep 0.2; done
grep -q "capturing on" "$WORK/agent.err" || { cat "$WORK/agent.err" >&2; die "the agent did not start"; }
JVM="$(pgrep -P "$AGENT" java || echo "$AGENT")" # the launcher execs java; if not, its child
[[ -d "/proc/$JVM" ]] || JVM="$AGENT"

cpu() { awk '{print $14 + $15}' "/proc/$JVM/stat"; }
heap_after_gc() {
  jcmd "$JVM" GC.run >/dev/null 2>&1 || true
  # the used size of each generation (Serial, Parallel) or of the whole heap (G1, ZGC), in KiB, summed
  jcmd "$JVM" GC.heap_info 2>/dev/null | awk '/(generation|heap) +total/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); kib += v } }
    END { print int(kib / 1024) }'
}
rss() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$JVM/status"; }
fds() { ls "/proc/$JVM/fd" | wc -l; }
journal_mib() { du -sm "$WORK/data/journal" 2>/dev/null | awk '{print $1}'; }

# The load: bounded by time; one connection per 1/RATE s, a DNS query every 10th, a beacon every 5 s.
load() {
  local end=$(( $(date +%s) + MINUTES * 60 )) i=0
  local gap; gap="$(awk -v r="$RATE" 'BEGIN { printf "%.4f", 1 / r }')"
  while (( $(date +%s) < end )); do
    ( exec 3<>"/dev/tcp/$PEER_IP/8080" && exec 3>&- ) 2>/dev/null || true
    if (( i % 10 == 0 )); then dig "@$PEER_IP" "n$((i % 500)).app.test" A +time=1 +tries=1 +short >/dev/null 2>&1 & fi
    if (( i % (RATE * 5) == 0 )); then ( exec 3<>"/dev/tcp/$PEER_IP/8443" && exec 3>&- ) 2>/dev/null || true; fi
    i=$((i + 1))
    sleep "$gap"
  done
}

echo "soak: agent pid $JVM on $HOSTIF, load ${RATE} connections/s for $MINUTES min, then ${IDLE} s idle; samples every ${SAMPLE} s"
printf "%8s %12s %8s %6s %12s %10s\n" "t(s)" "heap_gc_MiB" "rss_MiB" "fds" "journal_MiB" "cpu_%"
sleep 5 # warm-up: the JIT, first flows
t0=$(date +%s) c0=$(cpu) fd0=$(fds)
load &
LOAD=$!
PIDS+=($LOAD)
heaps=() last_c=$c0 last_t=$t0
while kill -0 "$LOAD" 2>/dev/null; do
  sleep "$SAMPLE"
  now=$(date +%s) c=$(cpu)
  h=$(heap_after_gc); heaps+=("$h")
  pct=$(awk -v d=$((c - last_c)) -v s=$((now - last_t)) -v hz="$HZ" 'BEGIN { printf "%.1f", (s > 0 ? 100 * d / hz / s : 0) }')
  printf "%8d %12s %8s %6s %12s %10s\n" $((now - t0)) "$h" "$(rss)" "$(fds)" "$(journal_mib)" "$pct"
  last_c=$c last_t=$now
done
wait "$LOAD" 2>/dev/null || true
load_c=$(( $(cpu) - c0 )) load_s=$(( $(date +%s) - t0 ))
sleep 5 # the last flows time out of the load's way
i0=$(cpu) it0=$(date +%s)
sleep "$IDLE"
idle_c=$(( $(cpu) - i0 )) idle_s=$(( $(date +%s) - it0 ))
fd_end=$(fds) j_end=$(journal_mib) rss_end=$(rss)

kill -TERM "$AGENT"; wait "$AGENT" 2>/dev/null || true; AGENT=""
n=${#heaps[@]}
third=$(( n / 3 > 0 ? n / 3 : 1 ))
first=$(printf '%s\n' "${heaps[@]:0:$third}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
last=$(printf '%s\n' "${heaps[@]:$((n - third)):$third}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
load_pct=$(awk -v c="$load_c" -v s="$load_s" -v hz="$HZ" 'BEGIN { printf "%.2f", 100 * c / hz / s }')
idle_pct=$(awk -v c="$idle_c" -v s="$idle_s" -v hz="$HZ" 'BEGIN { printf "%.2f", 100 * c / hz / s }')
events=$(grep -o "[0-9]* events journaled" "$WORK/agent.err" | tail -1 || true)
echo
echo "soak summary ($(uptime | sed 's/.*load average/load average/')):"
echo "  heap after GC: median ${first} MiB (first third) -> ${last} MiB (last third)  $( (( last <= first + first / 10 + 2 )) && echo OK || echo GROWING)"
echo "  open files: ${fd0} after warm-up -> ${fd_end} at the end  $( (( fd_end <= fd0 + 5 )) && echo OK || echo LEAK)"
echo "  journal: ${j_end} MiB (cap 256 MiB)  $( (( j_end <= 256 )) && echo OK || echo OVER)"
echo "  RSS at the end: ${rss_end} MiB"
echo "  CPU: ${load_pct} % of a core under load, ${idle_pct} % idle  $(awk -v p="$idle_pct" 'BEGIN { print (p <= 1.0 ? "OK (goal <= 1 %)" : "OVER (goal <= 1 %)") }')"
echo "  agent: ${events:-?}; $(grep -c . "$WORK/alerts.json" 2>/dev/null || echo 0) lines in the file sink"
grep -E "Exception|internal error" "$WORK/agent.err" >&2 && die "the agent reported an error (see above)" || true
