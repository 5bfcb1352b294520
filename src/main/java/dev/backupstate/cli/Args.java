package dev.backupstate.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command line's words and flags: {@code --flag value}, {@code --flag=value}, {@code -l value},
 * {@code -o value}, and switches without a value. A flag the command does not take is refused, named.
 */
final class Args {

    private static final Map<String, String> SHORT = Map.of("-l", "--selector", "-o", "--output");

    final List<String> words = new ArrayList<>();
    private final Map<String, String> flags = new HashMap<>();

    private Args() {
    }

    /** {@code valued}: flags that take a value; {@code switches}: flags that do not. */
    static Args parse(List<String> arguments, Set<String> valued, Set<String> switches) {
        Args args = new Args();
        for (int i = 0; i < arguments.size(); i++) {
            String word = arguments.get(i);
            if (!word.startsWith("-") || word.equals("-")) {
                args.words.add(word);
                continue;
            }
            String name = word;
            String value = null;
            int equals = word.indexOf('=');
            if (word.startsWith("--") && equals > 0) {
                name = word.substring(0, equals);
                value = word.substring(equals + 1);
            }
            name = SHORT.getOrDefault(name, name);
            if (switches.contains(name) && value == null) {
                args.flags.put(name, "true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= arguments.size()) {
                        throw new CliException(Exit.USAGE, name + " needs a value");
                    }
                    value = arguments.get(++i);
                }
                args.flags.put(name, value);
            } else {
                List<String> known = new ArrayList<>(valued);
                known.addAll(switches);
                java.util.Collections.sort(known);
                throw new CliException(Exit.USAGE, "unknown flag " + word + "; this command takes " + known);
            }
        }
        return args;
    }

    String flag(String name) {
        return flags.get(name);
    }

    String required(String name) {
        String value = flags.get(name);
        if (value == null || value.isBlank()) {
            throw new CliException(Exit.USAGE, name + " is required");
        }
        return value;
    }

    boolean on(String name) {
        return "true".equals(flags.get(name));
    }

    String word(int index, String what) {
        if (words.size() <= index) {
            throw new CliException(Exit.USAGE, what + " is required");
        }
        return words.get(index);
    }
}
