---------------------------- MODULE FifoChannel ----------------------------
(***************************************************************************)
(* The service one ring offers, stated abstractly: a bounded FIFO channel  *)
(* of messages.  A sender appends a non-empty batch of messages as long as *)
(* the channel then holds at most Cap messages; the receiver takes them    *)
(* out one at a time, in order.  Every message in the channel is           *)
(* eventually received (weak fairness on Recv).                            *)
(*                                                                         *)
(* Ring.tla instantiates this module with a refinement mapping and checks  *)
(* Chan!Spec as a temporal PROPERTY: every behaviour of the ring protocol  *)
(* is a behaviour of this channel (FIFO, no loss, no duplication, nothing  *)
(* invented, bounded, and live).                                           *)
(***************************************************************************)
EXTENDS Naturals, Sequences

CONSTANTS Msg,  \* the set of messages
          Cap   \* the channel holds at most Cap messages

VARIABLES q,    \* messages sent and not yet received, oldest first
          out   \* every message received so far, in order

vars == <<q, out>>

TypeOK == /\ q \in Seq(Msg)
          /\ Len(q) <= Cap
          /\ out \in Seq(Msg)

Init == /\ q = <<>>
        /\ out = <<>>

\* A batch of k >= 1 messages enters the channel at once (one ring publish).
\* (Written as "q' is a longer sequence of messages that extends q" rather
\* than by enumerating the batch, so that TLC checks it cheaply when the
\* module is used as a refinement property.)
Send == \E k \in 1..(Cap - Len(q)) :
          /\ q' \in [1..(Len(q) + k) -> Msg]
          /\ SubSeq(q', 1, Len(q)) = q
          /\ out' = out

\* The oldest message leaves the channel.
Recv == /\ q # <<>>
        /\ out' = Append(out, Head(q))
        /\ q' = Tail(q)

Next == Send \/ Recv

Spec == Init /\ [][Next]_vars /\ WF_vars(Recv)
=============================================================================
