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

import io.netty.util.internal.ObjectUtil;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads classic pcap files of either byte order, with microsecond or nanosecond timestamps (not
 * pcapng). Used by tests to replay captured frames and by tools to inspect {@link PcapWriter} output.
 */
public final class PcapReader implements Closeable {

    /** Records larger than this are refused rather than allocated: no link type needs more. */
    private static final int MAX_RECORD = 16 * 1024 * 1024;

    private final DataInputStream in;
    private final boolean swapped;
    private final boolean nanos;
    private final int snapLength;
    private final int linkType;

    /**
     * Opens a stream and reads the file header.
     *
     * @param input the pcap data; closed by {@link #close()}
     * @throws IOException if the header is missing or not a pcap header
     */
    public PcapReader(InputStream input) throws IOException {
        this.in = new DataInputStream(new BufferedInputStream(ObjectUtil.checkNotNull(input, "input")));
        int magic = in.readInt();
        if (magic == PcapWriter.MAGIC_MICROS || magic == PcapWriter.MAGIC_NANOS) {
            swapped = false;
        } else if (Integer.reverseBytes(magic) == PcapWriter.MAGIC_MICROS
                || Integer.reverseBytes(magic) == PcapWriter.MAGIC_NANOS) {
            swapped = true;
            magic = Integer.reverseBytes(magic);
        } else {
            throw new IOException("not a pcap file: magic 0x" + Integer.toHexString(magic));
        }
        nanos = magic == PcapWriter.MAGIC_NANOS;
        readInt(); // version
        readInt(); // thiszone
        readInt(); // sigfigs
        snapLength = readInt();
        linkType = readInt() & 0x0FFF_FFFF; // the upper bits may carry FCS information
    }

    /**
     * Reads every record of a file.
     *
     * @param path the file
     * @return the records in file order
     * @throws IOException if the file cannot be read or is not pcap
     */
    public static List<PcapRecord> readAll(Path path) throws IOException {
        return readAll(Files.newInputStream(path));
    }

    /**
     * Reads every record of a pcap stream and closes it.
     *
     * @param input the stream, for example a class path resource
     * @return the records in stream order
     * @throws IOException if the stream cannot be read or is not pcap
     */
    public static List<PcapRecord> readAll(InputStream input) throws IOException {
        try (PcapReader reader = new PcapReader(input)) {
            List<PcapRecord> records = new ArrayList<>();
            for (PcapRecord r = reader.next(); r != null; r = reader.next()) {
                records.add(r);
            }
            return records;
        }
    }

    /** @return the link type of the file */
    public int linkType() {
        return linkType;
    }

    /** @return the snapshot length of the file */
    public int snapLength() {
        return snapLength;
    }

    /**
     * Reads the next record.
     *
     * @return the record, or {@code null} at the end of the file
     * @throws IOException if the file is cut off inside a record or a record is implausibly large
     */
    public PcapRecord next() throws IOException {
        int seconds;
        try {
            seconds = readInt();
        } catch (EOFException e) {
            return null;
        }
        long fraction = readInt() & 0xFFFF_FFFFL;
        int captured = readInt();
        int original = readInt();
        if (captured < 0 || captured > MAX_RECORD) {
            throw new IOException("record of " + captured + " bytes");
        }
        byte[] data = new byte[captured];
        in.readFully(data);
        long timestamp = (seconds & 0xFFFF_FFFFL) * 1_000_000_000L + (nanos ? fraction : fraction * 1000);
        return new PcapRecord(timestamp, original, data);
    }

    private int readInt() throws IOException {
        int v = in.readInt();
        return swapped ? Integer.reverseBytes(v) : v;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
