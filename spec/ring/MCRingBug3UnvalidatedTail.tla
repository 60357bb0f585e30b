---- MODULE MCRingBug3UnvalidatedTail ----
(* BUG 3: the switch (consumer) trusts a hostile tail without validation. TLC must report BoundedWork. *)
(* Constants, properties and flaw: see MCRingBug3UnvalidatedTail.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring
====
