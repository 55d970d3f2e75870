-- A referral's receiver by name as well as by id (createReferral): an office, operator or
-- organisation the referrer may no longer list later (an agreement expired, an operator left,
-- an office renamed) still shows whom the case was sent to. The name is the one the referrer saw
-- when picking from referralTargets, stored when sending: the office with its organisation, the
-- operator's full name, the organisation's name. It is shown only with the referral, to those
-- who may read the case. The referrals sent before this column are named from today's names.
ALTER TABLE case_referral ADD COLUMN to_name text;

UPDATE case_referral r
   SET to_name = f.name || ' – ' || org.name
  FROM office f JOIN organization org ON org.id = f.organization_id
 WHERE f.id = r.to_office_id AND r.to_name IS NULL;

UPDATE case_referral r
   SET to_name = op.full_name
  FROM operator op
 WHERE op.id = r.to_operator_id AND r.to_name IS NULL;

UPDATE case_referral r
   SET to_name = org.name
  FROM organization org
 WHERE org.id = r.to_organization_id AND r.to_name IS NULL;
