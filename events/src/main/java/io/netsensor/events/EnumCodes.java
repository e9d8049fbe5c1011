package io.netsensor.events;

import java.util.Arrays;
import java.util.function.ToIntFunction;

/**
 * Lookup tables from the explicit journal codes of the enums the codecs write (never their ordinals, so
 * reordering a declaration cannot change what an old journal reads as).
 */
final class EnumCodes {
    /** Codes are written as one unsigned byte. */
    static final int MAX_CODE = 255;

    private EnumCodes() {}

    /** A table indexed by code (null where no value has that code); fails class init on a bad or duplicate code. */
    static <E extends Enum<E>> E[] byCode(E[] values, ToIntFunction<E> code) {
        int max = -1;
        for (E e : values) max = Math.max(max, code.applyAsInt(e));
        E[] table = Arrays.copyOf(values, max + 1);
        Arrays.fill(table, null);
        for (E e : values) {
            int c = code.applyAsInt(e);
            if (c < 0 || c > MAX_CODE || table[c] != null) {
                throw new IllegalStateException(e.getDeclaringClass().getSimpleName() + "." + e + ": code " + c
                        + " is out of range or taken");
            }
            table[c] = e;
        }
        return table;
    }
}
