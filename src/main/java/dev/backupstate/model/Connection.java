package dev.backupstate.model;

/** Matrix row 9 (Federated only): one backup location as seen from one cluster. */
public record Connection(String location, String cluster, ConnectionState state, String cause) implements Resource {

    public static String nameOf(String location, String cluster) {
        return location + ":" + cluster;
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.CONNECTION;
    }

    @Override
    public String name() {
        return nameOf(location, cluster);
    }

    public Connection withState(ConnectionState next, String why) {
        return new Connection(location, cluster, next, why);
    }
}
