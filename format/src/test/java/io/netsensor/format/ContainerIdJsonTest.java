package io.netsensor.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ECS container.id on the documents of a process in a container; absent for one that is not. */
class ContainerIdJsonTest {
    @Test
    void connectionDnsAndAlertDocumentsOfAContainerizedProcessCarryContainerId() {
        Map<String, JsonNode> docs = Documents.all();
        for (String name : new String[] {"conn open, attributed to a process in a container",
                "dns answered, attributed to a process in a container", "alert beacon, process in a container"}) {
            JsonNode d = docs.get(name);
            assertThat(d.at("/container/id").asText()).as(name).isEqualTo(Documents.IN_CONTAINER.containerId);
            assertThat(d.at("/process/pid").asInt()).as(name).isEqualTo(77);
            assertThat(d.at("/process/executable").asText()).as(name).isEqualTo("/usr/sbin/nginx");
        }
    }

    @Test
    void aProcessOutsideAContainerHasNoContainerObject() {
        Map<String, JsonNode> docs = Documents.all();
        for (String name : new String[] {"conn open, host view, attributed", "dns answered, host view, attributed",
                "alert beacon, host with process", "alert beacon, identity-only process"}) {
            assertThat(docs.get(name).has("container")).as(name).isFalse();
        }
    }
}
