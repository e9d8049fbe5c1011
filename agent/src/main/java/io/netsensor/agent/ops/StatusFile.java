package io.netsensor.agent.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * DATA_DIR/status.json: the health document of the agent that writes this data dir, rewritten every
 * sample (and marked stopped at a clean stop), so `netsensor status` works without the HTTP endpoint and
 * tells a crashed agent (its pid gone, state still running) from a stopped one. Written to a temporary
 * file and renamed, so a reader never sees half a document.
 */
public final class StatusFile {
    public static final String NAME = "status.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file, tmp;

    public StatusFile(Path dataDir) {
        this.file = dataDir.resolve(NAME);
        this.tmp = dataDir.resolve(NAME + ".tmp");
    }

    public Path path() {
        return file;
    }

    void write(JsonNode doc) throws IOException {
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The document, or null when there is none (no agent ever ran with this data dir). */
    public JsonNode read() throws IOException {
        try {
            return JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not a status document (" + e.getOriginalMessage() + ")", e);
        }
    }
}
