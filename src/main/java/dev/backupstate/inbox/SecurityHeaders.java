package dev.backupstate.inbox;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The headers every answer of the API's port carries (API, console, OpenAPI, sandbox): nothing is
 * cached ({@code Cache-Control: no-store}), nothing is sniffed, no page is framed, no referrer leaves.
 * Set on Vert.x's response as it is written, because Camel's HTTP header filter drops
 * {@code Cache-Control} and {@code Pragma} from what a route sets.
 */
public final class SecurityHeaders {

    private SecurityHeaders() {
    }

    /** Adds them to every answer of the main HTTP server of {@code context}, listening on {@code port}. */
    public static void install(CamelContext context, int port) {
        // the main server's router is registered under its port's name
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            throw new IllegalStateException("no HTTP server on port " + port + " to set the answers' security headers on");
        }
        router.route().order(Integer.MIN_VALUE).handler(SecurityHeaders::onEveryAnswer);
    }

    private static void onEveryAnswer(RoutingContext context) {
        context.addHeadersEndHandler(ignored -> {
            MultiMap headers = context.response().headers();
            headers.set("Cache-Control", "no-store");
            headers.set("Pragma", "no-cache");
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            if (!headers.contains("Referrer-Policy")) {
                headers.set("Referrer-Policy", "no-referrer");
            }
        });
        context.next();
    }
}
