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
            final long word = t.loadState(i);
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("slot", i);
            row.put("state", switch (BindingTable.state(word)) {
                case BindingTable.FREE -> "free";
                case BindingTable.ASSIGNED -> "assigned";
                case BindingTable.RETIRING -> "retiring";
                default -> "unknown";
            });
            row.put("generation", BindingTable.generation(word));
            row.put("mac", Mac.format(t.mac(i)));
            row.put("tenant", t.tenant(i));
            if (st != null) {
                row.put("served", st.served(i));
                row.put("released", st.released(i));
                row.put("frames_in", st.counter(i, SwitchStatus.FRAMES_IN));
                row.put("frames_out", st.counter(i, SwitchStatus.FRAMES_OUT));
                row.put("drops_full", st.counter(i, SwitchStatus.DROPS_FULL));
                row.put("drops_spoofed", st.counter(i, SwitchStatus.DROPS_SPOOFED));
                row.put("drops_malformed", st.counter(i, SwitchStatus.DROPS_MALFORMED));
                row.put("quarantined", st.counter(i, SwitchStatus.QUARANTINED) != 0);
            }
            rows.add(row);
        }
        return rows;
    }

    /** The uplink's counters; empty when the switch has not run. */
    static Map<String, Object> uplink(final SwitchStatus st) {
        final Map<String, Object> uplink = new LinkedHashMap<>();
        if (st != null) {
            uplink.put("frames_in", st.uplinkCounter(SwitchStatus.UPLINK_FRAMES_IN));
            uplink.put("frames_out", st.uplinkCounter(SwitchStatus.UPLINK_FRAMES_OUT));
            uplink.put("drops_malformed", st.uplinkCounter(SwitchStatus.UPLINK_DROPS_MALFORMED));
            uplink.put("drops_unknown_vni", st.uplinkCounter(SwitchStatus.UPLINK_DROPS_UNKNOWN_VNI));
            uplink.put("drops_spoofed", st.uplinkCounter(SwitchStatus.UPLINK_DROPS_SPOOFED));
            uplink.put("socket_errors", st.uplinkCounter(SwitchStatus.UPLINK_SOCKET_ERRORS));
            uplink.put("learned_macs", st.uplinkCounter(SwitchStatus.UPLINK_LEARNED));
        }
        return uplink;
    }
}
