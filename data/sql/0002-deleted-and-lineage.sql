-- Schema version 2: deleting a draft can be undone, and "derived models"
-- are found without reading every document.
ALTER TABLE models ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE models ADD COLUMN based_on TEXT;

UPDATE models SET based_on = json_extract (doc, '$.based_on.id');

CREATE INDEX models_based_on ON models (based_on) WHERE based_on IS NOT NULL;
