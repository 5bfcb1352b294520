package dev.backupstate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The project's rules/ copied with edits, as ops staff edit them: a test that needs a time limit of
 * seconds instead of minutes runs its engine on the copy ({@code bse.rules.directory}). Each edit must
 * find its text, so a rule that changes breaks the test that relied on it, loudly.
 */
public final class EditedRules {

    private final Path directory;

    private EditedRules(Path directory) {
        this.directory = directory;
    }

    /** A copy of rules/ (with its scenarios) in {@code target}. */
    public static EditedRules copy(Path target) {
        Path source = Path.of("rules");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("copying rules/ to " + target, e);
        }
        return new EditedRules(target);
    }

    /** Replaces every {@code text} in {@code file} (relative to rules/), which must hold it. */
    public EditedRules edit(String file, String text, String replacement) {
        Path path = directory.resolve(file);
        try {
            String content = Files.readString(path);
            assertThat(content).as("rules/" + file + " still says " + text).contains(text);
            Files.writeString(path, content.replace(text, replacement));
        } catch (IOException e) {
            throw new UncheckedIOException("editing " + path, e);
        }
        return this;
    }

    /** The time limit a rules file defines as {@code function long NAME() { return N; }}, set to {@code seconds}. */
    public EditedRules limit(String file, String function, long seconds) {
        Path path = directory.resolve(file);
        try {
            String content = Files.readString(path);
            java.util.regex.Matcher limit = java.util.regex.Pattern.compile("(function long " + function + "\\(\\) \\{\\s*return )\\d+;")
                    .matcher(content);
            assertThat(limit.find()).as("rules/" + file + " defines the limit " + function + "()").isTrue();
            Files.writeString(path, limit.replaceFirst("$1" + seconds + ";"));
        } catch (IOException e) {
            throw new UncheckedIOException("editing " + path, e);
        }
        return this;
    }

    /** The directory to give the engine as bse.rules.directory. */
    public String directory() {
        return directory.toString();
    }
}
