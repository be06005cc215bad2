wrk.method = "POST"
wrk.body   = '{"model":"chat-default","messages":[{"role":"user","content":"Say hello"}],"max_tokens":16}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer fk-bench-key-000000000000000000000"
