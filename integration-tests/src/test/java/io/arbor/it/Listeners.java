package io.arbor.it;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TCP sockets a process listens on, read from Linux's {@code /proc} (what {@code ss -ltnp}
 * shows, without needing it installed): the process's socket inodes from {@code /proc/PID/fd},
 * matched against the listening entries of {@code /proc/net/tcp} and {@code tcp6}.
 */
final class Listeners {
    private Listeners() {}

    /** One listening socket: its local address ({@code 0.0.0.0} or {@code ::}: every interface). */
    record Socket(InetAddress address, int port) {
        /** True when a client on another host could connect: not a loopback address. */
        boolean facesTheNetwork() {
            return !address.isLoopbackAddress();
        }

        @Override
        public String toString() {
            return address.getHostAddress() + ":" + port;
        }
    }

    /** The listening TCP sockets of process {@code pid}. */
    static List<Socket> of(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds =
                Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while we listed them
                }
            }
        }
        List<Socket> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path, StandardCharsets.US_ASCII);
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid
                // timeout inode ...; state 0A is LISTEN
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && "0A".equals(f[3]) && inodes.contains(f[9])) {
                    String[] local = f[1].split(":");
                    listening.add(new Socket(address(local[0]), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return listening;
    }

    /** The kernel prints an address as hex bytes, each 32-bit word in the host's byte order. */
    private static InetAddress address(String hex) throws IOException {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            for (int w = 0; w < b.length; w += 4) {
                byte t = b[w];
                b[w] = b[w + 3];
                b[w + 3] = t;
                t = b[w + 1];
                b[w + 1] = b[w + 2];
                b[w + 2] = t;
            }
        }
        return InetAddress.getByAddress(b);
    }

    /** The pid a Payara server (DAS or instance) wrote into its {@code config/pid}. */
    static long pidOf(Path serverRoot) throws IOException {
        return Long.parseLong(Files.readString(serverRoot.resolve("config/pid")).trim());
    }

    /** The literal port of the first element of domain.xml that matches {@code elementRegex}. */
    static int port(Path domainXml, String elementRegex, String attribute, int fallback)
            throws IOException {
        Matcher element = Pattern.compile(elementRegex).matcher(Files.readString(domainXml));
        if (!element.find()) {
            return fallback;
        }
        Matcher port = Pattern.compile(" " + attribute + "=\"(\\d+)\"").matcher(element.group());
        return port.find() ? Integer.parseInt(port.group(1)) : fallback;
    }
}
