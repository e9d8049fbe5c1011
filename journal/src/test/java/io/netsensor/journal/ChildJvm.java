package io.netsensor.journal;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** Starts a main class of the test classpath in a child JVM with the same java binary and JVM flags. */
final class ChildJvm {
    private ChildJvm() {}

    static ProcessBuilder command(List<String> extraJvmArgs, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        // the parent's flags (Surefire argLine = netsensor.jvm.flags): module opens, analytics/announcer off
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(extraJvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }
}
