package io.netsensor.fleet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What one agent record says about one destination: the unit the fleet repartitions by destination. A CONN
 * telemetry row gives one for its address and one per registered domain of the names that resolved to it; a
 * DNS row one for its registered domain; a beacon alert one for its address; a DGA alert one per sampled name.
 * Times are event time, ms since the epoch.
 */
public record Observation(
        Source source,
        String destination,
        String host,
        long timeMs,
        /** CONN: the telemetry interval's start, so rows of one interval count as one active interval. */
        long intervalStartMs,
        long connections,
        long firstSeenMs,
        long lastSeenMs,
        /** DNS: NXDOMAIN answers in the interval; DGA alert: 1 when the sampled name failed. */
        long nxdomains,
        /** Beacon alert: the agent's measured median interval, seconds; DGA alert: the sample's score. */
        double value,
        /** True when a name of this address is under a CDN or cloud zone (machine-made names, shared edges). */
        boolean cdn,
        /** CONN: counts toward beacon judgement (not an ignored infrastructure service). */
        boolean beaconCandidate) {

    public enum Source { CONN_ROW, DNS_ROW, BEACON_ALERT, DGA_ALERT }

    /** Destination keys: the two kinds of destination the fleet counts. */
    public static String ipKey(String ip) {
        return "ip:" + ip;
    }

    public static String domainKey(String registered) {
        return "domain:" + registered;
    }

    public static boolean isIp(String key) {
        return key.startsWith("ip:");
    }

    /** The destination without its kind prefix. */
    public static String subject(String key) {
        return key.substring(key.indexOf(':') + 1);
    }

    byte[] encode() {
        ByteArrayOutputStream b = new ByteArrayOutputStream(96);
        try (DataOutputStream o = new DataOutputStream(b)) {
            o.writeByte(source.ordinal());
            o.writeUTF(destination);
            o.writeUTF(host);
            o.writeLong(timeMs);
            o.writeLong(intervalStartMs);
            o.writeLong(connections);
            o.writeLong(firstSeenMs);
            o.writeLong(lastSeenMs);
            o.writeLong(nxdomains);
            o.writeDouble(value);
            o.writeByte((cdn ? 1 : 0) | (beaconCandidate ? 2 : 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    static Observation decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            Source s = Source.values()[in.readUnsignedByte()];
            String d = in.readUTF(), h = in.readUTF();
            long t = in.readLong(), is = in.readLong(), c = in.readLong(), f = in.readLong(), l = in.readLong(), nx = in.readLong();
            double v = in.readDouble();
            int flags = in.readUnsignedByte();
            return new Observation(s, d, h, t, is, c, f, l, nx, v, (flags & 1) != 0, (flags & 2) != 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Serde<Observation> serde() {
        Serializer<Observation> ser = (topic, o) -> o == null ? null : o.encode();
        Deserializer<Observation> de = (topic, b) -> b == null ? null : decode(b);
        return Serdes.serdeFrom(ser, de);
    }
}
