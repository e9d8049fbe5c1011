package io.netsensor.detectors;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;

/** Stable alert ids: a hash of detector, local endpoint (and process) and subject, so re-emissions match. */
public final class AlertIds {
    private AlertIds() {}

    /** Id from the alert's own identity fields (detector, host, MAC, process, remote IP and port). */
    public static String of(Alert a) {
        Hasher h = Hashing.murmur3_128().newHasher();
        put(h, a.detector == null ? null : a.detector.label);
        put(h, a.hostIp);
        put(h, a.hostMac);
        if (a.process != null) {
            h.putInt(a.process.pid).putLong(a.process.startTimeNanos);
        } else {
            h.putInt(-1);
        }
        put(h, a.remoteIp);
        h.putInt(a.remotePort == null ? -1 : a.remotePort);
        Object subject = a.evidence.get(SUBJECT);
        put(h, subject == null ? null : subject.toString());
        return a.detector.label + "-" + Long.toHexString(h.hash().asLong());
    }

    /** Evidence key a detector may set when host+remote alone do not identify what the alert is about. */
    public static final String SUBJECT = "subject";

    private static void put(Hasher h, String s) {
        if (s == null) {
            h.putInt(-1);
        } else {
            h.putInt(s.length()).putString(s, StandardCharsets.UTF_8);
        }
    }
}
