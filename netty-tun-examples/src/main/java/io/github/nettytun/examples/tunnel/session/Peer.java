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
package io.github.nettytun.examples.tunnel.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * One end of the tunnel: the protocol engine between the device channel and the {@link OuterTransport}.
 * Device frames become sealed data messages; data messages that authenticate, are not replayed and
 * belong to a live session become device frames; everything else is dropped and counted. It runs the
 * handshake (as initiator or responder), rekeying, keepalives and dead-peer detection.
 *
 * <p>Everything runs on the device channel's event loop, which the transport shares, so there are no
 * locks and a packet stays on one thread from read to write.
 *
 * <p>Sessions: {@code current} sends and receives; {@code previous} (the one before a rekey) still
 * receives so packets in flight are not lost; on the responder, {@code next} is a session whose response
 * was sent but which the initiator has not used yet. The responder keeps sending on {@code current}
 * until the first message on {@code next} confirms the initiator has the keys; then {@code next} takes
 * over.
 */
public final class Peer {

    private static final long TICK_MILLIS = 100;
    private static final long HANDSHAKE_SKEW_MICROS = TimeUnit.SECONDS.toMicros(120);
    private static final long LOG_INTERVAL_MILLIS = 10_000;

    private final PeerSettings settings;
    private final Handshake handshake;
    private final Channel device;
    private final ByteBufAllocator alloc;
    private final TunnelStats stats;
    private final Session.Scratch scratch = new Session.Scratch();
    private final Compression compression;
    private final SecureRandom random = new SecureRandom();
    private OuterTransport transport;

    private Session current;
    private Session previous;
    private Session next;
    private Handshake.Initiation pending;
    /** The initiation before {@code pending}: its response may still be on the way after a retry. */
    private Handshake.Initiation pendingBefore;
    private long pendingSentNanos;
    private int unansweredInitiations;
    private long lastInitiationTimestamp;
    private long lastSentNanos;
    private long lastReceivedNanos;
    private long clock;
    private boolean linkUp;
    private boolean deviceWritePending;
    private ScheduledFuture<?> ticker;
    /** Put in front of this peer's log lines; empty unless the tunnel runs several lanes. */
    private String logPrefix = "";
    /** Initiations accepted by the other lanes of this end, or {@code null} with one lane. */
    private AcceptedInitiations acceptedInitiations;

    /**
     * Creates the peer for a bound device channel; call {@link #start} with the transport next.
     */
    public Peer(PeerSettings settings, Handshake handshake, Channel device, TunnelStats stats) {
        this.settings = settings;
        this.handshake = handshake;
        this.device = device;
        this.alloc = device.alloc();
        this.stats = stats;
        this.compression = settings.compressionLevel > 0 ? new Compression(settings.compressionLevel) : null;
        this.clock = System.nanoTime();
    }

    /**
     * Names this peer in its log lines ({@code "lane 1"} gives {@code "lane 1: session ... set up"}), so
     * the lines of several peers in one process can be told apart; call before {@link #start}.
     */
    public void setLogName(String name) {
        logPrefix = name.isEmpty() ? "" : name + ": ";
    }

    /**
     * Shares the record of accepted initiations with the other lanes of this end, so that no initiation is
     * accepted twice across lanes (see {@link AcceptedInitiations}); call before {@link #start}.
     */
    public void shareAcceptedInitiations(AcceptedInitiations accepted) {
        this.acceptedInitiations = accepted;
    }

