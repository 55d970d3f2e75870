-- A contract's ceiling is checked by summing what its interventions' deliveries committed, under
-- the contract's lock (deliveries/delivery.service.ts): without this index the sum scans every
-- intervention, and each delivery of an ageing contract waits longer (issue 9's bench).
CREATE INDEX intervention_contract_idx ON intervention (contract_id) WHERE contract_id IS NOT NULL;
