package dev.backupstate.effects;

import dev.backupstate.engine.DecisionLoop;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.Source;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the effect and follow-up routes call with what they saw: each observation goes through the
 * rules like a request, as the engine itself, and is decided, committed and audited the same way.
 */
public final class Observations {

    private static final Logger LOG = LoggerFactory.getLogger(Observations.class);
    public static final String ENGINE = "engine";

    private final DecisionLoop loop;
    private final Clock clock;

    public Observations(DecisionLoop loop, Clock clock) {
        this.loop = loop;
        this.clock = clock;
    }

    /** A request the engine makes of itself on a timer (a discovery run on its period). */
    public Outcome ask(dev.backupstate.model.Request request) {
        String requestId = "scheduled-" + request.operation() + "-" + UUID.randomUUID();
        return loop.submit(new Envelope(requestId, ENGINE, Source.SCHEDULE, clock.instant(), request));
    }

    public Outcome report(Observation observation) {
        String requestId = "observed-" + observation.operation() + "-" + UUID.randomUUID();
        Outcome outcome = loop.submit(new Envelope(requestId, ENGINE, Source.OBSERVATION, clock.instant(), observation));
        if (!outcome.accepted()) {
            LOG.info("observation {} of {} not applied: {} {}", observation.operation(), observation.subject(),
                    outcome.reason(), outcome.message());
        }
        return outcome;
    }
}
