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
package io.github.nettytun.codec;

import io.netty.handler.codec.DecoderException;

/**
 * A frame could not be decoded. Raised by the decoders of this package under
 * {@link MalformedFramePolicy#FAIL}, and used internally to report a {@link DropReason}.
 *
 * <p>It carries no stack trace: a malformed frame is a property of the input, not of the code, and a
 * flood of bad frames must not cost a stack walk each.
 */
public class MalformedFrameException extends DecoderException {

    private static final long serialVersionUID = 1L;

    private final DropReason reason;

    /**
     * Creates an exception.
     *
     * @param reason  why the frame was refused
     * @param message details, such as the offending field value
     */
    public MalformedFrameException(DropReason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    /**
     * Returns why the frame was refused.
     *
     * @return the reason
     */
    public DropReason reason() {
        return reason;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
