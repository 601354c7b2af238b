import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * The development key pair for a machine without openssl (server-config/lib.sh, ensure_dev_keys),
 * with the JDK alone: {@code java server-config/DevKeyPair.java DIR} writes DIR/private.pem (PKCS#8)
 * and DIR/public.pem (X.509 SubjectPublicKeyInfo), RSA 2048, the forms openssl writes.
 */
public class DevKeyPair {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        write(dir.resolve("private.pem"), "PRIVATE KEY", pair.getPrivate().getEncoded());
        write(dir.resolve("public.pem"), "PUBLIC KEY", pair.getPublic().getEncoded());
    }

    private static void write(Path file, String label, byte[] der) throws Exception {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(
                file,
                "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n",
                StandardCharsets.US_ASCII);
    }
}
