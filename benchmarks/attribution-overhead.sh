#!/usr/bin/env bash
# Overhead of process attribution at a high rate of new connections, live: the real agent captures on one
# end of a veth pair while a connect flood (benchmarks/attribution/connflood.c) opens RATE connections a
# second to a server in a network namespace on the other end. Each mode runs RUNS times, interleaved:
#
#   kernel  eBPF attribution (the default where it loads)
#   user    the user-space resolver (sock_diag + /proc), NETSENSOR_ATTRIBUTION=user
#   off     --no-attribution: capture alone, the baseline
#
# Per run it prints what the flood reached, what capture took in (packets on the interface, the share the
# agent decoded, events journaled, records attributed) and the CPU time of the capture thread, the
# attribution thread (kernel mode: the reader thread joining the loader's records to processes; user mode:
# the resolver), the eBPF loader process, the kernel's run time of the BPF programs (--bpf-stats) and the
# whole JVM, then the median of every figure per mode. CPU is CPU-seconds per second of flood, as % of one
# core, counted from the measured flood's start until 1 s after it (so a backlog is charged too); each run
# floods WARMUP seconds first at the same rate, unmeasured, so the JIT has compiled the capture path.
#
# Needs root (namespace, capture, eBPF), cc, iproute2; builds the agent on first use (./netsensor).
# Usage: benchmarks/attribution-overhead.sh [--rate N] [--seconds S] [--warmup S] [--runs R] [--threads T]
#                                           [--modes "kernel user off"] [--bpf-stats] [--keep]
#   --bpf-stats  turn on kernel.bpf_stats_enabled for the runs (restored after) to measure the programs
#   --keep       keep the work directory (agent logs, journals)
set -euo pipefail

RATE=10000 SECS=10 WARMUP=3 RUNS=3 THREADS=2 MODES="kernel user off" BPF_STATS=0 KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rate) RATE="$2"; shift 2 ;;
    --seconds) SECS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --modes) MODES="$2"; shift 2 ;;
    --bpf-stats) BPF_STATS=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "attribution-overhead: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
die() { echo "attribution-overhead: $*" >&2; exit 1; }
[[ "$(id -u)" == 0 ]] || die "needs root (a network namespace, live capture, eBPF)"
for tool in ip cc ss awk; do command -v "$tool" >/dev/null || die "$tool not installed"; done
if [[ "$BPF_STATS" == 1 ]]; then
  command -v bpftool >/dev/null && command -v jq >/dev/null || die "--bpf-stats needs bpftool and jq"
fi

HERE="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
WORK="$(mktemp -d /tmp/netsensor-attrbench.XXXXXX)"
TAG="$(printf '%05x' $((RANDOM * 32 + RANDOM % 32)))"
NS="nsbench-$TAG" HOSTIF="vnb$TAG" PEERIF="vnq$TAG"
HZ="$(getconf CLK_TCK)"
AGENT="" SERVER="" LOADER="" OLD_BPF_STATS="" PROG_ID0=0

