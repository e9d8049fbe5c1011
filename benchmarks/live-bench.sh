#!/usr/bin/env bash
# Live-capture benchmark (issue 14): replays a generated gateway mix (short TCP sessions, DNS over UDP, IPv4/IPv6,
# some 802.1Q) with tcpreplay into one end of a veth pair and captures it on the other end, in a namespace of its
# own, with the agent and with `tcpdump -w /dev/null` at the same time (the floor: same packets, same machine load).
# Prints per run and as medians: packets each saw, kernel drops, CPU seconds while the traffic flowed, RSS idle
# (before the replay) and peak RSS.
#
#   sudo flock /tmp/netsensor-live.lock benchmarks/live-bench.sh [--packets N] [--rates "100000 200000 top"]
#        [--runs 3] [--modes "nodetect detect"] [--agent-args "..."] [--warm]
#
# --warm: the capture is replayed twice into each agent and CPU seconds are those of the second replay (the
# steady state of a running agent: during the first, the JIT compiles the packet path, ~2 s of CPU on this
# machine); packets and drops are then of both replays together, for the agent and tcpdump alike.
# Modes: nodetect = `run --no-detect --no-attribution`, detect = `run --no-attribution` (detectors on).
# Needs root, iproute2, tcpreplay, tcpdump. Nothing is routed: the namespaces have no addresses and the frames
# (10.0.0.0/16, fd00::/112 in the capture) are only captured, never delivered.
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
PACKETS=1000000 RATES="100000 200000 top" RUNS=3 MODES="nodetect detect" AGENT_ARGS="" WARM=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --packets) PACKETS="$2"; shift 2 ;;
    --rates) RATES="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --modes) MODES="$2"; shift 2 ;;
    --agent-args) AGENT_ARGS="$2"; shift 2 ;;
    --warm) WARM=1; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "live-bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in ip tcpreplay tcpdump; do
  command -v "$tool" >/dev/null || { echo "live-bench: $tool is not installed" >&2; exit 1; }
done
[[ $(id -u) -eq 0 ]] || { echo "live-bench: needs root (namespaces, capture)" >&2; exit 1; }

