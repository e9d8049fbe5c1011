package io.netsensor.detectors;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import io.netsensor.events.Alert;
import io.netsensor.events.DetectorKind;
import io.netsensor.events.ProcessInfo;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Stable alert ids: a hash of detector, local endpoint (and process) and subject, so re-emissions match. */
public final class AlertIds {
    private AlertIds() {}

    /** Id from the alert's own identity fields (detector, host, MAC, process, remote IP and port). */
    public static String of(Alert a) {
        return of(a.detector, a.hostIp, a.hostMac, a.process, a.remoteIp, a.remotePort, a.evidence);
    }

    /** As {@link #of(Alert)}, for a detector that fixes the id while filling its draft. */
    public static String of(Alert.Draft a) {
        return of(a.detector, a.hostIp, a.hostMac, a.process, a.remoteIp, a.remotePort, a.evidence);
    }

    private static String of(DetectorKind detector, String hostIp, String hostMac, ProcessInfo process, String remoteIp,
                             Integer remotePort, Map<String, Object> evidence) {
        Hasher h = Hashing.murmur3_128().newHasher();
        put(h, detector == null ? null : detector.label);
        put(h, hostIp);
        put(h, hostMac);
        if (process != null) {
            h.putInt(process.pid).putLong(process.startNanos);
        } else {
            h.putInt(-1);
        }
        put(h, remoteIp);
        h.putInt(remotePort == null ? -1 : remotePort);
        Object subject = evidence.get(SUBJECT);
        put(h, subject == null ? null : subject.toString());
        return detector.label + "-" + Long.toHexString(h.hash().asLong());
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
