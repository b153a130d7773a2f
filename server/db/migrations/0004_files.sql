-- Files: anonymous uploads carry a random access token (only its sha256 is kept) so that the
-- uploader alone can view the file until a module claims it; claiming clears the token.
ALTER TABLE files ADD COLUMN access_token_hash bytea;
ALTER TABLE files ADD COLUMN claimed_at timestamptz;
ALTER TABLE files ADD CONSTRAINT files_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$');
ALTER TABLE files ADD CONSTRAINT files_thumb_sha256_check CHECK (thumb_sha256 IS NULL OR thumb_sha256 ~ '^[0-9a-f]{64}$');
ALTER TABLE files ADD CONSTRAINT files_size_check CHECK (size > 0);
