package doms.cli;

import doms.cap.ControlProtocol;
import doms.cap.UnixSocket;
import doms.pool.BindingTable;
import doms.pool.Mac;
import doms.pool.SwitchStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code doms pool} asks a control plane and reads from a pool's files, as rows to print. */
final class PoolView {
    private PoolView() {
    }

    /** One request to the control plane; its OK reply split into words (failures say why, exit 1). */
    static String[] request(final Path dir, final String request) throws java.io.IOException {
        try (UnixSocket socket = ControlProtocol.connect(dir)) {
            final UnixSocket.Message reply = ControlProtocol.call(socket, request, 30_000);
            reply.closeFds();
            return reply.text().split(" ");
        }
    }

    /** Each slot's binding and, when the switch has run ({@code st} not null), its view of the slot. */
    static List<Object> rows(final BindingTable t, final SwitchStatus st) {
        final List<Object> rows = new ArrayList<>();
        for (int i = 0; i < t.slots(); i++) {
            final long word = t.lvState(i);
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("slot", i);
            row.put("state", switch (BindingTable.state(word)) {
                case BindingTable.FREE -> "free";
                case BindingTable.ASSIGNED -> "assigned";
                case BindingTable.RETIRING -> "retiring";
                default -> "unknown";
            });
            row.put("generation", BindingTable.generation(word));
            row.put("mac", Mac.format(t.lpMac(i)));
            row.put("tenant", t.lpTenant(i));
            if (st != null) {
                row.put("served", st.opaqueServedGeneration(i));
                row.put("released", st.lvReleasedGeneration(i));
                row.put("frames_in", st.opaqueCounter(i, SwitchStatus.SlotCounter.FRAMES_IN));
                row.put("frames_out", st.opaqueCounter(i, SwitchStatus.SlotCounter.FRAMES_OUT));
                row.put("drops_full", st.opaqueCounter(i, SwitchStatus.SlotCounter.DROPS_FULL));
                row.put("drops_spoofed", st.opaqueCounter(i, SwitchStatus.SlotCounter.DROPS_SPOOFED));
                row.put("drops_malformed", st.opaqueCounter(i, SwitchStatus.SlotCounter.DROPS_MALFORMED));
                row.put("drops_too_big", st.opaqueCounter(i, SwitchStatus.SlotCounter.DROPS_TOO_BIG));
                row.put("quarantined", st.opaqueCounter(i, SwitchStatus.SlotCounter.QUARANTINED) != 0);
            }
            rows.add(row);
        }
        return rows;
    }

    /** The uplink's counters; empty when the switch has not run. */
    static Map<String, Object> uplink(final SwitchStatus st) {
        final Map<String, Object> uplink = new LinkedHashMap<>();
        if (st != null) {
            uplink.put("frames_in", st.opaqueUplinkCounter(SwitchStatus.UplinkCounter.FRAMES_IN));
            uplink.put("frames_out", st.opaqueUplinkCounter(SwitchStatus.UplinkCounter.FRAMES_OUT));
            uplink.put("drops_malformed", st.opaqueUplinkCounter(SwitchStatus.UplinkCounter.DROPS_MALFORMED));
            uplink.put("drops_unknown_vni", st.opaqueUplinkCounter(SwitchStatus.UplinkCounter.DROPS_UNKNOWN_VNI));
            uplink.put("drops_spoofed", st.opaqueUplinkCounter(SwitchStatus.UplinkCounter.DROPS_SPOOFED));
            uplink.put("drops_too_big", st.opaqueUplinkCounter(SwitchStatus.UplinkCounter.DROPS_TOO_BIG));
            uplink.put("socket_errors", st.opaqueUplinkCounter(SwitchStatus.UplinkCounter.SOCKET_ERRORS));
            uplink.put("learned_macs", st.opaqueUplinkCounter(SwitchStatus.UplinkCounter.LEARNED));
        }
        return uplink;
    }
}
