-- The usage ledger: one row per request the gateway handled, written from each replica's spool.
-- request_id is the key: a spool replayed after a crash or an outage inserts with
-- ON CONFLICT (request_id) DO NOTHING, so nothing is ever counted twice.
CREATE TABLE usage_ledger (
  request_id         text PRIMARY KEY,
  ts                 timestamptz NOT NULL,       -- when the request arrived
  tenant_id          text NOT NULL,
  user_id            text NOT NULL,
  key_id             text NOT NULL DEFAULT '',   -- the gateway API key's id; '' when identity came from headers
  route              text NOT NULL,              -- chat_completions, messages, embeddings, count_tokens
  ingress            text NOT NULL,              -- the client's format: openai, anthropic
  provider           text NOT NULL,              -- who answered; 'cache' for a cache hit, 'none' for a refusal
  model              text NOT NULL,              -- the model the client asked for
  upstream_model     text,                       -- the model the provider ran (what it bills)
  prompt_tokens      bigint NOT NULL DEFAULT 0,  -- every input token, cache reads and writes included
  completion_tokens  bigint NOT NULL DEFAULT 0,  -- every output token, reasoning included
  cache_read_tokens  bigint NOT NULL DEFAULT 0,
  cache_write_tokens bigint NOT NULL DEFAULT 0,
  reasoning_tokens   bigint NOT NULL DEFAULT 0,
  cost_usd           numeric(24, 12),            -- NULL when the model has no price (unpriced)
  estimated          boolean NOT NULL DEFAULT false,
  status             text NOT NULL,              -- success, error, cancelled
  http_status        integer NOT NULL,
  error_type         text,
  latency_ms         bigint NOT NULL,
  cache_hit          boolean NOT NULL DEFAULT false,
  stream             boolean NOT NULL DEFAULT false,
  attempts           integer NOT NULL DEFAULT 0,
  written_at         timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX usage_ledger_ts ON usage_ledger (ts);
CREATE INDEX usage_ledger_tenant_ts ON usage_ledger (tenant_id, ts);
CREATE INDEX usage_ledger_tenant_user_ts ON usage_ledger (tenant_id, user_id, ts);
