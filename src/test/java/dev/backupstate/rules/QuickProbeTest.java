package dev.backupstate.rules;
import dev.backupstate.engine.*;
import dev.backupstate.model.*;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
class QuickProbeTest {
  @Test void probe() {
    RuleBook book = RuleBook.load(Path.of("rules"));
    InMemoryCatalog c = new InMemoryCatalog();
    c.put(new User("alice", UserState.ACTIVE, false));
    FactLoader l = new FactLoader(c, Mode.FEDERATED);
    for (Event e : new Event[]{ new Request.SetUserState("bob", UserState.ACTIVE, false),
        new Request.CreateDiscoveryConfig("d", "p", "", 20, "k"),
        new Request.DeleteBackup("nope", false)}) {
      System.out.println(book.evaluate(l.factsFor(new Envelope("r", "alice", Source.REST, Instant.now(), e))));
    }
    l = new FactLoader(c, Mode.CLASSIC);
    System.out.println(book.evaluate(l.factsFor(new Envelope("r", "alice", Source.REST, Instant.now(), new Request.CreateDiscoveryConfig("d", "p", "", 20, "k")))));
  }
}
