package io.netsensor.agent.ops;

/** The version of this build, from the jar's manifest (Implementation-Version, set by Maven from the pom). */
public final class AgentVersion {
    private AgentVersion() {}

    /** "0.1.0-SNAPSHOT", or "dev" when run from classes rather than the jar (IDE, tests). */
    public static String get() {
        String v = AgentVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
