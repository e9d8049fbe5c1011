package io.netsensor.detectors.dga;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InternetDomainName;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublicSuffixesTest {
    private final DomainName d = new DomainName();

    private String registered(String name) {
        return DgaCorpus.registeredDomain(d, name);
    }

    @Test
    void agreesWithGuavaTopPrivateDomain() {
        for (String n : List.of("www.bbc.co.uk", "a.b.example.com", "foo.ddns.net", "x.y.foo.cloudfront.net",
                "shop.example.com.au", "www.city.kawasaki.jp", "a.b.c.kawasaki.jp", "sub.example.github.io",
                "mail.google.com", "bucket.s3.eu-west-1.amazonaws.com", "x.blogspot.co.uk", "WWW.Example.ORG.")) {
            String lower = n.toLowerCase().replaceAll("\\.$", "");
            assertThat(registered(n)).as(n).isEqualTo(InternetDomainName.from(lower).topPrivateDomain().toString());
        }
    }

    @Test
    void unknownTopLevelDomainUsesTheDefaultRuleAndSuffixesHaveNoRegisteredDomain() {
        assertThat(registered("abc.def.bit")).isEqualTo("def.bit");
        assertThat(registered("co.uk")).isNull();
        assertThat(registered("com")).isNull();
    }

    @Test
    void rejectsMalformedNames() {
        assertThat(d.parse("a..b")).isFalse();
        assertThat(d.parse("")).isFalse();
        assertThat(d.parse(".")).isFalse();
        assertThat(d.parse("x".repeat(300))).isFalse();
    }

    @Test
    void cdnNamesMatchOnLabelBoundariesOnly() {
        assertThat(d.parse("d1a2b3c4.cloudfront.net") && CdnSuffixes.matches(d)).isTrue();
        assertThat(d.parse("r3---sn-abc.googlevideo.com") && CdnSuffixes.matches(d)).isTrue();
        assertThat(d.parse("evilcloudfront.net") && CdnSuffixes.matches(d)).isFalse();
    }
}
