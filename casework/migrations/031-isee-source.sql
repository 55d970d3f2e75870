-- An ISEE in the case file keeps where it came from: typed by the operator, or read from INPS
-- (ConsultazioneISEE) with the request id and the moment it was read.
ALTER TABLE case_isee
  ADD COLUMN source text NOT NULL DEFAULT 'TYPED' CHECK (source IN ('TYPED', 'INPS')),
  ADD COLUMN inps_request_id bigint,
  ADD COLUMN retrieved_at timestamptz,
  ADD CONSTRAINT case_isee_inps_source CHECK (source <> 'INPS' OR (inps_request_id IS NOT NULL AND retrieved_at IS NOT NULL));
