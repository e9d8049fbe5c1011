package io.netsensor.detectors.beacon;

/**
 * The distinct remote peers one local UDP port talked to: a peer-to-peer socket (BitTorrent DHT, WebRTC,
 * game and VoIP clients, Tailscale/WireGuard endpoints) refreshes many peers on their own timers from one
 * port, which per peer looks like a beacon. Once a port has {@link #P2P_PEERS} peers it is a P2P socket and
 * none of its series count. Keeps at most that many peer hashes (~100 bytes per local port).
 */
final class LocalPortPeers {
    static final int P2P_PEERS = 8;

    private final long[] peers = new long[P2P_PEERS];
    private int n;
    long lastNanos;

    /** Notes a peer; returns true when the port is (now) a P2P socket. */
    boolean add(long peerHash, long t) {
        if (t > lastNanos) lastNanos = t;
        if (n == P2P_PEERS) return true;
        for (int i = 0; i < n; i++) if (peers[i] == peerHash) return false;
        peers[n++] = peerHash;
        return n == P2P_PEERS;
    }

    boolean isP2p() {
        return n == P2P_PEERS;
    }

    long lastSeen() {
        return lastNanos;
    }
}
