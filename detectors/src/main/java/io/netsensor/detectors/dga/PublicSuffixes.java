package io.netsensor.detectors.dga;

import com.google.thirdparty.publicsuffix.PublicSuffixPatterns;

/**
 * Registered-domain boundaries from the Public Suffix List (ICANN and private sections) as Guava ships
 * it. Why not {@code InternetDomainName}: it builds Strings and lists per call (and throws on odd
 * names), which the per-query path must not do; a cache keyed by name would itself allocate keys.
 * Instead the rule sets are read once from Guava's table into hash sets and matched against the
 * suffix hashes of a {@link DomainName}, following Guava's semantics: longest matching rule wins,
 * "*.x" (UNDER) rules and "!" (EXCLUDED) exceptions; names under no rule use the PSL default "*".
 *
 * Private-section suffixes (ddns.net, cloudfront.net, ...) count as public suffixes on purpose: the
 * label a customer (or a DGA) chose sits under them, which is what the lexical model must see.
 */
public final class PublicSuffixes {
    private static final PublicSuffixes INSTANCE = new PublicSuffixes();

    private final HashSet64 exact = new HashSet64(PublicSuffixPatterns.EXACT.keySet());
    private final HashSet64 under = new HashSet64(PublicSuffixPatterns.UNDER.keySet());
    private final HashSet64 excluded = new HashSet64(PublicSuffixPatterns.EXCLUDED.keySet());

    private PublicSuffixes() {}

    public static PublicSuffixes get() {
        return INSTANCE;
    }

    /** Number of labels (from the right) that form the public suffix; at least 1 for a parsed name. */
    public int suffixLabels(DomainName d) {
        int ps = 1;
        for (int k = 0; k < d.labelCount(); k++) {
            long h = d.suffixHash(k);
            if (exact.contains(h)) ps = k + 1;
            if (k >= 1 && under.contains(d.suffixHash(k - 1))) ps = k + 1;
            if (excluded.contains(h)) ps = k;
        }
        return Math.max(ps, 1);
    }

    /**
     * Index (from the right) of the registered label: the one left of the public suffix, or -1 when the
     * name is itself a public suffix.
     */
    public int registeredLabel(DomainName d) {
        int ps = suffixLabels(d);
        return ps < d.labelCount() ? ps : -1;
    }

    /**
     * True when the name's top-level label is a rule of the list (a real TLD). A name under an unknown
     * top-level label ("dnscat.4f2a...", "wpad") has no registered domain anyone could delegate: it can
     * only be answered by the server it is sent to.
     */
    public boolean knownTopLevel(DomainName d) {
        return d.labelCount() > 0 && exact.contains(d.suffixHash(0));
    }
}
