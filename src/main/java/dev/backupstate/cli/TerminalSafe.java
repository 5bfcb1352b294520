package dev.backupstate.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What the CLI prints passes through here: text that came from the engine (names, causes, Stork's Event
 * messages) may hold control characters, and a terminal obeys them (an escape sequence can rewrite the
 * screen, a carriage return can hide a line). C0 controls other than newline and tab, DEL, and the C1
 * controls (U+0080 to U+009F, two bytes in UTF-8) are dropped; everything else passes as written.
 */
final class TerminalSafe extends FilterOutputStream {

    /** The first byte of a two-byte UTF-8 sequence for U+0080..U+00BF. */
    private static final int C2 = 0xC2;
    private boolean afterC2;

    private TerminalSafe(OutputStream out) {
        super(out);
    }

    static PrintStream wrap(PrintStream out) {
        return new PrintStream(new TerminalSafe(out), true, StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) throws IOException {
        int value = b & 0xFF;
        if (afterC2) {
            afterC2 = false;
            if (value >= 0x80 && value <= 0x9F) {
                return; // a C1 control: dropped with its lead byte
            }
            out.write(C2);
        }
        if (value == C2) {
            afterC2 = true;
            return;
        }
        if (value < 0x20 && value != '\n' && value != '\t' || value == 0x7F) {
            return;
        }
        out.write(value);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        for (int i = 0; i < length; i++) {
            write(bytes[offset + i]);
        }
    }
}
