package io.netsensor.telemetry;

import io.netsensor.detectors.dga.DomainName;
import io.netsensor.detectors.dga.PublicSuffixes;
import io.netsensor.events.DnsEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lower-cased query name of a DNS record and its registered domain as Strings, made once per distinct name
 * and found again by the record's bytes: rows keep names as text, and a String per record (qnameLower, the PSL
 * substring) was most of what Rollups allocated. Bounded: a direct-mapped table of {@value #SLOTS} names, a name
 * whose slot another took is made again (a miss allocates; the Strings are equal, so rows are the same).
 * Not thread-safe: one per Rollups.
 */
final class QueryNames {
    private static final int BITS = 12;
    static final int SLOTS = 1 << BITS;

    /** One distinct name: its lower-cased bytes (what a record is compared by), its text and registered domain. */
    static final class Name {
        final byte[] lower;
        final String text, domain;

        Name(byte[] lower, String text, String domain) {
            this.lower = lower;
            this.text = text;
            this.domain = domain;
        }
    }

    private final Name[] slots = new Name[SLOTS];
    private final byte[] scratch = new byte[DnsEvent.MAX_NAME];
    private final DomainName domainName = new DomainName();

    Name of(DnsEvent e) {
        int len = e.qnameLen;
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < len; i++) {
            byte c = e.qname[i];
            c = (c >= 'A' && c <= 'Z') ? (byte) (c + 32) : c; // ASCII only, as DnsEvent.qnameLower
            scratch[i] = c;
            h = (h ^ (c & 0xFF)) * 0x100000001b3L;
        }
        int slot = (int) ((h * 0x9E3779B97F4A7C15L) >>> (64 - BITS)); // the well-mixed top bits
        Name n = slots[slot];
        if (n != null && Arrays.equals(n.lower, 0, n.lower.length, scratch, 0, len)) return n;
        byte[] lower = Arrays.copyOf(scratch, len);
        String text = new String(lower, StandardCharsets.ISO_8859_1);
        n = new Name(lower, text, registeredDomain(lower, text));
        slots[slot] = n;
        return n;
    }

    /** The registered domain (PSL: the label left of the public suffix, with it), or the name itself. */
    private String registeredDomain(byte[] lower, String text) {
        if (lower.length == 0) return ".";
        if (!domainName.parse(lower, 0, lower.length)) return text;
        int k = PublicSuffixes.get().registeredLabel(domainName);
        if (k < 0) return text;
        return domainName.substring(domainName.labelStart(k), domainName.length());
    }
}
