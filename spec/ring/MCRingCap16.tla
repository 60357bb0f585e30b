---- MODULE MCRingCap16 ----
(* Safety at capacity 16: honest ends, C = 16 cells, 5 records of up to 5 *)
(* cells (more than one lap in all), polls of up to 3, found at position  *)
(* 0 or 2C - 1. Invariants only. See MCRingCap16.cfg.                    *)
EXTENDS Ring
MCStartPos == {0, 2 * C - 1}
====
