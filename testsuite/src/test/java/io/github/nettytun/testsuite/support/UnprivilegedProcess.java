/*
 * Copyright 2026 The netty-tun Project
 *
 * The netty-tun Project licenses this file to you under the Apache License, version 2.0 (the
 * "License"); you may not use this file except in compliance with the License. You may obtain a
 * copy of the License at:
 *
 *   https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software distributed under the License
 * is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express
 * or implied. See the License for the specific language governing permissions and limitations under
 * the License.
 */
package io.github.nettytun.testsuite.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs {@link AttachProbe} as uid/gid 65534 (nobody) with no capabilities, in this test's network
 * namespace. The test class path lives under /root (unreadable for nobody), so it is copied into a
 * world-readable scratch directory, together with a private clone device node
 * ({@code mknod c 10 200}, mode 0666) that the probe opens instead of {@code /dev/net/tun}, whose
 * permissions this test must not change. The directory is removed by {@link #close()}.
 */
public final class UnprivilegedProcess implements AutoCloseable {
    public static final int NOBODY = 65534;

    private final Path dir;
    private final String classPath;
    private final Path cloneDevice;

    public UnprivilegedProcess() throws IOException {
        dir = Files.createTempDirectory("nettytun-unpriv");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        int i = 0;
        for (String entry : cp.split(File.pathSeparator)) {
            Path source = Paths.get(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = dir.resolve("cp" + (i++) + (Files.isDirectory(source) ? "" : ".jar"));
            copy(source, target);
            entries.add(target.toString());
        }
        classPath = String.join(File.pathSeparator, entries);
        Path tmp = dir.resolve("tmp");
        Files.createDirectory(tmp);
        cloneDevice = dir.resolve("tun");
        Commands.Result mknod = Commands.run(10, "mknod", cloneDevice.toString(), "c", "10", "200");
        if (mknod.exitCode != 0) {
            throw new IOException("mknod: " + mknod);
        }
        Commands.run(10, "chmod", "-R", "a+rX", dir.toString());
        Commands.run(10, "chmod", "666", cloneDevice.toString());
        Commands.run(10, "chown", NOBODY + ":" + NOBODY, tmp.toString());
    }

    /** Runs the probe against a device name; returns its output and exit code. */
    public Commands.Result attach(String device) {
        String tmp = dir.resolve("tmp").toString();
        return Commands.run(60, "setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--",
                "env", "HOME=" + tmp,
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-Xmx64m",
                "-Djava.io.tmpdir=" + tmp, "-Djna.tmpdir=" + tmp, "-Dio.netty.native.workdir=" + tmp,
                "-Dio.github.nettytun.cloneDevice=" + cloneDevice,
                "-cp", classPath, AttachProbe.class.getName(), device);
    }

    private static void copy(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
