-- bench/post.lua: the wrk script of bench/serve.sh. POSTs the file named by
-- $BODY_FILE as JSON on every request and, at the end, prints one line:
--   figures requests N failed N seconds S rps R p50_ms X p99_ms Y
-- where failed counts non-2xx answers and socket errors, and rps counts only
-- the requests answered 2xx.
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  local e = summary.errors
  local failed = e.status + e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format("figures requests %d failed %d seconds %.3f rps %.1f p50_ms %.3f p99_ms %.3f\n",
    summary.requests, failed, seconds, (summary.requests - failed) / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
