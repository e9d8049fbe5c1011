package io.netsensor.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.Counting;
import com.codahale.metrics.Gauge;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void tagsAreSortedIntoOneSpelling() {
        assertThat(Metrics.name("journal.records", "writer", "capture", "type", "conn"))
                .isEqualTo("journal.records{type=conn,writer=capture}");
        assertThat(Metrics.name("conn.flows_created")).isEqualTo("conn.flows_created");
        Metrics.Name n = Metrics.Name.parse("journal.records{type=conn,writer=capture}");
        assertThat(n.base()).isEqualTo("journal.records");
        assertThat(n.tags()).containsEntry("type", "conn").containsEntry("writer", "capture").hasSize(2);
    }

    @Test
    void badNamesAndTagsAreRefused() {
        assertThatThrownBy(() -> Metrics.name("Conn.Flows")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Metrics.name("conn..flows")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Metrics.name("a", "k")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Metrics.name("a", "k", "x=y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Metrics.name("a", "k", "")).isInstanceOf(IllegalArgumentException.class);
        Metrics m = new Metrics();
        assertThatThrownBy(() -> m.count("a{z=1,b=2}", () -> 1)).hasMessageContaining("canonical");
    }

    @Test
    void countsAndLevelsReadTheirSourceWhenRead() {
        Metrics m = new Metrics();
        long[] field = {0};
        m.count("capture.frames", () -> field[0]);
        m.gauge("conn.flows_active", () -> field[0] * 2);
        field[0] = 21;
        assertThat(m.value("capture.frames")).isEqualTo(21);
        assertThat(m.value("conn.flows_active")).isEqualTo(42);
        // the exporter tells counters from gauges by type
        assertThat(m.registry().getMetrics().get("capture.frames")).isInstanceOf(Counting.class);
        assertThat(m.registry().getMetrics().get("conn.flows_active")).isInstanceOf(Gauge.class).isNotInstanceOf(Counting.class);
    }

    @Test
    void sumAddsEveryTagSetOfABaseOnly() {
        Metrics m = new Metrics();
        m.count(Metrics.name("capture.decode.malformed", "reason", "truncated_ip"), () -> 3);
        m.count(Metrics.name("capture.decode.malformed", "reason", "bad_tcp_header"), () -> 4);
        m.count("capture.decode.malformed_extra", () -> 100);
        m.counter(Metrics.name("detect.alerts_journaled", "detector", "beacon")).inc(2);
        m.histogram(Metrics.name("sink.batch_records", "sink", "stdout")).update(10);
        assertThat(m.sum("capture.decode.malformed")).isEqualTo(7);
        assertThat(m.sum("detect.alerts_journaled")).isEqualTo(2);
        assertThat(m.sum("nothing.here")).isZero();
        assertThat(m.value("capture.decode.malformed", "reason", "truncated_ip")).isEqualTo(3);
        assertThat(m.value("sink.batch_records{sink=stdout}")).isEqualTo(1); // a histogram's value: its sample count
        assertThat(m.values("capture.decode.")).containsOnlyKeys("capture.decode.malformed{reason=bad_tcp_header}",
                "capture.decode.malformed{reason=truncated_ip}", "capture.decode.malformed_extra");
    }

    @Test
    void aMissingOrTwiceRegisteredNameFailsLoudly() {
        Metrics m = new Metrics();
        m.count("dns.queries", () -> 1);
        assertThatThrownBy(() -> m.count("dns.queries", () -> 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.value("dns.querys")).hasMessageContaining("no metric dns.querys");
        assertThat(m.contains("dns.queries")).isTrue();
    }
}
