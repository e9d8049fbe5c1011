#!/usr/bin/env bash
# Floods in a capture file, replayed by the agent with its default config and heap cap (jvm.options):
# peak RSS (/usr/bin/time's maximum resident set size), peak anonymous RSS (heap and other process memory,
# sampled from /proc every 0.2 s: RSS also counts the pages of the journal's memory-mapped files, which grow
# with the records written and belong to the page cache), packets/s and the evictions of the replay summary,
# for each flood at two sizes: state is bounded when the larger one needs no more anonymous memory.
# Generator: io.netsensor.testkit.pcap.Floods (deterministic). The same floods live, through a veth and
# `netsensor run`: benchmarks/live-floods.sh.
#
#   benchmarks/floods.sh [PACKETS]    (default 2000000; the small size is a quarter of it)
#
# Floods: syn (SYN flood from random public sources to one server), dns-one (random names from one host),
# dns-many (random names from 50,000 hosts), hosts (300,000 local hosts, each a SYN out and a DNS query,
# round after round). Files go to a temporary directory, removed at the end. The replays hold the live-test
# lock (benchmarks must not overlap live tests) and run under nice.
set -euo pipefail
cd "$(dirname "$0")/.."
packets=${1:-2000000}
work=$(mktemp -d /tmp/netsensor-floods.XXXXXX)
trap 'rm -rf "$work"' EXIT
# One reactor build: testkit's classpath then names events/target/classes (SNAPSHOTs are not installed in ~/.m2);
# each module writes the file, testkit last.
mvn -B -o -q compile dependency:build-classpath -pl events,testkit -Dmdep.outputFile="$work/cp" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
cp="testkit/target/classes:events/target/classes:$(cat "$work/cp")"
./netsensor --version >/dev/null # builds the agent first if needed, outside the measurements

printf '%-9s %9s %8s %10s %8s %9s %12s %10s %8s %10s  %s\n' flood packets seconds packets/s rss_MiB anon_MiB \
    conn_evicted dns_evicted frag_ev det_state load
sizes="$((packets / 4)) $packets"
for kind in syn dns-one dns-many hosts; do # generated first: the live-test lock is held only for the replays
  for n in $sizes; do # dnsjava's SLF4J start-up notice to the log
    java -cp "$cp" io.netsensor.testkit.pcap.Floods "$kind" "$work/$kind-$n.pcap" "$n" 2>>"$work/build.log" \
      || { tail -5 "$work/build.log" >&2; exit 1; }
  done
done
exec 9>>/tmp/netsensor-live.lock
flock 9 # the same lock as `flock /tmp/netsensor-live.lock CMD`
for kind in syn dns-one dns-many hosts; do
  for n in $sizes; do
    pcap="$work/$kind-$n.pcap"
    err="$work/$kind-$n.err"
    nice -n 5 /usr/bin/time -v ./netsensor replay "$pcap" >/dev/null 2>"$err" &
    timer=$!
    anon=0
    while kill -0 "$timer" 2>/dev/null; do # the launcher execs java: the child of time is the agent
      for p in $(pgrep -P "$timer" 2>/dev/null || true); do
        a=$(awk '/^RssAnon:/{print $2}' "/proc/$p/status" 2>/dev/null || true)
        [ -n "$a" ] && [ "$a" -gt "$anon" ] && anon=$a
      done
      sleep 0.2
    done
    wait "$timer" || { echo "replay of $kind failed:" >&2; tail -5 "$err" >&2; }
    secs=$(sed -nE 's/.* packets in ([0-9.]+) s .*/\1/p' "$err")
    rate=$(sed -nE 's/.*\(([0-9]+) packets\/s\).*/\1/p' "$err")
    rss=$(sed -nE 's/.*Maximum resident set size \(kbytes\): ([0-9]+)/\1/p' "$err")
    # "  evicted (tables full): N connections, N dns queries, N fragment sets, N detector keys (...)": only
    # the non-zero counts are listed; no line at all when nothing was evicted.
    ev=$(grep -m1 '  evicted (tables full): ' "$err" || true)
    count() { local v; v=$(sed -nE "s/.*[:,] ([0-9]+) $1.*/\\1/p" <<<"$ev" | head -1); echo "${v:-0}"; }
    c=$(count connections) d=$(count 'dns queries') f=$(count 'fragment sets') s=$(count 'detector keys')
    printf '%-9s %9s %8s %10s %8s %9s %12s %10s %8s %10s  %s\n' "$kind" "$n" "$secs" "$rate" "$((rss / 1024))" "$((anon / 1024))" \
        "$c" "$d" "$f" "$s" "$(cut -d' ' -f1-3 /proc/loadavg)"
    rm -f "$pcap"
  done
done
