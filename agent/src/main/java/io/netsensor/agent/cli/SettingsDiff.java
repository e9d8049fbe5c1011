package io.netsensor.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netsensor.config.Settings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * The keys whose values differ between two settings, as the config names them ("interface",
 * "detectors.beacon.min_connections"); a list is one value ("sinks", "home_net"). Compared as YAML trees,
 * so a new key is covered without a table to keep up.
 */
final class SettingsDiff {
    private static final ObjectMapper TREE = ConfigCommand.mapper();

    private SettingsDiff() {}

    static List<String> changed(Settings a, Settings b) {
        List<String> out = new ArrayList<>();
        diff("", TREE.valueToTree(a), TREE.valueToTree(b), out);
        return out;
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            for (Iterator<String> i = a.fieldNames(); i.hasNext(); ) keys.add(i.next());
            for (Iterator<String> i = b.fieldNames(); i.hasNext(); ) keys.add(i.next());
            for (String k : keys) diff(path.isEmpty() ? k : path + "." + k, a.get(k), b.get(k), out);
        } else if (a == null ? b != null && !b.isNull() : !a.equals(b) && !(a.isNull() && b == null)) {
            out.add(path);
        }
    }
}
