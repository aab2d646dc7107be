-- Schema version 3: keeps the list and the search fast at 100,000 models.

-- "deleted" was added after the document, so reading it for each row read
-- the whole document. The live models get an index of their own that
-- holds, in list order, everything the list's filters read.
CREATE INDEX models_live ON models (title COLLATE NOCASE, rowid, current_stage, visibility,
                                    unfinished, revision)
  WHERE deleted = 0;

-- Prefix indexes make the first letters typed ("l", "la", "las") as quick
-- to find as whole words. The index now holds live models only, so that a
-- search need not look at the models table unless a filter is set.
CREATE VIRTUAL TABLE models_fts_v3 USING fts5 (
  title, summary, body,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3'
);

INSERT INTO models_fts_v3 (rowid, title, summary, body)
  SELECT f.rowid, f.title, f.summary, f.body
    FROM models_fts AS f JOIN models AS m ON m.rowid = f.rowid
   WHERE m.deleted = 0;

DROP TABLE models_fts;
ALTER TABLE models_fts_v3 RENAME TO models_fts;

-- models_live covers what these served; left in place, the planner could
-- pick them and read every row's document for "deleted".
DROP INDEX models_title;
DROP INDEX models_stage;
