package io.netsensor.sinks.syslog;

import io.netsensor.events.Alert;

/** Stands in for format's CefEncoder (being written elsewhere), with the shape the CEF hook expects. */
public final class FakeCefEncoder {
    private final String host;

    public FakeCefEncoder(String host) {
        this.host = host;
    }

    public String encode(Alert a) {
        return "CEF:0|netsensor|netsensor|dev|" + a.detector.label + "|" + a.summary + "|" + a.severity.code + "|dvchost=" + host
                + " externalId=" + a.id;
    }
}
