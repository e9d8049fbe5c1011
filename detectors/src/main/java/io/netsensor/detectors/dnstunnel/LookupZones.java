package io.netsensor.detectors.dnstunnel;

import io.netsensor.detectors.dga.DomainName;
import io.netsensor.detectors.dga.HashSet64;
import java.util.List;

/**
 * Zones whose whole purpose is to answer questions encoded in the query name: DNS block lists (an IP
 * address reversed, a domain or a hash in front of the list's zone), anti-virus and reputation look-ups
 * (file hashes, URL hashes) and malware hash registries. Their clients send a new, hash-like name for
 * every question, which is exactly the shape of a tunnel, so they never count. Matched on whole-label
 * suffixes of the query name. A list not named here is still recognised by its shape when it is asked for
 * reversed addresses ({@link NameShape#reversedAddress}); a hash look-up service that is not here needs a
 * {@code detectors.allowlist.domain_suffixes} entry.
 */
final class LookupZones {
    static final List<String> SUFFIXES = List.of(
            // DNS block and allow lists (mail servers ask for every connecting address and every URL)
            "spamhaus.org", "spamhaus.net", "spamcop.net", "sorbs.net", "barracudacentral.org", "surbl.org",
            "uribl.com", "mailspike.net", "dnswl.org", "abuseat.org", "spameatingmonkey.net", "invaluement.com",
            "abusix.zone", "abusix.org", "senderscore.com", "senderbase.org", "junkemailfilter.com", "nszones.com",
            "s5h.net", "backscatterer.org", "manitu.net", "gbudb.net", "psbl.org", "spfbl.net", "hostkarma.com",
            "dnsbl.info", "mailpolice.com", "lashback.com", "0spam.org", "rbl.jp", "anonmails.de",
            // anti-virus and web reputation look-ups that put hashes in names
            "mcafee.com", "sophosxl.net", "sophos.com", "trendmicro.com", "eset.com", "e5.sk", "avira.com",
            "avqs.mcafee.com", "gti.mcafee.com", "webroot.com", "brightcloud.com", "bitdefender.net",
            "kaspersky-labs.com", "f-secure.com", "fsapi.com", "norton.com", "symantec.com", "clamav.net",
            // malware hash registries and threat intelligence answered over DNS
            "cymru.com", "shadowserver.org", "malware.hash.cymru.com", "zen.spamhaus.org");

    private static final HashSet64 SET = new HashSet64(SUFFIXES);

    private LookupZones() {}

    static boolean matches(DomainName d) {
        for (int k = 0; k < d.labelCount(); k++) if (SET.contains(d.suffixHash(k))) return true;
        return false;
    }
}
