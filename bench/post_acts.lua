-- wrk script: POST each line of FILE once to PATH with a bearer token:
-- one DSSE envelope a line to /api/v1/acts (the default), or one batch
-- ({"acts": [envelopes]}) a line to /api/v1/acts/batch.
--
--   wrk -t2 -c8 -d20s -s bench/post_acts.lua URL -- FILE TOKEN NTHREADS [PATH]
--
-- Thread k (0-based) posts the lines whose number is k modulo NTHREADS.
-- Once a thread has sent its last envelope, its connections send
-- GET /api/v1/health (200) until its last act is answered; then it stops,
-- and the last thread to stop interrupts wrk (SIGINT), so that a run ends
-- when the envelopes are used up or at -d, whichever comes first.  201
-- responses are counted as accepted (a batch's as its "accepted" count),
-- any other status to a request as refused; the rate is accepted acts over the time from the first request
-- to the last answer to an act (CLOCK_MONOTONIC), not over wrk's -d.
local ffi = require("ffi")
ffi.cdef [[
struct bench_timespec { long tv_sec; long tv_nsec; };
int clock_gettime(int clk, struct bench_timespec *ts);
int kill(int pid, int sig);
int getpid(void);
int usleep(unsigned int usec);
void *calloc(size_t n, size_t size);
]]

local function now()
  local ts = ffi.new("struct bench_timespec")
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

-- main state ---------------------------------------------------------------
local threads = {}
-- a C array shared by the threads: [0, 64) "done" flags, [64, 128) "ready"
local flags_addr = nil

function setup(thread)
  if flags_addr == nil then
    local p = ffi.C.calloc(128, ffi.sizeof("int"))
    flags_addr = tonumber(ffi.cast("uintptr_t", p))
  end
  thread:set("id", #threads)
  thread:set("shared_addr", flags_addr) -- a global of the thread's state
  table.insert(threads, thread)
end

-- thread state -------------------------------------------------------------
local reqs = {}
local nreqs, sent, answered = 0, 0, 0
local filler
local stopped = false
local verified = false
accepted, refused, fillers = 0, 0, 0
t_first, t_last = 0, 0
first_refusal = ""

function init(args)
  local file, token, nthreads = args[1], args[2], tonumber(args[3])
  local path = args[4] or "/api/v1/acts"
  local headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }
  local i = 0
  for line in io.lines(file) do
    if line ~= "" then
      if i % nthreads == id then
        nreqs = nreqs + 1
        reqs[nreqs] = wrk.format("POST", path, headers, line)
      end
      i = i + 1
    end
  end
  filler = wrk.format("GET", "/api/v1/health", {})
  nthreads_total = nthreads
  ffi.cast("volatile int *", shared_addr)[64 + id] = 1
end

-- wrk starts a thread as soon as its init() has run, before the next
-- thread's init() (which reads the whole file): hold every thread's first
-- envelope until all are ready, so that all 8 connections start together.
local function wait_ready()
  local flags = ffi.cast("volatile int *", shared_addr)
  for _ = 1, 60000 do
    local n = 0
    for k = 0, nthreads_total - 1 do n = n + flags[64 + k] end
    if n == nthreads_total then return end
    ffi.C.usleep(1000)
  end
end

function request()
  -- wrk 4 calls thread 0's request() once before the run, to see whether
  -- it pipelines; that request is never sent, so give it the filler.
  if id == 0 and not verified then
    verified = true
    return filler
  end
  if sent < nreqs then
    if sent == 0 then
      wait_ready()
      t_first = now()
    end
    sent = sent + 1
    return reqs[sent]
  end
  return filler
end

local function finish()
  if stopped then return end
  stopped = true
  local flags = ffi.cast("volatile int *", shared_addr)
  flags[id] = 1
  local all = true
  for k = 0, nthreads_total - 1 do
    if flags[k] == 0 then all = false end
  end
  wrk.thread:stop()
  if all then ffi.C.kill(ffi.C.getpid(), 2) end
end

function response(status, headers, body)
  if status == 201 then
    accepted = accepted + (tonumber(string.match(body or "", '"accepted":(%d+)')) or 1)
  elseif status == 200 then
    fillers = fillers + 1 -- an answer to GET /api/v1/health
    return
  else
    refused = refused + 1
    if first_refusal == "" then
      first_refusal = tostring(status) .. " " .. string.sub(body or "", 1, 200)
    end
  end
  answered = answered + 1
  t_last = now()
  if answered >= nreqs then finish() end
end

-- main state, at the end ---------------------------------------------------
function done(summary, latency, requests)
  local acc, ref, fil = 0, 0, 0
  local t0, t1 = math.huge, 0
  local why = ""
  for _, t in ipairs(threads) do
    acc = acc + t:get("accepted")
    ref = ref + t:get("refused")
    fil = fil + t:get("fillers")
    local a, b = t:get("t_first"), t:get("t_last")
    if a > 0 and a < t0 then t0 = a end
    if b > t1 then t1 = b end
    if why == "" then why = t:get("first_refusal") end
  end
  local el = t1 - t0
  if el <= 0 or el == math.huge then el = summary.duration / 1e6 end
  io.write(string.format("acts_accepted %d acts\n", acc))
  io.write(string.format("acts_refused %d requests\n", ref))
  io.write(string.format("acts_fillers %d requests\n", fil))
  io.write(string.format("acts_elapsed %.3f s\n", el))
  io.write(string.format("acts_rate %.0f acts/s\n", acc / el))
  io.write(string.format("acts_latency_p50 %.2f ms\n", latency:percentile(50) / 1000))
  io.write(string.format("acts_latency_p99 %.2f ms\n", latency:percentile(99) / 1000))
  if why ~= "" then io.write("acts_first_refusal " .. why .. "\n") end
end
