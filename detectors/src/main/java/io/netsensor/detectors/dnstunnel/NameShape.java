package io.netsensor.detectors.dnstunnel;

import io.netsensor.detectors.dga.DomainName;

/**
 * Shapes of query names and answers that tell data from names a person or a product chose, computed on
 * the parsed (lower-cased) name without allocating. Encoded data (hex, base32, base64, raw bytes that the
 * capture escapes as {@code \xhh}) mixes letters and digits throughout; chosen names are words, with a
 * digit here and there. So a label is "encoded" when it is long and switches between letters and digits
 * (or holds escapes and other characters) often. Hyphens are neutral: "static-assets-prod" is words.
 */
final class NameShape {
    private NameShape() {}

    /** Character classes: letters, digits, other (escapes, '_', '+', '/', '='); '-' is none. */
    private static int charClass(int c) {
        if (c >= 'a' && c <= 'z') return 1;
        if (c >= 'A' && c <= 'Z') return 1;
        if (c >= '0' && c <= '9') return 2;
        if (c == '-') return 0;
        return 3;
    }

    /**
     * Switches between character classes per character in {@code b[from, to)}: about 0.3-0.5 for random
     * hex and base32, under 0.1 for words with a number.
     */
    static double switchRate(byte[] b, int from, int to) {
        int prev = 0, switches = 0, counted = 0;
        for (int i = from; i < to; i++) {
            int c = charClass(b[i] & 0xFF);
            if (c == 0) continue;
            if (c == 3) switches++; // an escape or a symbol is itself a sign of data
            else if (prev != 0 && c != prev) switches++;
            prev = c;
            counted++;
        }
        return counted == 0 ? 0 : switches / (double) counted;
    }

    /** True when a label in {@code [from, to)} of {@code b} is at least minLength long and switches often. */
    static boolean encoded(byte[] b, int from, int to, int minLength, double minSwitchRate) {
        return to - from >= minLength && switchRate(b, from, to) >= minSwitchRate;
    }

    /** A label starting with '_' (DNS-SD, SRV, DKIM, DMARC, ACME, MTA-STS): a service or policy record. */
    static boolean underscored(DomainName d) {
        byte[] b = d.bytes();
        for (int k = 0; k < d.labelCount(); k++) if (b[d.labelStart(k)] == '_') return true;
        return false;
    }

    /**
     * The leftmost labels, in front of label index {@code zoneLabel} (from the right), are a reversed
     * IPv4 address (four numbers) or a reversed IPv6 address (32 hex nibbles), whatever list labels follow
     * ("4.3.2.1.dnsbl.example.net"): a block-list look-up whatever the list.
     */
    static boolean reversedAddress(DomainName d, int zoneLabel) {
        int front = d.labelCount() - 1 - zoneLabel; // labels in front of the zone
        int top = d.labelCount() - 1; // the leftmost label
        byte[] b = d.bytes();
        if (front >= 32 && nibbles(d, b, top, 32)) return true;
        if (front < 4) return false;
        for (int k = top; k > top - 4; k--) {
            int s = d.labelStart(k), e = d.labelEnd(k);
            if (e - s > 3) return false;
            for (int i = s; i < e; i++) if (b[i] < '0' || b[i] > '9') return false;
        }
        return true;
    }

    private static boolean nibbles(DomainName d, byte[] b, int top, int n) {
        for (int k = top; k > top - n; k--) {
            int s = d.labelStart(k);
            if (d.labelEnd(k) - s != 1 || Character.digit(b[s], 16) < 0) return false;
        }
        return true;
    }

    /**
     * A TXT rdata (wire form: length-prefixed strings) that carries data: at least {@code minLength}
     * characters, no spaces, almost only base64/hex characters, switching classes often. Key=value
     * tokens ("google-site-verification=...", "MS=ms1234", DKIM and SPF with their spaces and ';') are
     * records people publish, not data: an '=' that is not base64 padding at the end disqualifies.
     */
    static boolean encodedTxt(byte[] rdata, int off, int len, int minLength, double minSwitchRate) {
        int chars = 0, b64 = 0, switches = 0, prev = 0;
        int end = off + len, i = off;
        boolean padding = false;
        while (i < end) {
            int n = rdata[i++] & 0xFF;
            for (int j = 0; j < n && i < end; j++, i++) {
                int c = rdata[i] & 0xFF;
                chars++;
                if (c == ' ' || c == ';') return false;
                if (c == '=') {
                    padding = true;
                    b64++;
                    continue;
                }
                if (padding) return false; // "key=value": something after an '='
                boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                if (alnum || c == '+' || c == '/') b64++;
                int cl = c >= '0' && c <= '9' ? 2 : alnum ? 1 : 3;
                if (prev != 0 && cl != prev) switches++;
                prev = cl;
            }
        }
        return chars >= minLength && b64 >= 0.95 * chars && switches / (double) chars >= minSwitchRate;
    }
}
