---- MODULE MCPoolBugScrubNoAckLeak ----
(* BUG (same flaw as MCPoolBugScrubNoAck, only its consequence checked):   *)
(* the switch still serving the old generation keeps forwarding from, and  *)
(* delivering into, the memory object of a generation that is over, which  *)
(* the retired guest still holds a descriptor of: what that old holder     *)
(* writes would still reach its tenant. (With one memory object per slot   *)
(* this flaw wrote an old-tenant frame into the next guest's ring and      *)
(* failed TenantIsolation; with a new memory object per generation the     *)
(* next guest's ring is out of the stale port's reach, so TenantIsolation  *)
(* now holds and the consequence is CapabilityIsolation.) g1 and g2 of     *)
(* tenant A, g3 of tenant B; 2 slots, so a third guest needs a reused      *)
(* slot; one frame per guest: g1 -> g2, g2 -> g1, g3 -> g1 (unknown in     *)
(* tenant B: the switch floods it to B's other ports only). See            *)
(* MCPoolBugScrubNoAckLeak.cfg.                                            *)
EXTENDS Pool
MCGuests  == {"g1", "g2", "g3"}
MCSlots   == {"s1", "s2"}
MCTenant  == [g \in MCGuests |-> IF g = "g3" THEN "B" ELSE "A"]
MCDst     == [g \in MCGuests |-> IF g = "g1" THEN <<"g2">> ELSE <<"g1">>]
MCHostile == {}
====
