package io.netsensor.format;

import io.netsensor.events.ProcessDirectory;
import io.netsensor.events.ProcessEvent;
import io.netsensor.events.ProcessInfo;
import io.netsensor.events.ProcessLookup;

/** The processes an encoder was shown (bounded, least recently used out), then the caller's lookup. */
final class Processes implements ProcessLookup {
    private final ProcessDirectory shown = new ProcessDirectory(65_536);
    private final ProcessLookup fallback;

    Processes(ProcessLookup fallback) {
        this.fallback = fallback;
    }

    void put(ProcessEvent e) {
        shown.put(e);
    }

    void put(ProcessInfo p) {
        shown.put(p);
    }

    @Override
    public ProcessInfo find(long entityId) {
        if (entityId == 0) return null;
        ProcessInfo p = shown.find(entityId);
        return p != null || fallback == null ? p : fallback.find(entityId);
    }
}
