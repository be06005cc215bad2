-- Runs unchanged on PostgreSQL and on H2 in MODE=PostgreSQL: portable types only.

CREATE TABLE tenants (
    id          VARCHAR(64)              NOT NULL,
    name        VARCHAR(255)             NOT NULL,
    active      BOOLEAN                  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT tenants_pk PRIMARY KEY (id)
);

-- allowed_models: comma-joined model aliases, empty for every model.
CREATE TABLE api_keys (
    id              VARCHAR(64)              NOT NULL,
    secret_hash     VARCHAR(64)              NOT NULL,
    tenant_id       VARCHAR(64)              NOT NULL,
    name            VARCHAR(255)             NOT NULL,
    prefix          VARCHAR(16)              NOT NULL,
    allowed_models  TEXT                     NOT NULL,
    active          BOOLEAN                  NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT api_keys_pk PRIMARY KEY (id),
    CONSTRAINT api_keys_secret_hash_uq UNIQUE (secret_hash),
    CONSTRAINT api_keys_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
);

CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id);

-- One row per provider attempt. No foreign keys: the ledger must accept every record it is handed.
CREATE TABLE usage_records (
    request_id           VARCHAR(128)             NOT NULL,
    attempt              INTEGER                  NOT NULL,
    tenant_id            VARCHAR(64)              NOT NULL,
    key_id               VARCHAR(64)              NOT NULL,
    model_alias          VARCHAR(255)             NOT NULL,
    deployment_id        VARCHAR(255)             NOT NULL,
    upstream_model       VARCHAR(255)             NOT NULL,
    input_tokens         BIGINT,
    cached_input_tokens  BIGINT,
    output_tokens        BIGINT,
    estimated            BOOLEAN                  NOT NULL,
    provider_cost        NUMERIC(30, 10)          NOT NULL,
    customer_price       NUMERIC(30, 10)          NOT NULL,
    status               VARCHAR(32)              NOT NULL,
    ttft_ms              BIGINT,
    duration_ms          BIGINT                   NOT NULL,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT usage_records_pk PRIMARY KEY (request_id, attempt)
);

-- Monthly totals per tenant scan this index.
CREATE INDEX usage_records_tenant_created_idx ON usage_records (tenant_id, created_at);
