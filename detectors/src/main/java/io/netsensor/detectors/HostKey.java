package io.netsensor.detectors;

import java.util.Objects;

/**
 * Identity of the local endpoint an alert is about: host IP, plus MAC when the link has one, plus the
 * process (pid, start time, executable) once attribution exists. Mutable so detectors can reuse one
 * probe instance per event for map lookups without allocating; {@link #copy()} the probe before storing
 * it as a map key. Unset process fields are 0/null, so adding attribution later changes no call site.
 */
public final class HostKey {
    public long ipHi, ipLo;
    /** 48-bit Ethernet address, 0 when none. */
    public long mac;
    /** Process id, 0 when unattributed. */
    public int pid;
    /** Process start time (pid reuse guard), 0 when unattributed. */
    public long processStartNanos;
    /** Executable path, null when unattributed; compared by equals (attribution caches intern it). */
    public String executable;

    public HostKey set(long ipHi, long ipLo, long mac) {
        this.ipHi = ipHi;
        this.ipLo = ipLo;
        this.mac = mac;
        this.pid = 0;
        this.processStartNanos = 0;
        this.executable = null;
        return this;
    }

    public HostKey setProcess(int pid, long processStartNanos, String executable) {
        this.pid = pid;
        this.processStartNanos = processStartNanos;
        this.executable = executable;
        return this;
    }

    public void copyFrom(HostKey o) {
        ipHi = o.ipHi; ipLo = o.ipLo; mac = o.mac;
        pid = o.pid; processStartNanos = o.processStartNanos; executable = o.executable;
    }

    public HostKey copy() {
        HostKey k = new HostKey();
        k.copyFrom(this);
        return k;
    }

    /** Identical local endpoint (and process, when attributed). */
    public boolean sameAs(HostKey o) {
        return ipHi == o.ipHi && ipLo == o.ipLo && mac == o.mac && pid == o.pid
                && processStartNanos == o.processStartNanos && Objects.equals(executable, o.executable);
    }

    public int hash() {
        long h = ipHi * 0x9E3779B97F4A7C15L ^ ipLo;
        h = h * 0x9E3779B97F4A7C15L ^ mac;
        h = h * 0x9E3779B97F4A7C15L ^ (pid ^ processStartNanos);
        // executable is hashed only without a pid (a series keyed by program): same pid+start implies the same
        // executable, and String.hashCode is cached, so this costs a field read.
        if (pid == 0 && executable != null) h = h * 0x9E3779B97F4A7C15L ^ executable.hashCode();
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostKey && sameAs((HostKey) o);
    }

    @Override
    public int hashCode() {
        return hash();
    }

    public String ipText() {
        return io.netsensor.events.Ip.toString(ipHi, ipLo);
    }

    /** MAC as aa:bb:cc:dd:ee:ff, or null when none. */
    public String macText() {
        return io.netsensor.events.Mac.toString(mac);
    }

    @Override
    public String toString() {
        return ipText() + (mac != 0 ? "/" + macText() : "") + (pid != 0 ? " pid " + pid : "");
    }
}
