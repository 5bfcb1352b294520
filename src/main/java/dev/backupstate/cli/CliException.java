package dev.backupstate.cli;

/** A command that cannot go on: the message is printed as is, the exit code tells scripts why. */
public final class CliException extends RuntimeException {

    private final Exit exit;

    public CliException(Exit exit, String message) {
        super(message);
        this.exit = exit;
    }

    public Exit exit() {
        return exit;
    }
}
