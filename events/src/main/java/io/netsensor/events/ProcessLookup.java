package io.netsensor.events;

/** Process details by entity id (from the journal's PROCESS records), to name the process of a record or alert. */
@FunctionalInterface
public interface ProcessLookup {
    /** The process, or null when unknown. */
    ProcessInfo find(long entityId);
}
