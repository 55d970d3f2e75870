-- The three KPI alerts of issue 10 that wait for the deliveries facts (migration 021 has the two
-- on intake records): SIUSS duties past their deadline and not sent, care-plan reviews past their
-- due date and not done, and projects whose counted spending reached a share of their budget.
-- For SIUSS_OVERDUE and CARE_PLAN_REVIEW_OVERDUE `days` is the delay past the due date after
-- which an item counts as late; for PROJECT_BUDGET `threshold` is the percentage of the budget
-- (an alert fires for each organisation with at least one project at or above it) and `days` is
-- not used.
ALTER TABLE kpi_threshold DROP CONSTRAINT kpi_threshold_kpi_check;
ALTER TABLE kpi_threshold ADD CONSTRAINT kpi_threshold_kpi_check CHECK (kpi IN (
  'INTAKE_WAITING_EVALUATION', 'JUDICIAL_PROPOSALS_UNDECIDED', 'SIUSS_OVERDUE',
  'CARE_PLAN_REVIEW_OVERDUE', 'PROJECT_BUDGET'));
INSERT INTO kpi_threshold (organization_id, kpi, days, threshold) VALUES
  (NULL, 'SIUSS_OVERDUE', 0, 0),
  (NULL, 'CARE_PLAN_REVIEW_OVERDUE', 0, 0),
  (NULL, 'PROJECT_BUDGET', 0, 90);
