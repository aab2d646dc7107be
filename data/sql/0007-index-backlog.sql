-- Schema version 7: the search index catches up in the background (issue 5).

-- Models that are waiting for their search index entry: written while
-- the store deferred indexing (a large sync pull), or every live model
-- after the analyser changed (the index is then made anew, empty). A
-- model listed here has no row in models_fts, so it cannot be found by
-- old text; MpIndexer indexes the list a chunk per transaction, and what
-- a killed process left is picked up at the next start. (IF NOT EXISTS:
-- like 6, this migration may run again over itself.)
CREATE TABLE IF NOT EXISTS index_backlog (
  model INTEGER PRIMARY KEY REFERENCES models (rowid) ON DELETE CASCADE
);
