package dev.backupstate.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads a rule book when a DRL file of its directory is added, changed or removed. Editors save in
 * bursts (temp file, rename, touch), so a reload waits for the directory to be quiet for a moment.
 */
public final class RuleDirectoryWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuleDirectoryWatcher.class);

    private final RuleBook book;
    private final Duration quiet;
    private final WatchService watcher;
    private final ScheduledExecutorService reloader;
    private final Thread listener;
    private ScheduledFuture<?> pending;

    private RuleDirectoryWatcher(RuleBook book, Duration quiet) throws IOException {
        this.book = book;
        this.quiet = quiet;
        this.watcher = book.directory().getFileSystem().newWatchService();
        book.directory().register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        this.reloader = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "rules-reload"));
        this.listener = daemon(this::listen, "rules-watch");
        listener.start();
    }

    /** Starts watching; {@code quiet} is how long the directory must be still before a reload. */
    public static RuleDirectoryWatcher watch(RuleBook book, Duration quiet) {
        try {
            return new RuleDirectoryWatcher(book, quiet);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch rules directory " + book.directory(), e);
        }
    }

    private void listen() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean rulesChanged = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    Object context = event.context();
                    rulesChanged |= event.kind() == StandardWatchEventKinds.OVERFLOW
                            || context instanceof Path && (context.toString().endsWith(".drl")
                                    || context.toString().equals(ReasonCodes.FILE));
                }
                key.reset();
                if (rulesChanged) {
                    scheduleReload();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void scheduleReload() {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = reloader.schedule(this::reload, quiet.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reload() {
        try {
            book.reload();
        } catch (IllegalStateException closed) {
            LOG.debug("rule book closed; change ignored");
        } catch (RuntimeException e) {
            LOG.error("reloading rules from {} failed", book.directory(), e);
        }
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.warn("closing the rules watcher", e);
        }
        listener.interrupt();
        // Let a reload in flight finish: interrupting the Drools compiler only makes it fail noisily.
        reloader.shutdown();
        try {
            if (!reloader.awaitTermination(10, TimeUnit.SECONDS)) {
                reloader.shutdownNow();
            }
        } catch (InterruptedException e) {
            reloader.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        return thread;
    }
}
