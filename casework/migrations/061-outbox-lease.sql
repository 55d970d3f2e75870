-- Two hub instances dispatching one outbox: a dispatcher claims the messages due with FOR UPDATE
-- SKIP LOCKED and writes its lease on them (who, until when), so that the other instance skips
-- them while the lease holds, and takes them over once it has run out (the first one crashed).
-- A message is then sent by one instance at a time; its id as Idempotency-Key still covers the
-- crash between the counterpart's receipt and the mark.
ALTER TABLE outbox_message ADD COLUMN claimed_by text;
ALTER TABLE outbox_message ADD COLUMN lease_until timestamptz;