    /** Attaches the transport and starts the timers; call on the event loop. */
    public void start(OuterTransport transport) {
        this.transport = transport;
        ticker = device.eventLoop().scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Stops the timers and forgets all keys; call on the event loop. */
    public void stop() {
        if (ticker != null) {
            ticker.cancel(false);
        }
        dropSessions();
        if (compression != null) {
            compression.close();
        }
    }

    /** Returns the counters. */
    public TunnelStats stats() {
        return stats;
    }

    // ---- device -> peer ----

    /** Seals one frame read from the device and sends it; takes ownership of {@code frame}. */
    public void onDeviceFrame(ByteBuf frame) {
        try {
            Session s = current;
            if (s == null || s.exhausted()) {
                stats.drop(DropReason.NO_SESSION);
                return;
            }
            int length = frame.readableBytes();
            if (length > settings.maxFrame || length > WireFormat.MAX_MESSAGE - WireFormat.DATA_OVERHEAD - 2) {
                stats.drop(DropReason.TOO_LARGE);
                return;
            }
            byte[] plain = scratch.plain;
            frame.getBytes(frame.readerIndex(), plain, 0, length);
            int type = WireFormat.TYPE_DATA;
            byte[] payload = plain;
            int payloadLength = length;
            if (compression != null) {
                int n = compression.deflate(plain, length, scratch.deflated);
                if (n >= 0) {
                    type = WireFormat.TYPE_DATA_DEFLATED;
                    payload = scratch.deflated;
                    payloadLength = n;
                }
            }
            if (sendData(s, type, payload, payloadLength)) {
                stats.devicePackets++;
                stats.deviceBytes += length;
            }
        } finally {
            frame.release();
        }
    }

    /** Stops reading the socket while the device cannot take more frames, and starts again. */
    public void onDeviceWritabilityChanged(boolean writable) {
        if (transport != null) {
            transport.setReading(writable);
        }
    }

    /** Flushes the transport after a batch of device reads. */
    public void flushTransport() {
        transport.flush();
    }

    // ---- peer -> device ----

    /**
     * Handles one message from the transport; takes ownership of {@code message}.
     *
     * @param source where it came from (a socket address or a connection), handed back to
     *               {@link OuterTransport#authenticated} if it authenticates
     */
    public void onMessage(ByteBuf message, Object source) {
        try {
            if (!message.isReadable()) {
                malformed(source);
                return;
            }
            int type = message.getUnsignedByte(message.readerIndex());
            switch (type) {
                case WireFormat.TYPE_DATA:
                case WireFormat.TYPE_DATA_DEFLATED:
                case WireFormat.TYPE_KEEPALIVE:
                    onData(type, message, source);
                    break;
                case WireFormat.TYPE_INIT:
                    onInitiation(message, source);
                    break;
                case WireFormat.TYPE_RESPONSE:
                    onResponse(message, source);
                    break;
                default:
                    malformed(source);
            }
        } catch (GeneralSecurityException e) {
            // Not a verdict on the packet but a JCE failure; drop it and say so.
            stats.drop(DropReason.MALFORMED);
            Log.warnLimited("jce", LOG_INTERVAL_MILLIS, logPrefix + "cipher failure: " + e);
        } finally {
            message.release();
        }
    }

    /** Counts a message that cannot be a tunnel message and tells the transport (TCP: the framing is lost). */
    private void malformed(Object source) {
        stats.drop(DropReason.MALFORMED);
        transport.malformed(source);
    }

    /** Flushes frames written to the device by a batch of {@link #onMessage} calls. */
    public void flushDevice() {
        if (deviceWritePending) {
            deviceWritePending = false;
            device.flush();
        }
    }

    private void onData(int type, ByteBuf message, Object source) throws GeneralSecurityException {
        if (message.readableBytes() < WireFormat.DATA_OVERHEAD) {
            malformed(source);
            return;
        }
        int id = message.getInt(message.readerIndex() + 1);
        Session s = find(id);
        if (s == null) {
            stats.drop(DropReason.UNKNOWN_SESSION);
            return;
        }
        int n = s.open(message);
        if (n == Session.REPLAYED) {
            stats.drop(DropReason.REPLAYED);
            return;
        }
        if (n == Session.FORGED) {
            stats.drop(DropReason.AUTH_FAILED);
            Log.warnLimited("forged", LOG_INTERVAL_MILLIS, logPrefix + "dropped a data message from " + source
                    + " that failed authentication (forged, altered or from an old key)");
            return;
        }
        lastReceivedNanos = clock;
        transport.authenticated(source);
        if (s == next) {
            promoteNext();
        }
        switch (type) {
            case WireFormat.TYPE_KEEPALIVE:
                stats.keepalivesReceived++;
                return;
            case WireFormat.TYPE_DATA_DEFLATED:
                int max = settings.maxFrame;
                int inflated = compression0().inflate(scratch.plain, n, scratch.deflated, max + 1);
                if (inflated <= 0 || inflated > max) {
                    stats.drop(DropReason.BAD_COMPRESSION);
                    return;
                }
                writeToDevice(scratch.deflated, inflated);
                return;
            default:
                if (n == 0 || n > settings.maxFrame) {
                    stats.drop(DropReason.MALFORMED);
                    return;
                }
                writeToDevice(scratch.plain, n);
        }
    }

    private Compression compression0() {
        // A peer may compress even if this end does not: inflating needs no configuration.
        return compression != null ? compression : (inflateOnly != null ? inflateOnly : (inflateOnly = new Compression(1)));
    }

    private Compression inflateOnly;

    private void writeToDevice(byte[] frame, int length) {
        ByteBuf out = alloc.directBuffer(length);
        out.writeBytes(frame, 0, length);
        device.write(out, device.voidPromise());
        deviceWritePending = true;
        stats.peerPackets++;
        stats.peerBytes += length;
    }

    private Session find(int id) {
        if (current != null && current.localId == id) {
            return current;
        }
        if (next != null && next.localId == id) {
            return next;
        }
        if (previous != null && previous.localId == id) {
            return previous;
        }
        return null;
    }

    private void promoteNext() {
        retire(previous);
        previous = current;
        current = next;
        next = null;
    }

    // ---- handshake ----

    private void onInitiation(ByteBuf message, Object source) {
        if (settings.initiator) {
            stats.drop(DropReason.UNEXPECTED_HANDSHAKE);
            return;
        }
        byte[] init = bytes(message);
        Handshake.Response response;
        try {
            response = handshake.respond(init, newSessionId());
            long ts = response.timestamp();
            if (ts <= lastInitiationTimestamp) {
                throw new HandshakeException("replayed or reordered initiation (timestamp not newer than the last)");
            }
            long skew = ts - TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
            if (Math.abs(skew) > HANDSHAKE_SKEW_MICROS) {
                throw new HandshakeException("initiation timestamp is " + (skew / 1_000_000) + " s off this clock "
                        + "(stale replay, or the clocks differ by more than 120 s)");
            }
            if (acceptedInitiations != null && !acceptedInitiations.add(init, System.nanoTime())) {
                throw new HandshakeException("replayed initiation (another lane of this end accepted it already)");
            }
            lastInitiationTimestamp = ts;
        } catch (HandshakeException e) {
            stats.drop(DropReason.HANDSHAKE_FAILED);
            Log.warnLimited("handshake-in", LOG_INTERVAL_MILLIS, logPrefix + "handshake from " + source
                    + " failed: " + e.getMessage());
            return;
        }
        Session s = new Session(response.keys(), settings.replayWindow, scratch, clock);
        if (current == null) {
            current = s;
        } else {
            // Keep sending on current until the initiator proves it has the new keys.
            retire(next);
            next = s;
        }
        stats.handshakes++;
        lastReceivedNanos = clock;
        transport.authenticated(source);
        sendHandshake(response.message());
        Log.info(logPrefix + "session " + hex(s.localId) + " set up with " + source + " (" + settings.cipher
                + "), handshake " + stats.handshakes);
    }

    private void onResponse(ByteBuf message, Object source) {
        if (!settings.initiator || pending == null) {
            stats.drop(DropReason.UNEXPECTED_HANDSHAKE);
            return;
        }
        byte[] response = bytes(message);
        Handshake.Initiation answered = pendingBefore != null
                && Handshake.receiverId(response) == pendingBefore.localId() ? pendingBefore : pending;
        SessionKeys keys;
        try {
            keys = handshake.complete(answered, response);
        } catch (HandshakeException e) {
            stats.drop(DropReason.HANDSHAKE_FAILED);
            Log.warnLimited("handshake-out", LOG_INTERVAL_MILLIS, logPrefix + "handshake response from " + source
                    + " refused: " + e.getMessage());
            return;
        }
        pending = null;
        pendingBefore = null;
        unansweredInitiations = 0;
        retire(previous);
        previous = current;
        current = new Session(keys, settings.replayWindow, scratch, clock);
        stats.handshakes++;
        lastReceivedNanos = clock;
        transport.authenticated(source);
        // The first message on the new session confirms it to the responder at once.
        sendKeepalive();
        transport.flush();
        Log.info(logPrefix + "session " + hex(current.localId) + " set up with " + source + " (" + settings.cipher
                + "), handshake " + stats.handshakes);
    }

    private void initiate() {
        pendingBefore = pending;
        pending = handshake.initiate(newSessionId(),
                TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()) + (System.nanoTime() / 1000) % 1000);
        pendingSentNanos = clock;
        if (unansweredInitiations > 0 && (unansweredInitiations == 5 || unansweredInitiations % 30 == 0)) {
            Log.warn(logPrefix + "no handshake response after " + unansweredInitiations + " attempts: is the server "
                    + "running and reachable, and do both ends use the same key file and cipher? (a server with "
                    + "another key stays silent; its log says 'authentication failed')");
        }
        unansweredInitiations++;
        sendHandshake(pending.message());
    }

