package io.netsensor.capture.attrib;

/**
 * The container id in a cgroup path, as container runtimes name their cgroups:
 * Docker ({@code /docker/ID}, {@code docker-ID.scope}), containerd/CRI ({@code cri-containerd-ID.scope},
 * {@code .../kubepods/.../podUID/ID}), CRI-O ({@code crio-ID.scope}), Podman ({@code libpod-ID.scope},
 * with a {@code container} leaf below it when the container has its own cgroup namespace). The id is the
 * 64 hex digits; null when the names carry none (not in a container).
 */
final class ContainerIds {
    private ContainerIds() {}

    /** From the leaf cgroup's directory name and its parent's (either may be null). */
    static String of(String leaf, String parent) {
        String id = idIn(leaf);
        if (id == null && parent != null && (leaf == null || leaf.equals("container") || leaf.isEmpty())) id = idIn(parent);
        return id;
    }

    /** From a whole path as /proc/PID/cgroup shows it: the deepest component that names a container. */
    static String ofPath(String path) {
        if (path == null) return null;
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            String id = idIn(parts[i]);
            if (id != null) return id;
        }
        return null;
    }

    /** 64 hex digits forming the whole name, or between a runtime prefix ending in '-' and ".scope". */
    static String idIn(String name) {
        if (name == null) return null;
        String s = name.endsWith(".scope") ? name.substring(0, name.length() - 6) : name;
        int dash = s.lastIndexOf('-');
        if (dash >= 0) s = s.substring(dash + 1);
        if (s.length() != 64) return null;
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return null;
        }
        return s;
    }
}
