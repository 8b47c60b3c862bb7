-- wrk.lua: one CSV line at the end of a wrk run, for bench/run:
-- requests,errors,seconds,requests_per_s,mb_per_s,mean_us,p50_us,p99_us
done = function(summary, latency, requests)
	local e = summary.errors
	local errs = e.connect + e.read + e.write + e.status + e.timeout
	local secs = summary.duration / 1e6
	io.write(string.format("CSV,%d,%d,%.3f,%.1f,%.3f,%.0f,%d,%d\n",
		summary.requests, errs, secs, summary.requests / secs,
		summary.bytes / secs / 1e6, latency.mean,
		latency:percentile(50), latency:percentile(99)))
end
