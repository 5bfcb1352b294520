package dev.backupstate.app;

import java.util.List;

/** {@code --context NAME} among a command's arguments, as every verb of the command line takes it. */
final class ContextArgument {

    private ContextArgument() {
    }

    /** Removes {@code --context NAME} (or {@code --context=NAME}) from {@code arguments}; the name, or null when not given. */
    static String take(List<String> arguments) {
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (argument.startsWith("--context=")) {
                arguments.remove(i);
                return named(argument.substring("--context=".length()));
            }
            if (argument.equals("--context")) {
                if (i + 1 >= arguments.size()) {
                    throw new IllegalArgumentException("--context needs a context's name (`bse config get-contexts` lists them)");
                }
                String name = arguments.remove(i + 1);
                arguments.remove(i);
                return named(name);
            }
        }
        return null;
    }

    private static String named(String name) {
        if (name.isBlank() || name.startsWith("-")) {
            throw new IllegalArgumentException("--context needs a context's name (`bse config get-contexts` lists them)");
        }
        return name;
    }
}
