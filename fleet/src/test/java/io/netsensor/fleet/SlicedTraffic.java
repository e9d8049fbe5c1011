package io.netsensor.fleet;

import io.netsensor.testkit.pcap.Traffic;
import java.util.ArrayList;
import java.util.List;

/**
 * One host's generated traffic cut into captures of {@link #SLICE_S} seconds on minute boundaries, so a
 * simulated fleet can replay them round by round, as live agents forward minute by minute: every agent's
 * minute 5-10 reaches Kafka before anyone's minute 10-15. A conversation never spans two captures (one
 * starting in the last seconds of a slice moves to the next one's start), so no flow is cut in two.
 */
final class SlicedTraffic {
    static final double SLICE_S = 300;
    /** Seconds from the kit's T0 (…:20 past a minute) to the next whole minute: slices align with telemetry intervals. */
    static final double ALIGN_S = 40;
    private final List<Traffic> slices = new ArrayList<>();

    SlicedTraffic(int count) {
        for (int i = 0; i < count; i++) slices.add(new Traffic());
    }

    int count() {
        return slices.size();
    }

    Traffic slice(int i) {
        return slices.get(i);
    }

    private double fit(double s) {
        int k = index(s);
        double end = ALIGN_S + (k + 1) * SLICE_S;
        return end - s < 5 ? end + 1 : s;
    }

    private int index(double s) {
        return (int) Math.max(0, Math.min(slices.size() - 1, Math.floor((s - ALIGN_S) / SLICE_S)));
    }

    private Traffic at(double s) {
        return slices.get(index(s));
    }

    void tcpSession(double s, String client, String server, int port, int sent, int received, double duration) {
        double t = fit(s);
        at(t).tcpSession(t, client, server, port, sent, received, duration);
    }

    void udpExchange(double s, String client, int clientPort, String server, int port, int sent, int received) {
        double t = fit(s);
        at(t).udpExchange(t, client, clientPort, server, port, sent, received);
    }

    void dnsResolved(double s, String client, String resolver, String name, String address) {
        double t = fit(s);
        at(t).dnsResolved(t, client, resolver, name, List.of(), address);
    }

    void dnsNxdomain(double s, String client, String resolver, String name) {
        double t = fit(s);
        at(t).dnsNxdomain(t, client, resolver, name);
    }
}
