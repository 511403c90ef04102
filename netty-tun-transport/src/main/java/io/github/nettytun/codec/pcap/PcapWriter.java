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
package io.github.nettytun.codec.pcap;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.ObjectUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * Writes packets to a classic pcap file (microsecond timestamps, little-endian), the format
 * {@code tcpdump -r}, {@code tshark -r} and Wireshark read.
 *
 * <p>Thread-safe: one writer may serve the pipelines of all queues of a device. Writes are buffered;
 * {@link #flush()} pushes them to the file. The file is bounded: once it would exceed
 * {@code maxFileBytes} it is rotated to {@code name.1} (older ones shift to {@code name.2} and so on,
 * keeping {@code maxFiles} in all, the oldest deleted), and a fresh file is started. An I/O error is
 * logged once and ends the capture; it is never thrown at the caller of {@link #write}, so that a full
 * disk cannot break the pipeline that is being captured.
 */
public final class PcapWriter implements Closeable {

    /** {@code LINKTYPE_ETHERNET}: frames from a TAP device. */
    public static final int LINKTYPE_ETHERNET = 1;
    /** {@code LINKTYPE_RAW}: IPv4 or IPv6 packets from a TUN device, told apart by the version nibble. */
    public static final int LINKTYPE_RAW = 101;
    /** {@code LINKTYPE_USER0}: private use; the capture tests keep frames with PI or vnet header this way. */
    public static final int LINKTYPE_USER0 = 147;
    /** Default snapshot length: a whole 64 KiB GSO super-packet plus headers. */
    public static final int DEFAULT_SNAP_LENGTH = 262_144;

    static final int MAGIC_MICROS = 0xA1B2C3D4;
    static final int MAGIC_NANOS = 0xA1B23C4D;
    static final int FILE_HEADER_LENGTH = 24;
    static final int RECORD_HEADER_LENGTH = 16;

    private static final InternalLogger logger = InternalLoggerFactory.getInstance(PcapWriter.class);

    private final Path path;
    private final int linkType;
    private final int snapLength;
    private final long maxFileBytes;
    private final int maxFiles;
    private final byte[] recordHeader = new byte[RECORD_HEADER_LENGTH];

    private OutputStream out;
    private long fileBytes;
    private long packets;
    private long rotations;
    private boolean closed;

    /**
     * Creates a writer for an unbounded file.
     *
     * @param path     the file; created or truncated
     * @param linkType {@link #LINKTYPE_RAW}, {@link #LINKTYPE_ETHERNET} or another pcap link type
     * @throws IOException if the file cannot be created
     */
    public PcapWriter(Path path, int linkType) throws IOException {
        this(path, linkType, DEFAULT_SNAP_LENGTH, Long.MAX_VALUE, 1);
    }

    /**
     * Creates a writer.
     *
     * @param path         the file; created or truncated
     * @param linkType     {@link #LINKTYPE_RAW}, {@link #LINKTYPE_ETHERNET} or another pcap link type
     * @param snapLength   the most bytes kept of each packet
     * @param maxFileBytes the size at which the file is rotated (at least one packet is always written)
     * @param maxFiles     how many files to keep, the current one included; 1 starts the file over
     * @throws IOException if the file cannot be created
     */
    public PcapWriter(Path path, int linkType, int snapLength, long maxFileBytes, int maxFiles) throws IOException {
        this.path = ObjectUtil.checkNotNull(path, "path");
        this.linkType = linkType;
        this.snapLength = ObjectUtil.checkPositive(snapLength, "snapLength");
        this.maxFileBytes = ObjectUtil.checkPositive(maxFileBytes, "maxFileBytes");
        this.maxFiles = ObjectUtil.checkPositive(maxFiles, "maxFiles");
        open();
    }

    private void open() throws IOException {
        out = new BufferedOutputStream(Files.newOutputStream(path), 65536);
        byte[] header = new byte[FILE_HEADER_LENGTH];
        putIntLE(header, 0, MAGIC_MICROS);
        putShortLE(header, 4, 2); // version 2.4
        putShortLE(header, 6, 4);
        // thiszone and sigfigs stay 0
        putIntLE(header, 16, snapLength);
        putIntLE(header, 20, linkType);
        out.write(header);
        fileBytes = FILE_HEADER_LENGTH;
    }

    /** @return the link type written in the file header */
    public int linkType() {
        return linkType;
    }

    /** @return the path of the current file */
    public Path path() {
        return path;
    }

    /**
     * Writes one packet stamped with the current time.
     *
     * @param buf    the buffer
     * @param index  where the packet starts
     * @param length the packet's length; bytes beyond the snapshot length are not kept
     */
    public void write(ByteBuf buf, int index, int length) {
        Instant now = Instant.now();
        write(now.getEpochSecond() * 1_000_000L + now.getNano() / 1000, buf, index, length);
    }

    /**
     * Writes one packet.
     *
     * @param timestampMicros the capture time in microseconds since the epoch
     * @param buf             the buffer
     * @param index           where the packet starts
     * @param length          the packet's length
     */
    public synchronized void write(long timestampMicros, ByteBuf buf, int index, int length) {
        if (closed) {
            return;
        }
        int captured = Math.min(length, snapLength);
        try {
            long recordBytes = RECORD_HEADER_LENGTH + captured;
            if (fileBytes + recordBytes > maxFileBytes && fileBytes > FILE_HEADER_LENGTH) {
                rotate();
            }
            putIntLE(recordHeader, 0, (int) (timestampMicros / 1_000_000L));
            putIntLE(recordHeader, 4, (int) (timestampMicros % 1_000_000L));
            putIntLE(recordHeader, 8, captured);
            putIntLE(recordHeader, 12, length);
            out.write(recordHeader);
            buf.getBytes(index, out, captured);
            fileBytes += recordBytes;
            packets++;
        } catch (IOException | RuntimeException e) {
            logger.warn("pcap capture to {} failed, capture stopped", path, e);
            closeQuietly();
        }
    }

    private void rotate() throws IOException {
        out.close();
        if (maxFiles > 1) {
            Path oldest = sibling(maxFiles - 1);
            Files.deleteIfExists(oldest);
            for (int i = maxFiles - 2; i >= 1; i--) {
                Path from = sibling(i);
                if (Files.exists(from)) {
                    Files.move(from, sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(path, sibling(1), StandardCopyOption.REPLACE_EXISTING);
        }
        rotations++;
        open();
    }

    /**
     * Returns the path a rotated file gets.
     *
     * @param generation 1 for the most recent rotated file
     * @return {@code path} with {@code .generation} appended
     */
    public Path sibling(int generation) {
        return path.resolveSibling(path.getFileName() + "." + generation);
    }

    /** @return packets written so far, over all files */
    public synchronized long packetsWritten() {
        return packets;
    }

    /** @return how many times the file was rotated */
    public synchronized long rotations() {
        return rotations;
    }

    /** @return whether the writer is closed (by {@link #close()} or after an I/O error) */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Pushes buffered packets to the file; I/O errors end the capture as for {@link #write}. */
    public synchronized void flush() {
        if (closed) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            logger.warn("pcap capture to {} failed, capture stopped", path, e);
            closeQuietly();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }

    private void closeQuietly() {
        closed = true;
        try {
            out.close();
        } catch (IOException ignored) {
            // already reported the first error
        }
    }

    private static void putIntLE(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
    }

    private static void putShortLE(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
    }
}