TAG=$$ TX="nsbtx-$$" RX="nsbrx-$$" TXIF="vbt$$" RXIF="vbr$$"
WORK="$(mktemp -d /tmp/netsensor-live-bench.XXXXXX)"
AGENT_PID="" DUMP_PID=""
cleanup() {
  [[ -n "$AGENT_PID" ]] && kill -KILL "$AGENT_PID" 2>/dev/null || true
  [[ -n "$DUMP_PID" ]] && kill -KILL "$DUMP_PID" 2>/dev/null || true
  ip netns del "$TX" 2>/dev/null || true
  ip netns del "$RX" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
ip netns add "$TX"
ip netns add "$RX"
ip link add "$TXIF" netns "$TX" type veth peer name "$RXIF" netns "$RX"
ip -n "$TX" link set "$TXIF" up
ip -n "$RX" link set "$RXIF" up
# No IPv6 on the capture side: its own router solicitations would add packets tcpdump and the agent both count.
ip netns exec "$RX" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec "$TX" sysctl -qw net.ipv6.conf.all.disable_ipv6=1

PCAP="$WORK/mixed.pcap"
"$HERE/netsensor" bench --write "$PCAP" --packets "$PACKETS" >&2
TICK=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
wait_for() { # file pattern seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "live-bench: timed out waiting for '$2' in $1:" >&2; cat "$1" >&2; return 1
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg); $PACKETS packets per replay"
printf '%-9s %-8s %3s %9s | %9s %8s %7s %7s | %9s %8s %7s %7s %7s\n' rate mode run sent/s \
  agent_pkts drops cpu_s hwm_MB tcpd_pkts drops cpu_s hwm_MB idle_MB
RESULTS="$WORK/results"
for rate in $RATES; do
  for mode in $MODES; do
    for ((run = 1; run <= RUNS; run++)); do
      flags=(--no-attribution)
      [[ "$mode" == nodetect ]] && flags+=(--no-detect)
      rm -rf "$WORK/data"
      # shellcheck disable=SC2086
      ip netns exec "$RX" "$HERE/netsensor" run -i "$RXIF" "${flags[@]}" --data-dir "$WORK/data" $AGENT_ARGS \
        >/dev/null 2>"$WORK/agent.err" &
      AGENT_PID=$!
      wait_for "$WORK/agent.err" "capturing on" 120
      ip netns exec "$RX" tcpdump -n -i "$RXIF" -w /dev/null 2>"$WORK/tcpdump.err" &
      DUMP_PID=$!
      wait_for "$WORK/tcpdump.err" "listening on" 30
      sleep 2 # settle: the agent's start-up work (JIT, first sample) is not part of the figure
      idle_kb=$(status_kb "$AGENT_PID" VmRSS)
      a0=$(cpu_ticks "$AGENT_PID") d0=$(cpu_ticks "$DUMP_PID")
      if [[ "$rate" == top ]]; then speed=(--topspeed); else speed=(--pps="$rate"); fi
      if [[ "$WARM" == 1 ]]; then # a first replay, not measured: the JIT compiles the packet path during it
        ip netns exec "$TX" tcpreplay -i "$TXIF" "${speed[@]}" "$PCAP" >/dev/null 2>&1
        sleep 2
        a0=$(cpu_ticks "$AGENT_PID") d0=$(cpu_ticks "$DUMP_PID")
      fi
      ip netns exec "$TX" tcpreplay -i "$TXIF" "${speed[@]}" "$PCAP" >"$WORK/replay.out" 2>&1
      sent=$(sed -n 's/.*Rated: [0-9.]* Bps, [0-9.]* Mbps, \([0-9.]*\) pps.*/\1/p' "$WORK/replay.out" | head -1)
      sleep 1 # the last blocks reach both readers
      a1=$(cpu_ticks "$AGENT_PID") d1=$(cpu_ticks "$DUMP_PID")
      a_hwm=$(status_kb "$AGENT_PID" VmHWM) d_hwm=$(status_kb "$DUMP_PID" VmHWM)
      kill -INT "$DUMP_PID"; wait "$DUMP_PID" || true; DUMP_PID=""
      kill -TERM "$AGENT_PID"; wait "$AGENT_PID" || true; AGENT_PID=""
      d_pkts=$(sed -n 's/^\([0-9]*\) packets captured.*/\1/p' "$WORK/tcpdump.err")
      d_drop=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$WORK/tcpdump.err")
      a_line=$(grep -m1 '  capture: ' "$WORK/agent.err" || true)
      a_pkts=$(sed -n 's/^  capture: \([0-9]*\) packets.*/\1/p' <<<"$a_line")
      a_drop=$(sed -n 's/.*packets, \([0-9]*\) dropped by the kernel.*/\1/p' <<<"$a_line")
      [[ -n "$a_pkts" ]] || { echo "live-bench: no stop line from the agent:" >&2; tail -5 "$WORK/agent.err" >&2; }
      row=$(printf '%-9s %-8s %3d %9s | %9s %8s %7.2f %7.0f | %9s %8s %7.2f %7.0f %7.0f' "$rate" "$mode" "$run" "${sent:-?}" \
        "${a_pkts:-?}" "${a_drop:-?}" "$(bc -l <<<"($a1 - $a0) / $TICK")" "$(bc -l <<<"$a_hwm / 1024")" \
        "${d_pkts:-?}" "${d_drop:-?}" "$(bc -l <<<"($d1 - $d0) / $TICK")" "$(bc -l <<<"$d_hwm / 1024")" \
        "$(bc -l <<<"$idle_kb / 1024")")
      echo "$row"
      echo "$row" >>"$RESULTS"
    done
  done
done
echo "# medians (load now: $(cut -d' ' -f1-3 /proc/loadavg))"
for rate in $RATES; do
  for mode in $MODES; do
    line="$(printf '%-9s %-8s med' "$rate" "$mode")"
    for col in 4 6 7 8 9 11 12 13 14 15; do
      m=$(awk -v r="$rate" -v md="$mode" -v c="$col" '$1 == r && $2 == md {print $c}' "$RESULTS" | sort -g \
          | awk '{v[NR] = $1} END {if (NR) print v[int((NR + 1) / 2)]; else print "?"}')
      line+=" $m"
    done
    echo "$line"
  done
done | awk '{printf "%-9s %-8s %3s %9s | %9s %8s %7s %7s | %9s %8s %7s %7s %7s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13}'
