package io.netsensor.format;

import io.netsensor.events.ProcessLookup;

/**
 * What every output shape says about the sensor itself, given once to an encoder's constructor.
 *
 * @param hostName      the sensor host's name (ECS host.name, OCSF device.hostname, Falcon ComputerName, CEF
 *                      dvchost); null when unknown
 * @param agentId       a stable id of this sensor host (Falcon's aid: 32 hex digits, as /etc/machine-id is); null
 *                      to derive one from the host name
 * @param version       netsensor's version (OCSF metadata.product.version, CEF header); null for "dev"
 * @param processes     process details by entity id beyond those the encoder is shown (e.g. a directory the
 *                      caller feeds from the journal); null for none
 * @param hostAddresses the sensor host's own addresses (which end of a flow is this host); null when unknown
 *                      (a replay, a journal from another host): then home_net decides, as in ECS's network view
 */
public record EncoderContext(String hostName, String agentId, String version, ProcessLookup processes,
                             EventJson.HostAddresses hostAddresses) {
    public EncoderContext {
        if (version == null) version = "dev";
    }

    /** Only a host name (and "dev" as version). */
    public static EncoderContext of(String hostName) {
        return new EncoderContext(hostName, null, null, null, null);
    }

    public EncoderContext withVersion(String v) {
        return new EncoderContext(hostName, agentId, v, processes, hostAddresses);
    }

    public EncoderContext withAgentId(String id) {
        return new EncoderContext(hostName, id, version, processes, hostAddresses);
    }

    public EncoderContext withProcesses(ProcessLookup p) {
        return new EncoderContext(hostName, agentId, version, p, hostAddresses);
    }

    public EncoderContext withHostAddresses(EventJson.HostAddresses h) {
        return new EncoderContext(hostName, agentId, version, processes, h);
    }
}
