package dev.ciobridge.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two service secrets: the admin API token and the master key that encrypts stored credentials. Each comes from
 * its property when set; otherwise it is generated once into a file in the data folder (mode 0600) and read from
 * there on every later start. Only the file's path is logged, never the secret.
 */
public final class ServiceSecrets {

    public static final String ADMIN_TOKEN_PROPERTY = "cio-bridge.admin-token";
    public static final String MASTER_KEY_PROPERTY = "cio-bridge.master-key";
    static final String ADMIN_TOKEN_FILE = "admin-token";
    static final String MASTER_KEY_FILE = "master-key";

    private static final Logger LOG = LoggerFactory.getLogger(ServiceSecrets.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] adminTokenHash;
    private final byte[] masterKey;

    private ServiceSecrets(byte[] adminTokenHash, byte[] masterKey) {
        this.adminTokenHash = adminTokenHash;
        this.masterKey = masterKey;
    }

    public static ServiceSecrets load(Settings settings) {
        Path dataDir = settings.dataDir();
        createOwnerOnly(dataDir);
        String adminToken = settings.optional(ADMIN_TOKEN_PROPERTY)
                .orElseGet(() -> readOrGenerate(dataDir.resolve(ADMIN_TOKEN_FILE), ServiceSecrets::newToken, "admin API token"));
        String masterKeyText = settings.optional(MASTER_KEY_PROPERTY)
                .orElseGet(() -> readOrGenerate(dataDir.resolve(MASTER_KEY_FILE), ServiceSecrets::newMasterKey, "master key"));
        return new ServiceSecrets(sha256(adminToken), decodeMasterKey(masterKeyText));
    }

    /** Compares a presented token with the admin token in constant time; the token itself is kept only as a hash. */
    public boolean isAdminToken(String presented) {
        return presented != null && MessageDigest.isEqual(adminTokenHash, sha256(presented));
    }

    public byte[] masterKey() {
        return masterKey.clone();
    }

    static byte[] decodeMasterKey(String text) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(MASTER_KEY_PROPERTY + " is not valid base64");
        }
        if (key.length != 32) {
            throw new IllegalStateException(MASTER_KEY_PROPERTY + " must decode to 32 bytes (AES-256), got " + key.length);
        }
        return key;
    }

    private static String readOrGenerate(Path file, java.util.function.Supplier<String> generator, String what) {
        try {
            Optional<String> existing = Files.exists(file)
                    ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim()).filter(s -> !s.isEmpty())
                    : Optional.empty();
            if (existing.isPresent()) {
                LOG.info("Using the {} stored in {}", what, file.toAbsolutePath());
                return existing.get();
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            String secret = generator.get();
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
            restrictToOwner(temp);
            Files.writeString(temp, secret + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Generated a new {} into {} (mode 0600); read it from there", what, file.toAbsolutePath());
            return secret;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read or create the " + what + " file " + file.toAbsolutePath(), e);
        }
    }

    /** Creates the data folder readable by its owner only, because its database contains people's emails and events. */
    private static void createOwnerOnly(Path dataDir) {
        if (Files.isDirectory(dataDir)) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            restrictToOwner(dataDir, "rwx------");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the data folder " + dataDir.toAbsolutePath(), e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        restrictToOwner(file, "rw-------");
    }

    private static void restrictToOwner(Path file, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            LOG.warn("The file system of {} has no POSIX permissions; restrict access to it by other means", file);
        }
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "cbt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String newMasterKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
