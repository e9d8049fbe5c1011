package io.netsensor.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.metrics.Metrics;
import org.junit.jupiter.api.Test;

/** The robustness lines of `replay`'s summary and `run`'s stop report: a line only when it has a non-zero count. */
class RobustnessCountsTest {
    @Test
    void aCleanRunAddsNothing() {
        Metrics m = new Metrics();
        m.count("capture.time_regressions", () -> 0);
        m.count(Metrics.name("dns.malformed", "reason", "short_header"), () -> 0);
        m.count("dns.evictions", () -> 0);
        assertThat(RobustnessCounts.lines(m)).isEmpty();
    }

    @Test
    void eachCountAppearsOnItsLineLargestReasonFirst() {
        Metrics m = new Metrics();
        m.count(Metrics.name("dns.malformed", "reason", "short_header"), () -> 10_030);
        m.count(Metrics.name("dns.malformed", "reason", "bad_pointer"), () -> 30_000);
        m.count(Metrics.name("dns.malformed", "reason", "truncated"), () -> 0);
        m.count(Metrics.name("conn.flows_ended", "reason", "evicted"), () -> 12);
        m.count(Metrics.name("conn.flows_ended", "reason", "shutdown"), () -> 99);
        m.count("dns.evictions", () -> 3);
        m.count("capture.fragments.evicted", () -> 0);
        m.count(Metrics.name("detector.evictions", "detector", "beacon"), () -> 30);
        m.count(Metrics.name("detector.evictions", "detector", "dga"), () -> 10);
        m.count("capture.time_regressions", () -> 5);
        m.count("capture.time_jumps", () -> 1);
        m.count("capture.time_restarts", () -> 0);
        assertThat(RobustnessCounts.lines(m)).containsExactly(
                "  dns malformed: 40030 (bad_pointer 30000, short_header 10030)",
                "  evicted (tables full): 12 connections, 3 dns queries, 40 detector keys (beacon 30, dga 10)",
                "  packet time: 5 packets earlier than the one before, 1 far-off timestamps handled at the running clock");
    }

    @Test
    void whatTheAllowlistAndKnownInfrastructureKeptFromTheDetectorsIsStated() {
        Metrics m = new Metrics();
        m.count("detector.engine.allowlisted_events", () -> 120);
        m.count("detector.engine.allowlisted_by_name", () -> 90);
        m.count("detector.engine.allowlisted_alerts", () -> 2);
        m.count("detector.engine.infrastructure_events", () -> 0);
        assertThat(RobustnessCounts.lines(m)).containsExactly(
                "  not detected on: 120 events by the allowlist (90 by server name), 2 alerts by the allowlist");
    }
}
