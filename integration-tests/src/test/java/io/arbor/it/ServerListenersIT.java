package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server around Arbor (docs/security.md): the test domain that {@code server-config/test.sh}
 * provisioned, as the scripts leave every domain. Only the HTTP listeners face the network; the
 * admin port, IIOP, JMX and the data grid listen on loopback, JMS not at all; and the admin port
 * refuses a management request without the admin password. No deployment needed: it looks at the
 * server's process and admin port from outside.
 */
class ServerListenersIT {
    private static final Path PAYARA = Path.of(System.getProperty("arbor.payara.home"));
    private static final Path DOMAIN =
            PAYARA.resolve("glassfish/domains/" + System.getProperty("arbor.domain"));
    private static final Path DOMAIN_XML = DOMAIN.resolve("config/domain.xml");
    private static final int ADMIN_PORT = Integer.parseInt(System.getProperty("arbor.admin.port"));
    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    @Test
    void onlyTheHttpListenersFaceTheNetwork() throws IOException {
        int http = listenerPort("http-listener-1");
        int https = listenerPort("http-listener-2");
        List<Listeners.Socket> sockets = Listeners.of(Listeners.pidOf(DOMAIN));
        List<Listeners.Socket> exposed = new ArrayList<>();
        for (Listeners.Socket socket : sockets) {
            if (socket.facesTheNetwork() && socket.port() != http && socket.port() != https) {
                exposed.add(socket);
            }
        }
        assertEquals(List.of(), exposed, "listening beyond loopback besides HTTP; all: " + sockets);
        assertTrue(
                sockets.stream().anyMatch(s -> s.port() == ADMIN_PORT),
                "the admin port listens (on loopback): " + sockets);
        assertTrue(
                sockets.stream().anyMatch(s -> s.port() == http),
                "the HTTP port listens: " + sockets);
    }

    @Test
    void theDataGridListensOnItsInterfaceOnly() throws IOException {
        int grid =
                Listeners.port(
                        DOMAIN_XML, "<hazelcast-runtime-configuration [^>]*>", "das-port", 4900);
        InetAddress iface =
                InetAddress.getByName(
                        System.getenv().getOrDefault("ARBOR_GRID_INTERFACE", "127.0.0.1"));
        List<Listeners.Socket> sockets = Listeners.of(Listeners.pidOf(DOMAIN));
        List<Listeners.Socket> onGridPort = sockets.stream().filter(s -> s.port() == grid).toList();
        assertEquals(
                List.of(new Listeners.Socket(iface, grid)),
                onGridPort,
                "the DAS's data-grid port " + grid + "; all: " + sockets);
    }

    @Test
    void theAdminPortRefusesAnAnonymousManagementRequest() throws Exception {
        assertEquals(401, management(null).statusCode(), "GET /management/... without credentials");
        String password = System.getenv("ARBOR_ADMIN_PASSWORD");
        assertFalse(
                password == null || password.isEmpty(), "ARBOR_ADMIN_PASSWORD (test.sh sets it)");
        assertEquals(200, management("admin:" + password).statusCode(), "with the admin password");
        assertEquals(401, management("admin:not-the-password").statusCode(), "a wrong password");
    }

    @Test
    void theAdminPortCannotBeReachedThroughTheHostsOtherAddresses() throws IOException {
        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                nic.inetAddresses()
                        .filter(a -> a instanceof Inet4Address || !a.isLinkLocalAddress())
                        .forEach(others::add);
            }
        }
        assumeFalse(others.isEmpty(), "this host has no address but loopback");
        for (InetAddress address : others) {
            assertThrows(
                    ConnectException.class,
                    () -> {
                        try (java.net.Socket s = new java.net.Socket()) {
                            s.connect(new InetSocketAddress(address, ADMIN_PORT), 5000);
                        }
                    },
                    "admin port " + ADMIN_PORT + " reachable on " + address.getHostAddress());
        }
    }

    private static int listenerPort(String name) throws IOException {
        int port =
                Listeners.port(
                        DOMAIN_XML,
                        "<network-listener [^>]*name=\"" + name + "\"[^>]*>",
                        "port",
                        -1);
        assertTrue(port > 0, "no literal port for " + name + " in " + DOMAIN_XML);
        return port;
    }

    private static HttpResponse<String> management(String credentials) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:"
                                                + ADMIN_PORT
                                                + "/management/domain/applications/application"))
                        .header("Accept", "application/json")
                        .timeout(Duration.ofSeconds(30));
        if (credentials != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
