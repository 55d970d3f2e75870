-- The operators' list of registry change notices (personChangeNotices): each operator pages
-- through their own notices newest first (keyset on created_at, id) and marks them read one by
-- one. The notices are one row per notification, case file and operator (030), so read_at is
-- already the operator's own read state; the list needs its order, unread or not (the partial
-- index of 030 covers only the unread ones).
CREATE INDEX person_change_notice_operator_idx ON person_change_notice (operator_id, created_at DESC, id DESC);
