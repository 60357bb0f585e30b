package doms.bench;

import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.Label;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.ExceptionCatch;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.LookupSwitchInstruction;
import java.lang.classfile.instruction.ReturnInstruction;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.classfile.instruction.TableSwitchInstruction;
import java.lang.classfile.instruction.ThrowInstruction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The instructions of a method body that some path from its entry reaches (handlers of reached try ranges included). */
final class Reachable {
    private Reachable() {
    }

    /** Per element of {@code code.elementList()}: reached (labels and pseudo-instructions after a reached one too). */
    static boolean[] of(final CodeModel code) {
        final List<CodeElement> elements = code.elementList();
        final Map<Label, Integer> at = new HashMap<>();
        for (int i = 0; i < elements.size(); i++) {
            if (elements.get(i) instanceof LabelTarget t) {
                at.put(t.label(), i);
            }
        }
        final List<ExceptionCatch> catches = new ArrayList<>();
        code.exceptionHandlers().forEach(catches::add);
        final boolean[] seen = new boolean[elements.size()];
        final Deque<Integer> work = new ArrayDeque<>();
        work.push(0);
        boolean grew = true;
        while (grew) {
            while (!work.isEmpty()) {
                walk(elements, at, seen, work, work.pop());
            }
            grew = false;
            for (final ExceptionCatch c : catches) {
                final int handler = at.get(c.handler());
                if (seen[handler]) {
                    continue;
                }
                for (int i = at.get(c.tryStart()); i < at.get(c.tryEnd()); i++) {
                    if (seen[i] && elements.get(i) instanceof Instruction) {
                        work.push(handler);
                        grew = true;
                        break;
                    }
                }
            }
        }
        return seen;
    }

    /** Marks from index i along fall-through, pushing every branch target met. */
    private static void walk(final List<CodeElement> elements, final Map<Label, Integer> at, final boolean[] seen,
                             final Deque<Integer> work, final int from) {
        for (int i = from; i < elements.size() && !seen[i]; i++) {
            seen[i] = true;
            final CodeElement e = elements.get(i);
            if (e instanceof BranchInstruction br) {
                work.push(at.get(br.target()));
                if (br.opcode() == Opcode.GOTO || br.opcode() == Opcode.GOTO_W) {
                    return;
                }
            } else if (e instanceof TableSwitchInstruction ts) {
                work.push(at.get(ts.defaultTarget()));
                ts.cases().stream().map(SwitchCase::target).forEach(l -> work.push(at.get(l)));
                return;
            } else if (e instanceof LookupSwitchInstruction ls) {
                work.push(at.get(ls.defaultTarget()));
                ls.cases().stream().map(SwitchCase::target).forEach(l -> work.push(at.get(l)));
                return;
            } else if (e instanceof ReturnInstruction || e instanceof ThrowInstruction) {
                return;
            }
        }
    }
}
