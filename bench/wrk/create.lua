-- wrk script: POSTs ConfigMaps of about BENCH_OBJECT_BYTES bytes with names unique per thread and request,
-- <BENCH_PREFIX>-<thread>-<n>, into namespace BENCH_NAMESPACE.
local ns = os.getenv("BENCH_NAMESPACE")
local prefix = os.getenv("BENCH_PREFIX")
local bytes = tonumber(os.getenv("BENCH_OBJECT_BYTES"))
local threadCount = 0
local counter = 0
local path, payload

function setup(thread)
  thread:set("threadIndex", threadCount)
  threadCount = threadCount + 1
end

local function body(n)
  return string.format('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s-%d-%08d"},"data":{"payload":"%s"}}',
    prefix, threadIndex, n, payload)
end

function init(args)
  path = "/api/v1/namespaces/" .. ns .. "/configmaps"
  payload = ""
  payload = string.rep("x", math.max(0, bytes - #body(0)))
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

function request()
  counter = counter + 1
  return wrk.format("POST", path, nil, body(counter))
end
