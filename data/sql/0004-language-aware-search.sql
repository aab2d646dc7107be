-- Schema version 4: search that knows Finnish, Swedish and English.

-- The "mallipaja" tokenizer (app/core/mp-fts-tokenizer.c) indexes each
-- word as written, lower case without diacritics, and at the same
-- position its base forms and compound parts (Finnish, Voikko) or its
-- stem (Swedish, English, Snowball). The store registers it on its
-- connection before migrating; other connections cannot read this table.
--
-- "lang" is the language the row was analysed in: FTS5 tokenizes the
-- stored text again to delete it, and must do so in the same language.
--
-- The table starts empty: the words must be analysed again, which needs
-- the documents and C, so the store fills it after migrating, as
-- mp_store_reindex() and `mallipaja --reindex` do. The meta key records
-- which analyser built the index; with it gone, the store rebuilds.
DROP TABLE models_fts;

CREATE VIRTUAL TABLE models_fts USING fts5 (
  title, summary, body, lang UNINDEXED,
  tokenize = 'mallipaja',
  prefix = '1 2 3'
);

DELETE FROM meta WHERE key = 'search-analyser';
