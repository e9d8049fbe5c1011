package io.netsensor.detectors.dga;

/** The model's alphabet: 0 = name boundary, a-z, 0-9, '-', anything else as one "other" symbol. */
final class Chars {
    static final int BOUNDARY = 0;
    static final int SIZE = 39;

    private Chars() {}

    static int code(byte c) {
        if (c >= 'a' && c <= 'z') return 1 + c - 'a';
        if (c >= '0' && c <= '9') return 27 + c - '0';
        if (c == '-') return 37;
        return 38;
    }

    static boolean isDigit(int code) {
        return code >= 27 && code <= 36;
    }

    static boolean isVowel(int code) {
        // a e i o u y
        return code == 1 || code == 5 || code == 9 || code == 15 || code == 21 || code == 25;
    }

    static boolean isLetter(int code) {
        return code >= 1 && code <= 26;
    }
}
