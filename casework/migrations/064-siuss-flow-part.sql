-- A flow's XML in ordered parts instead of one text: a file flow of a million deliveries is
-- hundreds of MB, which as one value is one allocation of that size wherever it is written or
-- read. The writer stores the parts as it streams them (each a run of whole records, about 1 MB),
-- in the transaction that stores the flow's row, so a job killed half way leaves neither; the
-- readers (the file download, the WaaS pull) read them back in order, a few at a time.
-- The foreign key is checked at commit: the parts are written before the row, whose status is
-- known only once xmllint has read the last byte.
CREATE TABLE siuss_flow_part (
  flow_id text NOT NULL REFERENCES siuss_flow(id) DEFERRABLE INITIALLY DEFERRED,
  seq integer NOT NULL CHECK (seq >= 0),
  xml text NOT NULL,
  PRIMARY KEY (flow_id, seq)
);

-- The flows stored so far: their text cut into parts of 1,048,576 characters (substr counts
-- characters, so no UTF-8 sequence is split), read back byte-identical.
INSERT INTO siuss_flow_part (flow_id, seq, xml)
SELECT f.id, g.n, substr(f.xml, g.n * 1048576 + 1, 1048576)
  FROM siuss_flow f
  CROSS JOIN LATERAL generate_series(0, greatest((length(f.xml) - 1) / 1048576, 0)) AS g(n);

ALTER TABLE siuss_flow DROP COLUMN xml;