cleanup() {
  if [[ -n "$AGENT" ]]; then kill -TERM "$AGENT" 2>/dev/null || true; wait "$AGENT" 2>/dev/null || true; fi
  if [[ -n "$SERVER" ]]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  ip link del "$HOSTIF" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  if [[ -n "$OLD_BPF_STATS" ]]; then sysctl -q -w kernel.bpf_stats_enabled="$OLD_BPF_STATS" || true; fi
  if [[ "$KEEP" == 1 ]]; then echo "work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

cc -O2 -Wall -pthread -o "$WORK/connflood" "$HERE/benchmarks/attribution/connflood.c"
[[ -f "$HERE/agent/target/netsensor-agent.jar" ]] || "$HERE/netsensor" --version >/dev/null

# A private /24 that no address or route of this host is in.
used="$(ip -o addr; ip route show table all)"
N=""
for _ in $(seq 50); do c=$((RANDOM % 254 + 1)); [[ "$used" == *"10.215.$c."* ]] || { N=$c; break; }; done
[[ -n "$N" ]] || die "no free 10.215.N.0/24"
HOST_IP="10.215.$N.1" PEER_IP="10.215.$N.2"
ip netns add "$NS"
ip link add "$HOSTIF" type veth peer name "$PEERIF"
ip link set "$PEERIF" netns "$NS"
ip addr add "$HOST_IP/24" dev "$HOSTIF"
ip link set "$HOSTIF" up
ip netns exec "$NS" ip addr add "$PEER_IP/24" dev "$PEERIF"
ip netns exec "$NS" ip link set "$PEERIF" up
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" "$WORK/connflood" serve "$PEER_IP" 8080 &
SERVER=$!
for _ in $(seq 100); do ip netns exec "$NS" ss -ltn | grep -q "$PEER_IP:8080 " && break; sleep 0.05; done

if [[ "$BPF_STATS" == 1 ]]; then
  OLD_BPF_STATS="$(sysctl -n kernel.bpf_stats_enabled)"
  sysctl -q -w kernel.bpf_stats_enabled=1
fi

ticks() { # utime + stime of $1/stat (fields after the comm, which may hold spaces)
  if [[ -r "$1/stat" ]]; then awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$1/stat" 2>/dev/null || echo 0; else echo 0; fi
}
thread_ticks() { # summed ticks of the agent's threads whose name starts with $1 (Linux keeps 15 characters)
  local sum=0 t
  for t in /proc/"$AGENT"/task/*; do
    [[ "$(cat "$t/comm" 2>/dev/null)" == "$1"* ]] && sum=$((sum + $(ticks "$t")))
  done
  echo "$sum"
}
thread_table() { # "ticks name" of every thread of the agent
  local t
  for t in /proc/"$AGENT"/task/*; do echo "$(ticks "$t") $(tr ' ' _ < "$t/comm" 2>/dev/null)"; done
}
max_prog_id() { bpftool -j prog show 2>/dev/null | jq '[.[].id] | max // 0'; }
bpf_ns() { # kernel run time of this agent's BPF programs (by name, loaded after it started), ns
  if [[ "$BPF_STATS" != 1 || -z "$LOADER" ]]; then echo 0; return; fi
  bpftool -j prog show 2>/dev/null | jq --argjson after "$PROG_ID0" '[.[] | select(.id > $after and (.name
    | IN("tcp_connect_ops", "set_state", "send_length", "process_exec", "process_fork", "process_exit", "accept_exit")))
    | (.run_time_ns // 0)] | add // 0'
}
snapshot() { # jvm capture-thread attribution-thread loader bpf-ns
  local l=0
  [[ -n "$LOADER" ]] && l="$(ticks /proc/"$LOADER")"
  echo "$(ticks /proc/"$AGENT") $(thread_ticks netsensor-captu) $(thread_ticks netsensor-attri) $l $(bpf_ns)"
}
pct() { awk -v t="$1" -v hz="$HZ" -v s="$SECS" 'BEGIN { printf "%.1f", 100 * t / hz / s }'; }
offered() { echo $(( $(cat /sys/class/net/"$HOSTIF"/statistics/rx_packets) + $(cat /sys/class/net/"$HOSTIF"/statistics/tx_packets) )); }

RESULTS="$WORK/results.txt"
: > "$RESULTS"
COLS='%-6s %3s | %7s %8s %6s %8s %6s | %7s %7s %7s %7s %7s\n'
header() { printf "$COLS" mode run "conn/s" "pkts/s" "capt%" "events/s" "attr%" capture attrib loader bpf jvm; }

run_one() {
  local mode="$1" run="$2" data="$WORK/data-$mode-$run" log="$WORK/agent-$mode-$run.err" extra=() envs=()
  case "$mode" in
    kernel) ;;
    user) envs=(NETSENSOR_ATTRIBUTION=user) ;;
    off) extra=(--no-attribution) ;;
    *) die "unknown mode $mode" ;;
  esac
  PROG_ID0=0
  [[ "$BPF_STATS" == 1 ]] && PROG_ID0="$(max_prog_id)"
  env "${envs[@]}" "$HERE/netsensor" run --interface "$HOSTIF" --data-dir "$data" --no-detect "${extra[@]}" \
    > /dev/null 2> "$log" &
  AGENT=$!
  for _ in $(seq 600); do grep -q "capturing on" "$log" 2>/dev/null && break; kill -0 "$AGENT" 2>/dev/null || break; sleep 0.2; done
  grep -q "capturing on" "$log" || { cat "$log" >&2; die "the agent did not start ($mode)"; }
  case "$mode" in
    kernel) grep -q "attribution: kernel" "$log" || { grep "attribution:" "$log" >&2; die "kernel mode did not load"; } ;;
    user) grep -q "attribution: user space" "$log" || die "user-space mode did not start" ;;
  esac
  sleep 2
  LOADER="$(ps --ppid "$AGENT" -o pid=,comm= | awk '$2 ~ /^netsensor-bpf/ { print $1; exit }' || true)"
  local p0 p1 s0 s1 flood
  p0="$(offered)"
  "$WORK/connflood" connect "$PEER_IP" 8080 "$RATE" "$WARMUP" "$THREADS" > /dev/null
  sleep 1
  thread_table > "$WORK/threads0"
  s0=($(snapshot))
  flood="$("$WORK/connflood" connect "$PEER_IP" 8080 "$RATE" "$SECS" "$THREADS")"
  sleep 1
  s1=($(snapshot))
  thread_table > "$WORK/threads1"
  sleep 1
  p1="$(offered)"
  kill -TERM "$AGENT"
  wait "$AGENT" || true
  AGENT="" LOADER=""
  # capture figures over the agent's whole traffic (warm-up and flood), from the interface and the stop line
  local stop reached decoded events attributed span pps capt eps cap att ldr bpf jvm
  stop="$(grep "stopped;" "$log" || true)"
  reached="$(awk '{ print $8 }' <<< "$flood")"
  decoded="$(sed -n 's/.*decode decoded=\([0-9]*\).*/\1/p' <<< "$stop")"
  events="$(sed -n 's/.*stopped; \([0-9]*\) events journaled.*/\1/p' <<< "$stop")"
  attributed="$(sed -n 's/.*; attribution[^;]* [0-9]*\/[0-9]* records (\([0-9.]*\) %).*/\1/p' <<< "$stop")"
  [[ -n "$attributed" ]] || attributed="-"
  span=$((WARMUP + SECS))
  pps="$(awk -v n="$((p1 - p0))" -v s="$span" 'BEGIN { printf "%.0f", n / s }')"
  capt="$(awk -v d="${decoded:-0}" -v n="$((p1 - p0))" 'BEGIN { printf "%.1f", n ? 100 * d / n : 0 }')"
  eps="$(awk -v n="${events:-0}" -v s="$span" 'BEGIN { printf "%.0f", n / s }')"
  jvm="$(pct $((s1[0] - s0[0])))" cap="$(pct $((s1[1] - s0[1])))" att="$(pct $((s1[2] - s0[2])))"
  ldr="$(pct $((s1[3] - s0[3])))"
  bpf="$(awk -v n="$((s1[4] - s0[4]))" -v s="$SECS" 'BEGIN { printf "%.1f", n / 1e7 / s }')"
  [[ "$mode" == kernel ]] || { ldr="-"; bpf="-"; }
  [[ "$mode" != off ]] || att="-"
  [[ "$BPF_STATS" == 1 ]] || bpf="-"
  printf "$COLS" "$mode" "$run" "$reached" "$pps" "$capt" "$eps" "$attributed" "$cap" "$att" "$ldr" "$bpf" "$jvm"
  echo "$mode $reached $pps $capt $eps $attributed $cap $att $ldr $bpf $jvm" >> "$RESULTS"
  # where the JVM's time went, busiest threads first
  awk -v hz="$HZ" -v s="$SECS" 'NR == FNR { t0[$2] += $1; next } { t1[$2] += $1 }
    END { for (n in t1) if (t1[n] - t0[n] > 0) printf "%.1f %s\n", 100 * (t1[n] - t0[n]) / hz / s, n }' \
    "$WORK/threads0" "$WORK/threads1" | sort -rn | head -6 \
    | awk '{ printf "%s%s %s%%", (NR > 1 ? ", " : "             JVM threads: "), $2, $1 } END { print "" }'
}

echo "# $RATE new connections/s for $SECS s (after $WARMUP s of warm-up), $THREADS flood threads, $(nproc) CPUs,"
echo "# load $(cut -d' ' -f1-3 /proc/loadavg), Linux $(uname -r)"
echo "# conn/s: reached by the flood; pkts/s: on the interface; capt%: of them decoded by the agent (the kernel"
echo "# dropped the rest before capture read them); events/s: journaled; attr%: local records attributed to their"
echo "# process. CPU in % of one core per second of flood: capture thread; attribution thread (kernel: the reader"
echo "# joining the loader's records; user: the resolver); eBPF loader process; BPF programs in the kernel"
echo "# (--bpf-stats); the whole JVM."
header
for run in $(seq "$RUNS"); do
  for mode in $MODES; do run_one "$mode" "$run"; done
done

echo
echo "median of $RUNS runs:"
header
for mode in $MODES; do
  awk -v m="$mode" -v cols="$COLS" '
    function median(col,   n, i, j, v, t) {
      n = 0
      for (i = 1; i <= rows; i++) if (val[i, col] != "-") v[++n] = val[i, col] + 0
      if (n == 0) return "-"
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    $1 == m { rows++; for (c = 2; c <= NF; c++) val[rows, c] = $c }
    END {
      printf cols, m, "", median(2), median(3), median(4), median(5), median(6), median(7), median(8), median(9),
        median(10), median(11)
    }' "$RESULTS"
done
