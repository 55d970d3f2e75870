-- What a contract has committed (its counted deliveries and those waiting for verification:
-- RECORDED, ACCEPTED, TO_VERIFY), kept as a running total on the contract. recordDelivery,
-- verifyDelivery, correctDelivery and cancelDelivery change it in the transaction that changes the
-- delivery, by an UPDATE of the contract's row (its row lock is the ceiling's lock), so that the
-- ceiling check costs the same whatever the contract's size instead of summing every delivery
-- (issue 9's bench: about 9 ms at 20,000 deliveries, 90 ms at 100,000).
ALTER TABLE provider_contract
  ADD COLUMN committed_amount numeric(14, 2) NOT NULL DEFAULT 0 CHECK (committed_amount >= 0);

-- Backfilled from the deliveries already stored (the migration runs in one transaction; the lock
-- keeps a delivery from landing between the sum and the end of the migration).
LOCK TABLE provider_contract IN SHARE ROW EXCLUSIVE MODE;
UPDATE provider_contract c SET committed_amount = s.total
  FROM (SELECT i.contract_id, sum(d.amount) AS total
          FROM delivery d JOIN intervention i ON i.id = d.intervention_id
         WHERE i.contract_id IS NOT NULL AND d.status IN ('RECORDED', 'ACCEPTED', 'TO_VERIFY')
         GROUP BY i.contract_id) s
 WHERE s.contract_id = c.id;
