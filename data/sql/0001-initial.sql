-- Schema version 1: models as JSON documents with the columns that the
-- list, the filters and the search index need.
CREATE TABLE models (
  rowid         INTEGER PRIMARY KEY,
  id            TEXT    NOT NULL UNIQUE,
  revision      INTEGER NOT NULL DEFAULT 0,
  title         TEXT    NOT NULL,
  organisation  TEXT    NOT NULL DEFAULT '',
  language      TEXT    NOT NULL DEFAULT 'fi',
  region        TEXT,
  current_stage INTEGER NOT NULL DEFAULT -1,
  visibility    INTEGER NOT NULL DEFAULT 0,
  unfinished    INTEGER NOT NULL DEFAULT 0,
  modified      INTEGER NOT NULL DEFAULT 0,
  doc           TEXT    NOT NULL
);

CREATE INDEX models_title ON models (title COLLATE NOCASE);
CREATE INDEX models_stage ON models (current_stage);

-- Taxonomy keys of each model (themes, target groups, regions), for filters.
CREATE TABLE model_tags (
  kind  INTEGER NOT NULL,
  key   TEXT    NOT NULL,
  model INTEGER NOT NULL REFERENCES models (rowid) ON DELETE CASCADE,
  PRIMARY KEY (kind, key, model)
) WITHOUT ROWID;

CREATE INDEX model_tags_model ON model_tags (model);

-- remove_diacritics 2 lets "paihde" find "päihde".
CREATE VIRTUAL TABLE models_fts USING fts5 (
  title, summary, body,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT
);
