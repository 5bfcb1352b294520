package dev.backupstate.rules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a rule is written: its file in the rules directory and the line of its {@code rule "NAME"}. */
public record RuleSource(String rule, String file, int line) {

    private static final Pattern RULE = Pattern.compile("^\\s*rule\\s+(?:\"([^\"]+)\"|'([^']+)'|(\\S+))");

    /** Every rule of the files, in file order, then line order. */
    static List<RuleSource> of(Map<String, byte[]> files) {
        List<RuleSource> sources = new ArrayList<>();
        files.forEach((file, content) -> {
            if (!file.endsWith(".drl")) {
                return;
            }
            String[] lines = new String(content, StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher found = RULE.matcher(lines[i]);
                if (found.find()) {
                    String name = found.group(1) != null ? found.group(1) : found.group(2) != null ? found.group(2) : found.group(3);
                    sources.add(new RuleSource(name, file, i + 1));
                }
            }
        });
        return List.copyOf(sources);
    }

    /** "backups.drl:42". */
    public String where() {
        return file + ":" + line;
    }
}
