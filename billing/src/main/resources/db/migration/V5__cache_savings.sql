-- A response-cache hit (status CACHE_HIT) records what the request would have cost the tenant had it gone to a
-- provider; every other record saved nothing.
ALTER TABLE usage_records ADD COLUMN saved_price NUMERIC(30, 10) DEFAULT 0 NOT NULL;
