---- MODULE MCPoolCrashHostile ----
(* Switch crash and restart at any point, with a hostile guest: g2 spoofs, *)
(* garbles, and rewrites the consumer position word of its TX ring at any  *)
(* step, also while the switch is down; the restarted switch resumes from  *)
(* its status and forwards no record twice except those in flight at the   *)
(* crash. g1 (honest) and g2 (hostile) of tenant A on 2 slots; each makes  *)
(* one write (g2: any source and destination). Safety only (liveness with *)
(* a hostile guest and a crash is checked in MCPoolDeep); slots symmetric. *)
(* See MCPoolCrashHostile.cfg.                                             *)
EXTENDS Pool
CONSTANTS s1, s2
MCGuests  == {"g1", "g2"}
MCSlots   == {s1, s2}
MCTenant  == [g \in MCGuests |-> "A"]
MCDst     == [g \in MCGuests |-> IF g = "g1" THEN <<"g2">> ELSE <<"g1">>]
MCHostile == {"g2"}
MCSymmetry == Permutations(MCSlots)
====
