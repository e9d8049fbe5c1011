package io.netsensor.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reader-side map entity id -> process, fed by the journal's PROCESS records (written once per process),
 * to name the process of connection and DNS records and alerts. Bounded: least recently used processes
 * are forgotten (their records then show pid and entity id only). One reader thread.
 */
public final class ProcessDirectory implements ProcessLookup {
    private final LinkedHashMap<Long, ProcessInfo> byEntity;

    public ProcessDirectory(int maxEntries) {
        byEntity = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, ProcessInfo> eldest) {
                return size() > maxEntries;
            }
        };
    }

    public void put(ProcessEvent e) {
        byEntity.put(e.entityId, ProcessInfo.of(e));
    }

    public void put(ProcessInfo p) {
        if (p != null && p.entityId != 0) byEntity.put(p.entityId, p);
    }

    @Override
    public ProcessInfo find(long entityId) {
        return entityId == 0 ? null : byEntity.get(entityId);
    }
}
