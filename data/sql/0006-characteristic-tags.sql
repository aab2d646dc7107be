-- Schema version 6: the Overview's figures (issue 6).

-- The characteristics a model has become tags of kind 5 (after the lists'
-- kinds 0-4), so that counting them over a selection reads an index
-- instead of parsing every document: at 10,000 models of ~10 KB that is
-- the difference between a few milliseconds and half a second.
INSERT OR IGNORE INTO model_tags (kind, key, model)
  SELECT 5, c.key, m.rowid
    FROM models AS m, json_each (m.doc, '$.characteristics') AS c
   WHERE json_extract (c.value, '$.has') = 1;
