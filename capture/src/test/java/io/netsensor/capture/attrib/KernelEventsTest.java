package io.netsensor.capture.attrib;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsensor.events.Ip;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The loader's record stream (records.h layouts) parsed into processes and queued socket records. */
class KernelEventsTest {
    private static final long BOOT_TS = 5_000_000_000L, OFFSET = 1_700_000_000_000_000_000L;

    @Test
    void execThenConnectIsQueuedWithItsProcessAndAContainerId() throws Exception {
        SocketQueue q = new SocketQueue(16);
        KernelEvents ev = new KernelEvents(q, ProcFs.system(), Path.of("/nonexistent-passwd"), 100);
        String id = "a".repeat(64);
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        frame(s, clock());
        frame(s, exec(4242, 1, 1000, 3_000_000_000L, "/no/such/curl", "curl\0-s\0http://x/\0", "docker-" + id + ".scope", "system.slice"));
        frame(s, socket(4242, 6, 0, 0x0A_D5_01_01, 40000, 0x0A_D5_01_02, 8080));
        frame(s, new byte[] {7, 0, 0, 0, 0, 0, 0, 0}); // READY
        frame(s, socket(4242, 6, 0, 0x0A_D5_01_01, 40001, 0x0A_D5_01_02, 8080, 778)); // moved to another cgroup
        ev.run(new ByteArrayInputStream(s.toByteArray()));

        assertThat(ev.ready()).isTrue();
        assertThat(q.size()).isEqualTo(2);
        int i = q.slot(q.head());
        assertThat(q.proto[i]).isEqualTo(6);
        assertThat(q.lHi[i]).isEqualTo(Ip.V4_HI);
        assertThat(q.lLo[i]).isEqualTo(Ip.v4Lo(0x0A_D5_01_01));
        assertThat(q.lPort[i]).isEqualTo(40000);
        assertThat(q.rLo[i]).isEqualTo(Ip.v4Lo(0x0A_D5_01_02));
        assertThat(q.rPort[i]).isEqualTo(8080);
        assertThat(q.ts[i]).as("kernel time on the capture clock").isEqualTo(BOOT_TS + OFFSET);
        KProcess p = q.process[i];
        assertThat(p.info.pid).isEqualTo(4242);
        assertThat(p.info.ppid).isEqualTo(1);
        assertThat(p.info.uid).isEqualTo(1000);
        assertThat(p.info.name).isEqualTo("curl");
        assertThat(p.info.executable).isEqualTo("/no/such/curl"); // gone: kept as executed
        assertThat(p.info.commandLine).isEqualTo("curl -s http://x/");
        assertThat(p.info.entityId).isEqualTo(EntityIds.of(ProcFs.system().bootId(), 4242, 300)); // 3 s = 300 ticks
        assertThat(p.containerId).isEqualTo(id);
        assertThat(ev.sockets).isEqualTo(2);
        // the description the journal's PROCESS record and container.id are written from
        assertThat(p.info.containerId).isEqualTo(id);
        assertThat(p.info.cgroupId).as("the socket record's cgroup, the latest").isEqualTo(778);
        assertThat(q.process[q.slot(q.head() + 1)]).isSameAs(p);
    }

    @Test
    void containerIdsFollowTheRuntimesNaming() {
        String id = "0123456789abcdef".repeat(4);
        assertThat(ContainerIds.of("docker-" + id + ".scope", "system.slice")).isEqualTo(id);
        assertThat(ContainerIds.of(id, "docker")).isEqualTo(id);
        assertThat(ContainerIds.of("cri-containerd-" + id + ".scope", "kubepods-besteffort.slice")).isEqualTo(id);
        assertThat(ContainerIds.of("container", "libpod-" + id + ".scope")).isEqualTo(id);
        assertThat(ContainerIds.ofPath("/kubepods/besteffort/pod1234/" + id)).isEqualTo(id);
        assertThat(ContainerIds.of("user@1000.service", "user.slice")).isNull();
        assertThat(ContainerIds.of("process_api", "")).isNull();
    }

    @Test
    void aNewOwnerOfATupleReplacesTheOldAndListenersLiveApart() {
        KernelSockets t = new KernelSockets(64, 16);
        KProcess a = new KProcess(io.netsensor.events.ProcessInfo.identityOnly(1, 10, 0), null);
        KProcess b = new KProcess(io.netsensor.events.ProcessInfo.identityOnly(2, 20, 0), null);
        KProcess server = new KProcess(io.netsensor.events.ProcessInfo.identityOnly(3, 30, 0), null);
        t.put(6, 0, 5, 40000, 0, 6, 80, false, 1, a);
        t.put(6, 0, 5, 40000, 0, 6, 80, false, 2, b);
        t.put(6, 0, 0, 8080, 0, 0, 0, true, 3, server);
        assertThat(t.findExact(6, 0, 5, 40000, 0, 6, 80)).isSameAs(b);
        assertThat(t.findAnyRemote(6, 0, 5, 8080)).as("bound to any address").isSameAs(server);
        for (int i = 0; i < 1000; i++) t.put(6, 0, 7, i, 0, 6, 80, false, 10 + i, a); // churn
        assertThat(t.findAnyRemote(6, 0, 5, 8080)).isSameAs(server);
        assertThat(t.overwrites()).isPositive();
    }

    private static void frame(ByteArrayOutputStream s, byte[] rec) {
        ByteBuffer h = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(rec.length);
        s.writeBytes(h.array());
        s.writeBytes(rec);
    }

    private static byte[] clock() {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(5).putInt(0).putLong(OFFSET).array();
    }

    private static byte[] exec(int tgid, int ppid, int uid, long start, String file, String args, String cg, String parent) {
        ByteBuffer b = ByteBuffer.allocate(1096).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 2).putInt(4, tgid).putInt(8, ppid).putInt(12, uid).putLong(16, start).putLong(24, BOOT_TS).putLong(32, 777);
        byte[] f = file.getBytes(StandardCharsets.UTF_8), a = args.getBytes(StandardCharsets.UTF_8);
        b.putInt(48, f.length).putInt(52, a.length);
        b.put(56, "curl".getBytes(StandardCharsets.UTF_8));
        b.put(72, f);
        b.put(328, a);
        b.put(840, cg.getBytes(StandardCharsets.UTF_8));
        b.put(968, parent.getBytes(StandardCharsets.UTF_8));
        return b.array();
    }

    private static byte[] socket(int tgid, int proto, int flags, int l, int lPort, int r, int rPort) {
        return socket(tgid, proto, flags, l, lPort, r, rPort, 777);
    }

    private static byte[] socket(int tgid, int proto, int flags, int l, int lPort, int r, int rPort, long cgroup) {
        ByteBuffer b = ByteBuffer.allocate(96).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(64, cgroup);
        b.putInt(0, 1).put(4, (byte) 1).put(5, (byte) proto).put(6, (byte) flags).putInt(8, tgid).putInt(12, tgid).putInt(16, 1000);
        b.putShort(20, (short) lPort).putShort(22, (short) rPort);
        b.put(34, (byte) 0xff).put(35, (byte) 0xff).put(36, ByteBuffer.allocate(4).putInt(l).array());
        b.put(50, (byte) 0xff).put(51, (byte) 0xff).put(52, ByteBuffer.allocate(4).putInt(r).array());
        b.putLong(72, BOOT_TS);
        return b.array();
    }
}
