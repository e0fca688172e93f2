-- An entry's working copy is always the document of its current version:
-- keep it once, in resource_versions, and read it through
-- (resources.id, resources.version).
ALTER TABLE resources DROP COLUMN doc;
