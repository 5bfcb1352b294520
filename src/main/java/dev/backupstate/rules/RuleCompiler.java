package dev.backupstate.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;

/**
 * Compiles every {@code *.drl} file of a rules directory into a {@link RuleBase}. Each build gets
 * its own KieFileSystem and release id: Drools keeps modules by release id, and reusing one would
 * mix generations. A build with errors is refused with each problem's file and line.
 */
final class RuleCompiler {

    /** Drools only compiles DRL under this folder of the in-memory module. */
    private static final String MODULE_FOLDER = "src/main/resources/dev/backupstate/rules/";

    private final KieServices kie = KieServices.Factory.get();

    /** The rule files of the directory and their digests, in name order; read once per attempt. */
    Map<String, byte[]> read(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new RuleCompilationException(List.of(new RuleProblem(directory.toString(), 0,
                    "is not a directory")));
        }
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path file : (Iterable<Path>) entries::iterator) {
                String name = file.getFileName().toString();
                if ((name.endsWith(".drl") || name.equals(ReasonCodes.FILE)) && Files.isRegularFile(file)) {
                    files.put(name, Files.readAllBytes(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rules directory " + directory, e);
        }
        if (files.keySet().stream().noneMatch(name -> name.endsWith(".drl"))) {
            throw new RuleCompilationException(List.of(new RuleProblem(directory.toString(), 0,
                    "holds no .drl files: refusing to run without rules")));
        }
        return files;
    }

    static Map<String, String> digests(Map<String, byte[]> files) {
        Map<String, String> digests = new TreeMap<>();
        files.forEach((name, content) -> digests.put(name, sha256(content)));
        return digests;
    }

    RuleBase compile(Map<String, byte[]> files, long generation, java.time.Instant at) {
        ReleaseId releaseId = kie.newReleaseId("dev.backupstate", "rules", "1.0." + generation);
        KieFileSystem module = kie.newKieFileSystem();
        module.generateAndWritePomXML(releaseId);
        List<RuleProblem> problems = new ArrayList<>();
        // the reason codes ops staff declared, and every code the rules refuse with, checked before Drools compiles
        ReasonCodes reasons = ReasonCodes.read(files, problems);
        reasons.check(files, problems);
        if (!problems.isEmpty()) {
            throw new RuleCompilationException(problems);
        }
        files.forEach((name, content) -> {
            if (name.endsWith(".drl")) {
                module.write(MODULE_FOLDER + name, content);
            }
        });
        KieBuilder builder = kie.newKieBuilder(module).buildAll();
        for (Message message : builder.getResults().getMessages(Message.Level.ERROR)) {
            problems.add(new RuleProblem(fileOf(message), message.getLine(), message.getText().trim()));
        }
        if (!problems.isEmpty()) {
            kie.getRepository().removeKieModule(releaseId);
            throw new RuleCompilationException(problems);
        }
        return new RuleBase(generation, releaseId, kie.newKieContainer(releaseId), digests(files), RuleSource.of(files), at, reasons);
    }

    private static String fileOf(Message message) {
        String path = message.getPath();
        if (path == null) {
            return "(rules)";
        }
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    static List<String> names(Map<String, ?> files) {
        return List.copyOf(files.keySet());
    }
}
