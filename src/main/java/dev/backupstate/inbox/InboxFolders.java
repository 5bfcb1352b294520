package dev.backupstate.inbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file drop's folders: {@code inbox/USER/} and {@code outbox/USER/} for each configured user,
 * made at start with permissions rwx------ , so that only their owner (and root) can write or read
 * them. When an OS account of the same name exists and the engine may hand it over (it runs as
 * root), the folder becomes that account's; otherwise it stays the engine's account's, and an
 * operator grants it (chown, an ACL) as the README's "Security" section says.
 */
public final class InboxFolders {

    private static final Logger LOG = LoggerFactory.getLogger(InboxFolders.class);

    private InboxFolders() {
    }

    public static void prepare(Path inbox, Path outbox, Collection<String> users) {
        for (String user : users) {
            make(inbox.resolve(user), user);
            make(outbox.resolve(user), user);
        }
    }

    private static void make(Path folder, String user) {
        try {
            Files.createDirectories(folder);
            PosixFileAttributeView posix = Files.getFileAttributeView(folder, PosixFileAttributeView.class);
            if (posix == null) {
                return;
            }
            posix.setPermissions(PosixFilePermissions.fromString("rwx------"));
            UserPrincipal account;
            try {
                account = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
            } catch (IOException noSuchAccount) {
                return;
            }
            if (!account.equals(posix.getOwner())) {
                try {
                    posix.setOwner(account);
                } catch (IOException notAllowed) {
                    LOG.info("{} stays the engine's: only root may hand it to the OS account {}", folder, user);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the inbox folder " + folder, e);
        }
    }
}
