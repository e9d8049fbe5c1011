package io.netsensor.capture.track;

/** Tells whether an address (io.netsensor.events.Ip layout) belongs to the monitored host or home_net. */
public interface Locality { boolean isLocal(long hi, long lo); }
