package io.netsensor.events;

/** Ethernet addresses as 48 bits in a long (0 = none); text in ECS form for the edges. */
public final class Mac {
    private Mac() {}

    /** ECS form: upper-case hex, dash separated ("02-00-5E-00-00-99"); null for 0 (no MAC on the link). */
    public static String toString(long mac) {
        if (mac == 0) return null;
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int b = (int) (mac >>> (8 * i)) & 0xFF;
            sb.append(Character.toUpperCase(Character.forDigit(b >>> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            if (i > 0) sb.append('-');
        }
        return sb.toString();
    }
}
