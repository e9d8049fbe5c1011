package io.netsensor.fleet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Everything the fleet keeps about one destination: its fleet first- and last-seen, the hosts that contacted
 * it (exactly, up to a cap), what was counted past the cap, and which fleet alerts it has raised.
 *
 * <p>Why exact sets with a counted overflow rather than a HyperLogLog: every decision the fleet takes is made
 * at a handful of hosts (rare: at most 2, botnet and spreader: 3 to 5), where a sketch's error would flip
 * decisions and an exact set is small; and sliding windows over a sketch need one per time bucket (168 for
 * 7 days by the hour). A destination past the cap is common by definition, so its counts are reported as a
 * floor ({@code saturated}) and the hosts beyond it only counted ({@code overflow_contacts}).
 */
final class DestinationState {
    static final int BOTNET = 1, SHARED_NAMES = 2, SPREADER = 4;

    long firstSeenMs, lastSeenMs;
    /** Observations (telemetry rows, alert samples) and connections counted, over the destination's life. */
    long contacts, connections;
    /** Observations from hosts that did not fit under the cap. */
    long overflowContacts;
    boolean cdn;
    int alerted;
    /** The bundled DGA model's score of the domain, cached; NaN until needed. */
    double dgaScore = Double.NaN;
    final LinkedHashMap<String, HostContact> hosts = new LinkedHashMap<>();

    DestinationState(long firstSeenMs) {
        this.firstSeenMs = firstSeenMs;
        this.lastSeenMs = firstSeenMs;
    }

    /**
     * The host's entry, made when there is room: hosts silent past the retention make room first. Null when
     * the destination is saturated (the caller counts the overflow).
     */
    HostContact host(String host, long now, int cap, long retentionMs) {
        HostContact h = hosts.get(host);
        if (h != null) return h;
        if (hosts.size() >= cap) {
            for (Iterator<Map.Entry<String, HostContact>> it = hosts.entrySet().iterator(); it.hasNext(); ) {
                if (it.next().getValue().lastMs < now - retentionMs) it.remove();
            }
            if (hosts.size() >= cap) return null;
        }
        h = new HostContact(host, now);
        hosts.put(host, h);
        return h;
    }

    /** Distinct hosts seen within {@code windowMs} of {@code now}. */
    int hostsWithin(long now, long windowMs) {
        int n = 0;
        for (HostContact h : hosts.values()) if (h.lastMs > now - windowMs) n++;
        return n;
    }

    boolean saturated(int cap) {
        return overflowContacts > 0 || hosts.size() >= cap;
    }

    byte[] encode() {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64 + hosts.size() * 120);
        try (DataOutputStream o = new DataOutputStream(b)) {
            o.writeByte(1); // layout version
            o.writeLong(firstSeenMs);
            o.writeLong(lastSeenMs);
            o.writeLong(contacts);
            o.writeLong(connections);
            o.writeLong(overflowContacts);
            o.writeBoolean(cdn);
            o.writeInt(alerted);
            o.writeDouble(dgaScore);
            o.writeInt(hosts.size());
            for (HostContact h : hosts.values()) h.write(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    static DestinationState decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != 1) throw new IllegalStateException("destination state layout " + version + " is not known to this build");
            DestinationState s = new DestinationState(in.readLong());
            s.lastSeenMs = in.readLong();
            s.contacts = in.readLong();
            s.connections = in.readLong();
            s.overflowContacts = in.readLong();
            s.cdn = in.readBoolean();
            s.alerted = in.readInt();
            s.dgaScore = in.readDouble();
            for (int i = in.readInt(); i > 0; i--) {
                HostContact h = HostContact.read(in);
                s.hosts.put(h.host, h);
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Serde<DestinationState> serde() {
        Serializer<DestinationState> ser = (topic, s) -> s == null ? null : s.encode();
        Deserializer<DestinationState> de = (topic, b) -> b == null ? null : decode(b);
        return Serdes.serdeFrom(ser, de);
    }
}
