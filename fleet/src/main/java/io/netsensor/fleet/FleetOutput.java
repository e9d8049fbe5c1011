package io.netsensor.fleet;

/**
 * What the destination processor emits: the destination's prevalence (null value: forgotten, a tombstone on
 * the compacted topic) or a fleet alert document. Both as the bytes their topic carries.
 */
record FleetOutput(boolean alert, byte[] value) {
    static FleetOutput prevalence(byte[] json) {
        return new FleetOutput(false, json);
    }

    static FleetOutput alert(byte[] json) {
        return new FleetOutput(true, json);
    }
}
