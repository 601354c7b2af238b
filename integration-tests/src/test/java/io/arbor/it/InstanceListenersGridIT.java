package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The grid's instances (arbor-a and arbor-b of {@code server-config/grid.sh}) as the scripts leave
 * them, like {@link ServerListenersIT} for the DAS: only their HTTP listeners face the network, and
 * each one's data-grid port listens on the configured interface only.
 */
class InstanceListenersGridIT {
    private static final Path PAYARA = Path.of(System.getProperty("arbor.payara.home"));
    private static final String DOMAIN = System.getProperty("arbor.domain");
    private static final Path DOMAIN_XML =
            PAYARA.resolve("glassfish/domains/" + DOMAIN + "/config/domain.xml");
    private static final Path NODE = PAYARA.resolve("glassfish/nodes/localhost-" + DOMAIN);

    @Test
    void onlyTheInstancesHttpListenersFaceTheNetwork() throws IOException {
        for (String instance : List.of("arbor-a", "arbor-b")) {
            int http = port(instance, "HTTP_LISTENER_PORT");
            int https = port(instance, "HTTP_SSL_LISTENER_PORT");
            int grid = port(instance, "HZ_LISTENER_PORT");
            List<Listeners.Socket> sockets = Listeners.of(Listeners.pidOf(NODE.resolve(instance)));
            List<Listeners.Socket> exposed = new ArrayList<>();
            for (Listeners.Socket socket : sockets) {
                if (socket.facesTheNetwork() && socket.port() != http && socket.port() != https) {
                    exposed.add(socket);
                }
            }
            assertEquals(List.of(), exposed, instance + " listens beyond loopback: " + sockets);
            assertTrue(sockets.stream().anyMatch(s -> s.port() == http), instance + ": " + sockets);
            InetAddress iface =
                    InetAddress.getByName(
                            System.getenv().getOrDefault("ARBOR_GRID_INTERFACE", "127.0.0.1"));
            assertEquals(
                    List.of(new Listeners.Socket(iface, grid)),
                    sockets.stream().filter(s -> s.port() == grid).toList(),
                    instance + "'s data-grid port; all: " + sockets);
        }
    }

    /** A port grid.sh gave the instance, as a system property of its server element. */
    private static int port(String instance, String property) throws IOException {
        Matcher server =
                Pattern.compile(
                                "<server [^>]*name=\"" + instance + "\"[^>]*>.*?</server>",
                                Pattern.DOTALL)
                        .matcher(Files.readString(DOMAIN_XML));
        if (!server.find()) {
            fail("no server " + instance + " in " + DOMAIN_XML);
        }
        Matcher value =
                Pattern.compile(
                                "<system-property [^>]*name=\""
                                        + property
                                        + "\"[^>]*value=\"(\\d+)\"|<system-property [^>]*value=\"(\\d+)\"[^>]*name=\""
                                        + property
                                        + "\"")
                        .matcher(server.group());
        if (!value.find()) {
            fail("no " + property + " for " + instance + " in " + DOMAIN_XML);
        }
        return Integer.parseInt(value.group(1) != null ? value.group(1) : value.group(2));
    }
}
