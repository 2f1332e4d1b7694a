import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * A real Neo4j DBMS (the embedded Community edition) with its Bolt connector on 127.0.0.1.
 *
 * <p>Arguments: HOME PORT PLUGINS. PORT 0 takes a free port. Authentication is on; the
 * password of the user {@code neo4j} comes from {@code NEO4J_PASSWORD}. Prints one line
 * {@code bolt://127.0.0.1:PORT} once Bolt accepts connections, then stays in the foreground
 * until it is killed; SIGTERM or SIGINT shuts the DBMS down cleanly.
 */
public final class Neo4jTestServer {
    /** Settings the builder takes only from a file: Bolt waits 5 s twice for idle
     * connections at shutdown, which a test server need not. */
    private static Path writeInternalSettings(Path home) throws IOException {
        Files.createDirectories(home);
        Path conf = home.resolve("autograph-test-server.conf");
        Files.writeString(conf, String.join("\n",
                "internal.server.bolt.thread_pool_shutdown_wait_time=0s",
                "internal.server.bolt.connection_shutdown_wait_time=0s", ""));
        return conf;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Neo4jTestServer HOME PORT PLUGINS");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        Path plugins = Path.of(args[2]).toAbsolutePath();
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) {
            System.err.println("NEO4J_PASSWORD is not set");
            System.exit(2);
        }
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.plugin_dir, plugins)
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("gds.*"))
                .setConfig(GraphDatabaseSettings.pagecache_memory,
                        Long.getLong("autograph.pagecache", 256L << 20))
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
                .loadPropertiesFromFile(writeInternalSettings(home))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));
        // The embedded API runs without authentication: set the password the tests log in with.
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (QueryExecutionException err) {
            // A home started before with the same password: nothing to change.
            if (!String.valueOf(err.getMessage()).contains("cannot be the same")) {
                throw err;
            }
        }
        GraphDatabaseAPI db = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        var bolt = db.getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        System.out.println("bolt://127.0.0.1:" + bolt.getPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
