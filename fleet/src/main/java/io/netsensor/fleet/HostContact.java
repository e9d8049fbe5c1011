package io.netsensor.fleet;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One host's contact with one destination: when it first and last did, its NXDOMAIN answers and DGA flags
 * (domain destinations), and the shape of its telemetry over time (address destinations): how many
 * intervals had connections, and the running mean and variance (Welford) of the gaps between those intervals
 * and of the connections per interval. A beacon shows as evenly spaced intervals with even counts; a person
 * browsing as neither. Mutable: part of a {@link DestinationState}.
 */
final class HostContact {
    final String host;
    long firstMs, lastMs;
    long nxdomains;
    boolean dgaFlagged, rareAlerted;
    // telemetry shape
    int intervals;
    long lastIntervalStart = Long.MIN_VALUE, currentCount;
    final Welford gaps = new Welford(), counts = new Welford();
    long connections, beaconFirstMs = Long.MAX_VALUE, beaconLastMs = Long.MIN_VALUE;
    /** The agent's own measured period (its beacon alert), seconds; 0 when it has not alerted. */
    double agentPeriodS;

    HostContact(String host, long firstMs) {
        this.host = host;
        this.firstMs = firstMs;
        this.lastMs = firstMs;
    }

    void seen(long t) {
        firstMs = Math.min(firstMs, t);
        lastMs = Math.max(lastMs, t);
    }

    /** A CONN telemetry row of this host to the address. Rows of an older interval than the last add connections only. */
    void connRow(long intervalStart, long conns, long firstSeen, long lastSeen) {
        if (conns <= 0) return;
        connections += conns;
        beaconFirstMs = Math.min(beaconFirstMs, firstSeen);
        beaconLastMs = Math.max(beaconLastMs, lastSeen);
        if (intervalStart == lastIntervalStart) {
            currentCount += conns; // another key (process, port) of the same interval
        } else if (intervalStart > lastIntervalStart) {
            if (intervals > 0) {
                counts.add(currentCount);
                gaps.add(intervalStart - lastIntervalStart);
            }
            intervals++;
            lastIntervalStart = intervalStart;
            currentCount = conns;
        }
    }

    boolean beaconLike(FleetSettings.Beacon b) {
        if (agentPeriodS > 0) return true;
        return intervals >= b.minIntervals && gaps.n >= 2 && gaps.cv() <= b.maxGapCv && counts.cv() <= b.maxCountCv;
    }

    /** Seconds between connections: the agent's measurement when it has one, else the telemetry's span over its count. */
    double periodS() {
        if (agentPeriodS > 0) return agentPeriodS;
        if (connections < 2 || beaconLastMs <= beaconFirstMs) return 0;
        return (beaconLastMs - beaconFirstMs) / 1000.0 / (connections - 1);
    }

    void write(DataOutput o) throws IOException {
        o.writeUTF(host);
        o.writeLong(firstMs);
        o.writeLong(lastMs);
        o.writeLong(nxdomains);
        o.writeByte((dgaFlagged ? 1 : 0) | (rareAlerted ? 2 : 0));
        o.writeInt(intervals);
        o.writeLong(lastIntervalStart);
        o.writeLong(currentCount);
        gaps.write(o);
        counts.write(o);
        o.writeLong(connections);
        o.writeLong(beaconFirstMs);
        o.writeLong(beaconLastMs);
        o.writeDouble(agentPeriodS);
    }

    static HostContact read(DataInput in) throws IOException {
        HostContact h = new HostContact(in.readUTF(), in.readLong());
        h.lastMs = in.readLong();
        h.nxdomains = in.readLong();
        int flags = in.readUnsignedByte();
        h.dgaFlagged = (flags & 1) != 0;
        h.rareAlerted = (flags & 2) != 0;
        h.intervals = in.readInt();
        h.lastIntervalStart = in.readLong();
        h.currentCount = in.readLong();
        h.gaps.read(in);
        h.counts.read(in);
        h.connections = in.readLong();
        h.beaconFirstMs = in.readLong();
        h.beaconLastMs = in.readLong();
        h.agentPeriodS = in.readDouble();
        return h;
    }

    /** Running mean and variance in one pass (Welford): no samples kept. */
    static final class Welford {
        long n;
        double mean, m2;

        void add(double x) {
            n++;
            double d = x - mean;
            mean += d / n;
            m2 += d * (x - mean);
        }

        /** Coefficient of variation (sample standard deviation over mean); infinite when undefined. */
        double cv() {
            if (n < 2 || mean <= 0) return Double.POSITIVE_INFINITY;
            return Math.sqrt(m2 / (n - 1)) / mean;
        }

        void write(DataOutput o) throws IOException {
            o.writeLong(n);
            o.writeDouble(mean);
            o.writeDouble(m2);
        }

        void read(DataInput in) throws IOException {
            n = in.readLong();
            mean = in.readDouble();
            m2 = in.readDouble();
        }
    }
}
