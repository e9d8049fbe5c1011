package io.netsensor.capture.track;

import io.netsensor.events.ConnEvent;

/**
 * Zeek history letters of every flow slot, in one preallocated byte array. Upper case is the
 * originator, lower case the responder. "Once" letters are recorded the first time only (Zeek's
 * CheckHistory); scaled letters (T, W) at the 1st, 10th, 100th ... occurrence.
 */
final class FlowHistory {
    static final int SYN = 0, FIN = 1, RST = 2, ACK = 3, DATA = 4, FIN_RST = 5, MULTI = 6;
    private static final int RESP_SHIFT = 8;
    private static final int MAX = ConnEvent.MAX_HISTORY;

    private final byte[] letters;
    private final byte[] length;
    private final int[] seen;

    FlowHistory(int slots) {
        letters = new byte[slots * MAX];
        length = new byte[slots];
        seen = new int[slots];
    }

    void clear(int slot) {
        length[slot] = 0;
        seen[slot] = 0;
    }

    /** Records the letter if its kind was not seen yet in that direction; returns true if it was seen. */
    boolean check(int slot, int kind, char upper, boolean orig) {
        int bit = 1 << (orig ? kind : kind + RESP_SHIFT);
        if ((seen[slot] & bit) != 0) return true;
        seen[slot] |= bit;
        add(slot, upper, orig);
        return false;
    }

    void add(int slot, char upper, boolean orig) {
        int n = length[slot];
        if (n >= MAX) return; // Zeek caps history too; later letters add little
        letters[slot * MAX + n] = (byte) (orig ? upper : Character.toLowerCase(upper));
        length[slot] = (byte) (n + 1);
    }

    /** Adds a flow-level marker such as '^' (roles flipped), same in both directions. */
    void mark(int slot, char c) {
        add(slot, c, true);
    }

    /** Counts an occurrence; records the letter when the count reaches 1, 10, 100, ... */
    void scaled(int slot, char upper, boolean orig, int count) { // count = occurrences so far, incl. this one
        if (isPowerOfTen(count)) add(slot, upper, orig);
    }

    private static boolean isPowerOfTen(int n) {
        if (n <= 0) return false;
        while (n % 10 == 0) n /= 10;
        return n == 1;
    }

    void copyTo(int slot, ConnEvent e) {
        int n = length[slot];
        System.arraycopy(letters, slot * MAX, e.history, 0, n);
        e.historyLen = n;
    }

    /** Zeek's RSTOS0 test: history matches ^\^?S[^HAFGIQ]*R (originator SYN then RST, nothing in between). */
    boolean isSynThenReset(int slot) {
        int n = length[slot];
        int base = slot * MAX;
        int i = 0;
        if (i < n && letters[base] == '^') i++;
        if (i >= n || letters[base + i] != 'S') return false;
        for (i++; i < n; i++) {
            byte c = letters[base + i];
            if (c == 'R') return true;
            if (c == 'H' || c == 'A' || c == 'F' || c == 'G' || c == 'I' || c == 'Q') return false;
        }
        return false;
    }
}
