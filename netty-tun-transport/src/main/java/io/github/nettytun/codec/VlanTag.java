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

/**
 * One 802.1Q or 802.1ad tag: the tag protocol identifier and the tag control information
 * (priority code point, drop eligible indicator, VLAN id). Immutable.
 */
public final class VlanTag {

    private final int tpid;
    private final int tci;

    private VlanTag(int tpid, int tci) {
        this.tpid = tpid & 0xFFFF;
        this.tci = tci & 0xFFFF;
    }

    /**
     * Returns a tag.
     *
     * @param tpid {@link EtherTypes#VLAN_8021Q} or {@link EtherTypes#VLAN_8021AD}
     * @param pcp  priority code point, 0-7
     * @param dei  drop eligible indicator
     * @param vid  VLAN id, 0-4095
     * @return the tag
     */
    public static VlanTag of(int tpid, int pcp, boolean dei, int vid) {
        if (pcp < 0 || pcp > 7) {
            throw new IllegalArgumentException("pcp must be 0-7: " + pcp);
        }
        if (vid < 0 || vid > 4095) {
            throw new IllegalArgumentException("vid must be 0-4095: " + vid);
        }
        return new VlanTag(tpid, pcp << 13 | (dei ? 0x1000 : 0) | vid);
    }

    /**
     * Returns an 802.1Q (customer) tag with priority 0.
     *
     * @param vid VLAN id, 0-4095
     * @return the tag
     */
    public static VlanTag dot1q(int vid) {
        return of(EtherTypes.VLAN_8021Q, 0, false, vid);
    }

    /**
     * Returns an 802.1ad (service, QinQ outer) tag with priority 0.
     *
     * @param vid VLAN id, 0-4095
     * @return the tag
     */
    public static VlanTag dot1ad(int vid) {
        return of(EtherTypes.VLAN_8021AD, 0, false, vid);
    }

    /**
     * Returns a tag from its two 16-bit wire fields.
     *
     * @param tpid the tag protocol identifier
     * @param tci  the tag control information
     * @return the tag
     */
    public static VlanTag fromWire(int tpid, int tci) {
        return new VlanTag(tpid, tci);
    }

    /** @return the tag protocol identifier */
    public int tpid() {
        return tpid;
    }

    /** @return the tag control information, as on the wire */
    public int tci() {
        return tci;
    }

    /** @return the priority code point */
    public int pcp() {
        return tci >>> 13;
    }

    /** @return the drop eligible indicator */
    public boolean dei() {
        return (tci & 0x1000) != 0;
    }

    /** @return the VLAN id */
    public int vid() {
        return tci & 0x0FFF;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VlanTag && ((VlanTag) o).tpid == tpid && ((VlanTag) o).tci == tci;
    }

    @Override
    public int hashCode() {
        return tpid << 16 | tci;
    }

    @Override
    public String toString() {
        return "VlanTag(0x" + Integer.toHexString(tpid) + ", vid=" + vid() + ", pcp=" + pcp()
                + (dei() ? ", dei" : "") + ')';
    }
}
