-- Wrong passwords counted per account and source. Five from one source lock that source out of
-- the account for 15 minutes; the account itself only slows down (operator.failed_logins and
-- locked_until become a short backoff, at most a minute), so a stranger's five requests no
-- longer lock the real user out, and guesses spread over many sources stay slow.
CREATE TABLE operator_login_failure (
  operator_id uuid NOT NULL REFERENCES operator(id) ON DELETE CASCADE,
  source text NOT NULL,
  failures integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, source)
);
