package dev.jnetns.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The independent eye: runs iproute2 ({@code ip -j}, {@code tc -j}) in a child process started from a thread
 * inside the namespace, so the child inherits it, and parses the JSON (tests only).
 */
public final class Ip {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, Object>>> ARRAY_OF_OBJECTS = new TypeReference<>() {};

    private Ip() {}

    /** A JSON array of objects, as {@code ip -j} and {@code tc -j} print. */
    public static List<Map<String, Object>> parseArray(String json) {
        try {
            return JSON.readValue(json, ARRAY_OF_OBJECTS);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not a JSON array of objects: " + json, e);
        }
    }

    public static String run(NsFd ns, String... command) {
        try {
            return runChecked(ns, command);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(Arrays.toString(command) + ": " + e, e);
        }
    }

    private static String runChecked(NsFd ns, String... command) throws Exception {
        return Netns.execute(ns, () -> {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            p.getOutputStream().close();
            String out;
            String err;
            // closed here, not left to the JDK's process reaper, so the descriptor count is exact afterwards
            try (InputStream stdout = p.getInputStream();
                    InputStream stderr = p.getErrorStream()) {
                out = drain(stdout);
                err = drain(stderr);
            }
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(Arrays.toString(command) + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(Arrays.toString(command) + " failed (" + p.exitValue() + "): " + err + out);
            }
            return out;
        });
    }

    private static String drain(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** {@code ip -j -d link} in {@code ns}. */
    public static List<Map<String, Object>> links(NsFd ns) {
        return parseArray(run(ns, "ip", "-j", "-d", "link", "show"));
    }

    public static List<String> linkNames(NsFd ns) {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> l : links(ns)) {
            names.add((String) l.get("ifname"));
        }
        return names;
    }

    /** The {@code ip -j -d link} entry for {@code name}, or null. */
    public static Map<String, Object> link(NsFd ns, String name) {
        for (Map<String, Object> l : links(ns)) {
            if (Objects.equals(l.get("ifname"), name)) {
                return l;
            }
        }
        return null;
    }

    public static List<Map<String, Object>> addrs(NsFd ns) {
        return parseArray(run(ns, "ip", "-j", "addr", "show"));
    }

    public static List<Map<String, Object>> routes(NsFd ns, String family) {
        return parseArray(run(ns, "ip", "-j", family, "route", "show"));
    }

    public static List<Map<String, Object>> qdiscs(NsFd ns) {
        return parseArray(run(ns, "tc", "-j", "qdisc", "show"));
    }

    // the caller knows the shape of ip's JSON, so the value's type is the caller's to name
    @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
    public static <T> T get(Map<String, Object> map, String... path) {
        Object v = map;
        for (String key : path) {
            if (!(v instanceof Map)) {
                return null;
            }
            v = ((Map<String, Object>) v).get(key);
        }
        return (T) v;
    }

    public static long num(Object o) {
        return ((Number) o).longValue();
    }
}
