package io.netsensor.agent;

import io.netsensor.detectors.Alert;
import io.netsensor.detectors.DetectorEngine;
import io.netsensor.events.ProcessEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reader-side map entity id -> process, fed by the journal's PROCESS records (written once per process),
 * to name the process of connection and DNS records and alerts. Bounded: least recently used processes
 * are forgotten (their records then show pid and entity id only).
 */
final class ProcessDirectory implements DetectorEngine.ProcessLookup {
    private final LinkedHashMap<Long, Alert.ProcessRef> byEntity;

    ProcessDirectory(int maxEntries) {
        byEntity = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Alert.ProcessRef> eldest) {
                return size() > maxEntries;
            }
        };
    }

    void put(ProcessEvent e) {
        byEntity.put(e.entityId, new Alert.ProcessRef(e.pid, e.startNanos, e.name(), e.executable(), e.commandLine(),
                e.userLen == 0 ? null : e.user(), e.entityId, e.ppid, e.uid));
    }

    @Override
    public Alert.ProcessRef find(long entityId) {
        return entityId == 0 ? null : byEntity.get(entityId);
    }
}