    private int newSessionId() {
        int id;
        do {
            id = random.nextInt();
        } while (id == 0 || find(id) != null);
        return id;
    }

    private void sendHandshake(byte[] message) {
        int headroom = transport.headroom();
        ByteBuf out = alloc.directBuffer(headroom + message.length);
        out.writeZero(headroom).writeBytes(message);
        if (!transport.send(out)) {
            stats.drop(DropReason.SOCKET_WRITE);
        }
        transport.flush();
    }

    // ---- sending data ----

    private boolean sendData(Session s, int type, byte[] payload, int length) {
        int headroom = transport.headroom();
        ByteBuf out = alloc.directBuffer(headroom + WireFormat.DATA_OVERHEAD + length);
        try {
            out.writerIndex(headroom);
            s.seal(type, payload, length, out);
        } catch (GeneralSecurityException e) {
            out.release();
            stats.drop(DropReason.SOCKET_WRITE);
            Log.warnLimited("jce-seal", LOG_INTERVAL_MILLIS, logPrefix + "cipher failure while sealing: " + e);
            return false;
        }
        if (!transport.send(out)) {
            stats.drop(DropReason.NO_SESSION);
            return false;
        }
        lastSentNanos = clock;
        return true;
    }

    private void sendKeepalive() {
        if (current != null && sendData(current, WireFormat.TYPE_KEEPALIVE, scratch.plain, 0)) {
            stats.keepalivesSent++;
        }
    }

