package io.netsensor.capture.track;

/**
 * Told about every new flow at its first packet, on the capture thread, with the flow's orientation
 * (originator / responder). Used to start work that must happen while the flow's endpoints still exist
 * (process attribution looks the socket up while its short-lived owner is alive). Must not block or
 * allocate.
 */
public interface FlowStartListener {
    FlowStartListener NONE = (proto, origHi, origLo, origPort, respHi, respLo, respPort, tsNanos) -> { };

    void onFlowStart(int proto, long origHi, long origLo, int origPort, long respHi, long respLo, int respPort, long tsNanos);
}
