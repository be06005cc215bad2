-- Budgets per tenant and per app key (issue 5). V4 because V2/V3 belong to price books and invoices; Flyway runs
-- them in version order on a fresh database. Portable types only (PostgreSQL and H2 in MODE=PostgreSQL).

-- scope: 'tenant' or 'key'; subject_id: the tenant's or key's id. One budget per subject.
CREATE TABLE budgets (
    scope            VARCHAR(8)               NOT NULL,
    subject_id       VARCHAR(64)              NOT NULL,
    amount_usd       NUMERIC(30, 10)          NOT NULL,
    period           VARCHAR(8)               NOT NULL,
    enforcement      VARCHAR(8)               NOT NULL,
    alert_threshold  NUMERIC(5, 4)            NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT budgets_pk PRIMARY KEY (scope, subject_id)
);

-- A key budget's spend is re-seeded from the ledger by key and period; the tenant index serves tenants.
CREATE INDEX usage_records_key_created_idx ON usage_records (key_id, created_at);
