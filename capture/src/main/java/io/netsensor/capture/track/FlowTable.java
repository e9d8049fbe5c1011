package io.netsensor.capture.track;

/**
 * Fixed-capacity storage of flow keys: preallocated slots, an open-addressing (linear probing) index on
 * the canonical key, and intrusive doubly linked lists that keep slots in expiry order per timer class.
 * Hand-written rather than a HashMap/LinkedHashMap because those allocate an entry (and boxed key) per
 * flow; here nothing is allocated after construction.
 *
 * <p>The canonical key orders the two endpoints (endpoint A is the smaller address/port) so both
 * directions of a flow find the same slot.
 */
final class FlowTable {
    static final int NONE = -1;

    private final int capacity;
    // canonical key per slot
    private final long[] aHi, aLo, bHi, bLo;
    private final int[] ports; // aPort << 16 | bPort
    private final int[] meta; // proto << 24 | vlan << 12 | innerVlan
    private final int[] hashOf;
    // index: slot + 1, 0 = empty
    private final int[] index;
    private final int mask;
    private final int[] free;
    private int freeTop;
    private int size;
    // timer-class lists
    private final int[] prev, next;
    private final byte[] listOf;
    private final int[] head, tail;

    FlowTable(int capacity, int lists) {
        this.capacity = capacity;
        aHi = new long[capacity]; aLo = new long[capacity]; bHi = new long[capacity]; bLo = new long[capacity];
        ports = new int[capacity]; meta = new int[capacity]; hashOf = new int[capacity];
        int indexSize = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1; // >= 2x, load <= 0.5
        index = new int[indexSize];
        mask = indexSize - 1;
        free = new int[capacity];
        for (int i = 0; i < capacity; i++) free[i] = capacity - 1 - i; // pop gives slot 0 first
        freeTop = capacity;
        prev = new int[capacity]; next = new int[capacity]; listOf = new byte[capacity];
        head = new int[lists]; tail = new int[lists];
        java.util.Arrays.fill(head, NONE);
        java.util.Arrays.fill(tail, NONE);
    }

    int size() { return size; }

    boolean isFull() { return size == capacity; }

    static int meta(int proto, int vlan, int innerVlan) {
        return (proto & 0xFF) << 24 | (vlan & 0xFFF) << 12 | (innerVlan & 0xFFF);
    }

    static int hash(long aHi, long aLo, long bHi, long bLo, int ports, int meta) {
        long h = aHi * 0x9E3779B97F4A7C15L;
        h = (h ^ aLo) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ bHi) * 0x9E3779B97F4A7C15L;
        h = (h ^ bLo) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ (((long) ports << 32) | (meta & 0xFFFFFFFFL))) * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h;
    }

    int find(long aHi, long aLo, long bHi, long bLo, int ports, int meta, int hash) {
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            int s = index[i] - 1;
            if (s < 0) return NONE;
            if (hashOf[s] == hash && this.aLo[s] == aLo && this.bLo[s] == bLo && this.ports[s] == ports
                    && this.meta[s] == meta && this.aHi[s] == aHi && this.bHi[s] == bHi) {
                return s;
            }
        }
    }

    /** Stores a key that is not present; the caller makes room first (isFull). */
    int insert(long aHi, long aLo, long bHi, long bLo, int ports, int meta, int hash) {
        if (freeTop == 0) throw new IllegalStateException("flow table full");
        int s = free[--freeTop];
        this.aHi[s] = aHi; this.aLo[s] = aLo; this.bHi[s] = bHi; this.bLo[s] = bLo;
        this.ports[s] = ports; this.meta[s] = meta; hashOf[s] = hash;
        int i = hash & mask;
        while (index[i] != 0) i = (i + 1) & mask;
        index[i] = s + 1;
        size++;
        listOf[s] = -1;
        return s;
    }

    /** Removes the slot from the index (backward-shift deletion, so no tombstones build up) and its list. */
    void remove(int s) {
        unlink(s);
        int i = hashOf[s] & mask;
        while (index[i] != s + 1) i = (i + 1) & mask;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (index[j] == 0) break;
            int home = hashOf[index[j] - 1] & mask;
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (stays) continue;
            index[i] = index[j];
            i = j;
        }
        index[i] = 0;
        free[freeTop++] = s;
        size--;
    }

    long aHi(int s) { return aHi[s]; }
    long aLo(int s) { return aLo[s]; }
    long bHi(int s) { return bHi[s]; }
    long bLo(int s) { return bLo[s]; }
    int aPort(int s) { return ports[s] >>> 16; }
    int bPort(int s) { return ports[s] & 0xFFFF; }
    int proto(int s) { return meta[s] >>> 24; }
    int vlan(int s) { return (meta[s] >>> 12) & 0xFFF; }
    int innerVlan(int s) { return meta[s] & 0xFFF; }

    // ---- timer-class lists (head = expires first)

    int list(int s) { return listOf[s]; }

    int head(int list) { return head[list]; }

    /** Moves the slot to the tail of the list (most recently active / latest deadline). */
    void append(int s, int list) {
        unlink(s);
        listOf[s] = (byte) list;
        prev[s] = tail[list];
        next[s] = NONE;
        if (tail[list] == NONE) head[list] = s; else next[tail[list]] = s;
        tail[list] = s;
    }

    private void unlink(int s) {
        int l = listOf[s];
        if (l < 0) return;
        int p = prev[s], n = next[s];
        if (p == NONE) head[l] = n; else next[p] = n;
        if (n == NONE) tail[l] = p; else prev[n] = p;
        listOf[s] = -1;
    }
}
