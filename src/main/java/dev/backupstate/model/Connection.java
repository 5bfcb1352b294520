package dev.backupstate.model;

/** Matrix row 9 (Federated only): one backup location as seen from one cluster. */
public record Connection(String location, String cluster, ConnectionState state, String cause, String uid) implements Resource {

    /** Not yet created: the decision loop gives it its uid when a decision creates it. */
    public Connection(String location, String cluster, ConnectionState state, String cause) {
        this(location, cluster, state, cause, null);
    }

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
        return new Connection(location, cluster, next, why, uid);
    }

    @Override
    public Connection withUid(String identity) {
        return new Connection(location, cluster, state, cause, identity);
    }
}
