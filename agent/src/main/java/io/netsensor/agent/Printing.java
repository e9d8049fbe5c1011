package io.netsensor.agent;

import io.netsensor.sinks.RecordKind;
import java.util.EnumSet;
import java.util.Set;

/** What the console printer shows: alerts always, events (connection, DNS and burst records) and telemetry rows when asked. */
public final class Printing {
    private Printing() {}

    public static Set<RecordKind> kinds(boolean events, boolean telemetry) {
        Set<RecordKind> k = EnumSet.of(RecordKind.ALERT);
        if (events) {
            k.add(RecordKind.EVENT);
            k.add(RecordKind.BURST);
        }
        if (telemetry) k.add(RecordKind.TELEMETRY);
        return k;
    }
}
