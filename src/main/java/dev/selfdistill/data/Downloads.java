package dev.selfdistill.data;

import dev.selfdistill.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Downloads the full MNIST files and the FSDD release archive over HTTPS into a staging folder.
 *
 * <p>NOTE: the HTTP download code has never been run against the real hosts. Only the tar
 * extraction is tested, with a local archive.
 */
final class Downloads {
    /** Hosts of the four original MNIST files, tried in order. */
    static final List<String> MNIST_BASE_URLS = List.of(
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/");

    /** MD5 of each of the four original MNIST files. */
    static final Map<String, String> MNIST_MD5 = Map.of(
            "train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
            "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
            "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
            "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c");

    /**
     * FSDD release 1.0.10 as a tar.gz archive. GitHub serves archive links through a redirect,
     * so the client follows redirects.
     */
    static final String FSDD_ARCHIVE_URL =
            "https://github.com/Jakobovski/free-spoken-digit-dataset"
                    + "/archive/refs/tags/v1.0.10.tar.gz";

    private static final String OFFLINE_HINT = "on a machine without internet, pass --mirror DIR";

    private final HttpClient client;

    Downloads() {
        client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * Downloads one MNIST file into {@code targetDir}, trying each host in turn. With {@code
     * verify}, a file whose MD5 differs from {@link #MNIST_MD5} counts as a failed download.
     *
     * @throws UserError listing the failure at every host
     */
    StagedFile downloadMnist(String name, Path targetDir, boolean verify, PrintStream log) {
        List<String> failures = new ArrayList<>();
        for (String base : MNIST_BASE_URLS) {
            String url = base + name;
            Path target = targetDir.resolve(name);
            try {
                log.println("Downloading " + url);
                StagedFile staged;
                try (InputStream body = open(url)) {
                    staged = StagedFile.write(body, target, url);
                }
                String expected = MNIST_MD5.get(name);
                if (!verify || staged.md5().equals(expected)) {
                    return staged;
                }
                failures.add(url + " has md5 " + staged.md5() + ", expected " + expected);
            } catch (IOException e) {
                failures.add("download of " + url + " failed: " + describe(e));
            }
            deleteQuietly(target);
        }
        throw new UserError(
                "download of MNIST file " + name + " failed at every host ("
                        + String.join("; ", failures) + "); " + OFFLINE_HINT);
    }

    /**
     * Downloads the FSDD archive and extracts its {@code recordings/*.wav} into {@code
     * recordingsDir}, without writing the archive to disk.
     *
     * @throws UserError if the download fails or the archive contains no recordings
     */
    List<StagedFile> downloadFsdd(Path recordingsDir, PrintStream log) {
        log.println("Downloading " + FSDD_ARCHIVE_URL);
        try (InputStream body = open(FSDD_ARCHIVE_URL)) {
            return extractRecordings(body, recordingsDir, FSDD_ARCHIVE_URL);
        } catch (IOException e) {
            throw new UserError(
                    "download of " + FSDD_ARCHIVE_URL + " failed: " + describe(e) + "; "
                            + OFFLINE_HINT, e);
        }
    }

    /**
     * Extracts the entries {@code TOP/recordings/NAME.wav} of a tar.gz stream into {@code
     * recordingsDir}. Only the last path element is used, and it must be a valid FSDD name, so
     * no entry can write outside {@code recordingsDir}. Other entries are skipped.
     *
     * @param archive gzip-compressed tar stream, left open
     * @param origin URL or path of the archive, for messages
     * @throws UserError if a WAV entry has an invalid name or no recording is found
     * @throws IOException if the stream is not a valid tar.gz
     */
    static List<StagedFile> extractRecordings(
            InputStream archive, Path recordingsDir, String origin) throws IOException {
        Files.createDirectories(recordingsDir);
        List<StagedFile> recordings = new ArrayList<>();
        GzipCompressorInputStream gzip = new GzipCompressorInputStream(archive);
        TarArchiveInputStream tar = new TarArchiveInputStream(gzip);
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            String[] parts = entry.getName().split("/");
            boolean recording = entry.isFile()
                    && parts.length == 3
                    && parts[1].equals("recordings")
                    && parts[2].endsWith(".wav");
            if (!recording) {
                continue;
            }
            Path target = recordingsDir.resolve(parts[2]);
            AudioFiles.parseName(target);
            // The tar stream ends each entry itself, so write() stops at the entry's end.
            recordings.add(StagedFile.write(tar, target, origin + " entry " + entry.getName()));
        }
        if (recordings.isEmpty()) {
            throw new UserError(
                    "FSDD archive " + origin + " contains no recordings/*.wav entries; pass "
                            + "--mirror DIR with a copy of the recordings instead");
        }
        return recordings;
    }

    /**
     * Sends a GET request and returns the body of a 200 response.
     *
     * @throws IOException if the request fails or the status is not 200
     * @throws UserError if the thread is interrupted while it waits
     */
    private InputStream open(String url) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("User-Agent", "selfdistill")
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("download of " + url + " was interrupted; run the fetch again", e);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("HTTP status " + response.statusCode());
        }
        return response.body();
    }

    /** Returns the message of {@code e}, or its type when it has none (as ConnectException). */
    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The staging folder is deleted as a whole if the fetch fails.
        }
    }
}
