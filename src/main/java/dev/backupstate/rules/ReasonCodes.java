package dev.backupstate.rules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backupstate.model.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reason codes ops staff declare in rules/ (issue 13), without Java: {@code reasons.yaml}, a list of
 * {@code {code, http, description}}. A rule refuses with one by {@code new Rejection("CODE", "message")};
 * a code no rule file may use unless it is built in ({@link Reason}) or declared here, checked at load
 * with file and line. {@code http} is the REST answer a refusal with that code gets (default 409).
 */
public final class ReasonCodes {

    /** The file in the rules directory. */
    public static final String FILE = "reasons.yaml";
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{1,59}");
    private static final Pattern USED = Pattern.compile("new\\s+Rejection\\s*\\(\\s*\"([^\"]*)\"");
    private static final Set<String> FIELDS = Set.of("code", "http", "description");

    /** One declared code. */
    public record Declared(String code, int http, String description) {
    }

    private final Map<String, Declared> declared;

    private ReasonCodes(Map<String, Declared> declared) {
        this.declared = Map.copyOf(declared);
    }

    static ReasonCodes none() {
        return new ReasonCodes(Map.of());
    }

    public List<Declared> declared() {
        return declared.values().stream().sorted(java.util.Comparator.comparing(Declared::code)).toList();
    }

    public boolean knows(String code) {
        return Reason.of(code) != Reason.DECLARED || declared.containsKey(code);
    }

    /** The REST answer of a refusal with this code: the declared one, else 409. */
    public int http(String code) {
        Declared found = code == null ? null : declared.get(code);
        return found == null ? 409 : found.http();
    }

    /** Reads reasons.yaml (when the directory has one), adding its problems with line numbers. */
    static ReasonCodes read(Map<String, byte[]> files, List<RuleProblem> problems) {
        byte[] content = files.get(FILE);
        if (content == null) {
            return none();
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .readTree(new String(content, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            problems.add(new RuleProblem(FILE, at == null ? 0 : at.getLineNr(), e.getOriginalMessage()));
            return none();
        }
        Map<String, Declared> declared = new LinkedHashMap<>();
        JsonNode list = root == null ? null : root.get("reasons");
        if (list == null || !list.isArray() || root.size() != 1) {
            problems.add(new RuleProblem(FILE, 1, "expected one key, 'reasons', holding a list of {code, http, description}"));
            return none();
        }
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\n", -1);
        int index = 0;
        for (JsonNode entry : list) {
            index++;
            String code = entry.path("code").asText("");
            int line = lineOf(lines, code, index);
            for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    problems.add(new RuleProblem(FILE, line, "reason " + index + ": unknown field '" + name + "' (known: code, http, description)"));
                }
            }
            if (!CODE.matcher(code).matches()) {
                problems.add(new RuleProblem(FILE, line, "reason " + index + ": code '" + code
                        + "' is not CAPITALS_WITH_UNDERSCORES (2 to 60 characters)"));
                continue;
            }
            if (Reason.of(code) != Reason.DECLARED) {
                problems.add(new RuleProblem(FILE, line, "reason " + code + " is built in; declare only new codes"));
                continue;
            }
            JsonNode http = entry.path("http");
            int status = http.isMissingNode() ? 409 : http.isInt() ? http.asInt() : -1;
            if (status < 400 || status > 499) {
                problems.add(new RuleProblem(FILE, line, "reason " + code + ": http is a 4xx status (a refusal is the client's), not " + http));
                continue;
            }
            if (declared.put(code, new Declared(code, status, entry.path("description").asText(""))) != null) {
                problems.add(new RuleProblem(FILE, line, "reason " + code + " is declared twice"));
            }
        }
        return new ReasonCodes(declared);
    }

    /** Every {@code new Rejection("CODE", ...)} in the rule files whose code is neither built in nor declared. */
    void check(Map<String, byte[]> files, List<RuleProblem> problems) {
        files.forEach((file, content) -> {
            if (!file.endsWith(".drl")) {
                return;
            }
            String[] lines = new String(content, StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher used = USED.matcher(lines[i]);
                while (used.find()) {
                    if (!knows(used.group(1))) {
                        problems.add(new RuleProblem(file, i + 1, "reason code '" + used.group(1) + "' is not declared: add it to "
                                + FILE + " (code, http, description) or use a built-in Reason"));
                    }
                }
            }
        });
    }

    private static int lineOf(String[] lines, String code, int index) {
        if (!code.isEmpty()) {
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].contains(code)) {
                    return i + 1;
                }
            }
        }
        return index;
    }

    /** The declared codes as a list, for GET /api/v1/rules. */
    List<Declared> list() {
        return new ArrayList<>(declared());
    }
}
