package io.netsensor.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The hand-written mnemonic tables against dnsjava (the output's former source of these names), code by code. */
class DnsNamesTest {
    @Test
    void everyTypeAndClassCodeHasDnsjavasName() {
        for (int i = 0; i <= 0xFFFF; i++) {
            assertThat(DnsNames.type(i)).as("type %d", i).isEqualTo(Type.string(i));
            assertThat(DnsNames.dclass(i)).as("class %d", i).isEqualTo(DClass.string(i));
        }
    }

    @Test
    void everyOpcodeAndRcodeHasDnsjavasName() {
        for (int i = 0; i <= 0xF; i++) assertThat(DnsNames.opcode(i)).as("opcode %d", i).isEqualTo(Opcode.string(i));
        for (int i = 0; i <= 0xFFF; i++) {
            assertThat(DnsNames.rcode(i)).as("rcode %d", i).isEqualTo(Rcode.string(i));
            assertThat(DnsNames.tsigRcode(i)).as("TSIG error %d", i).isEqualTo(Rcode.TSIGstring(i));
        }
        // dnsjava threw above 4095 (so a TKEY/TSIG record with such an error was not rendered); we say so with null
        assertThat(DnsNames.tsigRcode(0x1000)).isNull();
    }

    @Test
    void namesInsideRdataMatchDnsjavasTables() {
        for (int i = 0; i <= 0xFF; i++) {
            assertThat(DnsPresentation.dnssecAlgorithm(i)).as("algorithm %d", i).isEqualTo(DNSSEC.Algorithm.string(i));
            assertThat(DnsPresentation.dsDigest(i)).as("digest %d", i).isEqualTo(DNSSEC.Digest.string(i));
        }
        for (int i = 0; i <= 0xFFFF; i++) {
            assertThat(DnsPresentation.edeCode(i)).as("extended error %d", i).isEqualTo(ExtendedErrorCodeOption.text(i));
        }
    }
}
