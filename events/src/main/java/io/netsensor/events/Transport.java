package io.netsensor.events;

/** Transport protocol, coded by its IANA protocol number in the journal. */
public enum Transport {
    TCP(6, "tcp"), UDP(17, "udp");

    public final int ianaNumber;
    public final String ecsName;

    Transport(int ianaNumber, String ecsName) {
        this.ianaNumber = ianaNumber;
        this.ecsName = ecsName;
    }

    public static Transport ofIana(int n) {
        return n == 6 ? TCP : n == 17 ? UDP : null;
    }
}