    // ---- link and timers ----

    /** The transport can reach the peer now (UDP: at once; TCP: connected). */
    public void onLinkUp() {
        linkUp = true;
        if (settings.initiator) {
            initiate();
        }
    }

    /** The connection to the peer is gone: its sessions are useless. */
    public void onLinkDown() {
        linkUp = false;
        if (current != null || next != null) {
            Log.info(logPrefix + "connection to the peer lost; sessions dropped");
        }
        dropSessions();
    }

    private void tick() {
        clock = System.nanoTime();
        if (current != null && clock - lastReceivedNanos > settings.peerTimeoutNanos) {
            Log.warn(logPrefix + "nothing from the peer for "
                    + TimeUnit.NANOSECONDS.toMillis(clock - lastReceivedNanos) + " ms; session dropped"
                    + (settings.initiator ? ", handshaking again" : ", waiting for a new handshake"));
            dropSessions();
            transport.reconnect();
        }
        if (settings.initiator && linkUp) {
            boolean due = current == null || clock - current.createdNanos > settings.rekeyNanos
                    || current.sent + current.received > settings.rekeyPackets || current.exhausted();
            if (due && (pending == null || clock - pendingSentNanos >= settings.handshakeRetryNanos)) {
                initiate();
            }
        }
        if (current != null && clock - lastSentNanos > settings.keepaliveNanos) {
            sendKeepalive();
            transport.flush();
        }
    }

    private void dropSessions() {
        retire(current);
        retire(previous);
        retire(next);
        current = previous = next = null;
        pending = null;
        pendingBefore = null;
    }

    private static void retire(Session s) {
        if (s != null) {
            s.destroy();
        }
    }

    private static byte[] bytes(ByteBuf message) {
        byte[] b = new byte[message.readableBytes()];
        message.getBytes(message.readerIndex(), b);
        return b;
    }

    private static String hex(int id) {
        return String.format("%08x", id);
    }
}
