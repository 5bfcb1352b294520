package dev.backupstate.inbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The console's three files, read once from the classpath ({@code console/}) and served by name: no
 * path from the request ever reaches a file system or a class loader, so {@code /console/../config}
 * and the like are 404. Every answer forbids framing and inline script (the pages have none), so data
 * shown in a page cannot become code.
 */
public final class ConsoleAssets {

    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private record Asset(byte[] body, String type) {
    }

    private final Map<String, Asset> assets = Map.of(
            "index.html", load("index.html", "text/html; charset=utf-8"),
            "console.js", load("console.js", "text/javascript; charset=utf-8"),
            "console.css", load("console.css", "text/css; charset=utf-8"));

    private static Asset load(String name, String type) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console/" + name + " is not on the classpath");
            }
            return new Asset(in.readAllBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void serve(Exchange exchange) {
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, "", String.class);
        String path = uri.replaceFirst("[?#].*$", "");
        // the consumer is mounted at /console: what follows names the file (or nothing: the page)
        String name = path.startsWith("/console") ? path.substring("/console".length()) : path;
        boolean slash = name.startsWith("/");
        name = slash ? name.substring(1) : name;
        exchange.getMessage().removeHeaders("*");
        if (name.isEmpty() && !slash) {
            // relative links in the page resolve against /console/, not /
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
            exchange.getMessage().setHeader("Location", "/console/");
            exchange.getMessage().setBody("");
            return;
        }
        Asset asset = assets.get(name.isEmpty() ? "index.html" : name);
        exchange.getMessage().setHeader("Content-Security-Policy", POLICY);
        exchange.getMessage().setHeader("X-Content-Type-Options", "nosniff");
        exchange.getMessage().setHeader("Referrer-Policy", "no-referrer");
        if (asset == null) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getMessage().setBody("no such page");
            return;
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, asset.type());
        exchange.getMessage().setBody(asset.body());
    }
}
