#!/usr/bin/env bash
# The fleet view's throughput (README, Fleet view): telemetry rows per second one `netsensor fleet` instance
# processes, and two sharing the partitions, on a real single-node KRaft broker started here on 127.0.0.1.
# Usage: benchmarks/fleet-throughput.sh [ROWS [HOSTS [DESTINATIONS]]]   (default 200000 500 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q -Dstyle.color=never install -DskipTests -pl fleet -am
cp="$(mvn -B -o -q -Dstyle.color=never -pl fleet dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout \
  | sed 's/\x1b\[[0-9;]*m//g')"
# This checkout's modules from their target directories, not whatever another checkout last installed in ~/.m2.
cp="$(tr ':' '\n' <<<"$cp" | sed -E \
  -e "s#^.*/io/netsensor/netsensor-([a-z]+)/[^/]+/netsensor-[a-z]+-[^/]*-tests\.jar\$#$PWD/\1/target/test-classes#" \
  -e "s#^.*/io/netsensor/netsensor-([a-z]+)/[^/]+/netsensor-[a-z]+-[^/]*\.jar\$#$PWD/\1/target/classes#" | paste -sd:)"
exec java -Xmx1g -cp "fleet/target/test-classes:fleet/target/classes:$cp" io.netsensor.fleet.FleetThroughput "$@"
