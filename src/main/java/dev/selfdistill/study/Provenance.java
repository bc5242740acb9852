package dev.selfdistill.study;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Versions and machine facts recorded with every study, so a result can be traced and replayed. */
public final class Provenance {
    private Provenance() {}

    /** Returns Java, OS, DJL and engine versions, core count, thread settings and git commit. */
    public static Map<String, String> collect() {
        Map<String, String> facts = new LinkedHashMap<>();
        // The version comes from the jar's manifest; classes run from target/classes (the tests)
        // have none.
        String version = Provenance.class.getPackage().getImplementationVersion();
        facts.put("selfdistill", version != null ? version : "development build");
        facts.put("git_commit", gitCommit());
        facts.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        facts.put("cpu_cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        Engine engine = Engine.getInstance();
        facts.put("djl", Engine.getDjlVersion());
        facts.put("engine", engine.getEngineName() + " " + engine.getVersion());
        facts.put("device", engine.defaultDevice().toString());
        facts.put("torch_threads", System.getProperty("ai.djl.pytorch.num_threads", "engine default"));
        facts.put("max_heap_mib", String.valueOf(Runtime.getRuntime().maxMemory() >> 20));
        return facts;
    }

    /** Returns the commit of the working directory's git checkout, or {@code unknown}. */
    static String gitCommit() {
        try {
            Process process = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(true).start();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "unknown";
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.exitValue() == 0 && output.matches("[0-9a-f]+") ? output : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
